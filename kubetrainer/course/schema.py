"""The lesson-pack schema (docs/lesson-format.md) as attrs classes, structured with cattrs.

YAML keys are camelCase; attribute names are their snake_case (``exit_code`` <- ``exitCode``,
``from_`` <- ``from``). `structure(data, cls, doc)` returns the object or a list of located
`Problem`s: cattrs collects every problem of a class (detailed validation), we walk the
exception tree along YAML key names and ask the positioned document for LINE:COL.
"""

from __future__ import annotations

import re
import typing
from typing import Any, Literal, Union

import attrs
from attrs import field, frozen
from cattrs import Converter
from cattrs.errors import (BaseValidationError, ClassValidationError, ForbiddenExtraKeysError,
                           IterableValidationError)
from cattrs.gen import make_dict_structure_fn, override

from kubetrainer.api.intake import Problem
from kubetrainer.api.schema import field_path
from kubetrainer.durations import parse_duration
from kubetrainer.errors import UserError

SCHEMA_VERSION = 1
ID_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def camel(name: str) -> str:
    name = name.rstrip("_")
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


# ---------------------------------------------------------------------------------------------
# value types
class Duration(float):
    """Seconds, written as 90, 90s, 2m, 1m30s, 1h."""


class Localized(dict):
    """{language tag: text}."""


class Choice(Localized):
    """A predict choice: {language tag: text}, or a plain string (key "*": every language)."""


@frozen
class Count:
    """An int (exactly) or {min, max}."""

    min: int | None = None
    max: int | None = None

    def ok(self, n: int) -> bool:
        return (self.min is None or n >= self.min) and (self.max is None or n <= self.max)

    @property
    def exact(self) -> int | None:
        return self.min if self.min is not None and self.min == self.max else None

    def describe(self) -> str:
        if self.exact is not None:
            return str(self.exact)
        if self.min is not None and self.max is not None:
            return f"between {self.min} and {self.max}"
        if self.min is not None:
            return f"at least {self.min}"
        if self.max is not None:
            return f"at most {self.max}"
        return "any number"


class Texts(tuple):
    """A string, or a list of strings (any of them)."""

    def ok(self, value: Any) -> bool:
        return value in self

    def describe(self) -> str:
        return self[0] if len(self) == 1 else " or ".join(self)


class NodeRef(str):
    """A node name, 'any', or the empty string for null (not scheduled)."""


_UNSET = None


# ---------------------------------------------------------------------------------------------
# checks
@frozen
class LastState:
    state: Texts | None = None
    reason: Texts | None = None
    exit_code: int | None = None


@frozen
class ContainerCheck:
    name: str
    state: Texts | None = None
    reason: Texts | None = None
    exit_code: int | None = None
    restart_count: Count | None = None
    ready: bool | None = None
    last_state: LastState | None = None


@frozen
class RowMatch:
    """Keys of one timeline row (`ever`/`never`)."""

    phase: Texts | None = None
    status: Texts | None = None
    ready: Texts | None = None
    node: NodeRef | None = None
    restarts: Count | None = None
    deleted: bool | None = None


@frozen
class PodCheck:
    pod: str
    namespace: str = "default"
    exists: bool = True
    phase: Texts | None = None
    status: Texts | None = None
    ready: Texts | None = None
    restarts: Count | None = None
    node: NodeRef | None = None
    deleted: bool | None = None
    conditions: dict[str, str] | None = None
    containers: tuple[ContainerCheck, ...] = ()
    init_containers: tuple[ContainerCheck, ...] = ()
    ever: RowMatch | None = None
    never: RowMatch | None = None
    from_: Duration | None = None


@frozen
class PodsCheck:
    pods: str
    namespace: str = "default"
    count: Count | None = None
    include_deleted: bool = False
    phase: Texts | None = None
    status: Texts | None = None
    ready: Texts | None = None
    restarts: Count | None = None
    node: NodeRef | None = None
    deleted: bool | None = None
    conditions: dict[str, str] | None = None
    containers: tuple[ContainerCheck, ...] = ()
    init_containers: tuple[ContainerCheck, ...] = ()
    max_alive: Count | None = None
    min_ready: Count | None = None
    from_: Duration | None = None


