"""Parser for the POSIX shell subset the simulated busybox/dash/bash understand.

Produces a small AST (tuples/classes below). Words are kept raw (with their quotes); they are
expanded at run time by `shell.Shell`. Syntax errors raise `ShSyntaxError` with busybox ash's
wording ("syntax error: unexpected ...", "syntax error: unterminated quoted string").
"""

from __future__ import annotations

import attrs


def _ascii_digits(s: str) -> bool:
    """str.isdigit() for ASCII only: Unicode digits such as '²' are not numbers to the shell."""
    return s.isascii() and s.isdigit()

RESERVED = {"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "in",
            "case", "esac", "{", "}", "!"}


class ShSyntaxError(Exception):
    pass


@attrs.define
class Tok:
    kind: str  # WORD, OP, NL, REDIR, EOF
    text: str
    fd: int | None = None  # REDIR: the io number


@attrs.define
class Redir:
    op: str        # '>', '>>', '<', '>&', '<&', '&>'
    fd: int        # the fd being redirected
    target: str    # raw word


@attrs.define
class Simple:
    assigns: list[tuple[str, str]]
    words: list[str]
    redirs: list[Redir]
    line: int = 1


@attrs.define
class Pipeline:
    cmds: list
    negate: bool = False


@attrs.define
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]]


@attrs.define
class Seq:
    items: list[tuple[AndOr, bool]]  # (and-or list, background)


@attrs.define
class If:
    branches: list[tuple[Seq, Seq]]
    else_: Seq | None
    redirs: list[Redir] = attrs.Factory(list)


@attrs.define
class Loop:
    cond: Seq
    body: Seq
    until: bool = False
    redirs: list[Redir] = attrs.Factory(list)


@attrs.define
class For:
    var: str
    words: list[str] | None
    body: Seq
    redirs: list[Redir] = attrs.Factory(list)


@attrs.define
class Case:
    word: str
    items: list[tuple[list[str], Seq]]
    redirs: list[Redir] = attrs.Factory(list)


@attrs.define
class Group:
    body: Seq
    subshell: bool
    redirs: list[Redir] = attrs.Factory(list)


@attrs.define
class FuncDef:
    name: str
    body: object


# ---------------------------------------------------------------------------------------------
# lexer

_OPS = ["&&", "||", ";;", "&", "|", ";", "(", ")"]


def _scan_balanced(s: str, i: int, open_: str, close: str) -> int:
    """s[i] is just after the opening char(s); return index just after the matching close."""
    depth = 1
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "'" and open_ == "(":
            j = s.find("'", i + 1)
            if j < 0:
                raise ShSyntaxError("syntax error: unterminated quoted string")
            i = j + 1
            continue
        if c == '"':
            i = _scan_dquote(s, i + 1)
            continue
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    if open_ == "(":
        raise ShSyntaxError('syntax error: unexpected end of file (expecting ")")')
    raise ShSyntaxError("syntax error: missing '}'")


def _scan_dquote(s: str, i: int) -> int:
    """i is just after an opening double quote; return index after the closing one."""
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i + 1
        if c == "$" and i + 1 < n and s[i + 1] == "(":
            i = _scan_balanced(s, i + 2, "(", ")")
            continue
        if c == "$" and i + 1 < n and s[i + 1] == "{":
            i = _scan_balanced(s, i + 2, "{", "}")
            continue
        if c == "`":
            j = s.find("`", i + 1)
            if j < 0:
                raise ShSyntaxError("syntax error: unterminated quoted string")
            i = j + 1
            continue
        i += 1
    raise ShSyntaxError("syntax error: unterminated quoted string")


