import pytest


@pytest.fixture(autouse=True)
def _strict_runtime(monkeypatch):
    """Internal errors in simulated programs fail the test instead of becoming a shell error line."""
    monkeypatch.setenv("KUBETRAINER_STRICT_RUNTIME", "1")
