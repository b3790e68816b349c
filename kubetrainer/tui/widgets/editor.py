"""The YAML editor: TextArea with YAML highlighting, and the API server's problems marked at
their line (underlined, with ✗ and the message listed beneath) as you type (debounced)."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.widgets import Static, TextArea

from kubetrainer.tui.text import FAIL, OK, safe


class YamlEditor(TextArea):
    DEFAULT_CSS = """
    YamlEditor { height: 1fr; border: none; padding: 0; }
    YamlEditor:focus { border: none; }
    """

    def __init__(self, text: str = "", **kw: Any) -> None:
        try:
            super().__init__(text, language="yaml", show_line_numbers=True, tab_behavior="indent",
                             soft_wrap=False, **kw)
        except Exception:  # noqa: BLE001 - without tree-sitter: plain text
            super().__init__(text, show_line_numbers=True, tab_behavior="indent", soft_wrap=False, **kw)
        self.error_lines: set[int] = set()   # 0-based
        self.cursor_blink = False

    def set_problems(self, problems: list[Any]) -> None:
        self.error_lines = {max(0, int(getattr(p, "line", 1) or 1) - 1) for p in problems}
        self._build_highlight_map()
        self.refresh()

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        theme = getattr(self, "_theme", None)
        if theme is not None and "kt-error" not in theme.syntax_styles:
            theme.syntax_styles["kt-error"] = Style(underline=True, bold=True, color="red")
        for line in getattr(self, "error_lines", ()):
            if line < self.document.line_count:
                self._highlights[line].append((0, None, "kt-error"))


class ProblemList(Static):
    """`✗ 3:5 spec.containers[0].name: Required value` per problem, or `✓ valid`."""

    DEFAULT_CSS = """
    ProblemList { height: auto; max-height: 4; padding: 0 1; }
    """

    def show(self, problems: list[Any], checked: bool = True) -> None:
        if not checked:
            self.update(Text(""))
            return
        if not problems:
            self.update(Text(f"{OK} valid — ctrl+s to submit", style="green"))
            return
        out = Text()
        for i, p in enumerate(problems[:6]):
            if i:
                out.append("\n")
            out.append(f"{FAIL} {getattr(p, 'line', '?')}:{getattr(p, 'col', '?')} ", style="bold red")
            out.append_text(safe(getattr(p, "message", str(p))))
        if len(problems) > 6:
            out.append(f"\n… and {len(problems) - 6} more")
        self.update(out)
