"""Generic kubectl verbs: get, describe, apply, create, delete, label, annotate.

Messages follow staging/src/k8s.io/kubectl/pkg/cmd/{get,describe,apply,create,delete,label,annotate}.
"""

from __future__ import annotations

import base64
import copy
import datetime
import json
from typing import Any

import yaml

from kubetrainer.durations import format_duration
from kubetrainer.errors import UserError
from kubetrainer.sim.apiserver import Forbidden, kind_slash_name, not_found, resource_name
from kubetrainer.sim.events import describe_age, series
from kubetrainer.sim.kubectl import goyaml
from kubetrainer.sim.kubectl import (RESOURCES, Args, Context, KubectlError, KubectlResult, UsageError,
                                     format_table, register_resource, resolve_kind, verb)

EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)  # virtual t=0 (as the runtime's `date`)


def timestamp(t: float | None) -> str:
    """RFC1123Z as kubectl describe prints times: 'Mon, 01 Jan 2024 00:00:05 +0000'."""
    if t is None:
        return "<unknown>"
    return (EPOCH + datetime.timedelta(seconds=float(t))).strftime("%a, %d %b %Y %H:%M:%S +0000")


def iso(t: float | None) -> str | None:
    if t is None:
        return None
    return (EPOCH + datetime.timedelta(seconds=float(t))).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sort_by(objs: list[dict], field: str) -> list[dict]:
    """get --sort-by=JSONPATH (sorter.go): by the field's value, numbers as numbers, objects without
    it first; a path no object has is kubectl's error."""
    path = field.strip("'\"")
    tpl = path if path.startswith("{") else "{" + path + "}"
    keyed = []
    for o in objs:
        v = jsonpath(_serializable(o), tpl)
        try:
            keyed.append(((1, float(v), ""), o) if v != "" else ((0, 0.0, ""), o))
        except ValueError:
            keyed.append(((1, 0.0, v), o))
    if objs and all(k[0] == 0 for k, _ in keyed):
        # sorter.go: the path as RelaxedJSONPathExpression made it
        raise KubectlError(f"error: couldn't find any field with path \"{tpl}\" in the list of objects")
    return [o for _, o in sorted(keyed, key=lambda t: t[0])]


def _ref_parts(ref: str) -> list[str]:
    """An event's object reference `Kind/namespace/name` as [kind, namespace, name]."""
    return (ref.split("/", 2) + ["", ""])[:3]


def _event_name(s: Any) -> str:
    """The Event object's name: `<involvedObject.name>.<%x of its first occurrence in UnixNano>`."""
    name = _ref_parts(s.event.object)[2]
    return f"{name}.{round((EPOCH.timestamp() + s.first) * 1_000_000_000):x}"


def _no_resources(ctx: Context, not_namespaced: bool) -> str:
    """get.go Run, nothing printed: `No resources found in NS namespace.` when every resource is
    namespaced (and no --all-namespaces), else `No resources found` (no full stop)."""
    return "No resources found\n" if not_namespaced else f"No resources found in {ctx.namespace} namespace.\n"


def age(ctx: Context, obj: dict) -> str:
    created = (obj.get("metadata") or {}).get("creationTimestamp")
    return format_duration(ctx.now - created) if created is not None else "<unknown>"


def labels_text(labels: dict | None) -> str:
    if not labels:
        return "<none>"
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


# -- events as kubectl describe prints them ---------------------------------------------------------------
def events_table(events: list, now: float, indent: str = "") -> str:
    """describe.go DescribeEvents: aggregated (object, type, reason, message, source) with
    'AGE (xN over FIRST)' and sorted by last occurrence."""
    if not events:
        return f"{indent}Events:  <none>\n"
    rows = [[s.event.type, s.event.reason, describe_age(now, s), s.event.source, s.event.message]
            for s in series(events)]
    # describe.go DescribeEvents writes through a tabwriter with padding 2
    table = format_table(["Type", "Reason", "Age", "From", "Message"], [["----", "------", "----", "----", "-------"]] + rows,
                         padding=2)
    out = [f"{indent}Events:"]
    for line in table.splitlines():
        out.append(f"{indent}  {line}")
    return "\n".join(out) + "\n"


# -- object lookup ----------------------------------------------------------------------------------------
def _targets(ctx: Context, args: Args, need_name: bool = True) -> list[tuple[str, str]]:
    """[(kind, name)] from 'pod web', 'pods web db', 'pod/web', 'deploy/web pod/db'."""
    pos = list(args.positionals)
    if not pos:
        raise UsageError("error: You must specify the type of resource to get. Use \"kubectl api-resources\" "
                         "for a complete list of supported resources.")
    out: list[tuple[str, str]] = []
    if "/" in pos[0]:
        for p in pos:
            if "/" not in p:
                raise UsageError("error: there is no need to specify a resource type as a separate argument "
                                 "when passing arguments in resource/name form")
            r, _, n = p.partition("/")
            out.append((resolve_kind(r), n))
        return out
    kinds = []
    for r in pos[0].split(","):
        if r == "all":   # the "all" category: pods, services, daemonsets, deployments, replicasets, statefulsets, jobs
            kinds += [k for k in ("Pod", "Service", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "Job")
                      if k in RESOURCES]
        else:
            kinds.append(resolve_kind(r))
    names = pos[1:]
    if not names:
        if need_name:
            raise UsageError("error: resource(s) were provided, but no name was specified")
        return [(k, "") for k in kinds]
    return [(k, n) for k in kinds for n in names]


