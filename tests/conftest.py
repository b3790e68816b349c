"""Suite-wide checks.

* Never touch the learner's real progress database: tests that need a progress store set
  KUBETRAINER_DATA_DIR themselves (tmp_path); this default catches any other path through
  `check` or the TUI when the suite is run as plain `pytest`.
* Pods share the equal parts of their specs and metadata (kubetrainer.sim.sharing.share_pod_parts):
  every test checks that no code path changed a shared part in place (that would change every
  pod holding it).
"""

from __future__ import annotations

import copy
import os
import tempfile

import pytest

if not os.environ.get("KUBETRAINER_DATA_DIR"):
    os.environ["KUBETRAINER_DATA_DIR"] = tempfile.mkdtemp(prefix="kubetrainer-tests-")


@pytest.fixture(autouse=True)
def _shared_pod_parts_stay_unchanged(monkeypatch):
    from kubetrainer.sim import sharing

    real = sharing.share_pod_parts
    kept: list[tuple[str, object, object]] = []

    def spy(pod, shared):
        before = dict(shared)
        real(pod, shared)
        for k, v in shared.items():
            if before.get(k) is not v:
                kept.append((k, v, copy.deepcopy(v)))

    monkeypatch.setattr(sharing, "share_pod_parts", spy)
    yield
    changed = [k for k, v, snap in kept if not sharing.same_tree(v, snap)]
    assert not changed, f"a pod part shared between pods was changed in place: {changed[0]}"
