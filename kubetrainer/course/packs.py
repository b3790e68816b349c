"""Lesson packs: finding them, loading them (schema + semantic pass), and the catalog.

Packs come from the built-in `lessons/` directory, from directories given with `--pack`, and
from installed distributions that register an entry point in the group
``kubetrainer.lesson_packs`` (a path, a string, a Traversable, or a callable returning one).
A pack is read through the `Traversable` API only, so packs inside wheels and zips work.
Nothing in a pack is executed.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import Any, Iterable

import attrs

from kubetrainer.api.intake import Problem
from kubetrainer.api.schema import field_path
from kubetrainer.api.yamlpos import Document, YamlProblem, parse_documents
from kubetrainer.course.schema import (ID_RE, LANG_RE, SCHEMA_VERSION, Action, ChapterSpec, Choice,
                                       LessonSpec, Localized, Objective, PackSpec, PodCheck, PodsCheck,
                                       structure)

ENTRY_POINT_GROUP = "kubetrainer.lesson_packs"
_PATH_RE = re.compile(r"^[^\n]*\.ya?ml$")


def is_path_ref(value: str) -> bool:
    """`starter`/`solution`/`apply`: one line ending in .yaml/.yml is a file name, else YAML text."""
    v = value.strip()
    return bool(_PATH_RE.match(v)) and "\n" not in v and ": " not in v and not v.startswith(("-", "{", "["))


# ---------------------------------------------------------------------------------------------
@attrs.define(eq=False)
class Chapter:
    id: str
    title: dict
    index: int


@attrs.define(eq=False)
class Pack:
    spec: PackSpec
    root: Any                      # Traversable (pathlib.Path for directories)
    display: str                   # how files of this pack are named in messages
    source: str                    # "builtin" | "dir" | "entry-point:<name>"
    doc: Document
    lessons: list["Lesson"] = attrs.Factory(list)
    problems: list[Problem] = attrs.Factory(list)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def title(self) -> dict:
        return dict(self.spec.title)

    @property
    def languages(self) -> tuple[str, ...]:
        return self.spec.languages

    @property
    def chapters(self) -> list[Chapter]:
        return [Chapter(c.id, dict(c.title), i) for i, c in enumerate(self.spec.chapters)]

    def chapter(self, cid: str) -> Chapter | None:
        for c in self.chapters:
            if c.id == cid:
                return c
        return None

    def file_name(self, rel: str) -> str:
        return posixpath.join(self.display, rel) if self.display else rel

    def read_text(self, rel: str) -> str:
        node = self.root
        for part in rel.split("/"):
            node = node.joinpath(part)
        return node.read_bytes().decode("utf-8")

    def exists(self, rel: str) -> bool:
        node = self.root
        try:
            for part in rel.split("/"):
                node = node.joinpath(part)
            return node.is_file()
        except (OSError, ValueError):
            return False


@attrs.define(eq=False)
class Lesson:
    spec: LessonSpec
    pack: Pack
    rel: str                       # path of the lesson file inside the pack (posix)
    doc: Document
    starter_text: str = ""
    starter_file: str = ""         # file name used in FILE:LINE:COL messages about the starter
    solution_text: str = ""
    solution_file: str = ""
    apply_texts: dict = attrs.Factory(dict)   # index in run.at -> (text, filename)

    # -- the schema, flattened ---------------------------------------------------------------
    id = property(lambda self: self.spec.id)
    title = property(lambda self: dict(self.spec.title))
    text = property(lambda self: dict(self.spec.text))
    chapter = property(lambda self: self.spec.chapter)
    difficulty = property(lambda self: self.spec.difficulty)
    order = property(lambda self: self.spec.order)
    prerequisites = property(lambda self: self.spec.prerequisites)
    tags = property(lambda self: self.spec.tags)
    objectives = property(lambda self: self.spec.objectives)
    hints = property(lambda self: self.spec.hints)
    predict = property(lambda self: self.spec.predict)

    @property
    def key(self) -> str:
        return f"{self.pack.id}/{self.spec.id}"

    @property
    def file(self) -> str:
        return self.pack.file_name(self.rel)

    @property
    def languages(self) -> list[str]:
        return [lang for lang in self.pack.languages if lang in self.spec.text]

    @property
    def until(self) -> float:
        if self.spec.run.until is not None:
            return float(self.spec.run.until)
        return max([1.0] + [float(o.deadline) for o in self.spec.objectives])

    @property
    def actions(self) -> list[tuple[float, str | None, str | None, str | None]]:
        """(time, command, apply_text, apply_filename) in time order (stable)."""
        out = []
        for i, a in enumerate(self.spec.run.at):
            text, fname = self.apply_texts.get(i, (None, None))
            out.append((float(a.time), a.command, text, fname))
        return sorted(out, key=lambda x: x[0])

    def tr(self, texts: dict, lang: str | None = None) -> str:
        """The text in `lang`, falling back to the pack's first language, then any."""
        if not texts:
            return ""
        if "*" in texts:
            return texts["*"]
        for cand in (lang, *(self.pack.languages or ()), "en"):
            if cand and cand in texts:
                return texts[cand]
        return next(iter(texts.values()))

    def position(self, path: Iterable = (), value: bool = False) -> tuple[int, int]:
        return self.doc.position(tuple(path), value=value)

    def world(self) -> Any:
        """A fresh World for this lesson (kubetrainer.sim.world)."""
        from kubetrainer.sim import world as worldmod

        w = self.spec.world
        if w is None:
            return worldmod.load_world(None)
        if isinstance(w, str):
            rel = resolve_rel(self.rel, w)
            text = self.pack.read_text(rel)
            world = worldmod.parse_world(text, self.pack.file_name(rel))
        elif "spec" in w or "kind" in w or "apiVersion" in w:
            world = worldmod.world_from_data(w, self.file, self.doc, ("world",))
        else:  # just the spec: positions map ("spec", ...) -> ("world", ...)
            data = {"apiVersion": "kubetrainer/v1", "kind": "World", "metadata": {"name": self.spec.id}, "spec": w}
            world = worldmod.world_from_data(data, self.file, _SpecDoc(self.doc), ())
        # A lesson's world inherits the default registry; a repository it lists replaces the
        # default entries for that repository (docs/lesson-format.md).
        default = worldmod.load_world(None)
        own = list(world.registry.entries)
        repos = {e.repository for e in own}
        world.registry = worldmod.Registry(own + [e for e in default.registry.entries if e.repository not in repos])
        return world

    def __repr__(self) -> str:
        return f"Lesson({self.key!r})"


