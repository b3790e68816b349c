"""Helpers shared by the plugins.

* `default_normalize_score` — pkg/scheduler/framework/plugins/helper/normalize_score.go
  (DefaultNormalizeScore), vectorised over a column of raw scores.
* `tolerates` / `find_untolerated_taint` — component-helpers/scheduling/corev1
  (Toleration.ToleratesTaint, FindMatchingUntoleratedTaint).
* cached quantity parsing (the same request strings appear on thousands of pods).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

import numpy as np

from kubetrainer.api.quantity import cpu_millis as _cpu_millis, memory_bytes as _memory_bytes

MAX_NODE_SCORE = 100  # framework.MaxNodeScore


@lru_cache(maxsize=4096)
def cpu_millis(q: Any) -> int:
    return _cpu_millis(q)


@lru_cache(maxsize=4096)
def quantity_int(q: Any) -> int:
    return _memory_bytes(q)


def default_normalize_score(raw: np.ndarray, max_priority: int = MAX_NODE_SCORE, reverse: bool = False) -> np.ndarray:
    """helper.DefaultNormalizeScore: score = max*raw/maxRaw (integer division), reversed as max-score.
    If every raw score is 0: all 0, or all `max` when reverse."""
    raw = np.asarray(raw, dtype=np.int64)
    if raw.size == 0:
        return raw.copy()
    max_count = int(raw.max())
    if max_count == 0:
        if reverse:
            return np.full_like(raw, max_priority)
        return np.zeros_like(raw)
    out = max_priority * raw // max_count
    if reverse:
        out = max_priority - out
    return out


def toleration_tolerates(tol: dict, taint: dict) -> bool:
    """v1.Toleration.ToleratesTaint (component-helpers/scheduling/corev1/helpers.go)."""
    t_effect = tol.get("effect") or ""
    if t_effect and t_effect != taint.get("effect"):
        return False
    key = tol.get("key") or ""
    if key and key != taint.get("key"):
        return False
    op = tol.get("operator") or "Equal"
    if op == "Exists":
        return True
    if op == "Equal":
        return (tol.get("value") or "") == (taint.get("value") or "")
    return False


def tolerations_tolerate(tolerations: Iterable[dict], taint: dict) -> bool:
    return any(toleration_tolerates(t, taint) for t in tolerations)


def find_untolerated_taint(taints: Iterable[dict], tolerations: list[dict], effects: tuple[str, ...]) -> dict | None:
    """FindMatchingUntoleratedTaint: the first taint (in the node's order) with an effect in
    `effects` that no toleration tolerates."""
    for taint in taints:
        if taint.get("effect") not in effects:
            continue
        if not tolerations_tolerate(tolerations, taint):
            return taint
    return None


@lru_cache(maxsize=4096)
def normalize_image(name: str) -> str:
    """Docker-style normalisation used to compare a pod's image with a node's image list:
    `nginx` -> `docker.io/library/nginx:latest` (imagelocality.normalizedImageName adds the
    `:latest` tag; the registry prefix is what containerd reports in node.status.images)."""
    ref = name.strip()
    digest = ""
    if "@" in ref:
        ref, digest = ref.split("@", 1)
    first, _, rest = ref.partition("/")
    if not rest or ("." not in first and ":" not in first and first != "localhost"):
        ref = "docker.io/" + (ref if rest else "library/" + ref)
    if ref.startswith("docker.io/") and ref.count("/") == 1:
        ref = "docker.io/library/" + ref[len("docker.io/"):]
    last = ref.rsplit("/", 1)[-1]
    if digest:
        return ref + "@" + digest
    if ":" not in last:
        ref += ":latest"
    return ref
