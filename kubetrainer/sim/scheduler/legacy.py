"""Legacy predicate and priority names (old tutorials, the seed document) per plugin of today.

    PREDICATES["NodeResourcesFit"] -> ["GeneralPredicates", "PodFitsResources"]
    PRIORITIES["NodeResourcesFit"] -> ["LeastRequestedPriority", ...]

Source: pkg/scheduler/framework/plugins/legacy_registry.go (removed in v1.23); see
kubetrainer.sim.scheduler.explain.LEGACY for the full name -> plugin map.
"""

from __future__ import annotations

from kubetrainer.sim.scheduler.explain import LEGACY

_PRIORITY_SUFFIX = ("Priority", "BalancedResourceAllocation", "PriorityMetadata")


def _split() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    preds: dict[str, list[str]] = {}
    prios: dict[str, list[str]] = {}
    for old, new in LEGACY.items():
        plugin = new.split(" ")[0]
        if not plugin[:1].isupper():
            continue
        target = prios if old.endswith(_PRIORITY_SUFFIX) else preds
        target.setdefault(plugin, []).append(old)
    return ({k: sorted(v) for k, v in preds.items()}, {k: sorted(v) for k, v in prios.items()})


PREDICATES, PRIORITIES = _split()
