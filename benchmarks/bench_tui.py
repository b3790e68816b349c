"""TUI benchmarks (not timed tests): first frame vs a hello-world Textual app, and keypress to
repaint on the lesson screen while the simulation runs at 60×.

    python benchmarks/bench_tui.py [--runs 7] [--keys 20] [--json]

Both are measured through a real pseudo-terminal (pexpect + pyte), as a learner sees them:
* first frame: spawn -> the first screen text appears (`kubetrainer` lesson map vs a one-Static
  hello-world App), alternating the two, median of --runs each;
* keypress -> repaint, in the app (key event -> next compositor refresh showing the new panel) and
  through the pty (key bytes -> the panel's text in the output; baseline: a hello-world Textual app
  whose keys swap a text, measured the same way, so "added" is what kubetrainer costs): the sandbox on a world with a 6-replica Deployment and a crash-looping Pod and the clock playing at 60×;
  each key switches the cluster panel (4 = Events, 1 = Flow), timed until the new panel's text is
  on screen; median and p95 of --keys presses.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect
import pyte

HELLO = """
from textual.app import App
from textual.widgets import Static
class Hello(App):
    def compose(self):
        yield Static("hello world")
Hello().run()
"""

# the keypress baseline: the smallest Textual app whose keys swap the text on screen, measured
# through the same pty, so the figure separates the terminal path from what kubetrainer adds
HELLO_KEYS = """
from textual.app import App
from textual.widgets import Static
class Keys(App):
    BINDINGS = [("4", "show('Reason')"), ("1", "show('component')")]
    def compose(self):
        yield Static("Sandbox ready", id="s")
    def action_show(self, text):
        self.query_one("#s", Static).update(text)
Keys().run()
"""

WORLD = """apiVersion: kubetrainer/v1
kind: World
metadata: {name: bench}
spec:
  nodes:
    - {name: node-1, capacity: {cpu: "4", memory: 8Gi, pods: "110"}}
    - {name: node-2, capacity: {cpu: "4", memory: 8Gi, pods: "110"}}
    - {name: node-3, capacity: {cpu: "4", memory: 8Gi, pods: "110"}}
  objects:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 6
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: web
                image: nginx:1.16.1
                readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}
    - apiVersion: v1
      kind: Pod
      metadata: {name: crash}
      spec:
        containers:
          - {name: app, image: "busybox:1.36", command: [sh, -c, "sleep 1; exit 1"]}
