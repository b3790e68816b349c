"""`kubetrainer simulate FILE... [--world W] [--until D] [--at D CMD]... [--format text|json] [--seed N]`."""

from __future__ import annotations

import json
import sys
from typing import Any

from kubetrainer.durations import parse_duration


def run(args: Any) -> int:
    from kubetrainer.api.intake import load_manifests
    from kubetrainer.sim.simulate import format_text, run_cluster

    until = parse_duration(args.until)
    at = [(parse_duration(d), cmd) for d, cmd in (args.at or [])]
    manifests = load_manifests(list(args.files))
    world = None
    if getattr(args, "world", None):
        from kubetrainer.sim.world import load_world

        world = load_world(args.world)
    cluster = run_cluster(manifests, world=world, until=until, at=at, seed=int(args.seed or 0))
    if args.format == "json":
        sys.stdout.write(json.dumps(cluster.result(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_text(cluster))
    return 0
