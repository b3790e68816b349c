"""YAML with positions: every key and value keeps its line and column.

`load_yaml_documents(text, filename)` returns one `Document` per non-empty YAML document.
Each document's `.data` is plain JSON-like Python (dict, list, str, int, float, bool, None)
and `.position(path)` gives the 1-based (line, col) of the key or value at a path such as
``("spec", "containers", 0, "image")``.

The loader builds the tree itself from the parser's *events* (never PyYAML's constructors),
so it can refuse what the API server refuses and what would hurt us:

* duplicate mapping keys (the message of go-yaml v3, which kubectl/kustomize use:
  ``mapping key "image" already defined at line 7``);
* tags that construct objects (``!!python/object...``): never constructed, a located error;
* alias expansion past a budget ("billion laughs": go-yaml's ``document contains excessive
  aliasing``) and nesting deeper than `MAX_DEPTH` (go-yaml's ``exceeded max depth of N``);
  the tree is built iteratively, so no RecursionError can reach the user;
* files larger than `MAX_FILE_BYTES` (5 MiB), invalid UTF-8 and control characters (NUL,
  ESC, ...), which YAML forbids in a stream.

Syntax errors come from libyaml (the C parser PyYAML wraps) when available; go-yaml is a port
of libyaml, so its texts (``could not find expected ':'``, ``did not find expected key``,
``found character that cannot start any token``) are the texts kubectl prints after
``error converting YAML to JSON: yaml: line N:``.
"""

from __future__ import annotations

import copy
from typing import Any, Iterable

import yaml

from kubetrainer.api.gotext import go_quote, lookalike_hint
from kubetrainer.errors import UserError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 200
# One scalar may not exceed what the API server accepts in a whole request body
# (apiserver MaxRequestBodyBytes, 3 MiB: "Request entity too large: limit is 3145728").
MAX_VALUE_BYTES = 3 * 1024 * 1024
# Alias budget: total nodes materialised through aliases. go-yaml v2/v3 allow a ratio of alias
# expansions to plain nodes ("document contains excessive aliasing"); a fixed budget is simpler
# and generous for real manifests (which rarely use aliases at all).
MAX_ALIAS_NODES = 100_000
# Values (scalars, maps, lists) in one file: real manifests hold hundreds; this keeps the worst
# 5 MiB file to a few seconds (our limit, not the API server's).
MAX_NODES = 500_000

_STD_TAGS = {
    None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary",
    "tag:yaml.org,2002:merge",
}

try:  # libyaml: fast, and its messages are go-yaml's
    _Loader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class YamlProblem(Exception):
    """A located problem found while reading YAML (internal; turned into Problems/UserError)."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


class Document:
    """One YAML document: plain data plus where each key and value was written."""

    __slots__ = ("data", "filename", "line", "key_pos", "value_pos")

    def __init__(self, data: Any, filename: str, line: int,
                 key_pos: dict[tuple, tuple[int, int]], value_pos: dict[tuple, tuple[int, int]]) -> None:
        self.data = data
        self.filename = filename
        self.line = line  # 1-based line where the document's content starts
        self.key_pos = key_pos
        self.value_pos = value_pos

    def position(self, path: Iterable = (), *, value: bool = False) -> tuple[int, int]:
        """(line, col), 1-based, of the key at `path` (or of its value when `value=True` or the
        path ends in a list index). Paths that do not exist (a defaulted or missing field)
        fall back to the nearest existing ancestor."""
        p = tuple(path)
        while True:
            if value or not p or isinstance(p[-1], int):
                hit = self.value_pos.get(p) or self.key_pos.get(p)
            else:
                hit = self.key_pos.get(p) or self.value_pos.get(p)
            if hit:
                return hit
            if not p:
                return (self.line, 1)
            p = p[:-1]
            value = False

    def __repr__(self) -> str:
        return f"Document({self.filename!r}, line={self.line})"

    def sub(self, prefix: tuple) -> "Document":
        """The part of this document under `prefix` (e.g. ("items", 2) of a v1 List) as its own
        Document, positions still pointing into the same file."""
        n = len(prefix)
        kp = {k[n:]: v for k, v in self.key_pos.items() if k[:n] == prefix}
        vp = {k[n:]: v for k, v in self.value_pos.items() if k[:n] == prefix}
        data: Any = self.data
        for p in prefix:
            data = data[p]
        line = vp.get((), (self.line, 1))[0]
        return Document(data, self.filename, line, kp, vp)


# ---------------------------------------------------------------------------------------------
def decode_bytes(data: bytes, filename: str) -> str:
    """Bytes to text, refusing what the API server's YAML reader refuses (located)."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblem(1, 1, f"file is too large: {len(data)} bytes; the limit is "
                                f"{MAX_FILE_BYTES} bytes (5 MiB)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        start = data.rfind(b"\n", 0, err.start) + 1
        col = len(data[start:err.start].decode("utf-8", "replace")) + 1
        raise YamlProblem(line, col, f"invalid UTF-8: byte 0x{data[err.start]:02x} "
                                     "(yaml: invalid leading UTF-8 octet)") from None