def _ns(ctx: Context, kind: str) -> str:
    r = RESOURCES.get(kind)
    if r is not None and not r.namespaced:
        return ""
    return ctx.namespace


def _select(objs: list[dict], selector: str | None) -> list[dict]:
    if not selector:
        return objs
    reqs = []
    for part in selector.split(","):
        part = part.strip()
        if "!=" in part:
            k, v = part.split("!=", 1)
            reqs.append((k.strip(), "!=", v.strip()))
        elif "==" in part or "=" in part:
            k, v = part.replace("==", "=").split("=", 1)
            reqs.append((k.strip(), "=", v.strip()))
        elif part.startswith("!"):
            reqs.append((part[1:], "!", ""))
        elif part:
            reqs.append((part, "exists", ""))
    out = []
    for o in objs:
        labels = (o.get("metadata") or {}).get("labels") or {}
        ok = True
        for k, op, v in reqs:
            if op == "=" and labels.get(k) != v:
                ok = False
            elif op == "!=" and labels.get(k) == v:
                ok = False
            elif op == "!" and k in labels:
                ok = False
            elif op == "exists" and k not in labels:
                ok = False
        if ok:
            out.append(o)
    return out


def _serializable(obj: Any) -> Any:
    """Objects as -o yaml/json show them: virtual times as RFC3339 strings."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k in ("creationTimestamp", "deletionTimestamp", "lastTransitionTime", "startTime", "startedAt",
                     "finishedAt", "lastProbeTime", "lastHeartbeatTime", "lastUpdateTime") and \
                    isinstance(v, (int, float)) and not isinstance(v, bool):
                out[k] = iso(v)
            else:
                out[k] = _serializable(v)
        return out
    if isinstance(obj, list):
        return [_serializable(v) for v in obj]
    return obj


# -- get --------------------------------------------------------------------------------------------------
def _get_events(ctx: Context, args: Args) -> KubectlResult:
    """kubectl get events: LAST SEEN TYPE REASON OBJECT MESSAGE (the event log, aggregated)."""
    items = series(e for e in ctx.cluster.events.events
                   if args.all_namespaces or _ref_parts(e.object)[1] in ("", ctx.namespace))
    if not items:
        return KubectlResult(_no_resources(ctx, args.all_namespaces))
    sort_by = (args.flags.get("sort-by") or "").strip("'\"{}")
    if sort_by in (".lastTimestamp", ".metadata.resourceVersion"):
        pass   # series() is in last-occurrence order
    elif sort_by in (".metadata.creationTimestamp", ".firstTimestamp", ".eventTime"):
        items.sort(key=lambda s: s.first)
    elif sort_by == ".count":
        items.sort(key=lambda s: s.count)
    elif sort_by:
        raise KubectlError(f"error: couldn't find any field with path \"{{{sort_by}}}\" in the list of objects")
    else:
        # the API lists events by key: namespace, then name `<involved object>.<hex of its creation in
        # UnixNano>` (client-go tools/record makeEvent), so grouped by object, oldest first
        items.sort(key=lambda s: (_ref_parts(s.event.object)[1], _event_name(s)))
    rows = []
    for s in items:
        e = s.event
        kind, ns, name = _ref_parts(e.object)
        row = [format_duration(ctx.now - s.last), e.type, e.reason, f"{kind.lower()}/{name}", e.message]
        rows.append(([ns] if args.all_namespaces else []) + row)
    headers = (["NAMESPACE"] if args.all_namespaces else []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    return KubectlResult(format_table(headers, rows))


@verb("get", flags={"show-kind": "bool", "no-headers": "bool", "ignore-not-found": "bool", "sort-by": "value"},
      min_args=1)
def cmd_get(ctx: Context, args: Args) -> KubectlResult:
    store = ctx.cluster.store
    targets = _targets(ctx, args, need_name=False)
    if [k for k, _ in targets] == ["Event"]:
        return _get_events(ctx, args)
    out: list[str] = []
    errors: list[str] = []
    by_kind: dict[str, list[dict]] = {}
    for kind, name in targets:
        ns = None if args.all_namespaces else _ns(ctx, kind)
        if name:
            obj = store.get(kind, ns or "", name)
            if obj is None:
                if not args.flags.get("ignore-not-found"):
                    errors.append(not_found(kind, name))
                continue
            by_kind.setdefault(kind, []).append(obj)
        else:
            objs = store.list(kind) if ns is None else store.list(kind, ns if kind not in _cluster_kinds() else "")
            objs = _select(objs, args.selector)
            objs = sorted(objs, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
            by_kind.setdefault(kind, []).extend(objs)
    if args.flags.get("sort-by"):
        by_kind = {k: _sort_by(v, args.flags["sort-by"]) for k, v in by_kind.items()}
    fmt = args.output
    if fmt and fmt.startswith("jsonpath"):
        items = [_serializable(copy.deepcopy(o)) for objs in by_kind.values() for o in objs]
        doc = items[0] if len(items) == 1 and all(n for _, n in targets) else {"kind": "List", "items": items}
        tpl = fmt.split("=", 1)[1] if "=" in fmt else ""
        return KubectlResult(jsonpath(doc, tpl) + "".join("\n" + e for e in errors), 1 if errors else 0)
    if fmt in ("yaml", "json"):
        items = [_serializable(copy.deepcopy(o)) for objs in by_kind.values() for o in objs]
        if len(items) == 1 and all(n for _, n in targets):
            doc: Any = items[0]
        else:
            doc = {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
        text = go_json(doc) + "\n" if fmt == "json" else goyaml.dump(doc)
        return KubectlResult(text + "".join(e + "\n" for e in errors), 1 if errors else 0)
    if fmt == "name":
        for kind, objs in by_kind.items():
            for o in objs:
                out.append(kind_slash_name(kind, o["metadata"]["name"]) + "\n")
        return KubectlResult("".join(out) + "".join(e + "\n" for e in errors), 1 if errors else 0)
    multi = len(by_kind) > 1
    shown_any = False
    for kind, objs in by_kind.items():
        if not objs:
            continue
        res = RESOURCES.get(kind)
        printer = res.printer if res and res.printer else _default_printer
        headers, rows = printer(ctx, objs, fmt == "wide")
        if args.all_namespaces and (res is None or res.namespaced):
            headers = ["NAMESPACE", *headers]
            rows = [[o["metadata"].get("namespace", ""), *r] for o, r in zip(objs, rows)]
        if args.flags.get("show-labels"):
            headers = [*headers, "LABELS"]
            rows = [[*r, labels_text((o["metadata"].get("labels")))] for o, r in zip(objs, rows)]
        if multi or args.flags.get("show-kind"):
            rows = [[kind_slash_name(kind, r[0]), *r[1:]] for r in rows]
        if out:
            out.append("\n")
        if args.flags.get("no-headers"):
            out.append(format_table(headers, rows).split("\n", 1)[1])
        else:
            out.append(format_table(headers, rows))
        shown_any = True
    text = "".join(out)
    if not shown_any and not errors:
        kinds = {k for k, _ in targets}
        text = _no_resources(ctx, args.all_namespaces or all(k in _cluster_kinds() for k in kinds))
    return KubectlResult(text + "".join(e + "\n" for e in errors), 1 if errors else 0)


def go_json(doc: Any) -> str:
    """kubectl's JSON printer: json.MarshalIndent of the unstructured object, so map keys sorted, four
    spaces, UTF-8 as is, and <, >, & (and U+2028/U+2029) escaped as Go's encoder escapes them."""
    text = json.dumps(doc, indent=4, sort_keys=True, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def jsonpath(doc: Any, template: str) -> str:
    """A small subset of kubectl's JSONPath: literal text and {.a.b[0].c} / {.items[*].x} fields."""
    import re

    out = []
    for lit, expr in re.findall(r"([^{]*)(?:\{([^}]*)\})?", template.strip("'\"")):
        out.append(lit.replace("\\n", "\n"))
        if not expr:
            continue
        vals = [doc]
        for part in re.findall(r"\.([^.\[]+)|\[(\*|-?\d+)\]", expr):
            key, idx = part
            nxt = []
            for v in vals:
                if key:
                    if isinstance(v, dict) and key in v:
                        nxt.append(v[key])
                elif idx == "*":
                    nxt.extend(v if isinstance(v, list) else (v.values() if isinstance(v, dict) else []))
                elif isinstance(v, list):
                    try:
                        nxt.append(v[int(idx)])
                    except IndexError:
                        pass
            vals = nxt
        out.append(" ".join(v if isinstance(v, str) else json.dumps(v) if isinstance(v, (dict, list)) else
                            ("true" if v is True else "false" if v is False else str(v)) for v in vals))
    return "".join(out)


@verb("run", flags={"image": "value", "restart": "value", "labels": "value", "env": "multi", "port": "value",
                    "command": "bool", "image-pull-policy": "value", "rm": "bool", "stdin": "bool", "tty": "bool",
                    "attach": "bool"}, short={"i": "stdin", "t": "tty", "l": "labels"}, min_args=1, takes_rest=True)
def cmd_run(ctx: Context, args: Args) -> KubectlResult:
    """kubectl run NAME --image=IMAGE [--restart=...] [--env=K=V] [--labels=...] [--command] [-- ARGS]."""
    name = args.positionals[0]
    image = args.flags.get("image")
    if not image:
        raise UsageError("error: required flag(s) \"image\" not set")
    c: dict[str, Any] = {"name": name, "image": image}
    rest = list(args.rest) or list(args.positionals[1:])
    if rest:
        c["command" if args.flags.get("command") else "args"] = rest
    if args.flags.get("env"):
        c["env"] = [{"name": e.partition("=")[0], "value": e.partition("=")[2]} for e in args.flags["env"]]
    if args.flags.get("port"):
        c["ports"] = [{"containerPort": int(args.flags["port"])}]
    if args.flags.get("image-pull-policy"):
        c["imagePullPolicy"] = args.flags["image-pull-policy"]
    labels = {"run": name}
    if args.flags.get("labels"):
        labels = dict(kv.partition("=")[::2] for kv in args.flags["labels"].split(","))
    restart = args.flags.get("restart") or "Always"
    if restart not in ("Always", "OnFailure", "Never"):
        raise UsageError(f"error: invalid restart policy: {restart}")
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ctx.namespace, "labels": labels},
           "spec": {"containers": [c], "restartPolicy": restart}}
    return _create_obj(ctx, obj, f"pod/{name} created")


