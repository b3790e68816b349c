"""Go's %q quoting, used wherever user text goes into a message (never raw control characters)."""

from __future__ import annotations


def go_quote(s: str) -> str:
    """Go's %q: control characters escaped, so user text never reaches the terminal raw."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        elif 0x80 <= o < 0xA0 or o in (0x200E, 0x200F) or 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069:
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_LOOKALIKES = {"\uff1a": "full-width colon", "\u3000": "ideographic (full-width) space", "\uff0c": "full-width comma",
               "\u2013": "en dash", "\u2014": "em dash", "\u201c": "curly quote", "\u201d": "curly quote",
               "\u2018": "curly quote", "\u2019": "curly quote", "\uff0d": "full-width hyphen"}


def lookalike_hint(text: str) -> str:
    """A hint for characters that look like YAML syntax but are not (copied from a document typed
    with a CJK input method or a word processor): "" when there are none."""
    for ch, name in _LOOKALIKES.items():
        if ch in text:
            plain = {"\uff1a": ":", "\u3000": " ", "\uff0c": ",", "\uff0d": "-"}.get(ch, None)
            fix = f"; YAML needs an ASCII {plain!r}" if plain else ""
            return f' (hint: the text contains a {name} "{ch}" U+{ord(ch):04X}{fix})'
    return ""