class _SpecDoc:
    """A lesson document seen as a World document whose `spec` is the lesson's `world`."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.filename = doc.filename

    def position(self, path: Iterable = (), *, value: bool = False) -> tuple[int, int]:
        p = tuple(path)
        p = ("world",) + p[1:] if p[:1] == ("spec",) else ("world",)
        return self.doc.position(p, value=value)


def resolve_rel(base_rel: str, ref: str) -> str:
    """A path written in the lesson file at `base_rel`, as a posix path inside the pack.
    Raises ValueError when it leaves the pack."""
    ref = ref.strip()
    if ref.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", ref) or "\\" in ref:
        raise ValueError(f"{ref!r} must be a relative path inside the pack (with / separators)")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_rel), ref))
    if joined == ".." or joined.startswith("../"):
        raise ValueError(f"{ref!r} points outside the pack")
    return joined


# ---------------------------------------------------------------------------------------------
# loading one pack
def _walk_files(root: Any, prefix: str = "") -> list[str]:
    out: list[str] = []
    try:
        children = sorted(root.iterdir(), key=lambda c: c.name)
    except (OSError, NotADirectoryError):
        return out
    for child in children:
        name = child.name
        if name.startswith(".") or name == "__pycache__":
            continue
        rel = f"{prefix}{name}"
        if child.is_dir():
            out.extend(_walk_files(child, rel + "/"))
        elif name.endswith((".yaml", ".yml")):
            out.append(rel)
    return out


def _read_docs(pack_root: Any, rel: str, fname: str, problems: list[Problem]) -> list[Document] | None:
    node = pack_root
    for part in rel.split("/"):
        node = node.joinpath(part)
    try:
        data = node.read_bytes()
    except OSError as err:
        problems.append(Problem(fname, 1, 1, f"cannot read: {err.strerror or err}"))
        return None
    try:
        return parse_documents(data, fname)
    except YamlProblem as p:
        problems.append(Problem(fname, p.line, p.col, p.message))
        return None


_KIND_RE = re.compile(rb"^kind:\s*[\"']?Lesson[\"']?\s*(#.*)?$", re.M)


def load_pack(root: Any, display: str | None = None, source: str = "dir") -> tuple[Pack | None, list[Problem]]:
    """Load the pack at `root` (a Path or Traversable). Returns (pack or None, problems).

    Lessons with problems are left out of `pack.lessons`; every problem is in the list (also in
    `pack.problems`)."""
    if isinstance(root, (str, os.PathLike)):
        root = Path(root)
    if display is None:
        display = str(root)
    problems: list[Problem] = []
    pack_file = posixpath.join(display, "pack.yaml") if display else "pack.yaml"
    try:
        is_dir = root.is_dir()
    except OSError:
        is_dir = False
    if not is_dir:
        return None, [Problem(display, 1, 1, "not a lesson pack: not a directory")]
    if not root.joinpath("pack.yaml").is_file():
        return None, [Problem(pack_file, 1, 1, "not a lesson pack: pack.yaml is missing")]
    docs = _read_docs(root, "pack.yaml", pack_file, problems)
    if docs is None:
        return None, problems
    if len(docs) != 1 or not isinstance(docs[0].data, dict):
        line = docs[1].line if len(docs) > 1 else 1
        return None, [Problem(pack_file, line, 1, "pack.yaml must hold exactly one mapping")]
    pdoc = docs[0]
    spec, probs = structure(pdoc.data, PackSpec, pdoc)
    if spec is None:
        return None, probs
    pack = Pack(spec, root, display, source, pdoc)
    problems.extend(_pack_semantics(pack))

    seen: dict[str, Lesson] = {}
    for rel in _walk_files(root):
        if rel == "pack.yaml":
            continue
        fname = pack.file_name(rel)
        node = root
        for part in rel.split("/"):
            node = node.joinpath(part)
        try:
            raw = node.read_bytes()
        except OSError as err:
            problems.append(Problem(fname, 1, 1, f"cannot read: {err}"))
            continue
        if not _KIND_RE.search(raw):
            continue  # a world, a manifest, ... referred to by lessons
        ldocs = _read_docs(root, rel, fname, problems)
        if ldocs is None:
            continue
        lesson_docs = [d for d in ldocs if isinstance(d.data, dict) and d.data.get("kind") == "Lesson"]
        if not lesson_docs:
            continue
        if len(ldocs) > 1:
            problems.append(Problem(fname, ldocs[1].line, 1, "a lesson file holds exactly one document"))
            continue
        ldoc = ldocs[0]
        lspec, lprobs = structure(ldoc.data, LessonSpec, ldoc)
        if lspec is None:
            problems.extend(lprobs)
            continue
        lesson = Lesson(lspec, pack, rel, ldoc)
        lp = _lesson_semantics(lesson)
        if lspec.id in seen:
            other = seen[lspec.id]
            lp.append(Problem(fname, *ldoc.position(("id",), value=True),
                              f"lesson id {lspec.id!r} is already used by {other.file}:{other.doc.position(('id',))[0]}"))
        if lp:
            problems.extend(lp)
            continue
        seen[lspec.id] = lesson
        pack.lessons.append(lesson)

    problems.extend(_prerequisite_problems(pack))
    chapter_index = {c.id: i for i, c in enumerate(spec.chapters)}
    pack.lessons.sort(key=lambda l: (chapter_index.get(l.chapter, 10**6), l.order, l.rel))
    pack.problems = problems
    return pack, problems


# ---------------------------------------------------------------------------------------------
# the semantic pass: every problem at once
def _lang_problems(pack: Pack, fname: str, doc: Document, path: tuple, texts: Any) -> list[Problem]:
    if texts is None:
        return []
    out = []
    langs = pack.languages
    if isinstance(texts, Choice) and "*" in texts:
        return []
    for lang in langs:
        if lang not in texts:
            line, col = doc.position(path)
            out.append(Problem(fname, line, col, f"{field_path(path)}: no text in {lang} "
                                                 f"(the pack declares languages {', '.join(langs)})"))
        elif not str(texts[lang]).strip():
            line, col = doc.position(path + (lang,), value=True)
            out.append(Problem(fname, line, col, f"{field_path(path)}.{lang}: empty text"))
    for lang in texts:
        if lang not in langs:
            line, col = doc.position(path + (lang,))
            out.append(Problem(fname, line, col, f"{field_path(path)}: language {lang!r} is not declared in "
                                                 f"pack.yaml (languages: {', '.join(langs)})"))
    return out


def _pack_semantics(pack: Pack) -> list[Problem]:
    spec, doc = pack.spec, pack.doc
    f = pack.file_name("pack.yaml")
    out: list[Problem] = []

    def at(path: tuple, msg: str, value: bool = True) -> None:
        line, col = doc.position(path, value=value)
        out.append(Problem(f, line, col, msg))

    if spec.schema_version != SCHEMA_VERSION:
        at(("schemaVersion",), f"schemaVersion {spec.schema_version} is not supported "
                               f"(this kubetrainer reads schemaVersion {SCHEMA_VERSION})")
    if not ID_RE.match(spec.id):
        at(("id",), f"id {spec.id!r}: must be lower-case letters, digits and '-' (e.g. pods-101)")
    if not spec.languages:
        at(("languages",), "languages: at least one language tag is required (e.g. [en, zh-Hans])")
    for i, lang in enumerate(spec.languages):
        if not LANG_RE.match(lang):
            at(("languages", i), f"languages[{i}]: {lang!r} is not a language tag such as en or zh-Hans")
        if lang in spec.languages[:i]:
            at(("languages", i), f"languages[{i}]: {lang!r} is listed twice")
    if not spec.chapters:
        at(("chapters",), "chapters: at least one chapter is required")
    seen: set[str] = set()
    for i, ch in enumerate(spec.chapters):
        if not ID_RE.match(ch.id):
            at(("chapters", i, "id"), f"chapters[{i}].id {ch.id!r}: must be lower-case letters, digits and '-'")
        if ch.id in seen:
            at(("chapters", i, "id"), f"chapters[{i}].id {ch.id!r} is listed twice")
        seen.add(ch.id)
        out.extend(_lang_problems(pack, f, doc, ("chapters", i, "title"), ch.title))
    out.extend(_lang_problems(pack, f, doc, ("title",), spec.title))
    out.extend(_lang_problems(pack, f, doc, ("description",), spec.description))
    return out


def _lesson_semantics(lesson: Lesson) -> list[Problem]:
    spec, doc, pack = lesson.spec, lesson.doc, lesson.pack
    f = lesson.file
    out: list[Problem] = []

    def at(path: tuple, msg: str, value: bool = True) -> None:
        line, col = doc.position(path, value=value)
        out.append(Problem(f, line, col, msg))

    def lang(path: tuple, texts: Any) -> None:
        out.extend(_lang_problems(pack, f, doc, path, texts))

    if spec.schema_version != SCHEMA_VERSION:
        at(("schemaVersion",), f"schemaVersion {spec.schema_version} is not supported "
                               f"(this kubetrainer reads schemaVersion {SCHEMA_VERSION})")
    if not ID_RE.match(spec.id):
        at(("id",), f"id {spec.id!r}: must be lower-case letters, digits and '-' (e.g. first-pod)")
    if pack.chapter(spec.chapter) is None:
        at(("chapter",), f"chapter {spec.chapter!r} is not a chapter of pack.yaml "
                         f"(chapters: {', '.join(c.id for c in pack.spec.chapters)})")
    if not 1 <= spec.difficulty <= 5:
        at(("difficulty",), f"difficulty: must be between 1 and 5, not {spec.difficulty}")
    lang(("title",), spec.title)
    lang(("text",), spec.text)
    for i, h in enumerate(spec.hints):
        lang(("hints", i), h)

    # files: starter, solution, world, run.at[].apply
    for key in ("starter", "solution"):
        value = getattr(spec, key)
        text, fname = _manifest_source(lesson, (key,), value, at)
        setattr(lesson, f"{key}_text", text if text is not None else "")
        setattr(lesson, f"{key}_file", fname)
    if isinstance(spec.world, str):
        try:
            rel = resolve_rel(lesson.rel, spec.world)
            if not pack.exists(rel):
                at(("world",), f"world: file {spec.world!r} not found in the pack")
        except ValueError as err:
            at(("world",), f"world: {err}")

    # objectives
    if not spec.objectives:
        at(("objectives",), "objectives: a lesson needs at least one objective")
    until = lesson.until
    ids: set[str] = set()
    for i, o in enumerate(spec.objectives):
        p = ("objectives", i)
        if not ID_RE.match(o.id):
            at(p + ("id",), f"objectives[{i}].id {o.id!r}: must be lower-case letters, digits and '-'")
        if o.id in ids:
            at(p + ("id",), f"objectives[{i}].id {o.id!r} is used twice")
        ids.add(o.id)
        lang(p + ("description",), o.description)
        if spec.run.until is not None and o.deadline > until:
            at(p + ("deadline",), f"objectives[{i}].deadline {o.deadline:g}s is after run.until ({until:g}s): "
                                  "the simulation would stop before the check")
        for j, chk in enumerate(o.expect):
            cp = p + ("expect",) + ((j,) if _expect_is_list(doc, i) else ())
            frm = getattr(chk, "from_", None)
            if frm is not None and frm > o.deadline:
                at(cp + ("from",), f"{field_path(cp)}.from ({frm:g}s) is after the deadline ({o.deadline:g}s)")
            if isinstance(chk, PodCheck) and not chk.exists:
                extra = [k for k in ("phase", "status", "ready", "restarts", "node", "deleted", "conditions",
                                     "ever", "never") if getattr(chk, k) is not None] + \
                    (["containers"] if chk.containers else []) + (["initContainers"] if chk.init_containers else [])
                if extra:
                    at(cp + ("exists",), f"{field_path(cp)}: exists: false cannot be combined with {', '.join(extra)}")
            if isinstance(chk, PodsCheck) and any(c in chk.pods for c in "/"):
                at(cp + ("pods",), f"{field_path(cp)}.pods: a name glob such as web-*, without a namespace "
                                   "(use namespace:)")
    # run.at
    for i, a in enumerate(spec.run.at):
        p = ("run", "at", i)
        if (a.command is None) == (a.apply is None):
            at(p, f"run.at[{i}]: give exactly one of command or apply", value=True)
        if a.time > until:
            at(p + ("time",), f"run.at[{i}].time {a.time:g}s is after run.until ({until:g}s)")
        if a.command is not None and not a.command.strip():
            at(p + ("command",), f"run.at[{i}].command: empty command")
        if a.apply is not None:
            text, fname = _manifest_source(lesson, p + ("apply",), a.apply, at)
            if text is not None:
                lesson.apply_texts[i] = (text, fname)
    # predict
    pids: set[str] = set()
    for i, q in enumerate(spec.predict):
        p = ("predict", i)
        if q.id in pids:
            at(p + ("id",), f"predict[{i}].id {q.id!r} is used twice")
        pids.add(q.id)
        lang(p + ("question",), q.question)
        lang(p + ("explanation",), q.explanation)
        if len(q.choices) < 2:
            at(p + ("choices",), f"predict[{i}].choices: give at least two choices")
        for j, c in enumerate(q.choices):
            lang(p + ("choices", j), c)
        if not 0 <= q.answer < len(q.choices):
            at(p + ("answer",), f"predict[{i}].answer {q.answer} is not an index of choices "
                                f"(0..{len(q.choices) - 1})")
    # prerequisites (existence is checked per pack, after every lesson is read)
    for i, pre in enumerate(spec.prerequisites):
        if pre == spec.id:
            at(("prerequisites", i), f"prerequisites[{i}]: a lesson cannot require itself")
    return out


def _expect_is_list(doc: Document, i: int) -> bool:
    try:
        return isinstance(doc.data["objectives"][i]["expect"], list)
    except (KeyError, IndexError, TypeError):
        return False


def _manifest_source(lesson: Lesson, path: tuple, value: str, at: Any) -> tuple[str | None, str]:
    """(YAML text, file name for messages) of a starter/solution/apply value."""
    if is_path_ref(value):
        try:
            rel = resolve_rel(lesson.rel, value)
        except ValueError as err:
            at(path, f"{field_path(path)}: {err}")
            return None, lesson.file
        if not lesson.pack.exists(rel):
            at(path, f"{field_path(path)}: file {value.strip()!r} not found beside the lesson")
            return None, lesson.pack.file_name(rel)
        try:
            return lesson.pack.read_text(rel), lesson.pack.file_name(rel)
        except (OSError, UnicodeDecodeError) as err:
            at(path, f"{field_path(path)}: cannot read {value.strip()!r}: {err}")
            return None, lesson.pack.file_name(rel)
    # inline text: name it after the lesson, so messages point at something findable
    return value, f"{lesson.file}#{field_path(path)}"


def _prerequisite_problems(pack: Pack) -> list[Problem]:
    out: list[Problem] = []
    by_id = {l.id: l for l in pack.lessons}
    bad: set[str] = set()
    for l in pack.lessons:
        for i, pre in enumerate(l.prerequisites):
            if "/" in pre:
                continue  # another pack's lesson: checked by the catalog
            if pre not in by_id:
                line, col = l.doc.position(("prerequisites", i), value=True)
                out.append(Problem(l.file, line, col, f"prerequisites[{i}]: no lesson {pre!r} in this pack"))
    # cycles (depth-first, reported once per cycle at the lesson that closes it)
    state: dict[str, int] = {}

    def visit(lid: str, stack: list[str]) -> None:
        state[lid] = 1
        l = by_id[lid]
        for i, pre in enumerate(l.prerequisites):
            if pre not in by_id:
                continue
            if state.get(pre) == 1:
                cyc = stack[stack.index(pre):] + [lid, pre] if pre in stack else [lid, pre]
                line, col = l.doc.position(("prerequisites", i), value=True)
                out.append(Problem(l.file, line, col, "prerequisites form a cycle: " + " -> ".join(dict.fromkeys(cyc)) + f" -> {pre}"))
                bad.add(lid)
            elif state.get(pre) is None:
                visit(pre, stack + [lid])
        state[lid] = 2

    for lid in by_id:
        if state.get(lid) is None:
            visit(lid, [])
    return out


# ---------------------------------------------------------------------------------------------
# discovery and the catalog
@attrs.define(eq=False)
class CatalogEntry:
    lesson: Lesson
    pack: Pack
    chapter: Chapter
    locked: bool
    completed: bool
    stars: int

    @property
    def key(self) -> str:
        return self.lesson.key


@attrs.define(eq=False)
class Catalog:
    packs: list[Pack] = attrs.Factory(list)
    problems: list[str] = attrs.Factory(list)
    progress: Any = None

    def lessons(self) -> list[Lesson]:
        return [l for p in self.packs for l in p.lessons]

    def get(self, key: str) -> Lesson:
        """A lesson by id, or by "pack/id" (ids that several packs use: the first pack's)."""
        if "/" in key:
            pid, lid = key.split("/", 1)
            for p in self.packs:
                if p.id == pid:
                    for l in p.lessons:
                        if l.id == lid:
                            return l
            raise KeyError(key)
        for l in self.lessons():
            if l.id == key:
                return l
        raise KeyError(key)

    def pack(self, pid: str) -> Pack:
        for p in self.packs:
            if p.id == pid:
                return p
        raise KeyError(pid)

    def _done(self, progress: Any, l: Lesson) -> tuple[bool, int]:
        if progress is None:
            return False, 0
        lp = progress.get(l.pack.id, l.id)
        return bool(lp.completed), int(lp.stars)

    def is_locked(self, lesson: Lesson, progress: Any = None) -> bool:
        progress = progress if progress is not None else self.progress
        for pre in lesson.prerequisites:
            key = pre if "/" in pre else f"{lesson.pack.id}/{pre}"
            try:
                other = self.get(key)
            except KeyError:
                continue  # a missing pack never locks a lesson forever
            if not self._done(progress, other)[0]:
                return True
        return False

    def entries(self, progress: Any = None) -> list[CatalogEntry]:
        """Every lesson in order (packs, chapters, order, file), with lock state and progress."""
        progress = progress if progress is not None else self.progress
        out = []
        for p in self.packs:
            for l in p.lessons:
                done, stars = self._done(progress, l)
                out.append(CatalogEntry(l, p, p.chapter(l.chapter) or Chapter(l.chapter, {}, -1),
                                        self.is_locked(l, progress), done, stars))
        return out


def _resolve_entry_point_value(value: Any) -> Any:
    if callable(value) and not hasattr(value, "iterdir"):
        value = value()
    if isinstance(value, (str, os.PathLike)):
        value = Path(value)
    if not hasattr(value, "iterdir") or not hasattr(value, "joinpath"):
        raise TypeError(f"expected a directory (a path or Traversable), got {type(value).__name__}")
    return value


def installed_pack_roots() -> tuple[list[tuple[Any, str, str]], list[str]]:
    """[(root, display, source)] of entry points in the group, and problems loading them."""
    from importlib.metadata import entry_points

    roots, problems = [], []
    try:
        eps = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name != "builtin", e.name))
    except Exception as err:  # noqa: BLE001 - broken metadata must not stop the program
        return [], [f"cannot list installed lesson packs: {err}"]
    seen_names: set[str] = set()
    for ep in eps:
        if (ep.name, ep.value) in seen_names:
            continue
        seen_names.add((ep.name, ep.value))
        dist = getattr(getattr(ep, "dist", None), "name", None) or "?"
        try:
            root = _resolve_entry_point_value(ep.load())
        except Exception as err:  # noqa: BLE001 - a broken third-party pack is reported, not fatal
            problems.append(f"lesson pack entry point {ep.name!r} ({ep.value}, from {dist}): cannot load: "
                            f"{type(err).__name__}: {err}")
            continue
        roots.append((root, str(root), f"entry-point:{ep.name}"))
    return roots, problems


