"""The kubectl console: the verbs the engine supports (Cluster.kubectl), with completion and
history; output exactly as the engine prints it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input, Static

from kubetrainer.tui.text import safe

# Fallback verb list (DESIGN.md "kubectl") when the engine's registry cannot be listed.
_VERBS = ("get", "describe", "apply", "create", "delete", "logs", "exec", "rollout", "scale", "set",
          "label", "annotate", "taint", "cordon", "uncordon", "drain", "explain")
_RESOURCES = ("pods", "pod", "nodes", "node", "deployments", "deployment", "replicasets", "events",
              "daemonsets", "statefulsets", "secrets", "services")


def engine_verbs() -> list[str]:
    """The verbs the engine's kubectl registry knows (kubetrainer.sim.kubectl.VERBS)."""
    try:
        from kubetrainer.sim import kubectl as k

        loader = getattr(k, "_load_plugins", None)
        if callable(loader):
            loader()
        reg = getattr(k, "VERBS", None)
        if isinstance(reg, dict) and reg:
            return sorted(str(v) for v in reg)
    except Exception:  # noqa: BLE001
        pass
    return list(_VERBS)


def engine_resources() -> list[str]:
    try:
        from kubetrainer.sim import kubectl as k

        names = getattr(k, "_RESOURCE_NAMES", None)
        if isinstance(names, dict) and names:
            return sorted(names)
    except Exception:  # noqa: BLE001
        pass
    return list(_RESOURCES)


class KubectlSuggester(Suggester):
    """Completes the word being typed: verbs, then resources, then object names of the run."""

    def __init__(self, names: Any) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._names = names  # callable -> list[str]

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value.endswith(" "):
            return None
        words = value.split(" ")
        if words and words[0] == "kubectl":
            words = words[1:]
            prefix = "kubectl "
        else:
            prefix = ""
        if not words:
            return None
        cur = words[-1]
        if len(words) == 1:
            cands = engine_verbs()
        elif len(words) == 2 and words[0] in ("get", "describe", "delete", "label", "annotate", "edit"):
            cands = list(_RESOURCES) + [r for r in engine_resources() if "." not in r] + list(self._names())
        else:
            cands = list(self._names())
        for c in cands:
            if c.startswith(cur) and c != cur:
                return prefix + " ".join(words[:-1] + [c])
        return None


class ConsoleInput(Input):
    BINDINGS = [
        Binding("up", "history(-1)", "Previous", show=False),
        Binding("down", "history(1)", "Next", show=False),
        Binding("tab", "complete", "Complete", show=False, priority=True),
    ]

    def __init__(self, history: list[str], **kw: Any) -> None:
        super().__init__(**kw)
        self.history = history
        self._pos: int | None = None

    def action_history(self, delta: int) -> None:
        if not self.history:
            return
        pos = len(self.history) if self._pos is None else self._pos
        pos = max(0, min(len(self.history), pos + delta))
        self._pos = pos
        self.value = self.history[pos] if pos < len(self.history) else ""
        self.cursor_position = len(self.value)

    def action_complete(self) -> None:
        if self._suggestion:
            self.value = self._suggestion
            self.cursor_position = len(self.value)

    def reset_history(self) -> None:
        self._pos = None


class Console(Vertical):
    DEFAULT_CSS = """
    Console { height: 45%; min-height: 7; max-height: 20; dock: bottom; border-top: solid $accent; background: $surface; display: none; }
    Console.-open { display: block; }
    Console > VerticalScroll { height: 1fr; padding: 0 1; }
    Console > ConsoleInput { height: 3; }
    """

    class Ran(Message):
        def __init__(self, line: str, output: str) -> None:
            super().__init__()
            self.line = line
            self.output = output

    def __init__(self, session_getter: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self._session = session_getter

    def compose(self):
        with VerticalScroll(id="console-out"):
            yield Static("", id="console-text", markup=False)
        s = self._session()
        yield ConsoleInput(history=s.history if s is not None else [], placeholder="kubectl get pods   (tab completes, ↑↓ history, esc closes)",
                           id="console-input", suggester=KubectlSuggester(self._names))

    def _names(self) -> list[str]:
        s = self._session()
        if s is None or s.cluster is None:
            return []
        out: list[str] = []
        try:
            for kind in ("Pod", "Node", "Deployment", "ReplicaSet"):
                out.extend(o["metadata"]["name"] for o in s.cluster.store.list(kind))
        except Exception:  # noqa: BLE001
            pass
        return out

    def open(self) -> None:
        self.add_class("-open")
        inp = self.query_one(ConsoleInput)
        s = self._session()
        if s is not None:
            inp.history = s.history
        inp.cursor_blink = False
        inp.focus()
        self.show_log()

    def close(self) -> None:
        self.remove_class("-open")

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def show_log(self) -> None:
        s = self._session()
        t = Text()
        if s is not None:
            for line, out in s.console_log[-30:]:
                t.append("$ ", style="bold")
                t.append_text(safe(line if line.startswith("kubectl") else "kubectl " + line, "bold"))
                t.append("\n")
                t.append_text(safe(out.rstrip("\n")))
                t.append("\n")
        if not t.plain:
            t.append("kubectl console: the commands run on the simulated cluster.\n", style="italic")
        self.query_one("#console-text", Static).update(t)
        self.query_one("#console-out", VerticalScroll).scroll_end(animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value.strip()
        inp = self.query_one(ConsoleInput)
        inp.value = ""
        inp.reset_history()
        if not line:
            return
        s = self._session()
        out = s.kubectl(line) if s is not None else ""
        self.show_log()
        self.post_message(self.Ran(line, out))