def _check_text(text: str) -> None:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES if len(text) > MAX_FILE_BYTES // 4 else False:
        raise YamlProblem(1, 1, f"file is too large: more than {MAX_FILE_BYTES} bytes (5 MiB is the limit)")
    for i, ch in enumerate(text):
        o = ord(ch)
        if (o < 0x20 and ch not in "\t\n\r") or o == 0x7F or (0x80 <= o < 0xA0 and o != 0x85) \
                or 0xD800 <= o < 0xE000 or o in (0xFFFE, 0xFFFF):
            line = text.count("\n", 0, i) + 1
            col = i - (text.rfind("\n", 0, i) + 1) + 1
            what = "NUL byte" if o == 0 else f"character U+{o:04X}"
            raise YamlProblem(line, col, f"yaml: control characters are not allowed ({what})")


_HAS_BAD = None


def _fast_has_bad(text: str) -> bool:
    global _HAS_BAD
    if _HAS_BAD is None:
        import re
        _HAS_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]").search
    return _HAS_BAD(text) is not None


# ---------------------------------------------------------------------------------------------
# go-yaml v2 (sigs.k8s.io/yaml/goyaml.v2, what kubectl uses) resolve.go: plain scalars.
_GO_MAP: dict[str, Any] = {}
for _words, _v in ((("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
                   (("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
                   (("", "~", "null", "Null", "NULL"), None),
                   ((".nan", ".NaN", ".NAN"), float("nan")),
                   ((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), float("inf")),
                   (("-.inf", "-.Inf", "-.INF"), float("-inf"))):
    for _w in _words:
        _GO_MAP[_w] = _v
_GO_FLOAT = None


def _go_parse_int(s: str) -> int | None:
    """strconv.ParseInt(s, 0, 64) / ParseUint: sign, 0x / 0o / 0b / leading-0 octal prefixes."""
    if s.isascii() and s.isdigit() and (s[0] != "0" or len(s) == 1) and len(s) < 19:
        return int(s)  # the common case: a plain decimal
    body, sign = s, 1
    if body[:1] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if not body:
        return None
    base = 10
    low = body.lower()
    if low.startswith("0x"):
        base, body = 16, body[2:]
    elif low.startswith("0o"):
        base, body = 8, body[2:]
    elif low.startswith("0b"):
        base, body = 2, body[2:]
    elif len(body) > 1 and body[0] == "0":
        base, body = 8, body[1:]
    if not body or not all(c in "0123456789abcdefABCDEF"[: base if base <= 10 else 22] for c in body):
        return None
    v = sign * int(body, base)
    if -(2 ** 63) <= v < 2 ** 64:
        return v
    return None


def _json_number(v: float) -> Any:
    """A YAML float as the JSON kubectl sends: Go's json.Marshal writes 1.0 as 1 (so it decodes into an
    int field), and uses an exponent from 1e21 on."""
    if v == v and v not in (float("inf"), float("-inf")) and v.is_integer() and abs(v) < 1e21:
        return int(v)
    return v


def _scalar_value(ev: yaml.ScalarEvent) -> Any:
    tag = ev.tag
    if tag == "!" or (tag is None and ev.style not in (None, "")):
        return ev.value  # quoted and block scalars are strings
    if tag is None:
        return _resolve_plain(ev.value)
    node = yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, ev.style)
    try:
        if tag == "tag:yaml.org,2002:int":
            return _CONSTRUCTOR.construct_yaml_int(node)
        if tag == "tag:yaml.org,2002:float":
            return _json_number(_CONSTRUCTOR.construct_yaml_float(node))
        if tag == "tag:yaml.org,2002:bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
    except (ValueError, KeyError, TypeError):
        m = _mark(ev.start_mark)
        raise YamlProblem(m[0], m[1], f"yaml: cannot decode {go_quote(ev.value)} as a {_short_tag(tag)}") from None
    if tag == "tag:yaml.org,2002:null":
        return None
    # str, timestamp (go-yaml keeps a timestamp as a string when decoding to JSON), binary, merge
    return ev.value


def _resolve_plain(s: str) -> Any:
    global _GO_FLOAT
    if s in _GO_MAP:
        return _GO_MAP[s]
    c = s[:1]
    if c == "." or c in "+-0123456789":
        plain = s.replace("_", "")
        iv = _go_parse_int(plain)
        if iv is not None:
            return iv
        if _GO_FLOAT is None:
            import re
            _GO_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
        if _GO_FLOAT.match(plain):
            return _json_number(float(plain))
    return s


def _node_count(value: Any) -> int:
    n, stack = 0, [value]
    while stack:
        v = stack.pop()
        n += 1
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return n


class _Frame:
    __slots__ = ("kind", "value", "path", "key", "key_mark", "anchor", "merges", "explicit_keys")

    def __init__(self, kind: str, value: Any, path: tuple, anchor: str | None) -> None:
        self.kind = kind
        self.value = value
        self.path = path
        self.key = _NOKEY
        self.key_mark: tuple[int, int] | None = None
        self.anchor = anchor
        self.merges: list[Any] = []
        self.explicit_keys: set = set()


_NOKEY = object()


def _mark(m: Any) -> tuple[int, int]:
    return (m.line + 1, m.column + 1)


def _chunk_line0(text: str, line0: int) -> int:
    """0-based line of `line0` inside its YAML document chunk: kubectl splits the stream at
    `---` lines (yaml.NewYAMLReader) and go-yaml counts lines from the chunk's start."""
    lines = text.split("\n", line0 + 1)[: line0 + 1]
    for i in range(min(line0, len(lines)) - 1, -1, -1):
        if lines[i].startswith("---") and lines[i][3:4] in ("", " ", "\t", "\r"):
            return line0 - (i + 1)
    return line0


def _yaml_error(err: yaml.YAMLError, text: str) -> YamlProblem:
    mark = getattr(err, "problem_mark", None)
    ctx_mark = getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err)
    # We locate at the context (the key that is missing its ':') when there is one, because
    # that is where the mistake was typed; the message keeps go-yaml's own line number.
    if problem == "could not find expected ':'" and ctx_mark is not None:
        where = ctx_mark
    else:
        where = mark or ctx_mark
    line, col = _mark(where) if where is not None else (1, 1)
    # go-yaml v2 (sigs.k8s.io/yaml, used by kubectl) parser.fail(): scanner errors print
    # problem_mark.line+1, parser errors print problem_mark.line (0-based: one line early),
    # falling back to the context mark; no "line N: " when both are 0.
    goline = 0
    if mark is not None and _chunk_line0(text, mark.line) != 0:
        goline = _chunk_line0(text, mark.line)
        if isinstance(err, yaml.scanner.ScannerError):
            goline += 1
    elif ctx_mark is not None:
        goline = _chunk_line0(text, ctx_mark.line)
    where_txt = f"line {goline}: " if goline else ""
    if problem == "found character that cannot start any token" and mark is not None:
        lines = text.split("\n", mark.line + 1)
        if mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t":
            problem += " (a tab character: YAML indents with spaces only)"
    hint = ""
    if where is not None:
        lines = text.split("\n", where.line + 1)
        if where.line < len(lines):
            hint = lookalike_hint(lines[where.line])
    return YamlProblem(line, col, f"error converting YAML to JSON: yaml: {where_txt}{problem}{hint}")


def parse_documents(text: str | bytes, filename: str) -> list[Document]:
    """Parse every document; raise YamlProblem on the first problem (YAML stops there too)."""
    if isinstance(text, (bytes, bytearray)):
        text = decode_bytes(bytes(text), filename)
    elif len(text) > MAX_FILE_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise YamlProblem(1, 1, f"file is too large: more than {MAX_FILE_BYTES} bytes; "
                                "the limit is 5 MiB")
    if text.startswith("\ufeff"):
        text = text[1:]
    if _fast_has_bad(text):
        _check_text(text)
    docs: list[Document] = []
    anchors: dict[str, Any] = {}
    alias_nodes = 0
    stack: list[_Frame] = []
    key_pos: dict[tuple, tuple[int, int]] = {}
    value_pos: dict[tuple, tuple[int, int]] = {}
    root: list[Any] = []
    doc_line = 1

    def attach(value: Any, mark: tuple[int, int], tagged_merge: bool = False) -> tuple | None:
        """Put a finished value into its parent; returns its path (None for a mapping key)."""
        if not stack:
            root.append(value)
            value_pos[()] = mark
            return ()
        top = stack[-1]
        if top.kind == "seq":
            path = top.path + (len(top.value),)
            top.value.append(value)
            value_pos[path] = mark
            return path
        if top.key is _NOKEY:  # this value is a key
            if isinstance(value, (dict, list)):
                raise YamlProblem(mark[0], mark[1], "yaml: invalid map key: a mapping or sequence "
                                                     "cannot be a key")
            top.key = value
            top.key_mark = mark
            return None
        key = top.key
        top.key = _NOKEY
        if isinstance(key, _MergeKey):
            vals = value if isinstance(value, list) else [value]
            for v in vals:
                if not isinstance(v, dict):
                    raise YamlProblem(mark[0], mark[1], "yaml: map merge requires map or sequence of maps "
                                                         "as the value")
                top.merges.append(v)
            return None
        skey = _key_str(key)
        if skey in top.value and skey in top.explicit_keys:
            first = key_pos.get(top.path + (skey,), (0, 0))[0]
            km = top.key_mark or mark
            raise YamlProblem(km[0], km[1], f"mapping key {go_quote(skey)} already defined at line {first}")
        top.explicit_keys.add(skey)
        top.value[skey] = value
        path = top.path + (skey,)
        key_pos[path] = top.key_mark or mark
        value_pos[path] = mark
        return path

    try:
        nodes = 0
        for ev in yaml.parse(text, Loader=_Loader):
            t = type(ev)
            nodes += 1
            if nodes > MAX_NODES:
                m = _mark(ev.start_mark)
                raise YamlProblem(m[0], m[1], f"yaml: too many values in one file (more than {MAX_NODES}; "
                                               "kubetrainer's limit)")
            if t is yaml.ScalarEvent:
                if ev.tag not in _STD_TAGS:
                    m = _mark(ev.start_mark)
                    raise YamlProblem(m[0], m[1], f"yaml: tag {go_quote(_short_tag(ev.tag))} is not allowed: only plain "
                                                   "YAML values (strings, numbers, booleans, null, "
                                                   "maps, lists) are accepted")
                value = _scalar_value(ev)
                m = _mark(ev.start_mark)
                if stack and stack[-1].kind == "map" and stack[-1].key is _NOKEY and \
                        ev.value == "<<" and not ev.style and ev.tag in (None, "tag:yaml.org,2002:merge"):
                    value = _MergeKey()
                if len(ev.value) > MAX_VALUE_BYTES // 4 and len(ev.value.encode("utf-8", "surrogatepass")) > MAX_VALUE_BYTES:
                    raise YamlProblem(m[0], m[1], f"value is too large: {len(ev.value.encode('utf-8', 'surrogatepass'))} "
                                                   f"bytes; the API server accepts at most {MAX_VALUE_BYTES} bytes "
                                                   "(3 MiB) in one request")
                attach(value, m)
                if ev.anchor:
                    anchors[ev.anchor] = value
            elif t is yaml.MappingStartEvent or t is yaml.SequenceStartEvent:
                if ev.tag not in _STD_TAGS:
                    m = _mark(ev.start_mark)
                    raise YamlProblem(m[0], m[1], f"yaml: tag {go_quote(_short_tag(ev.tag))} is not allowed: only plain "
                                                   "YAML values (strings, numbers, booleans, null, "
                                                   "maps, lists) are accepted")
                if len(stack) >= MAX_DEPTH:
                    m = _mark(ev.start_mark)
                    raise YamlProblem(m[0], m[1], f"yaml: exceeded max depth of {MAX_DEPTH}")
                m = _mark(ev.start_mark)
                container: Any = {} if t is yaml.MappingStartEvent else []
                if stack and stack[-1].kind == "map" and stack[-1].key is _NOKEY:
                    raise YamlProblem(m[0], m[1], "yaml: invalid map key: a mapping or sequence "
                                                   "cannot be a key")
                path = attach(container, m)
                stack.append(_Frame("map" if t is yaml.MappingStartEvent else "seq", container,
                                    path if path is not None else (), ev.anchor))
            elif t is yaml.MappingEndEvent or t is yaml.SequenceEndEvent:
                fr = stack.pop()
                if fr.merges:  # "<<: *base": explicit keys win, earlier merges win over later
                    for src in fr.merges:
                        for k, v in src.items():
                            if k not in fr.value:
                                fr.value[k] = copy.deepcopy(v)
                                value_pos.setdefault(fr.path + (k,), value_pos.get(fr.path, (1, 1)))
                                key_pos.setdefault(fr.path + (k,), value_pos.get(fr.path, (1, 1)))
                if fr.anchor:
                    anchors[fr.anchor] = fr.value
            elif t is yaml.AliasEvent:
                m = _mark(ev.start_mark)
                if ev.anchor not in anchors:
                    # go-yaml v2 decode.go texts
                    if any(fr.anchor == ev.anchor for fr in stack):
                        raise YamlProblem(m[0], m[1], f"yaml: anchor '{ev.anchor}' value contains itself")
                    raise YamlProblem(m[0], m[1], f"yaml: unknown anchor '{ev.anchor}' referenced")
                src = anchors[ev.anchor]
                if isinstance(src, (dict, list)):
                    alias_nodes += _node_count(src)
                    if alias_nodes > MAX_ALIAS_NODES:
                        raise YamlProblem(m[0], m[1], "yaml: document contains excessive aliasing "
                                                       f"(more than {MAX_ALIAS_NODES} values through aliases)")
                    value = copy.deepcopy(src)
                else:
                    value = src
                if stack and stack[-1].kind == "map" and stack[-1].key is _NOKEY and \
                        isinstance(value, (dict, list)):
                    raise YamlProblem(m[0], m[1], "yaml: invalid map key: a mapping or sequence "
                                                   "cannot be a key")
                attach(value, m)
            elif t is yaml.DocumentStartEvent:
                key_pos, value_pos, root = {}, {}, []
                anchors = {}
                alias_nodes = 0
                doc_line = ev.start_mark.line + 1
            elif t is yaml.DocumentEndEvent:
                if root and root[0] is not None:
                    first = value_pos.get((), (doc_line, 1))
                    docs.append(Document(root[0], filename, first[0], key_pos, value_pos))
    except yaml.YAMLError as err:
        raise _yaml_error(err, text) from None
    except RecursionError:  # pragma: no cover - the builder is iterative; belt and braces
        raise YamlProblem(1, 1, f"yaml: exceeded max depth of {MAX_DEPTH}") from None
    return docs


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


class _MergeKey:
    __slots__ = ()


def _key_str(key: Any) -> str:
    """JSON object keys are strings; go-yaml -> JSON prints scalars the way YAML wrote them."""
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if key is True:
        return "true"
    if key is False:
        return "false"
    return str(key)


def load_yaml_documents(text: str | bytes, filename: str) -> list[Document]:
    """Parse YAML text (or bytes) into positioned documents. Empty documents are skipped.

    Raises `UserError("FILE:LINE:COL: message")` for anything the loader refuses."""
    try:
        return parse_documents(text, filename)
    except YamlProblem as p:
        raise UserError(f"{filename}:{p.line}:{p.col}: {p.message}") from None


def read_source(path: str, stdin_text: str | None = None) -> str | bytes:
    """The bytes of a file (or stdin for '-'), refusing files over the size limit unread."""
    import os
    import sys
    if path == "-":
        if stdin_text is not None:
            return stdin_text
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        return data
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise YamlProblem(1, 1, f"file is too large: {size} bytes; the limit is "
                                    f"{MAX_FILE_BYTES} bytes (5 MiB)")
        with open(path, "rb") as f:
            return f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise UserError(f'error: the path "{path}" does not exist') from None
    except IsADirectoryError:
        raise UserError(f'error: "{path}" is a directory; give the YAML files in it') from None
    except PermissionError:
        raise UserError(f'error: "{path}": permission denied') from None
    except OSError as err:
        raise UserError(f'error: "{path}": {err.strerror}') from None