def load_all_packs(extra_dirs: Iterable[str | os.PathLike] = (), progress: Any = None,
                   include_builtin: bool = True, include_installed: bool = True) -> Catalog:
    """The catalog: built-in pack, installed packs, then `extra_dirs`. Never raises for bad packs:
    their problems are in `catalog.problems` (strings "FILE:LINE:COL: message")."""
    cat = Catalog(progress=progress)
    candidates: list[tuple[Any, str, str]] = []
    if include_builtin:
        try:
            from kubetrainer.resources import lessons_dir

            d = lessons_dir()
            candidates.append((d, str(d), "builtin"))
        except FileNotFoundError as err:
            cat.problems.append(str(err))
    if include_installed:
        roots, probs = installed_pack_roots()
        candidates.extend(roots)
        cat.problems.extend(probs)
    for d in extra_dirs:
        candidates.append((Path(d), str(d), "dir"))
    seen_roots: set[str] = set()
    for root, display, source in candidates:
        ident = _root_identity(root)
        if ident in seen_roots:
            continue
        seen_roots.add(ident)
        pack, problems = load_pack(root, display, source)
        cat.problems.extend(str(p) for p in problems)
        if pack is None:
            continue
        if any(p.id == pack.id for p in cat.packs):
            cat.problems.append(f"{pack.file_name('pack.yaml')}:{pack.doc.position(('id',), value=True)[0]}:"
                                f"{pack.doc.position(('id',), value=True)[1]}: pack id {pack.id!r} is already "
                                "used by another loaded pack; this one is skipped")
            continue
        if source == "builtin" and not pack.lessons and not problems:
            continue  # an empty built-in pack (during development) shows nothing
        cat.packs.append(pack)
    for pack in cat.packs:  # prerequisites in other packs ("pack/lesson")
        for l in pack.lessons:
            for i, pre in enumerate(l.prerequisites):
                if "/" in pre:
                    try:
                        cat.get(pre)
                    except KeyError:
                        line, col = l.doc.position(("prerequisites", i), value=True)
                        cat.problems.append(f"{l.file}:{line}:{col}: prerequisites[{i}]: no lesson {pre!r} "
                                            "in the loaded packs (the lesson is not locked by it)")
    return cat


def _root_identity(root: Any) -> str:
    if isinstance(root, Path):
        try:
            return str(root.resolve())
        except OSError:
            return str(root)
    return f"{type(root).__name__}:{root}"


def load_pack_dir(path: str) -> tuple[Pack | None, list[Problem]]:
    """`--pack DIR` / `lint PACK_DIR`: a pack from a directory, named as the user wrote it."""
    display = path.rstrip("/") or path
    return load_pack(Path(path), display, "dir")