def _cluster_kinds() -> set[str]:
    from kubetrainer.sim.store import CLUSTER_SCOPED

    return set(CLUSTER_SCOPED)


def _default_printer(ctx: Context, objs: list[dict], wide: bool) -> tuple[list[str], list[list[str]]]:
    rows = []
    for o in objs:
        extra = []
        if o.get("kind") == "Secret":
            extra = [o.get("type", "Opaque"), str(len(o.get("data") or {}))]
        elif o.get("kind") == "ConfigMap":
            extra = [str(len(o.get("data") or {}))]
        rows.append([o["metadata"]["name"], *extra, age(ctx, o)])
    kind = objs[0].get("kind") if objs else ""
    if kind == "Secret":
        return ["NAME", "TYPE", "DATA", "AGE"], rows
    if kind == "ConfigMap":
        return ["NAME", "DATA", "AGE"], rows
    return ["NAME", "AGE"], rows


# -- describe ---------------------------------------------------------------------------------------------
@verb("describe", min_args=1)
def cmd_describe(ctx: Context, args: Args) -> KubectlResult:
    store = ctx.cluster.store
    parts = []
    errors = []
    for kind, name in _targets(ctx, args, need_name=False):
        ns = _ns(ctx, kind)
        objs = [store.get(kind, ns, name)] if name else store.list(kind, ns if ns else None)
        if name and objs[0] is None:
            errors.append(not_found(kind, name))
            continue
        res = RESOURCES.get(kind)
        for o in objs:
            if res is not None and res.describer is not None:
                parts.append(res.describer(ctx, o))
            else:
                parts.append(_default_describe(ctx, o))
    text = "\n\n".join(p.rstrip("\n") for p in parts) + ("\n" if parts else "")
    return KubectlResult(text + "".join(e + "\n" for e in errors), 1 if errors else 0)