@frozen
class EventMatch:
    reason: Texts | None = None
    type: Texts | None = None
    object: str | None = None
    message_contains: str | None = None


@frozen
class EventsCheck:
    events: EventMatch
    count: Count = Count(min=1)


@frozen
class DeploymentCheck:
    deployment: str
    namespace: str = "default"
    exists: bool = True
    replicas: Count | None = None
    updated: Count | None = None
    ready: Count | None = None
    available: Count | None = None
    revision: Count | None = None
    conditions: dict[str, str] | None = None


@frozen
class ReplicaSetsCheck:
    replica_sets: str
    namespace: str = "default"
    count: Count | None = None
    desired: Count | None = None
    current: Count | None = None
    ready: Count | None = None
    revision: Count | None = None


@frozen
class SchedulerCheck:
    scheduler: str
    namespace: str = "default"
    outcome: Literal["scheduled", "unschedulable"] | None = None
    node: str | None = None
    message_contains: str | None = None


Check = Union[PodCheck, PodsCheck, EventsCheck, DeploymentCheck, ReplicaSetsCheck, SchedulerCheck]
SUBJECTS: dict[str, type] = {
    "pod": PodCheck, "pods": PodsCheck, "events": EventsCheck, "deployment": DeploymentCheck,
    "replicaSets": ReplicaSetsCheck, "scheduler": SchedulerCheck,
}


class Checks(tuple):
    """`expect`: one check or a list of checks (all must pass)."""


# ---------------------------------------------------------------------------------------------
# lesson and pack
def _difficulty(inst: Any, att: Any, value: int) -> None:
    if not 1 <= value <= 5:
        raise ValueError(f"must be between 1 and 5, not {value}")


@frozen
class Objective:
    id: str
    description: Localized
    deadline: Duration
    expect: Checks


@frozen
class Action:
    time: Duration
    command: str | None = None
    apply: str | None = None


@frozen
class Run:
    until: Duration | None = None
    at: tuple[Action, ...] = ()


@frozen
class Predict:
    id: str
    question: Localized
    choices: tuple[Choice, ...]
    answer: int
    explanation: Localized | None = None


@frozen
class LessonSpec:
    kind: Literal["Lesson"]
    schema_version: int
    id: str
    title: Localized
    chapter: str
    difficulty: int
    text: Localized
    starter: str
    solution: str
    objectives: tuple[Objective, ...]
    order: int = 0
    prerequisites: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    world: Union[str, dict, None] = None
    run: Run = Run()
    hints: tuple[Localized, ...] = ()
    predict: tuple[Predict, ...] = ()


@frozen
class ChapterSpec:
    id: str
    title: Localized


@frozen
class PackSpec:
    id: str
    title: Localized
    languages: tuple[str, ...]
    chapters: tuple[ChapterSpec, ...]
    schema_version: int = 1
    kind: Literal["LessonPack"] = "LessonPack"
    version: str = "0"
    authors: tuple[str, ...] = ()
    description: Localized | None = None


# ---------------------------------------------------------------------------------------------
# the converter
def _type_name(t: Any) -> str:
    return {str: "a string", int: "an integer", bool: "true or false", float: "a number"}.get(t, getattr(t, "__name__", str(t)))


