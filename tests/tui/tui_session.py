"""Drive the real program in a pseudo-terminal and read the screen with pyte (CRAFT.md §3)."""

from __future__ import annotations

import os
import time

import pexpect
import pyte

KEYS = {"enter": "\r", "tab": "\t", "escape": "\x1b", "backspace": "\x7f", "space": " ",
        "up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D"}


class TuiSession:
    def __init__(self, argv: list[str], rows: int = 24, cols: int = 80, env: dict | None = None,
                 cwd: str | None = None) -> None:
        clean = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR")}
        clean.update(TERM="xterm-256color", LANG="C.UTF-8", TEXTUAL_ANIMATIONS="none", ESCDELAY="50", **(env or {}))
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)
        self.child = pexpect.spawn(argv[0], argv[1:], env=clean, dimensions=(rows, cols), cwd=cwd,
                                   encoding="utf-8", codec_errors="replace", timeout=20)

    def _drain(self, wait: float = 0.05) -> None:
        try:
            while True:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=wait))
        except (pexpect.TIMEOUT, pexpect.EOF):
            pass

    def text(self) -> str:
        self._drain()
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, *needles: str, timeout: float = 30.0) -> str:
        end = time.monotonic() + timeout
        t = ""
        while time.monotonic() < end:
            t = self.text()
            if all(n in t for n in needles):
                return t
        raise AssertionError(f"{needles!r} not on screen:\n{t}")

    def press(self, *keys: str) -> None:
        for k in keys:
            if k.startswith("ctrl+"):
                self.child.sendcontrol(k[5:])
            else:
                self.child.send(KEYS.get(k, k))
            time.sleep(0.05)

    def close(self, timeout: float = 10.0) -> int | None:
        self.child.expect(pexpect.EOF, timeout=timeout)
        self.child.close()
        return self.child.exitstatus

    def kill(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