def _heredoc_start(s: str, i: int, fd: int | None, toks: list[Tok], pending: list) -> int:
    """s[i:] starts with '<<': read the delimiter; the body is filled in at the next newline."""
    strip = s.startswith("<<-", i)
    i += 3 if strip else 2
    n = len(s)
    while i < n and s[i] in " \t":
        i += 1
    start = i
    while i < n and s[i] not in " \t\n;&|()<>":
        i += 1
    raw = s[start:i]
    if not raw:
        raise ShSyntaxError("syntax error: unexpected newline")
    quoted = any(q in raw for q in "'\"\\")
    delim = raw.replace("'", "").replace('"', "").replace("\\", "")
    toks.append(Tok("REDIR", "<<'" if quoted else "<<", fd if fd is not None else 0))
    word = Tok("WORD", "")
    toks.append(word)
    pending.append((word, delim, strip))
    return i


def _heredoc_bodies(s: str, i: int, pending: list) -> int:
    """i is just after a newline: read each pending here-document body."""
    n = len(s)
    for word, delim, strip in pending:
        lines = []
        while True:
            if i >= n:
                break
            j = s.find("\n", i)
            line = s[i:] if j < 0 else s[i:j]
            i = n if j < 0 else j + 1
            check = line.lstrip("\t") if strip else line
            if check == delim:
                break
            lines.append(check)
        word.text = "".join(line + "\n" for line in lines)
    pending.clear()
    return i


def tokenize(s: str) -> list[Tok]:
    toks: list[Tok] = []
    pending: list = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c in " \t":
            i += 1
            continue
        if c == "\\" and i + 1 < n and s[i + 1] == "\n":
            i += 2
            continue
        if c == "\n":
            toks.append(Tok("NL", "\n"))
            i += 1
            if pending:
                i = _heredoc_bodies(s, i, pending)
            continue
        if s.startswith("<<", i):
            i = _heredoc_start(s, i, None, toks, pending)
            continue
        if c == "#":
            while i < n and s[i] != "\n":
                i += 1
            continue
        # redirections (with optional io number handled in word scanning)
        if c in "<>" or (c == "&" and i + 1 < n and s[i + 1] == ">"):
            i = _redir(s, i, None, toks)
            continue
        matched = False
        for op in _OPS:
            if s.startswith(op, i):
                toks.append(Tok("OP", op))
                i += len(op)
                matched = True
                break
        if matched:
            continue
        # a word
        start = i
        while i < n:
            c = s[i]
            if c in " \t\n;&|()<>":
                break
            if c == "\\":
                i += 2
                continue
            if c == "'":
                j = s.find("'", i + 1)
                if j < 0:
                    raise ShSyntaxError("syntax error: unterminated quoted string")
                i = j + 1
                continue
            if c == '"':
                i = _scan_dquote(s, i + 1)
                continue
            if c == "$" and i + 1 < n and s[i + 1] == "(":
                i = _scan_balanced(s, i + 2, "(", ")")
                continue
            if c == "$" and i + 1 < n and s[i + 1] == "{":
                i = _scan_balanced(s, i + 2, "{", "}")
                continue
            if c == "`":
                j = s.find("`", i + 1)
                if j < 0:
                    raise ShSyntaxError("syntax error: unterminated quoted string")
                i = j + 1
                continue
            i += 1
        word = s[start:min(i, n)]
        if _ascii_digits(word) and i < n and s[i] in "<>":
            if s.startswith("<<", i):
                i = _heredoc_start(s, i, int(word), toks, pending)
            else:
                i = _redir(s, i, int(word), toks)
            continue
        toks.append(Tok("WORD", word))
    if pending:
        _heredoc_bodies(s, n, pending)
    toks.append(Tok("EOF", ""))
    return toks


def _redir(s: str, i: int, fd: int | None, toks: list[Tok]) -> int:
    for op in ("&>>", "&>", ">>", ">&", "<&", ">|", "<<", ">", "<"):
        if s.startswith(op, i):
            toks.append(Tok("REDIR", ">" if op == ">|" else op, fd))
            return i + len(op)
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------------------------
# parser

