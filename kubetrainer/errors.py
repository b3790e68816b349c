"""The one exception type that carries a message meant for the user.

Anything raised as `UserError` is printed as its message and exits 1. Anything else is a
bug: the CLI prints one clean line and writes the traceback to a crash file.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input. `str(err)` is the complete message."""

    exit_code = 1


def escape_text(text: str) -> str:
    """Make user-provided text safe for a terminal: control characters become escapes.

    Text from YAML files and lesson packs must never reach the terminal as escape codes
    (ESC [ 2 J, OSC 52 clipboard writes, ...). Newlines and tabs are kept.
    """
    out = []
    for ch in text:
        o = ord(ch)
        if ch in "\n\t":
            out.append(ch)
        elif o < 0x20 or o == 0x7F or 0x80 <= o < 0xA0:
            out.append(f"\\x{o:02x}")
        elif o in (0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069):
            out.append(f"\\u{o:04x}")  # bidi controls can disguise text
        else:
            out.append(ch)
    return "".join(out)