def _make_converter() -> Converter:
    conv = Converter(forbid_extra_keys=True)

    def strict(t: type) -> Any:
        def hook(v: Any, _: Any) -> Any:
            if t is int and (isinstance(v, bool) or not isinstance(v, int)):
                raise ValueError(f"expected an integer, not {_show(v)}")
            if t is bool and not isinstance(v, bool):
                raise ValueError(f"expected true or false, not {_show(v)}")
            if t is str and not isinstance(v, str):
                raise ValueError(f"expected a string, not {_show(v)}")
            return v
        return hook

    for t in (int, bool, str):
        conv.register_structure_hook(t, strict(t))

    def duration(v: Any, _: Any) -> Duration:
        if isinstance(v, (dict, list)) or v is None:
            raise ValueError(f"expected a duration such as 90s, 2m or 1m30s, not {_show(v)}")
        try:
            return Duration(parse_duration(v))
        except UserError as err:
            raise ValueError(str(err)) from None

    conv.register_structure_hook(Duration, duration)

    def localized(v: Any, _: Any) -> Localized:
        if not isinstance(v, dict) or not v:
            raise ValueError(f"expected a mapping of language tag to text (en: ..., zh-Hans: ...), not {_show(v)}")
        for k, text in v.items():
            if not LANG_RE.match(str(k)):
                raise ValueError(f"{k!r} is not a language tag such as en or zh-Hans")
            if not isinstance(text, str):
                raise ValueError(f"text for {k} must be a string, not {_show(text)}")
        return Localized(v)

    conv.register_structure_hook(Localized, localized)

    def count(v: Any, _: Any) -> Count:
        if isinstance(v, int) and not isinstance(v, bool):
            return Count(v, v)
        if isinstance(v, dict) and v and set(v) <= {"min", "max"} and all(
                isinstance(x, int) and not isinstance(x, bool) for x in v.values()):
            return Count(v.get("min"), v.get("max"))
        raise ValueError(f"expected an integer or {{min: N, max: M}}, not {_show(v)}")

    conv.register_structure_hook(Count, count)

    def texts(v: Any, _: Any) -> Texts:
        if isinstance(v, str):
            return Texts((v,))
        if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
            return Texts(v)
        raise ValueError(f"expected a string or a list of strings, not {_show(v)}")

    conv.register_structure_hook(Texts, texts)

    def node_ref(v: Any, _: Any) -> NodeRef:
        if v is None:
            return NodeRef("")
        if isinstance(v, str) and v:
            return NodeRef(v)
        raise ValueError(f"expected a node name, null or any, not {_show(v)}")

    conv.register_structure_hook(NodeRef, node_ref)
    # `node: null` must mean "not scheduled", not "unset": keep None apart from NodeRef("")
    conv.register_structure_hook(typing.Optional[NodeRef], node_ref)

    def choice(v: Any, _: Any) -> Choice:
        if isinstance(v, str):
            return Choice({"*": v})
        return Choice(localized(v, _))

    conv.register_structure_hook(Choice, choice)

    def world(v: Any, _: Any) -> Any:
        if v is None or isinstance(v, (str, dict)):
            return v
        raise ValueError(f"expected a path to a World file or an inline World mapping, not {_show(v)}")

    conv.register_structure_hook(Union[str, dict, None], world)

    def checks(v: Any, _: Any) -> Checks:
        items = v if isinstance(v, list) else [v]
        if not items:
            raise ValueError("expected a check (a mapping) or a list of checks, not an empty list")
        out = []
        errors = []
        for i, item in enumerate(items):
            try:
                out.append(_one_check(conv, item))
            except Exception as exc:  # noqa: BLE001 - collected with their index
                if isinstance(v, list):
                    exc.__notes__ = getattr(exc, "__notes__", []) + [_IndexNote(i)]
                errors.append(exc)
        if errors:
            if isinstance(v, list):
                raise IterableValidationError("invalid checks", errors, Checks)
            raise errors[0]
        return Checks(out)

    conv.register_structure_hook(Checks, checks)

    def hook_factory(cls: type) -> Any:
        overrides = {}
        for a in attrs.fields(cls):
            key = camel(a.name)
            overrides[a.name] = override(rename=key) if key != a.name else override()
        fn = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True, **overrides)

        def structure(v: Any, t: Any) -> Any:
            if not isinstance(v, dict):
                raise ValueError(f"expected a mapping, not {_show(v)}")
            return fn(v, t)
        return structure

    conv.register_structure_hook_factory(attrs.has, hook_factory)

    def tuple_factory(t: Any) -> Any:
        args = typing.get_args(t)
        item_hook = conv.get_structure_hook(args[0]) if args else (lambda v, _: v)
        item_type = args[0] if args else Any

        def structure(v: Any, _: Any) -> tuple:
            return _tuple_of(v, lambda x, __: item_hook(x, item_type))
        return structure

    conv.register_structure_hook_factory(
        lambda t: typing.get_origin(t) is tuple and len(typing.get_args(t)) == 2 and typing.get_args(t)[1] is Ellipsis,
        tuple_factory)
    return conv