class Parser:
    def __init__(self, text: str) -> None:
        self.toks = tokenize(text)
        self.i = 0

    def peek(self) -> Tok:
        return self.toks[min(self.i, len(self.toks) - 1)]

    def next(self) -> Tok:
        t = self.peek()
        if t.kind != "EOF":
            self.i += 1
        return t

    def is_word(self, text: str) -> bool:
        t = self.peek()
        return t.kind == "WORD" and t.text == text

    def unexpected(self, expecting: str | None = None):
        t = self.peek()
        if t.kind == "EOF":
            if expecting:
                return ShSyntaxError(f'syntax error: unexpected end of file (expecting "{expecting}")')
            return ShSyntaxError("syntax error: unexpected end of file")
        text = "newline" if t.kind == "NL" else t.text
        return ShSyntaxError(f'syntax error: unexpected "{text}"' if t.kind != "NL" else "syntax error: unexpected newline")

    def skip_nl(self) -> None:
        while self.peek().kind == "NL":
            self.i += 1

    def parse(self) -> Seq:
        seq = self.seq(terminators=set())
        if self.peek().kind != "EOF":
            raise self.unexpected()
        return seq

    def seq(self, terminators: set[str]) -> Seq:
        items: list[tuple[AndOr, bool]] = []
        while True:
            self.skip_nl()
            t = self.peek()
            if t.kind == "EOF":
                break
            if t.kind == "WORD" and t.text in terminators:
                break
            if t.kind == "OP" and t.text in (")", ";;") and t.text in terminators:
                break
            if t.kind == "OP" and t.text in (";", "&", "&&", "||", "|", ")", ";;"):
                raise self.unexpected()
            ao = self.and_or()
            bg = False
            t = self.peek()
            if t.kind == "OP" and t.text in (";", "&"):
                bg = t.text == "&"
                self.i += 1
            elif t.kind not in ("NL", "EOF") and not (t.kind == "WORD" and t.text in terminators) \
                    and not (t.kind == "OP" and t.text in terminators):
                raise self.unexpected()
            items.append((ao, bg))
        return Seq(items)

    def and_or(self) -> AndOr:
        first = self.pipeline()
        rest = []
        while self.peek().kind == "OP" and self.peek().text in ("&&", "||"):
            op = self.next().text
            self.skip_nl()
            rest.append((op, self.pipeline()))
        return AndOr(first, rest)

    def pipeline(self) -> Pipeline:
        negate = False
        if self.is_word("!"):
            self.i += 1
            negate = True
        cmds = [self.command()]
        while self.peek().kind == "OP" and self.peek().text == "|":
            self.i += 1
            self.skip_nl()
            cmds.append(self.command())
        return Pipeline(cmds, negate)

    def command(self):
        t = self.peek()
        if t.kind == "WORD":
            if t.text == "if":
                return self._redirs_after(self.if_())
            if t.text in ("while", "until"):
                return self._redirs_after(self.loop())
            if t.text == "for":
                return self._redirs_after(self.for_())
            if t.text == "case":
                return self._redirs_after(self.case())
            if t.text == "{":
                self.i += 1
                body = self.seq({"}"})
                if not self.is_word("}"):
                    raise self.unexpected("}")
                self.i += 1
                return self._redirs_after(Group(body, False))
            if t.text in ("then", "else", "elif", "fi", "do", "done", "esac", "}", "in"):
                raise self.unexpected()
            # function definition: name ( )
            if (self.toks[self.i + 1].kind == "OP" and self.toks[self.i + 1].text == "("
                    and self.toks[self.i + 2].kind == "OP" and self.toks[self.i + 2].text == ")"):
                name = t.text
                self.i += 3
                self.skip_nl()
                return FuncDef(name, self.command())
        if t.kind == "OP" and t.text == "(":
            self.i += 1
            body = self.seq({")"})
            if not (self.peek().kind == "OP" and self.peek().text == ")"):
                raise self.unexpected(")")
            self.i += 1
            return self._redirs_after(Group(body, True))
        return self.simple()

    def _redirs_after(self, node):
        while self.peek().kind == "REDIR":
            node.redirs.append(self.redir())
        return node

    def redir(self) -> Redir:
        t = self.next()
        target = self.peek()
        if target.kind != "WORD":
            raise self.unexpected()
        self.i += 1
        op = t.text
        fd = t.fd if t.fd is not None else (0 if op in ("<", "<&") else 1)
        return Redir(op, fd, target.text)

    def simple(self) -> Simple:
        assigns: list[tuple[str, str]] = []
        words: list[str] = []
        redirs: list[Redir] = []
        while True:
            t = self.peek()
            if t.kind == "REDIR":
                redirs.append(self.redir())
                continue
            if t.kind != "WORD":
                break
            if not words and _is_assignment(t.text):
                name, _, value = t.text.partition("=")
                assigns.append((name, value))
                self.i += 1
                continue
            words.append(t.text)
            self.i += 1
        if not words and not assigns and not redirs:
            raise self.unexpected()
        return Simple(assigns, words, redirs)

    def expect_word(self, text: str) -> None:
        self.skip_nl()
        if not self.is_word(text):
            raise self.unexpected(text)
        self.i += 1

    def if_(self) -> If:
        self.i += 1
        branches = []
        cond = self.seq({"then"})
        self.expect_word("then")
        body = self.seq({"elif", "else", "fi"})
        branches.append((cond, body))
        else_ = None
        while True:
            if self.is_word("elif"):
                self.i += 1
                c = self.seq({"then"})
                self.expect_word("then")
                b = self.seq({"elif", "else", "fi"})
                branches.append((c, b))
                continue
            if self.is_word("else"):
                self.i += 1
                else_ = self.seq({"fi"})
            self.expect_word("fi")
            return If(branches, else_)

    def loop(self) -> Loop:
        until = self.next().text == "until"
        cond = self.seq({"do"})
        self.expect_word("do")
        body = self.seq({"done"})
        self.expect_word("done")
        return Loop(cond, body, until)

    def for_(self) -> For:
        self.i += 1
        t = self.next()
        if t.kind != "WORD":
            raise ShSyntaxError(f'syntax error: bad for loop variable')
        var = t.text
        words = None
        self.skip_nl()
        if self.is_word("in"):
            self.i += 1
            words = []
            while self.peek().kind == "WORD":
                words.append(self.next().text)
            if self.peek().kind == "OP" and self.peek().text == ";":
                self.i += 1
        elif self.peek().kind == "OP" and self.peek().text == ";":
            self.i += 1
        self.expect_word("do")
        body = self.seq({"done"})
        self.expect_word("done")
        return For(var, words, body)

    def case(self) -> Case:
        self.i += 1
        t = self.next()
        if t.kind != "WORD":
            raise self.unexpected()
        word = t.text
        self.expect_word("in")
        items = []
        while True:
            self.skip_nl()
            if self.is_word("esac"):
                self.i += 1
                break
            if self.peek().kind == "OP" and self.peek().text == "(":
                self.i += 1
            pats = []
            while True:
                t = self.next()
                if t.kind != "WORD":
                    raise ShSyntaxError(f'syntax error: unexpected "{t.text or "end of file"}"')
                pats.append(t.text)
                if self.peek().kind == "OP" and self.peek().text == "|":
                    self.i += 1
                    continue
                break
            if not (self.peek().kind == "OP" and self.peek().text == ")"):
                raise self.unexpected(")")
            self.i += 1
            body = self.seq({";;", "esac"})
            if self.peek().kind == "OP" and self.peek().text == ";;":
                self.i += 1
            items.append((pats, body))
        return Case(word, items)


def _is_assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return bool(eq) and bool(name) and (name[0].isalpha() or name[0] == "_") and all(
        ch.isalnum() or ch == "_" for ch in name)


def parse(text: str) -> Seq:
    return Parser(text).parse()