"""


def _env(data_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", TEXTUAL_ANIMATIONS="none", ESCDELAY="50",
               KUBETRAINER_DATA_DIR=data_dir)
    return env


class Pty:
    def __init__(self, argv: list[str], env: dict, rows: int = 24, cols: int = 80) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(rows, cols), encoding="utf-8",
                                   codec_errors="replace", timeout=30)

    def poll(self, wait: float = 0.001) -> None:
        """Read what the program wrote; return after `wait` of silence or 2×wait at most."""
        end = time.perf_counter() + 2 * wait
        try:
            while True:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=wait))
                if time.perf_counter() > end:
                    break
        except (pexpect.TIMEOUT, pexpect.EOF):
            pass

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_raw(self, needle: str, timeout: float = 5.0) -> float:
        """Time at which `needle` first appears in the raw output (no terminal emulation in the way:
        pyte's parsing would add its own time to the measurement)."""
        start = time.perf_counter()
        buf = ""
        self.pending: list[str] = []
        while time.perf_counter() - start < timeout:
            try:
                chunk = self.child.read_nonblocking(65536, timeout=0.0005)
            except pexpect.TIMEOUT:
                continue
            t = time.perf_counter()
            buf = buf[-200:] + chunk
            if needle in buf:
                for c in self.pending:         # the screen state, after the clock stopped
                    self.stream.feed(c)
                self.stream.feed(chunk)
                return t
            self.pending.append(chunk)
        raise RuntimeError(f"{needle!r} did not appear in the output")

    def wait_for(self, needle: str, timeout: float = 30.0) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            self.poll()
            if needle in self.text():
                return time.perf_counter()
        raise RuntimeError(f"{needle!r} did not appear:\n{self.text()}")

    def close(self) -> None:
        self.child.sendcontrol("q")
        try:
            self.child.expect(pexpect.EOF, timeout=10)
        except pexpect.TIMEOUT:
            self.child.terminate(force=True)
        self.child.close()


def first_frame(argv: list[str], needle: str, env: dict) -> float:
    t0 = time.perf_counter()
    p = Pty(argv, env)
    t1 = p.wait_for(needle)
    p.close()
    return t1 - t0


def bench_first_frame(runs: int, env: dict) -> dict:
    hello_argv = [sys.executable, "-c", HELLO]
    kt = os.path.join(os.path.dirname(sys.executable), "kubetrainer")
    kt_argv = [kt] if os.path.exists(kt) else [sys.executable, "-m", "kubetrainer"]
    hello, ours = [], []
    first_frame(hello_argv, "hello world", env)      # warm the file cache for both
    first_frame(kt_argv, "Learn how Kubernetes", env)
    for _ in range(runs):
        hello.append(first_frame(hello_argv, "hello world", env))
        ours.append(first_frame(kt_argv, "Learn how Kubernetes", env))
    h, k = statistics.median(hello), statistics.median(ours)
    return {"hello_world_s": round(h, 3), "kubetrainer_s": round(k, 3), "ratio": round(k / h, 3),
            "runs": runs, "hello_all": [round(x, 3) for x in hello], "kubetrainer_all": [round(x, 3) for x in ours]}


def _press(p: Pty, keys: int) -> dict:
    """Alternate 4 / 1 and time key bytes -> the panel's text in the output."""
    samples = []
    markers = (("4", "Reason"), ("1", "component"))
    for i in range(keys):
        key, needle = markers[i % 2]
        p.poll(0.05)
        t0 = time.perf_counter()
        p.child.send(key)
        t1 = p.wait_raw(needle, timeout=5)
        samples.append((t1 - t0) * 1000)
    samples.sort()
    return {"keys": keys, "median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1), "max_ms": round(samples[-1], 1)}


def bench_keypress_baseline(keys: int, env: dict) -> dict:
    """The same measurement on HELLO_KEYS: what the pty, the terminal emulation and Textual's own
    input-to-screen path cost on this machine, with no kubetrainer in it."""
    p = Pty([sys.executable, "-c", HELLO_KEYS], env, rows=36, cols=120)
    p.wait_for("Sandbox ready")
    out = _press(p, keys)
    p.close()
    return out


def bench_keypress(keys: int, env: dict, play: bool = True) -> dict:
    kt = os.path.join(os.path.dirname(sys.executable), "kubetrainer")
    world = Path(env["KUBETRAINER_DATA_DIR"]) / "bench-world.yaml"
    world.parent.mkdir(parents=True, exist_ok=True)
    world.write_text(WORLD)
    argv = ([kt] if os.path.exists(kt) else [sys.executable, "-m", "kubetrainer"]) + ["sandbox", "--world", str(world)]
    p = Pty(argv, env, rows=36, cols=120)
    p.wait_for("Sandbox")
    for _ in range(5):
        p.child.send("+")
        p.poll(0.02)
    p.wait_for("60×")
    p.child.send(" ")                                # play
    p.wait_for("playing")
    p.poll(2.0)                                      # let the run get busy (2 s wall = 2 min virtual)
    if not play:
        p.child.send(" ")                            # pause: the baseline without the simulation
        p.wait_for("paused")
    # the tab labels are redrawn with the active one highlighted; the panel's own text follows
    out = _press(p, keys)
    screen = p.text()
    p.close()
    return {**out, "sim_running": "playing" in screen, "virtual_time_at_end": _clock(screen)}


def _clock(screen: str) -> str:
    import re

    m = re.search(r"t=(\S+)", screen)
    return m.group(1) if m else "?"


def bench_keypress_inprocess(keys: int, play: bool) -> dict:
    """Key event -> the compositor's next refresh with the new panel, inside the app (headless).

    This isolates the app's own latency from the pty and the terminal emulator; the key switches
    the cluster panel (Events <-> Flow) on the sandbox with the same busy world, clock at 60×.
    """
    import asyncio

    from textual import events
    from textual.screen import Screen

    from kubetrainer.sim.world import parse_world
    from kubetrainer.tui.app import KubeTrainerApp

    last = [0.0]
    orig = Screen._compositor_refresh

    def patched(self):  # type: ignore[no-untyped-def]
        r = orig(self)
        last[0] = time.perf_counter()
        return r

    async def run() -> list[float]:
        app = KubeTrainerApp(start="sandbox", world=parse_world(WORLD, "bench-world.yaml"), autoplay=False)
        out: list[float] = []
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            scr = app.screen
            for _ in range(5):
                await pilot.press("plus")
            scr.session.advance(120)
            scr.refresh_views(force=True)
            if play:
                scr.play()
            await asyncio.sleep(1.0)
            for i in range(keys):
                await asyncio.sleep(0.13)
                key, pid = ("4", "events") if i % 2 == 0 else ("1", "flow")
                t = time.perf_counter()
                app.post_message(events.Key(key, key))
                while not (last[0] > t and scr.query_one("#panels").active == pid):
                    await asyncio.sleep(0.0005)
                out.append((last[0] - t) * 1000)
        return out

    Screen._compositor_refresh = patched
    try:
        samples = sorted(asyncio.run(run()))
    finally:
        Screen._compositor_refresh = orig
    return {"keys": keys, "median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1), "max_ms": round(samples[-1], 1)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--keys", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        env = _env(d)
        os.environ["KUBETRAINER_DATA_DIR"] = d
        out = {"first_frame": bench_first_frame(a.runs, env),
               "keypress_app_60x": bench_keypress_inprocess(a.keys, play=True),
               "keypress_app_paused": bench_keypress_inprocess(a.keys, play=False),
               "keypress_pty_baseline": bench_keypress_baseline(a.keys, env),
               "keypress_pty_60x": bench_keypress(a.keys, env),
               "keypress_pty_paused": bench_keypress(a.keys, env, play=False)}
        base = out["keypress_pty_baseline"]["median_ms"]
        for key in ("keypress_pty_60x", "keypress_pty_paused"):
            k = out[key]
            k["added_ms"] = round(k["median_ms"] - base, 1)      # what kubetrainer adds to the pty path
            k["ratio"] = round(k["median_ms"] / base, 2) if base else None
    if a.json:
        print(json.dumps(out, indent=2))
    else:
        ff = out["first_frame"]
        print(f"first frame: kubetrainer {ff['kubetrainer_s']:.3f}s vs hello-world {ff['hello_world_s']:.3f}s "
              f"-> {ff['ratio']:.2f}x (target <= 1.3x; median of {ff['runs']})")
        for key, what in (("keypress_app_60x", "keypress->repaint in the app, clock playing at 60x"),
                          ("keypress_app_paused", "keypress->repaint in the app, clock paused"),
                          ("keypress_pty_baseline", "keypress->text on a pty, hello-world Textual app"),
                          ("keypress_pty_60x", "keypress->text on a pty, clock playing at 60x"),
                          ("keypress_pty_paused", "keypress->text on a pty, clock paused")):
            k = out[key]
            extra = (f"; {k['added_ms']:+} ms / {k['ratio']}x vs the baseline" if "added_ms" in k else "")
            print(f"{what}: median {k['median_ms']} ms, p95 {k['p95_ms']} ms, max {k['max_ms']} ms "
                  f"({k['keys']} keys; target < 50 ms{extra})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
