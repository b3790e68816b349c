"""Official docs manifests (kubernetes/website content/en/examples, fetched 2026-11) validate clean,
with LF and CRLF line ends: built-in kinds outside the simulation (StorageClass, NetworkPolicy,
ValidatingAdmissionPolicy, LimitRange for PVCs), JSON-flow documents with comments, recent Pod fields
(pod-level resources, resizePolicy, image volumes, supplementalGroupsPolicy, restartPolicyRules),
Job successPolicy / podFailurePolicy, StatefulSet volumeClaimTemplates."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubetrainer.api.intake import intake_text

DOCS = Path(__file__).with_name("docs_examples")
FILES = sorted(p.name for p in DOCS.glob("*.yaml"))


@pytest.mark.parametrize("crlf", [False, True])
@pytest.mark.parametrize("name", FILES)
def test_docs_example_validates(name, crlf):
    text = (DOCS / name).read_text()
    if crlf:
        text = text.replace("\n", "\r\n")
    ms, ps = intake_text(text, name)
    assert ps == [] and ms


def test_validate_command_on_all_docs_examples(capsys):
    from kubetrainer.cli import main
    assert main(["validate", *[str(DOCS / n) for n in FILES]]) == 0
    out = capsys.readouterr().out
    assert "storageclass/fast valid" in out and "networkpolicy/test-network-policy valid" in out
