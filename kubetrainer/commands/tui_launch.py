"""`kubetrainer` (lesson map), `kubetrainer play ID`, `kubetrainer sandbox`, `kubetrainer replay`.

textual and the engine are imported only here, inside run(), so `kubetrainer validate` and
friends never pay for them (and the TUI's first frame is not delayed by engine imports).
"""

from __future__ import annotations

import os
from typing import Any


def run(args: Any) -> int:
    command = getattr(args, "command", None)
    if command == "replay":
        from kubetrainer.tui.replay import run_replay

        return run_replay(args.script, args.out)
    from kubetrainer.errors import UserError
    from kubetrainer.tui.app import KubeTrainerApp

    theme = os.environ.get("KUBETRAINER_THEME")
    if command == "play":
        app = KubeTrainerApp(start="lesson", lesson_id=args.lesson_id, packs=args.pack, theme=theme)
        try:
            app.course.get(args.lesson_id)
        except KeyError:
            raise UserError(f"unknown lesson {args.lesson_id!r} (kubetrainer lessons lists them)") from None
    elif command == "sandbox":
        world = None
        if getattr(args, "world", None):
            from kubetrainer.sim.world import load_world

            world = load_world(args.world)
        app = KubeTrainerApp(start="sandbox", world=world, theme=theme)
    else:
        app = KubeTrainerApp(start="map", theme=theme)
    app.run()
    return int(app.return_code or 0)