def _default_describe(ctx: Context, obj: dict) -> str:
    meta = obj["metadata"]
    lines = [f"Name:         {meta['name']}"]
    if meta.get("namespace"):
        lines.append(f"Namespace:    {meta['namespace']}")
    lines.append(f"Labels:       {_kv_lines(meta.get('labels'), 14)}")
    lines.append(f"Annotations:  {_kv_lines(meta.get('annotations'), 14, ': ')}")   # printAnnotationsMultiline
    if obj.get("kind") == "Secret":
        lines.append("")
        lines.append(f"Type:  {obj.get('type', 'Opaque')}")
        lines.append("")
        lines.append("Data")
        lines.append("====")
        for k, v in sorted((obj.get("data") or {}).items()):
            try:
                n = len(base64.b64decode(str(v)))
            except ValueError:
                n = len(str(v))
            lines.append(f"{k}:  {n} bytes")
    elif obj.get("kind") == "ConfigMap":
        lines.append("")
        lines.append("Data")
        lines.append("====")
        for k, v in sorted((obj.get("data") or {}).items()):
            lines.append(f"{k}:")
            lines.append("----")
            lines.append(str(v))
            lines.append("")
    ref = f"{obj['kind']}/{meta.get('namespace', '')}/{meta['name']}"
    lines.append("")
    lines.append(events_table(ctx.cluster.events.for_object(ref, meta.get("uid")), ctx.now).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _kv_lines(d: dict | None, pad: int, sep: str = "=") -> str:
    if not d:
        return "<none>"
    items = [f"{k}{sep}{v}" for k, v in sorted(d.items())]
    return ("\n" + " " * pad).join(items)


# -- apply / create -----------------------------------------------------------------------------------------
def _load_files(ctx: Context, files: list[str]) -> list:
    import os

    from kubetrainer.api.intake import load_manifests

    expanded: list[str] = []
    for f in files:   # a directory: its .yaml/.yml/.json files in name order (kubectl's FilenameOptions)
        if f != "-" and os.path.isdir(f):
            expanded += sorted(os.path.join(f, n) for n in os.listdir(f)
                               if n.endswith((".yaml", ".yml", ".json")))
        else:
            expanded.append(f)
    try:
        return load_manifests(expanded)
    except UserError as exc:
        raise KubectlError(f"error: {exc}") from None


@verb("apply")
def cmd_apply(ctx: Context, args: Args) -> KubectlResult:
    if not args.filenames:
        raise UsageError("error: must specify one of -f and -k")
    manifests = _load_files(ctx, args.filenames)
    lines = []
    errors = []
    for m in manifests:
        obj = copy.deepcopy(m.obj)
        if args.flags.get("namespace") and obj["kind"] not in _cluster_kinds():
            obj["metadata"].setdefault("namespace", args.namespace)
        existed = ctx.cluster.store.get(obj["kind"], (obj.get("metadata") or {}).get("namespace")
                                        or ctx.namespace, (obj.get("metadata") or {}).get("name") or "") is not None
        try:
            res = ctx.cluster.apiserver.apply(obj)
        except UserError as exc:
            # apply.go: the other objects are still applied; cmdutil.AddSourceToErr words server errors
            # 'error when creating "FILE": ...' and every error is printed after the results (exit 1)
            errors.append(add_source_to_err("creating", getattr(m, "source", ""), str(exc)) if not existed
                          else str(exc))
            continue
        lines.append(f"{kind_slash_name(obj['kind'], obj['metadata']['name'])} {res}")
    out = "".join(line + "\n" for line in lines + errors)
    return KubectlResult(out, 1 if errors else 0)


def add_source_to_err(verb_: str, source: str, msg: str) -> str:
    """cmdutil.AddSourceToErr: an API status error gets 'error when <verb> "<source>": ' in front of
    its message."""
    if source and source != "-" and msg.startswith("Error from server (") and "): " in msg:
        head, _, rest = msg.partition("): ")
        return f'{head}): error when {verb_} "{source}": {rest}'
    return msg


def _check_files(args: Args) -> None:
    import os

    if not args.filenames:
        raise UsageError("error: must specify one of -f and -k")
    for f in args.filenames:
        if f != "-" and not os.path.exists(f):
            raise UsageError(f'error: the path "{f}" does not exist')


cmd_apply.check = _check_files  # type: ignore[attr-defined]


@verb("create", flags={"docker-server": "value", "docker-username": "value", "docker-password": "value",
                       "docker-email": "value", "from-literal": "multi", "type": "value", "image": "value",
                       "replicas": "value", "port": "value"})
def cmd_create(ctx: Context, args: Args) -> KubectlResult:
    if args.filenames:
        lines: list[str] = []
        errors: list[str] = []
        for m in _load_files(ctx, args.filenames):
            obj = copy.deepcopy(m.obj)
            try:
                obj = ctx.cluster.apiserver.create(obj)   # the stored object (generateName resolved)
            except UserError as exc:
                errors.append(add_source_to_err("creating", getattr(m, "source", ""), str(exc)) + "\n")
                continue
            lines.append(f"{kind_slash_name(obj['kind'], obj['metadata']['name'])} created\n")
        return KubectlResult("".join(lines + errors), 1 if errors else 0)
    pos = args.positionals
    if len(pos) >= 3 and pos[0] == "secret" and pos[1] == "docker-registry":
        name = pos[2]
        server = args.flags.get("docker-server") or "https://index.docker.io/v1/"
        user = args.flags.get("docker-username") or ""
        pw = args.flags.get("docker-password") or ""
        auth = base64.b64encode(f"{user}:{pw}".encode()).decode()
        entry = {"username": user, "password": pw, "auth": auth}
        if args.flags.get("docker-email"):
            entry["email"] = args.flags["docker-email"]
        cfg = json.dumps({"auths": {server: entry}}, separators=(",", ":"))
        obj = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson",
               "metadata": {"name": name, "namespace": ctx.namespace},
               "data": {".dockerconfigjson": base64.b64encode(cfg.encode()).decode()}}
        return _create_obj(ctx, obj, f"secret/{name} created")
    if len(pos) >= 3 and pos[0] == "secret" and pos[1] == "generic":
        data = {}
        for lit in args.flags.get("from-literal") or []:
            k, _, v = lit.partition("=")
            data[k] = base64.b64encode(v.encode()).decode()
        obj = {"apiVersion": "v1", "kind": "Secret", "type": args.flags.get("type") or "Opaque",
               "metadata": {"name": pos[2], "namespace": ctx.namespace}, "data": data}
        return _create_obj(ctx, obj, f"secret/{pos[2]} created")
    if len(pos) >= 2 and pos[0] in ("deployment", "deploy"):
        image = args.flags.get("image")
        if not image:
            raise UsageError("error: required flag(s) \"image\" not set")
        name = pos[1]
        # create_deployment.go: container named after the image (last path element, no tag/digest)
        cname = image.split("@")[0].rsplit("/", 1)[-1].split(":")[0]
        obj = {"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": name, "namespace": ctx.namespace, "labels": {"app": name}},
               "spec": {"replicas": int(args.flags.get("replicas") or 1), "selector": {"matchLabels": {"app": name}},
                        "template": {"metadata": {"labels": {"app": name}},
                                     "spec": {"containers": [{"name": cname, "image": image}]}}}}
        return _create_obj(ctx, obj, f"deployment.apps/{name} created")
    if len(pos) >= 2 and pos[0] in ("namespace", "ns"):
        obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": pos[1]}}
        return _create_obj(ctx, obj, f"namespace/{pos[1]} created")
    if len(pos) >= 2 and pos[0] in ("configmap", "cm"):
        data = {}
        for lit in args.flags.get("from-literal") or []:
            k, _, v = lit.partition("=")
            data[k] = v
        obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": pos[1], "namespace": ctx.namespace},
               "data": data}
        return _create_obj(ctx, obj, f"configmap/{pos[1]} created")
    raise UsageError("error: must specify one of -f and -k")


