"""`kubetrainer validate` end to end through kubetrainer.cli.main, including hostile inputs:
exit 1, the file name and the right line, no traceback, no raw escape code in the output."""

from __future__ import annotations

import pytest

from kubetrainer.cli import main

from .helpers import FIXTURES, pod


def run(capsys, *argv):
    rc = main(["validate", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def assert_clean(out: str, err: str) -> None:
    text = out + err
    assert "Traceback" not in text and "internal error" not in text
    assert "\x1b" not in text and "\x00" not in text
    assert all(ch in "\n\t" or ord(ch) >= 0x20 for ch in text)


def test_valid_file_prints_one_line_per_object(capsys, tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(pod(name="a") + "---\n" + pod(name="b"))
    rc, out, err = run(capsys, str(f))
    assert rc == 0 and err == ""
    assert out == f"{f}: pod/a valid\n{f}: pod/b valid\n"


def test_problems_exit_1(capsys, tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(pod("    imagePullPolice: Always\n"))
    rc, out, err = run(capsys, str(f))
    assert rc == 1
    assert err == f'{f}:9:5: strict decoding error: unknown field "spec.containers[0].imagePullPolice"\n'


def test_stdin(capsys, monkeypatch):
    import io
    import sys
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(pod().encode())))
    rc, out, err = run(capsys, "-")
    assert rc == 0 and out == "<stdin>: pod/web valid\n"


def test_seed_broken_examples(capsys):
    files = sorted((FIXTURES / "seed").glob("*.yaml"))
    rc, out, err = run(capsys, *map(str, files))
    assert rc == 1
    assert len(err.splitlines()) == 5
    assert_clean(out, err)


def test_docs_examples_valid(capsys):
    files = sorted((FIXTURES / "docs").glob("*.yaml"))
    rc, out, err = run(capsys, *map(str, files))
    assert rc == 0 and len(out.splitlines()) == len(files) + 1  # web-statefulset.yaml holds two objects


def _laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        p, c = chr(96 + i), chr(97 + i)
        lines.append(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "billion-laughs.yaml": (_laughs().encode(), None),
    "deep.yaml": (b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", 1),
    "big.yaml": (b"a: b\n" + b"c: " + b"x" * (6 * 1024 * 1024) + b"\n", 1),
    "nul.yaml": (b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\x00y\n", 4),
    "bad-utf8.yaml": (b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf\xe9\n", 4),
    "python-tag.yaml": (b"apiVersion: v1\nkind: !!python/object/apply:os.system [\"echo pwned\"]\n", 2),
    "esc-raw.yaml": (b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \x1b[2Jx\n", 4),
    "esc-escaped.yaml": (b'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "\\e[2J\\e]52;c;aGk=\\a"\n'
                         b"spec:\n  containers: [{name: a, image: b}]\n", 4),
    "osc-in-unknown-key.yaml": (b'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  "\\e[31mevil": 1\n'
                                b"  containers: [{name: a, image: b}]\n", 5),
    "tab.yaml": (b"apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n", 4),
    "dup.yaml": (b"apiVersion: v1\nkind: Pod\nkind: Pod\n", 3),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_inputs(capsys, tmp_path, name):
    data, line = HOSTILE[name]
    f = tmp_path / name
    f.write_bytes(data)
    rc, out, err = run(capsys, str(f))
    assert rc == 1
    assert_clean(out, err)
    assert err.startswith(f"{f}:")
    if line is not None:
        assert err.startswith(f"{f}:{line}:"), err[:300]


def test_big_file_message_says_limit(capsys, tmp_path):
    f = tmp_path / "big.yaml"
    f.write_bytes(b"a: " + b"x" * (6 * 1024 * 1024))
    rc, out, err = run(capsys, str(f))
    assert rc == 1 and "5 MiB" in err


def test_empty_and_comment_only_files(capsys, tmp_path):
    f = tmp_path / "e.yaml"
    f.write_text("# nothing here\n")
    rc, out, err = run(capsys, str(f))
    assert rc == 1 and err == f"{f}:1:1: no objects passed to apply\n"


def test_missing_file(capsys):
    rc, out, err = run(capsys, "/no/such/file.yaml")
    assert rc == 1 and 'the path "/no/such/file.yaml" does not exist' in err


def test_warnings_go_to_stderr_and_keep_exit_0(capsys, tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(pod("    ports: [{containerPort: 80}, {containerPort: 80}]\n"))
    rc, out, err = run(capsys, str(f))
    assert rc == 0 and out == f"{f}: pod/web valid\n"
    assert err == f"{f}:9:34: Warning: spec.containers[0].ports[1]: duplicate port definition with " \
                  "spec.containers[0].ports[0]\n"
