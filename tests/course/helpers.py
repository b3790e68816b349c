"""Building small packs in a temporary directory, and hand-made SimulationResults."""

from __future__ import annotations

import textwrap
from pathlib import Path

PACK_YAML = """\
kind: LessonPack
schemaVersion: 1
id: t
title: {en: "Test", zh-Hans: "测试"}
languages: [en, zh-Hans]
chapters:
  - id: basics
    title: {en: "Basics", zh-Hans: "基础"}
  - id: more
    title: {en: "More", zh-Hans: "更多"}
"""

LESSON = """\
kind: Lesson
schemaVersion: 1
id: one
title: {en: "One", zh-Hans: "一"}
chapter: basics
difficulty: 1
text: {en: "Text", zh-Hans: "正文"}
starter: |
  apiVersion: v1
  kind: Pod
  metadata: {name: web}
  spec:
    containers: [{name: web, image: "nginx:1.161"}]
solution: |
  apiVersion: v1
  kind: Pod
  metadata: {name: web}
  spec:
    containers: [{name: web, image: "nginx:1.16.1"}]
objectives:
  - id: running
    description: {en: "Runs", zh-Hans: "运行"}
    deadline: 30s
    expect: {pod: web, phase: Running}
"""


def make_pack(root: Path, lessons: dict[str, str] | None = None, pack_yaml: str = PACK_YAML,
              files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.yaml").write_text(textwrap.dedent(pack_yaml), encoding="utf-8")
    for name, text in (lessons if lessons is not None else {"one.yaml": LESSON}).items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    for name, text in (files or {}).items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def pod(name: str, **kw) -> dict:
    d = {"namespace": "default", "name": name, "node": "node-1", "phase": "Running", "status": "Running",
         "ready": "1/1", "restarts": 0,
         "conditions": {"PodScheduled": "True", "Initialized": "True", "ContainersReady": "True", "Ready": "True"},
         "initContainers": [], "containers": [{"name": name, "state": "running", "reason": None, "exitCode": None,
                                               "restartCount": 0, "ready": True, "lastState": {}}],
         "deleted": False, "deletedAt": None}
    d.update(kw)
    return d


def row(time: float, name: str, **kw) -> dict:
    d = {"time": float(time), "object": f"Pod/default/{name}", "phase": "Pending", "status": "Pending",
         "ready": "0/1", "restarts": 0, "node": None, "deleted": False}
    d.update(kw)
    return d


def event(time: float, reason: str, obj: str, message: str = "", type_: str = "Normal", count: int = 1) -> dict:
    return {"time": float(time), "type": type_, "reason": reason, "object": obj, "message": message, "count": count}


def result(pods=(), events=(), timeline=(), deployments=(), replica_sets=(), until=60.0) -> dict:
    return {"apiVersion": "kubetrainer/v1", "kind": "SimulationResult", "until": until, "pods": list(pods),
            "events": list(events), "timeline": list(timeline), "deployments": list(deployments),
            "replicaSets": list(replica_sets), "nodes": []}
