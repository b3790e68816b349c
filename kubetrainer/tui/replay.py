"""`kubetrainer replay SCRIPT --out DIR`: play a key script headless, write an SVG at each `shot`.

The script format is documented in docs/replay.md. Virtual time moves only by the script
(`advance`, `n`, ...): no autoplay, so the screenshots are the same on every run.
"""

from __future__ import annotations

import asyncio
import os
import shlex
from pathlib import Path
from typing import Any

from kubetrainer.errors import UserError

COMMANDS = {"size", "app", "theme", "press", "type", "wait", "advance", "shot", "submit-file"}


def parse_script(text: str, filename: str) -> list[tuple[int, str, list[str]]]:
    steps: list[tuple[int, str, list[str]]] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError as exc:
            raise UserError(f"{filename}:{n}:1: {exc}") from None
        if not words:
            continue
        cmd, args = words[0], words[1:]
        col = raw.index(cmd) + 1
        if cmd not in COMMANDS:
            raise UserError(f"{filename}:{n}:{col}: unknown replay command {cmd!r} "
                            f"(expected one of: {', '.join(sorted(COMMANDS))})")
        if cmd == "size":
            try:
                w, h = (int(x) for x in args[0].lower().split("x"))
                assert 20 <= w <= 500 and 10 <= h <= 200
            except Exception:  # noqa: BLE001
                raise UserError(f"{filename}:{n}:{col}: size wants COLSxROWS, e.g. 80x24") from None
        if cmd in ("wait", "advance"):
            try:
                from kubetrainer.durations import parse_duration

                parse_duration(args[0])
            except (IndexError, UserError):
                raise UserError(f"{filename}:{n}:{col}: {cmd} wants a duration, e.g. 2 or 30s") from None
        if cmd == "shot" and (len(args) != 1 or not args[0].replace("-", "").replace("_", "").isalnum()):
            raise UserError(f"{filename}:{n}:{col}: shot wants one name of letters, digits, - and _")
        if cmd == "app" and (not args or args[0] not in ("map", "play", "sandbox")):
            raise UserError(f"{filename}:{n}:{col}: app wants map, play LESSON_ID [--pack DIR] or sandbox [--world W]")
        if cmd == "theme" and (not args or args[0] not in ("dark", "light", "high-contrast")):
            raise UserError(f"{filename}:{n}:{col}: theme wants dark, light or high-contrast")
        steps.append((n, cmd, args))
    return steps


def build_app(args: list[str], base: Path) -> Any:
    from kubetrainer.tui.app import KubeTrainerApp

    kind = args[0] if args else "map"
    rest = args[1:]
    packs: list[str] = []
    world = None
    lesson_id = None
    i = 0
    while i < len(rest):
        if rest[i] == "--pack" and i + 1 < len(rest):
            packs.append(str((base / rest[i + 1]).resolve()))
            i += 2
        elif rest[i] == "--world" and i + 1 < len(rest):
            from kubetrainer.sim.world import load_world

            world = load_world(str((base / rest[i + 1]).resolve()))
            i += 2
        else:
            lesson_id = rest[i]
            i += 1
    start = {"map": "map", "play": "lesson", "sandbox": "sandbox"}[kind]
    return KubeTrainerApp(start=start, lesson_id=lesson_id, packs=packs, world=world, autoplay=False)


async def _play(steps: list[tuple[int, str, list[str]]], out: Path, base: Path, filename: str) -> list[Path]:
    from kubetrainer.durations import parse_duration

    size = (80, 24)
    app_args = ["map"]
    theme = "dark"
    for _, cmd, args in steps:
        if cmd == "size":
            size = tuple(int(x) for x in args[0].lower().split("x"))  # type: ignore[assignment]
        elif cmd == "app":
            app_args = args
        elif cmd == "theme":
            theme = args[0]
    app = build_app(app_args, base)
    from kubetrainer.tui.app import THEMES

    app.theme = THEMES[theme]
    app.animation_level = "none"
    written: list[Path] = []
    shots = 0
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        for n, cmd, args in steps:
            if cmd == "press":
                for key in args:
                    await pilot.press(key)
                    await pilot.pause()
            elif cmd == "type":
                await pilot.press(*list(" ".join(args)))
                await pilot.pause()
            elif cmd == "wait":
                await pilot.pause(parse_duration(args[0]))
            elif cmd == "advance":
                screen = app.screen
                session = getattr(screen, "session", None)
                if session is None:
                    raise UserError(f"{filename}:{n}:1: advance needs the lesson or sandbox screen")
                session.advance(parse_duration(args[0]))
                screen.refresh_views()
                await pilot.pause()
            elif cmd == "submit-file":
                from kubetrainer.tui.widgets.editor import YamlEditor

                path = (base / args[0])
                try:
                    text = path.read_text(encoding="utf-8")
                except OSError as exc:
                    raise UserError(f"{filename}:{n}:1: {exc.strerror}: {args[0]}") from None
                app.screen.query_one(YamlEditor).load_text(text)
                await pilot.press("ctrl+s")
                await pilot.pause()
            elif cmd == "shot":
                shots += 1
                await pilot.pause()
                path = out / f"{shots:02d}-{args[0]}.svg"
                path.write_text(app.export_screenshot(title=args[0]), encoding="utf-8")
                written.append(path)
    return written


def run_replay(script: str, out: str) -> int:
    try:
        text = Path(script).read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{script}: {exc.strerror}") from None
    steps = parse_script(text, script)
    outdir = Path(out)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{out}: {exc.strerror}") from None
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    written = asyncio.run(_play(steps, outdir, Path(script).resolve().parent, script))
    for p in written:
        print(p)
    return 0