def _tuple_of(v: Any, item: Any) -> tuple:
    if not isinstance(v, list):
        raise ValueError(f"expected a list, not {_show(v)}")
    out, errors = [], []
    for i, x in enumerate(v):
        try:
            out.append(item(x, None))
        except Exception as exc:  # noqa: BLE001
            exc.__notes__ = getattr(exc, "__notes__", []) + [_IndexNote(i)]
            errors.append(exc)
    if errors:
        raise IterableValidationError("invalid items", errors, tuple)
    return tuple(out)


class _IndexNote(str):
    def __new__(cls, index: int) -> "_IndexNote":
        s = super().__new__(cls, f"index {index}")
        s.index = index  # type: ignore[attr-defined]
        return s


def _one_check(conv: Converter, item: Any) -> Any:
    if not isinstance(item, dict):
        raise ValueError(f"a check must be a mapping with one of {', '.join(SUBJECTS)}, not {_show(item)}")
    subjects = [k for k in SUBJECTS if k in item]
    if not subjects:
        raise ValueError(f"a check needs one subject key: one of {', '.join(SUBJECTS)}")
    if len(subjects) > 1:
        raise ValueError(f"a check has exactly one subject key, found {', '.join(subjects)}; "
                         "give a list of checks instead")
    return conv.structure(item, SUBJECTS[subjects[0]])


def _show(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, str):
        s = v if len(v) <= 40 else v[:37] + "..."
        return repr(s)
    return repr(v)


CONVERTER = _make_converter()
# ---------------------------------------------------------------------------------------------
def structure(data: Any, cls: type, doc: Any, base: tuple = ()) -> tuple[Any, list[Problem]]:
    """(object, []) or (None, problems). `doc` is a yamlpos.Document; `base` the path of `data` in it."""
    try:
        return CONVERTER.structure(data, cls), []
    except Exception as exc:  # noqa: BLE001 - turned into located problems
        problems: list[Problem] = []
        _walk(exc, base, doc, problems)
        problems.sort(key=lambda p: (p.line, p.col))
        if not problems:
            line, col = doc.position(base)
            problems.append(Problem(doc.filename, line, col, f"invalid value: {exc}"))
        return None, problems


def _child_path(exc: BaseException, path: tuple) -> tuple:
    for note in getattr(exc, "__notes__", []) or []:
        name = getattr(note, "name", None)
        if name is not None and hasattr(note, "type"):
            return path + (camel(name),)
        idx = getattr(note, "index", None)
        if idx is not None:
            return path + (idx,)
    return path


def _walk(exc: BaseException, path: tuple, doc: Any, out: list[Problem]) -> None:
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            line, col = doc.position(path + (key,))
            allowed = ", ".join(camel(a.name) for a in attrs.fields(exc.cl)) if attrs.has(exc.cl) else ""
            where = field_path(path) or "the top level"
            out.append(Problem(doc.filename, line, col,
                               f"unknown key {key!r} in {where}" + (f" (allowed: {allowed})" if allowed else "")))
        return
    if isinstance(exc, (ClassValidationError, IterableValidationError, BaseValidationError)):
        for sub in exc.exceptions:
            _walk(sub, _child_path(sub, path), doc, out)
        return
    where = field_path(path)
    if isinstance(exc, KeyError):
        missing = camel(str(exc.args[0])) if exc.args else "?"
        line, col = doc.position(path)
        out.append(Problem(doc.filename, line, col, f"{where}: required key missing"
                           if where else "required key missing"))
        return
    msg = str(exc)
    m = re.match(r"(.*) not in literal typing\.Literal\[(.*)\]$", msg, re.S)
    if m:
        msg = f"must be one of {m.group(2)}, not {m.group(1)!r}"
    line, col = doc.position(path, value=True)
    out.append(Problem(doc.filename, line, col, f"{where}: {msg}" if where else msg))