def _create_obj(ctx: Context, obj: dict, line: str) -> KubectlResult:
    try:
        ctx.cluster.apiserver.create(obj)
    except UserError as exc:
        raise KubectlError(str(exc)) from None
    return KubectlResult(line + "\n")


# -- delete -------------------------------------------------------------------------------------------------
FORCE_WARNING = ("Warning: Immediate deletion does not wait for confirmation that the running resource has been "
                 "terminated. The resource may continue to run on the cluster indefinitely.\n")


def _grace_flags(args: Args) -> tuple[int | None, bool]:
    """delete.go Complete: --grace-period=0 without --force → 1; --now → 1; --force alone → 0."""
    raw = args.flags.get("grace-period")
    grace = -1
    if raw is not None:
        try:
            grace = int(raw)
        except ValueError:
            raise UsageError(f'error: invalid argument "{raw}" for "--grace-period" flag: strconv.ParseInt: '
                             f'parsing "{raw}": invalid syntax') from None
    force = bool(args.flags.get("force"))
    if args.flags.get("now"):
        if grace != -1:
            raise UsageError("error: --now and --grace-period cannot be specified together")
        grace = 1
    if grace == 0 and not force:
        grace = 1
    if force and grace < 0:
        grace = 0
    return (None if grace < 0 else grace), force


def _propagation(args: Args) -> str | None:
    """delete.go GetDeletionCascadingStrategy: background (default) | foreground | orphan (or false)."""
    raw = args.flags.get("cascade")
    if raw is None or raw in ("background", "true"):
        return None
    if raw in ("orphan", "false"):
        return "Orphan"
    if raw == "foreground":
        return "Foreground"
    raise UsageError(f'error: invalid cascade value ({raw}). Must be "background", "foreground", or "orphan".')


@verb("delete", flags={"grace-period": "value", "force": "bool", "now": "bool", "all": "bool",
                       "ignore-not-found": "bool", "cascade": "value"})
