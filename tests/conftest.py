"""Suite-wide: never touch the learner's real progress database.

Tests that need a progress store set KUBETRAINER_DATA_DIR themselves (tmp_path); this default
catches any other path through `check` or the TUI when the suite is run as plain `pytest`.
"""

from __future__ import annotations

import os
import tempfile

if not os.environ.get("KUBETRAINER_DATA_DIR"):
    os.environ["KUBETRAINER_DATA_DIR"] = tempfile.mkdtemp(prefix="kubetrainer-tests-")