def cmd_delete(ctx: Context, args: Args) -> KubectlResult:
    grace, force = _grace_flags(args)
    propagation = _propagation(args)
    targets: list[tuple[str, str, str]] = []
    if args.filenames:
        for m in _load_files(ctx, args.filenames):
            targets.append((m.kind, m.namespace or "", m.name))
    else:
        if args.flags.get("all") or args.selector:
            for kind, _ in _targets(ctx, args, need_name=False):
                objs = _select(ctx.cluster.store.list(kind, _ns(ctx, kind) or None), args.selector)
                for o in objs:
                    targets.append((kind, _ns(ctx, kind), o["metadata"]["name"]))
            if not targets:
                return KubectlResult("No resources found\n")
        else:
            for kind, name in _targets(ctx, args, need_name=True):
                targets.append((kind, _ns(ctx, kind), name))
    out = []
    errors = []
    if force and grace == 0:
        out.append(FORCE_WARNING)
    for kind, ns, name in targets:
        try:
            out.append(ctx.cluster.apiserver.delete(kind, ns, name, grace_period=grace, force=force,
                                                    propagation=propagation) + "\n")
        except KeyError as exc:
            if not args.flags.get("ignore-not-found"):
                errors.append(str(exc.args[0]) + "\n")
        except Forbidden as exc:
            errors.append(str(exc) + "\n")
    return KubectlResult("".join(out) + "".join(errors), 1 if errors else 0)


def _check_delete(args: Args) -> None:
    _grace_flags(args)
    _propagation(args)
    if not args.filenames and not args.positionals:
        raise UsageError("error: You must provide one or more resources by argument or filename.")
    if not args.filenames and not args.flags.get("all") and not args.selector:
        pos = args.positionals
        if "/" not in pos[0] and len(pos) < 2:
            raise UsageError("error: resource(s) were provided, but no name was specified")
        for p in (pos if "/" in pos[0] else pos[:1]):
            resolve_kind(p.partition("/")[0] if "/" in p else p.split(",")[0])


cmd_delete.check = _check_delete  # type: ignore[attr-defined]


# -- label / annotate ---------------------------------------------------------------------------------------
def _meta_edit(ctx: Context, args: Args, field: str, word: str) -> KubectlResult:
    pos = list(args.positionals)
    if not pos:
        raise UsageError(f"error: one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if "/" in pos[0]:
        targets = [pos.pop(0)]
        while pos and "/" in pos[0] and "=" not in pos[0]:
            targets.append(pos.pop(0))
        pairs = pos
        tk = [(resolve_kind(t.split("/")[0]), t.split("/", 1)[1]) for t in targets]
    else:
        kind = resolve_kind(pos.pop(0))
        names = []
        while pos and "=" not in pos[0] and not pos[0].endswith("-"):
            names.append(pos.pop(0))
        tk = [(kind, n) for n in names]
        pairs = pos
    if not pairs:
        raise UsageError(f"error: at least one {word} update is required")
    out = []
    for kind, name in tk:
        obj = ctx.cluster.store.get(kind, _ns(ctx, kind), name)
        if obj is None:
            raise KubectlError(not_found(kind, name))
        d = dict(obj["metadata"].get(field) or {})
        changed = False
        for p in pairs:
            if p.endswith("-") and "=" not in p:
                if p[:-1] in d:
                    del d[p[:-1]]
                    changed = True
                continue
            k, _, v = p.partition("=")
            if k in d and d[k] != v and not args.flags.get("overwrite"):
                raise KubectlError(f"error: '{k}' already has a value ({d[k]}), and --overwrite is false")
            if d.get(k) != v:
                d[k] = v
                changed = True
        if changed:
            obj["metadata"][field] = d
            ctx.cluster.apiserver.update(obj)
        removal_only = all(p.endswith("-") and "=" not in p for p in pairs)
        done = ("un" + word) if removal_only else word
        out.append(f"{kind_slash_name(kind, name)} {done if changed else 'not ' + word}\n")
    return KubectlResult("".join(out))


@verb("label", flags={"overwrite": "bool"}, min_args=1)
def cmd_label(ctx: Context, args: Args) -> KubectlResult:
    return _meta_edit(ctx, args, "labels", "labeled")


@verb("annotate", flags={"overwrite": "bool"}, min_args=1)
def cmd_annotate(ctx: Context, args: Args) -> KubectlResult:
    return _meta_edit(ctx, args, "annotations", "annotated")


def _wait_met(obj: dict | None, cond: str) -> bool:
    if cond == "delete":
        return obj is None
    if obj is None:
        return False
    if cond.startswith("condition="):
        want = cond[len("condition="):]
        ctype, _, value = want.partition("=")
        value = value or "True"
        for c in (obj.get("status") or {}).get("conditions") or []:
            if c.get("type", "").lower() == ctype.lower():
                return str(c.get("status")).lower() == value.lower()
        return False
    if cond.startswith("jsonpath="):
        expr = cond[len("jsonpath="):]
        path, _, value = expr.rpartition("=")
        return jsonpath(_serializable(copy.deepcopy(obj)), path).strip("'\"") == value.strip("'\"")
    return False


@verb("wait", flags={"for": "value", "timeout": "value"}, min_args=0)
def cmd_wait(ctx: Context, args: Args) -> KubectlResult:
    """kubectl wait --for=condition=Ready|delete|jsonpath=... TYPE/NAME|-l SEL [--timeout=30s]:
    the virtual clock runs until the condition holds or the timeout passes (the learner waits)."""
    from kubetrainer.durations import parse_duration
    from kubetrainer.errors import UserError as _UE

    cond = args.flags.get("for")
    if not cond or not (cond == "delete" or cond.startswith(("condition=", "jsonpath="))):
        raise UsageError("error: --for must be set to one of: delete, condition=..., jsonpath=...")
    try:
        timeout = parse_duration(str(args.flags.get("timeout") or "30s"))
    except _UE as exc:
        raise UsageError(f"error: {exc}") from None
    store = ctx.cluster.store
    if args.selector:
        targets = [(k, o["metadata"]["name"]) for k, _ in _targets(ctx, args, need_name=False)
                   for o in _select(store.list(k, _ns(ctx, k)), args.selector)]
        if not targets:
            raise KubectlError("error: no matching resources found")
    else:
        targets = _targets(ctx, args, need_name=True)
    for kind, name in targets:
        if store.get(kind, _ns(ctx, kind), name) is None and cond != "delete":
            raise KubectlError(not_found(kind, name))
    deadline = ctx.now + timeout
    cluster = ctx.cluster
    lines = []
    for kind, name in targets:
        while not _wait_met(store.get(kind, _ns(ctx, kind), name), cond):
            nxt = cluster.next_time()
            if nxt is None or nxt > deadline:
                cluster.run_until(deadline)
                if _wait_met(store.get(kind, _ns(ctx, kind), name), cond):
                    break
                return KubectlResult("".join(lines) + f"error: timed out waiting for the condition on "
                                     f"{resource_name(kind)}/{name}\n", 1)
            cluster.step()
        word = "deleted" if cond == "delete" else "condition met"
        lines.append(f"{kind_slash_name(kind, name)} {word}\n")
    return KubectlResult("".join(lines))


def _check_wait(args: Args) -> None:
    cond = args.flags.get("for")
    if not cond or not (cond == "delete" or cond.startswith(("condition=", "jsonpath="))):
        raise UsageError("error: --for must be set to one of: delete, condition=..., jsonpath=...")


cmd_wait.check = _check_wait  # type: ignore[attr-defined]


def _merge_patch(target: Any, patch: Any, strategic: bool) -> Any:
    """RFC 7386 JSON merge patch; `strategic` merges lists of named items (containers, env, ports,
    volumes ...) by their `name` (or containerPort) as strategic-merge-patch's patchMergeKey does."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        elif strategic and isinstance(v, list) and isinstance(out.get(k), list) and v and all(
                isinstance(i, dict) and ("name" in i or "containerPort" in i) for i in v):
            key = "name" if all("name" in i for i in v) else "containerPort"
            merged = [copy.deepcopy(i) for i in out[k]]
            for item in v:
                for j, cur in enumerate(merged):
                    if isinstance(cur, dict) and cur.get(key) == item.get(key):
                        merged[j] = _merge_patch(cur, item, strategic)
                        break
                else:
                    merged.append(copy.deepcopy(item))
            out[k] = merged
        else:
            out[k] = _merge_patch(out.get(k), v, strategic)
    return out


@verb("patch", flags={"patch": "value", "type": "value"}, short={"p": "patch"}, min_args=1)
def cmd_patch(ctx: Context, args: Args) -> KubectlResult:
    """kubectl patch TYPE NAME -p PATCH [--type strategic|merge] (json patch is not simulated)."""
    raw = args.flags.get("patch")
    if raw is None:
        raise UsageError("error: must specify -p to patch")
    ptype = args.flags.get("type") or "strategic"
    if ptype not in ("strategic", "merge", "json"):
        raise UsageError(f'error: --type must be one of [json merge strategic], not "{ptype}"')
    try:
        patch = json.loads(raw)
    except ValueError:
        try:
            patch = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise KubectlError(f"error: unable to parse \"{raw}\": {exc}") from None
    if ptype == "json":
        raise KubectlError("error: json patches are not simulated; use --type merge or strategic")
    if not isinstance(patch, dict):
        raise KubectlError(f'error: unable to parse "{raw}": patch must be a JSON object')
    out = []
    for kind, name in _targets(ctx, args, need_name=True):
        cur = ctx.cluster.store.get(kind, _ns(ctx, kind), name)
        if cur is None:
            raise KubectlError(not_found(kind, name))
        new = _merge_patch(copy.deepcopy(cur), {k: v for k, v in patch.items() if k != "status"}, ptype == "strategic")
        for k in ("metadata",):
            new[k] = {**cur["metadata"], **{kk: vv for kk, vv in (new.get(k) or {}).items()
                                            if kk in ("labels", "annotations")}}
        if new == cur:
            out.append(f"{kind_slash_name(kind, name)} patched (no change)\n")
            continue
        try:
            res = ctx.cluster.apiserver.apply(new)
        except UserError as exc:
            raise KubectlError(str(exc)) from None
        out.append(f"{kind_slash_name(kind, name)} {'patched' if res != 'unchanged' else 'patched (no change)'}\n")
    return KubectlResult("".join(out))


@verb("explain", flags={"recursive": "bool", "api-version": "value"}, min_args=1)
def cmd_explain(ctx: Context, args: Args) -> KubectlResult:
    """kubectl explain FIELD (the vendored OpenAPI schema, kubetrainer.api.explain)."""
    from kubetrainer.api.explain import ExplainError, explain

    try:
        return KubectlResult(explain(args.positionals[0], recursive=bool(args.flags.get("recursive"))))
    except ExplainError as exc:
        raise KubectlError(str(exc)) from None


def service_printer(ctx: Context, objs: list[dict], wide: bool) -> tuple[list[str], list[list[str]]]:
    """printers.go printService: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE [SELECTOR]."""
    from kubetrainer.sim.kubelet.network import cluster_ip

    rows = []
    for o in objs:
        spec = o.get("spec") or {}
        stype = spec.get("type") or "ClusterIP"
        ports = []
        for p in spec.get("ports") or []:
            text = f"{p.get('port')}"
            if p.get("nodePort"):
                text += f":{p['nodePort']}"
            ports.append(f"{text}/{p.get('protocol', 'TCP')}")
        ip = "None" if spec.get("clusterIP") == "None" else cluster_ip(o)
        ext = "<pending>" if stype == "LoadBalancer" else "<none>"
        row = [o["metadata"]["name"], stype, ip, ext, ",".join(ports) or "<none>", age(ctx, o)]
        if wide:
            sel = spec.get("selector") or {}
            row.append(",".join(f"{k}={v}" for k, v in sorted(sel.items())) or "<none>")
        rows.append(row)
    headers = ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"] + (["SELECTOR"] if wide else [])
    return headers, rows


register_resource("Service", ("services", "service", "svc"), printer=service_printer)


def _quota_rows(ctx: Context, q: dict) -> list[tuple[str, str, str]]:
    """(resource, used, hard) sorted by name: the ResourceQuota status the quota controller keeps
    (status.hard = spec.hard; status.used = the namespace's pods' usage, pods.go PodUsageFunc)."""
    from kubetrainer.api.quantity import QuantityError, canonical, parse_quantity

    api = ctx.cluster.apiserver
    used = api.quota_used(q["metadata"].get("namespace", "default"))
    out = []
    for k in sorted(((q.get("spec") or {}).get("hard") or {})):
        h = q["spec"]["hard"][k]
        try:
            hq = parse_quantity(h)
        except QuantityError:
            continue
        u = used.get(k, 0)
        out.append((k, canonical(u, hq.format) if not isinstance(u, int) else str(u), canonical(hq.value, hq.format)))
    return out


def quota_printer(ctx: Context, objs: list[dict], wide: bool) -> tuple[list[str], list[list[str]]]:
    """printers.go printResourceQuota: NAME AGE REQUEST LIMIT ('pods: 2/2, requests.cpu: 400m/1')."""
    rows = []
    for o in objs:
        req, lim = [], []
        for k, u, h in _quota_rows(ctx, o):
            (lim if k.split(".")[0] == "limits" and "." in k else req).append(f"{k}: {u}/{h}")
        rows.append([o["metadata"]["name"], age(ctx, o), ", ".join(req), ", ".join(lim)])
    return ["NAME", "AGE", "REQUEST", "LIMIT"], rows


def describe_quota(ctx: Context, q: dict) -> str:
    """describe.go describeQuota."""
    from kubetrainer.sim.kubectl.workloads import tabwrite

    out = f"Name:\t{q['metadata']['name']}\nNamespace:\t{q['metadata'].get('namespace', 'default')}\n"
    out += "Resource\tUsed\tHard\n--------\t----\t----\n"
    for k, u, h in _quota_rows(ctx, q):
        out += f"{k}\t{u}\t{h}\n"
    return tabwrite(out.rstrip("\n")) + "\n"


def namespace_printer(ctx: Context, objs: list[dict], wide: bool) -> tuple[list[str], list[list[str]]]:
    """printers.go printNamespace: NAME STATUS AGE (status.phase: Active, or Terminating)."""
    rows = [[o["metadata"]["name"], ((o.get("status") or {}).get("phase")) or
             ("Terminating" if o["metadata"].get("deletionTimestamp") is not None else "Active"), age(ctx, o)]
            for o in objs]
    return ["NAME", "STATUS", "AGE"], rows


register_resource("Namespace", ("namespaces", "namespace", "ns"), namespaced=False, printer=namespace_printer)


def serviceaccount_printer(ctx: Context, objs: list[dict], wide: bool) -> tuple[list[str], list[list[str]]]:
    """printers.go printServiceAccount: NAME SECRETS AGE (no token Secrets since 1.24: 0)."""
    return ["NAME", "SECRETS", "AGE"], [[o["metadata"]["name"], str(len(o.get("secrets") or [])), age(ctx, o)]
                                       for o in objs]


register_resource("ServiceAccount", ("serviceaccounts", "serviceaccount", "sa"), printer=serviceaccount_printer)

register_resource("ResourceQuota", ("resourcequotas", "resourcequota", "quota"), printer=quota_printer,
                  describer=describe_quota)

for _kind, _names in (("Secret", ("secrets", "secret")), ("ConfigMap", ("configmaps", "configmap", "cm")),
                      ("Service", ("services", "service", "svc")), ("Namespace", ("namespaces", "namespace", "ns")),
                      ("Node", ("nodes", "node", "no")), ("Event", ("events", "event", "ev")),
                      ("ServiceAccount", ("serviceaccounts", "serviceaccount", "sa")),
                      ("PriorityClass", ("priorityclasses", "priorityclass", "pc")),
                      ("Deployment", ("deployments", "deployment", "deploy")),
                      ("ReplicaSet", ("replicasets", "replicaset", "rs")),
                      ("DaemonSet", ("daemonsets", "daemonset", "ds")),
                      ("StatefulSet", ("statefulsets", "statefulset", "sts")),
                      ("Job", ("jobs", "job"))):
    if _kind not in RESOURCES:
        from kubetrainer.sim.apiserver import _GROUPS

        register_resource(_kind, _names, group=_GROUPS.get(_kind, ""),
                          namespaced=_kind not in ("Namespace", "Node", "PriorityClass"))

