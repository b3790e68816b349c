"""kubectl for workloads: get/describe printers for Deployments, ReplicaSets, DaemonSets and
StatefulSets (pkg/printers/internalversion/printers.go printDeployment/printReplicaSet/
printDaemonSet/printStatefulSet; staging/src/k8s.io/kubectl/pkg/describe/describe.go), and the verbs
`scale`, `set image`, `rollout history|undo|status|pause|resume|restart`
(staging/src/k8s.io/kubectl/pkg/cmd/{scale,set,rollout}, pkg/polymorphichelpers/{history,rollback,
rollout_status}.go)."""

from __future__ import annotations

import copy
from typing import Any

from kubetrainer.sim.controllers import deployment_util as du
from kubetrainer.sim.controllers.common import apiserver, controller_ref, selector_string, ts
from kubetrainer.sim.kubectl import (Args, Context, KubectlError, KubectlResult, register_resource,
                                     resolve_kind, verb)
from kubetrainer.sim.kubectl.generic import age, iso, timestamp

Obj = dict[str, Any]
_GROUPED = {"Deployment": "deployment.apps", "ReplicaSet": "replicaset.apps", "DaemonSet": "daemonset.apps",
            "StatefulSet": "statefulset.apps", "Pod": "pod", "Node": "node"}
_PLURAL = {"Deployment": "deployments.apps", "ReplicaSet": "replicasets.apps", "DaemonSet": "daemonsets.apps",
           "StatefulSet": "statefulsets.apps", "Pod": "pods", "Node": "nodes"}


# -- text/tabwriter as kubectl describe uses it (minwidth 0, tabwidth 8, padding 2, padchar ' ') -----------
def tabwrite(text: str, padding: int = 2) -> str:
    lines = [ln.split("\t") for ln in text.split("\n")]
    widths: list[list[int]] = [[] for _ in lines]

    def fmt(line0: int, line1: int, col: int) -> None:
        i = line0
        while i < line1:
            if len(lines[i]) - 1 <= col:
                i += 1
                continue
            j = i
            width = 0
            while j < line1 and len(lines[j]) - 1 > col:
                width = max(width, len(lines[j][col]) + padding)
                j += 1
            for k in range(i, j):
                widths[k].append(width)
            fmt(i, j, col + 1)
            i = j

    fmt(0, len(lines), 0)
    out = []
    for cells, ws in zip(lines, widths):
        parts = [c.ljust(ws[n]) if n < len(ws) else c for n, c in enumerate(cells)]
        out.append("".join(parts))
    return "\n".join(out)


def kv_multiline(title: str, d: Obj | None, indent: str = "") -> str:
    """printLabelsMultiline / printAnnotationsMultiline: first on the title line, the rest aligned."""
    if not d:
        return f"{indent}{title}:\t<none>\n"
    items = sorted(d.items())
    sep = ": " if title.strip() == "Annotations" else "="
    out = f"{indent}{title}:\t{items[0][0]}{sep}{items[0][1]}\n"
    for k, v in items[1:]:
        out += f"{indent}\t{k}{sep}{v}\n"
    return out


# -- printers ----------------------------------------------------------------------------------------------
def _containers_images(template: Obj) -> tuple[str, str]:
    cs = ((template or {}).get("spec") or {}).get("containers") or []
    return ",".join(c.get("name", "") for c in cs), ",".join(c.get("image", "") for c in cs)


def deployment_printer(ctx: Context, objs: list[Obj], wide: bool) -> tuple[list[str], list[list[str]]]:
    headers = ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    if wide:
        headers += ["CONTAINERS", "IMAGES", "SELECTOR"]
    rows = []
    for d in objs:
        st = d.get("status") or {}
        row = [d["metadata"]["name"], f"{int(st.get('readyReplicas') or 0)}/{du.replicas_of(d)}",
               str(int(st.get("updatedReplicas") or 0)), str(int(st.get("availableReplicas") or 0)), age(ctx, d)]
        if wide:
            c, i = _containers_images(d["spec"].get("template"))
            row += [c, i, selector_string(d["spec"].get("selector"))]
        rows.append(row)
    return headers, rows


def replicaset_printer(ctx: Context, objs: list[Obj], wide: bool) -> tuple[list[str], list[list[str]]]:
    headers = ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]
    if wide:
        headers += ["CONTAINERS", "IMAGES", "SELECTOR"]
    rows = []
    for rs in objs:
        st = rs.get("status") or {}
        row = [rs["metadata"]["name"], str(du.replicas_of(rs)), str(int(st.get("replicas") or 0)),
               str(int(st.get("readyReplicas") or 0)), age(ctx, rs)]
        if wide:
            c, i = _containers_images(rs["spec"].get("template"))
            row += [c, i, selector_string(rs["spec"].get("selector"))]
        rows.append(row)
    return headers, rows


def daemonset_printer(ctx: Context, objs: list[Obj], wide: bool) -> tuple[list[str], list[list[str]]]:
    headers = ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"]
    if wide:
        headers += ["CONTAINERS", "IMAGES", "SELECTOR"]
    rows = []
    for ds in objs:
        st = ds.get("status") or {}
        nsel = ((ds["spec"].get("template") or {}).get("spec") or {}).get("nodeSelector") or {}
        row = [ds["metadata"]["name"]] + [str(int(st.get(k) or 0)) for k in (
            "desiredNumberScheduled", "currentNumberScheduled", "numberReady", "updatedNumberScheduled",
            "numberAvailable")] + [",".join(f"{k}={v}" for k, v in sorted(nsel.items())) or "<none>", age(ctx, ds)]
        if wide:
            c, i = _containers_images(ds["spec"].get("template"))
            row += [c, i, selector_string(ds["spec"].get("selector"))]
        rows.append(row)
    return headers, rows


def statefulset_printer(ctx: Context, objs: list[Obj], wide: bool) -> tuple[list[str], list[list[str]]]:
    headers = ["NAME", "READY", "AGE"]
    if wide:
        headers += ["CONTAINERS", "IMAGES"]
    rows = []
    for s in objs:
        st = s.get("status") or {}
        row = [s["metadata"]["name"], f"{int(st.get('readyReplicas') or 0)}/{du.replicas_of(s)}", age(ctx, s)]
        if wide:
            row += list(_containers_images(s["spec"].get("template")))
        rows.append(row)
    return headers, rows


# -- describe -------------------------------------------------------------------------------------------------
def _probe(p: Obj) -> str:
    if "httpGet" in p:
        h = p["httpGet"]
        what = f"http-get {h.get('scheme', 'HTTP').lower()}://{h.get('host', '')}:{h.get('port')}{h.get('path', '/')}"
    elif "tcpSocket" in p:
        what = f"tcp-socket :{p['tcpSocket'].get('port')}"
    elif "exec" in p:
        what = f"exec [{' '.join(p['exec'].get('command') or [])}]"
    elif "grpc" in p:
        what = f"grpc <pod>:{p['grpc'].get('port')} {p['grpc'].get('service', '')}"
    else:
        what = "unknown"
    return (f"{what} delay={p.get('initialDelaySeconds', 0)}s timeout={p.get('timeoutSeconds', 1)}s "
            f"period={p.get('periodSeconds', 10)}s #success={p.get('successThreshold', 1)} "
            f"#failure={p.get('failureThreshold', 3)}")


def describe_template(template: Obj | None, indent: str = "") -> str:
    """DescribePodTemplate."""
    t = template or {}
    meta = t.get("metadata") or {}
    spec = t.get("spec") or {}
    out = f"{indent}Pod Template:\n"
    out += kv_multiline("Labels", meta.get("labels"), indent + "  ")
    if meta.get("annotations"):
        out += kv_multiline("Annotations", meta.get("annotations"), indent + "  ")
    if spec.get("serviceAccountName"):
        out += f"{indent}  Service Account:\t{spec['serviceAccountName']}\n"
    for key, title in (("initContainers", "Init Containers"), ("containers", "Containers")):
        cs = spec.get(key) or []
        if key == "initContainers" and not cs:
            continue
        out += f"{indent}  {title}:\n"
        for c in cs:
            ind = indent + "    "
            out += f"{indent}   {c.get('name')}:\n"
            out += f"{ind}Image:\t{c.get('image', '')}\n"
            ports = [p for p in c.get("ports") or [] if isinstance(p, dict)]
            if ports:
                out += f"{ind}Port:\t{', '.join(str(p.get('containerPort')) + '/' + p.get('protocol', 'TCP') for p in ports)}\n"
                out += f"{ind}Host Port:\t{', '.join(str(p.get('hostPort', 0)) + '/' + p.get('protocol', 'TCP') for p in ports)}\n"
            else:
                out += f"{ind}Port:\t<none>\n{ind}Host Port:\t<none>\n"
            for k, title2 in (("command", "Command"), ("args", "Args")):
                if c.get(k):
                    out += f"{ind}{title2}:\n" + "".join(f"{ind}  {a}\n" for a in c[k])
            res = c.get("resources") or {}
            for k, title2 in (("limits", "Limits"), ("requests", "Requests")):
                if res.get(k):
                    out += f"{ind}{title2}:\n" + "".join(f"{ind}  {rk}:\t{rv}\n" for rk, rv in sorted(res[k].items()))
            for k, title2 in (("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"),
                              ("startupProbe", "Startup")):
                if c.get(k):
                    out += f"{ind}{title2}:\t{_probe(c[k])}\n"
            env = c.get("env") or []
            if env:
                out += f"{ind}Environment:\n"
                for e in env:
                    if "valueFrom" in e:
                        out += f"{ind}  {e.get('name')}:\t<set from {next(iter(e['valueFrom']), '')}>\n"
                    else:
                        out += f"{ind}  {e.get('name')}:\t{e.get('value', '')}\n"
            else:
                out += f"{ind}Environment:\t<none>\n"
            mounts = c.get("volumeMounts") or []
            if mounts:
                out += f"{ind}Mounts:\n" + "".join(
                    f"{ind}  {m.get('mountPath')} from {m.get('name')} ({'ro' if m.get('readOnly') else 'rw'})\n"
                    for m in mounts)
            else:
                out += f"{ind}Mounts:\t<none>\n"
    vols = spec.get("volumes") or []
    if vols:
        out += f"{indent}  Volumes:\n"
        for v in vols:
            out += f"{indent}   {v.get('name')}:\n"
            kind = next((k for k in v if k != "name"), "")
            out += f"{indent}    Type:\t{_VOLUME_TYPES.get(kind, kind)}\n"
    else:
        out += f"{indent}  Volumes:\t<none>\n"
    nsel = spec.get("nodeSelector") or {}
    out += f"{indent}  Node-Selectors:\t{','.join(f'{k}={v}' for k, v in sorted(nsel.items())) or '<none>'}\n"
    tols = spec.get("tolerations") or []
    out += f"{indent}  Tolerations:\t{toleration_text(tols[0]) if tols else '<none>'}\n"
    for tol in tols[1:]:
        out += f"{indent}  \t{toleration_text(tol)}\n"
    return out


_VOLUME_TYPES = {"emptyDir": "EmptyDir (a temporary directory that shares a pod's lifetime)",
                 "configMap": "ConfigMap (a volume populated by a ConfigMap)",
                 "secret": "Secret (a volume populated by a Secret)",
                 "hostPath": "HostPath (bare host directory volume)",
                 "persistentVolumeClaim": "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)"}


def toleration_text(t: Obj) -> str:
    """describe.go printTolerationsMultiline."""
    s = t.get("key") or ""
    if t.get("value"):
        s += f"={t['value']}"
    if t.get("effect"):
        s += f":{t['effect']}"
    if t.get("operator") == "Exists" and not t.get("value"):
        s += " op=Exists"
    if t.get("tolerationSeconds") is not None:
        s += f" for {t['tolerationSeconds']}s"
    return s


def _events(ctx: Context, obj: Obj) -> str:
    ref = f"{obj['kind']}/{obj['metadata'].get('namespace', '')}/{obj['metadata']['name']}"
    return describe_events(ctx.cluster.events.for_object(ref, obj["metadata"].get("uid")), ctx.now)


def describe_events(events: list, now: float) -> str:
    """describe.go DescribeEvents: one row per aggregated event (object, type, reason, message,
    source), `AGE (xN over FIRST)`, in the describe tabwriter (padding 2)."""
    from kubetrainer.sim.events import describe_age, series

    if not events:
        return "Events:\t<none>\n"
    text = "  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n"
    for s in series(events):
        e = s.event
        text += f"  {e.type}\t{e.reason}\t{describe_age(now, s)}\t{e.source}\t{e.message.strip()}\n"
    return "Events:\n" + text


def _header(obj: Obj) -> str:
    meta = obj["metadata"]
    out = f"Name:\t{meta['name']}\n"
    if obj["kind"] != "Node":
        out += f"Namespace:\t{meta.get('namespace', 'default')}\n"
    return out


def describe_deployment(ctx: Context, d: Obj) -> str:
    meta = d["metadata"]
    st = d.get("status") or {}
    out = _header(d)
    out += f"CreationTimestamp:\t{timestamp(meta.get('creationTimestamp'))}\n"
    out += kv_multiline("Labels", meta.get("labels"))
    out += kv_multiline("Annotations", meta.get("annotations"))
    out += f"Selector:\t{selector_string(d['spec'].get('selector'))}\n"
    out += (f"Replicas:\t{du.replicas_of(d)} desired | {int(st.get('updatedReplicas') or 0)} updated | "
            f"{int(st.get('replicas') or 0)} total | {int(st.get('availableReplicas') or 0)} available | "
            f"{int(st.get('unavailableReplicas') or 0)} unavailable\n")
    strat = du.strategy(d)
    out += f"StrategyType:\t{strat.get('type', 'RollingUpdate')}\n"
    out += f"MinReadySeconds:\t{int(d['spec'].get('minReadySeconds') or 0)}\n"
    if du.is_rolling(d):
        ru = strat.get("rollingUpdate") or {}
        out += (f"RollingUpdateStrategy:\t{ru.get('maxUnavailable', '25%')} max unavailable, "
                f"{ru.get('maxSurge', '25%')} max surge\n")
    out += describe_template(d["spec"].get("template"))
    conds = st.get("conditions") or []
    if conds:
        out += "Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n"
        for c in conds:   # describeDeployment: "%v \t%v\t%v"
            out += f"  {c.get('type')} \t{c.get('status')}\t{c.get('reason', '')}\n"
    idx = _owned_rss(ctx, d)
    new_rs = du.find_new_rs(d, idx)
    old = [rs for rs in idx if rs is not new_rs and du.rs_replicas(rs) > 0]
    def rs_line(rs: Obj) -> str:
        return f"{rs['metadata']['name']} ({int((rs.get('status') or {}).get('replicas') or 0)}/{du.rs_replicas(rs)} replicas created)"
    out += f"OldReplicaSets:\t{', '.join(rs_line(r) for r in old) if old else '<none>'}\n"
    out += f"NewReplicaSet:\t{rs_line(new_rs) if new_rs is not None else '<none>'}\n"
    return tabwrite((out + _events(ctx, d)).rstrip("\n")) + "\n"


def _owned_rss(ctx: Context, d: Obj) -> list[Obj]:
    uid = d["metadata"].get("uid")
    return [rs for rs in ctx.cluster.store.list("ReplicaSet", d["metadata"]["namespace"])
            if (controller_ref(rs) or {}).get("uid") == uid]


def _pods_status(ctx: Context, owner: Obj) -> str:
    running = waiting = succeeded = failed = 0
    uid = owner["metadata"].get("uid")
    for p in ctx.cluster.store.list("Pod", owner["metadata"]["namespace"]):
        if (controller_ref(p) or {}).get("uid") != uid:
            continue
        ph = (p.get("status") or {}).get("phase")
        if ph == "Running":
            running += 1
        elif ph == "Succeeded":
            succeeded += 1
        elif ph == "Failed":
            failed += 1
        else:
            waiting += 1
    return f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed"


def _controlled_by(obj: Obj) -> str:
    ref = controller_ref(obj)
    return f"Controlled By:\t{ref['kind']}/{ref['name']}\n" if ref else ""


def describe_replicaset(ctx: Context, rs: Obj) -> str:
    meta = rs["metadata"]
    st = rs.get("status") or {}
    out = _header(rs)
    out += f"Selector:\t{selector_string(rs['spec'].get('selector'))}\n"
    out += kv_multiline("Labels", meta.get("labels"))
    out += kv_multiline("Annotations", meta.get("annotations"))
    out += _controlled_by(rs)
    out += f"Replicas:\t{int(st.get('replicas') or 0)} current / {du.replicas_of(rs)} desired\n"
    out += f"Pods Status:\t{_pods_status(ctx, rs)}\n"
    out += describe_template(rs["spec"].get("template"))
    # describeReplicaSet / describeReplicationController: `%v \t%v\t%v` rows (note the space)
    conds = st.get("conditions") or []
    if conds:
        out += "Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n"
        for c in conds:
            out += f"  {c.get('type')} \t{c.get('status')}\t{c.get('reason', '')}\n"
    return tabwrite((out + _events(ctx, rs)).rstrip("\n")) + "\n"


def describe_daemonset(ctx: Context, ds: Obj) -> str:
    meta = ds["metadata"]
    st = ds.get("status") or {}
    out = _header(ds)
    out += f"Selector:\t{selector_string(ds['spec'].get('selector'))}\n"
    nsel = ((ds["spec"].get("template") or {}).get("spec") or {}).get("nodeSelector") or {}
    out += f"Node-Selector:\t{','.join(f'{k}={v}' for k, v in sorted(nsel.items())) or '<none>'}\n"
    out += kv_multiline("Labels", meta.get("labels"))
    out += kv_multiline("Annotations", meta.get("annotations"))
    out += f"Desired Number of Nodes Scheduled: {int(st.get('desiredNumberScheduled') or 0)}\n"
    out += f"Current Number of Nodes Scheduled: {int(st.get('currentNumberScheduled') or 0)}\n"
    out += f"Number of Nodes Scheduled with Up-to-date Pods: {int(st.get('updatedNumberScheduled') or 0)}\n"
    out += f"Number of Nodes Scheduled with Available Pods: {int(st.get('numberAvailable') or 0)}\n"
    out += f"Number of Nodes Misscheduled: {int(st.get('numberMisscheduled') or 0)}\n"
    out += f"Pods Status:\t{_pods_status(ctx, ds)}\n"
    out += describe_template(ds["spec"].get("template"))
    return tabwrite((out + _events(ctx, ds)).rstrip("\n")) + "\n"


def describe_statefulset(ctx: Context, s: Obj) -> str:
    meta = s["metadata"]
    st = s.get("status") or {}
    out = _header(s)
    out += f"CreationTimestamp:\t{timestamp(meta.get('creationTimestamp'))}\n"
    out += f"Selector:\t{selector_string(s['spec'].get('selector'))}\n"
    out += kv_multiline("Labels", meta.get("labels"))
    out += kv_multiline("Annotations", meta.get("annotations"))
    out += f"Replicas:\t{du.replicas_of(s)} desired | {int(st.get('replicas') or 0)} total\n"
    strat = (s["spec"].get("updateStrategy") or {})
    out += f"Update Strategy:\t{strat.get('type', 'RollingUpdate')}\n"
    if strat.get("type", "RollingUpdate") == "RollingUpdate":
        out += f"  Partition:\t{int((strat.get('rollingUpdate') or {}).get('partition') or 0)}\n"
    out += f"Pods Status:\t{_pods_status(ctx, s)}\n"
    out += describe_template(s["spec"].get("template"))
    out += "Volume Claims:\t<none>\n"
    return tabwrite((out + _events(ctx, s)).rstrip("\n")) + "\n"


register_resource("Deployment", names=("deployments", "deployment", "deploy"), group="apps",
                  printer=deployment_printer, describer=describe_deployment)
register_resource("ReplicaSet", names=("replicasets", "replicaset", "rs"), group="apps",
                  printer=replicaset_printer, describer=describe_replicaset)
register_resource("ReplicationController", names=("replicationcontrollers", "replicationcontroller", "rc"),
                  printer=replicaset_printer, describer=lambda ctx, o: describe_replicaset(ctx, o))
register_resource("DaemonSet", names=("daemonsets", "daemonset", "ds"), group="apps",
                  printer=daemonset_printer, describer=describe_daemonset)
register_resource("StatefulSet", names=("statefulsets", "statefulset", "sts"), group="apps",
                  printer=statefulset_printer, describer=describe_statefulset)


# -- helpers for the verbs ------------------------------------------------------------------------------------------
def targets(args: Args, allowed: tuple[str, ...] | None = None, ctx: Context | None = None) -> list[tuple[str, str]]:
    """'deployment/web', 'deployment web', 'deploy web db', or the objects of `-f FILE` -> [(kind, name)]."""
    pos = list(args.positionals)
    out: list[tuple[str, str]] = []
    if args.filenames and ctx is not None:
        from kubetrainer.sim.kubectl.generic import _load_files

        for m in _load_files(ctx, args.filenames):
            obj = m.obj if hasattr(m, "obj") else m
            out.append((obj["kind"], obj["metadata"]["name"]))
        if pos:
            raise KubectlError("error: when paths, URLs, or stdin is provided as input, you may not specify "
                               "resource arguments as well")
        return out
    if not pos:
        raise KubectlError("error: you must provide one or more resources by argument or filename")
    if "/" in pos[0]:
        for p in pos:
            if "/" not in p:
                raise KubectlError("error: there is no need to specify a resource type as a separate argument "
                                   "when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' "
                                   "instead of 'kubectl get resource resource/<resource_name>'")
            t, _, n = p.partition("/")
            out.append((resolve_kind(t), n))
    else:
        kind = resolve_kind(pos[0])
        if len(pos) < 2:
            raise KubectlError(f"error: resource(s) were provided, but no name was specified")
        out = [(kind, n) for n in pos[1:]]
    if allowed is not None:
        for kind, _ in out:
            if kind not in allowed:
                raise KubectlError(f'error: no {args.verb}r has been implemented for {{"{_group_kind(kind)}"}}'
                                   if args.verb else "error: unsupported resource")
    return out


def _group_kind(kind: str) -> str:
    g = _PLURAL.get(kind, kind.lower())
    return g


def get_obj(ctx: Context, kind: str, name: str) -> Obj:
    ns = "" if kind == "Node" else ctx.namespace
    obj = ctx.cluster.store.get(kind, ns, name)
    if obj is None:
        raise KubectlError(f'Error from server (NotFound): {_PLURAL.get(kind, kind.lower() + "s")} "{name}" not found')
    return obj


def slash(kind: str, name: str) -> str:
    return f"{_GROUPED.get(kind, kind.lower())}/{name}"


# -- scale ----------------------------------------------------------------------------------------------------------
@verb("scale", flags={"replicas": "value", "current-replicas": "value", "resource-version": "value",
                      "timeout": "value", "all": "bool"}, min_args=1)
def cmd_scale(ctx: Context, args: Args) -> KubectlResult:
    if "replicas" not in args.flags:
        raise KubectlError('error: required flag(s) "replicas" not set')
    try:
        n = int(args.flags["replicas"])
    except ValueError:
        raise KubectlError(f'error: invalid argument "{args.flags["replicas"]}" for "--replicas" flag: '
                           f'strconv.ParseInt: parsing "{args.flags["replicas"]}": invalid syntax') from None
    if n < 0:
        raise KubectlError("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    out = []
    for kind, name in targets(args, ctx=ctx):
        if kind not in ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"):
            raise KubectlError(f'error: cannot scale {_group_kind(kind)}: no scale subresource')
        obj = get_obj(ctx, kind, name)
        cur = args.flags.get("current-replicas")
        if cur is not None and (not str(cur).lstrip("-").isdigit() or int(cur) != du.replicas_of(obj)):
            raise KubectlError(f"error: Expected replicas to be {cur}, was {du.replicas_of(obj)}")
        if du.replicas_of(obj) != n:
            obj["spec"]["replicas"] = n
            apiserver(ctx.cluster).update(obj, spec_changed=True)
        out.append(f"{slash(kind, name)} scaled\n")
    return KubectlResult("".join(out))


def _scale_check(args: Args) -> None:
    if "replicas" not in args.flags:
        raise KubectlError('error: required flag(s) "replicas" not set')


cmd_scale.check = _scale_check  # type: ignore[attr-defined]


# -- set image --------------------------------------------------------------------------------------------------------
@verb("set", flags={"all": "bool", "containers": "value", "limits": "value", "requests": "value",
                    "env": "multi", "overwrite": "bool"}, short={"c": "containers", "e": "env"}, min_args=1)
def cmd_set(ctx: Context, args: Args) -> KubectlResult:
    sub = args.positionals[0]
    if sub not in _SET_SUBS:
        raise KubectlError(f'error: unknown command "{sub}" for "kubectl set"')
    return _SET_SUBS[sub](ctx, args)


def _pod_spec_of(kind: str, obj: Obj) -> Obj:
    """The pod spec the `set` verbs change in place. A Pod's own copy: pods share the parts of
    their specs that are equal (sim/sharing.py share_pod_parts)."""
    if kind == "Pod":
        obj["spec"] = copy.deepcopy(obj["spec"])
        return obj["spec"]
    if kind == "CronJob":
        return ((((obj["spec"].get("jobTemplate") or {}).get("spec") or {}).get("template") or {})
                .get("spec") or {})
    return (obj["spec"].get("template") or {}).get("spec") or {}


def _check_pod_update(obj: Obj, old_spec: Obj | None, what: str, sep: str) -> None:
    """A Pod's spec after a `set` verb goes through the API server's ValidatePodUpdate (only
    images and a few fields may change): on refusal the pod keeps `old_spec` and kubectl reports
    the patch error as set_env.go / set_resources.go format it ("failed to patch <what> update
    to pod template" + sep + the StatusError text)."""
    if old_spec is None:
        return
    from kubetrainer.api.validation import validate_update

    errs = validate_update({**obj, "spec": old_spec}, obj)
    if errs:
        obj["spec"] = old_spec
        name = obj["metadata"]["name"]
        raise KubectlError(f'error: failed to patch {what} update to pod template{sep}Pod "{name}" is invalid: '
                           + ", ".join(str(e) for e in errs))


def _record(args: Args, obj: Obj, kind: str, sub: str) -> None:
    if args.flags.get("record") and kind != "Pod":
        # --record (deprecated): the command line becomes the kubernetes.io/change-cause annotation
        # (cmdutil RecordChangeCause: "kubectl <command path> <args> --flag=value ...")
        flags = "".join(f" --{k}={'true' if v is True else (','.join(v) if isinstance(v, list) else v)}"
                        for k, v in args.flags.items())
        cause = f"kubectl set {sub} {' '.join(args.positionals[1:])}{flags}"
        obj["metadata"].setdefault("annotations", {})[du.CHANGE_CAUSE] = cause


def _selected(c: Obj, pattern: str) -> bool:
    import fnmatch

    return fnmatch.fnmatchcase(c.get("name", ""), pattern or "*")


def set_image(ctx: Context, args: Args) -> KubectlResult:
    """kubectl set image (staging/src/k8s.io/kubectl/pkg/cmd/set/set_image.go)."""
    rest = args.positionals[1:]
    res_args = [a for a in rest if "=" not in a]
    pairs = [a for a in rest if "=" in a]
    if not pairs:
        raise KubectlError("error: at least one image update is required")
    sub_args = Args(verb="set image", positionals=res_args, flags=args.flags, rest=[], filenames=args.filenames)
    out = []
    for kind, name in targets(sub_args, ctx=ctx):
        obj = get_obj(ctx, kind, name)
        spec = _pod_spec_of(kind, obj)
        changed = False
        for pair in pairs:
            cname, _, image = pair.partition("=")
            found = False
            for key in ("initContainers", "containers"):
                for c in spec.get(key) or []:
                    if cname == "*" or c.get("name") == cname:
                        found = True
                        if c.get("image") != image:
                            c["image"] = image
                            changed = True
            if not found:
                raise KubectlError(f'error: unable to find container named "{cname}"')
        if changed:
            _record(args, obj, kind, "image")
            apiserver(ctx.cluster).update(obj, spec_changed=True)
        out.append(f"{slash(kind, name)} image updated\n")
    return KubectlResult("".join(out))


def _resource_list(text: str, flag: str) -> Obj:
    """--limits=cpu=200m,memory=512Mi -> {"cpu": "200m", "memory": "512Mi"} (validated quantities)."""
    from kubetrainer.api.quantity import parse_quantity

    out: Obj = {}
    for part in text.split(","):
        if not part:
            continue
        k, eq, v = part.partition("=")
        if not eq or not k:
            raise KubectlError(f'error: invalid argument "{text}" for "--{flag}" flag: {part} is not a valid '
                               "resource assignment")
        try:
            parse_quantity(v)
        except Exception:
            raise KubectlError(f"error: quantities must match the regular expression "
                               f"'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'") from None
        out[k] = v
    return out


def set_resources(ctx: Context, args: Args) -> KubectlResult:
    """kubectl set resources (set_resources.go): -c/--containers selects containers (wildcards)."""
    limits = _resource_list(args.flags["limits"], "limits") if args.flags.get("limits") else {}
    requests = _resource_list(args.flags["requests"], "requests") if args.flags.get("requests") else {}
    if not limits and not requests:
        raise KubectlError("error: you must specify an update to requests or limits (in the form of "
                           "--requests/--limits)")
    sub_args = Args(verb="set resources", positionals=args.positionals[1:], flags=args.flags, rest=[],
                    filenames=args.filenames)
    out = []
    for kind, name in targets(sub_args, ctx=ctx):
        obj = get_obj(ctx, kind, name)
        old_spec = obj["spec"] if kind == "Pod" else None
        spec = _pod_spec_of(kind, obj)
        changed = False
        found = False
        for c in spec.get("containers") or []:
            if not _selected(c, args.flags.get("containers", "*")):
                continue
            found = True
            res = c.setdefault("resources", {})
            for key, vals in (("limits", limits), ("requests", requests)):
                if vals:
                    cur = res.setdefault(key, {})
                    for k, v in vals.items():
                        if cur.get(k) != v:
                            cur[k] = v
                            changed = True
        if not found:
            raise KubectlError(f'error: unable to find container named {args.flags.get("containers", "*")}')
        if changed:
            _check_pod_update(obj, old_spec, "resources", " ")
            _record(args, obj, kind, "resources")
            apiserver(ctx.cluster).update(obj, spec_changed=True)
        out.append(f"{slash(kind, name)} resource requirements updated\n")
    return KubectlResult("".join(out))


def set_env(ctx: Context, args: Args) -> KubectlResult:
    """kubectl set env (set_env.go): KEY=VALUE and KEY- arguments, -e/--env, -c/--containers."""
    rest = args.positionals[1:]
    envs = [a for a in rest if "=" in a or (a.endswith("-") and "/" not in a and a[:-1].isidentifier())]
    res_args = [a for a in rest if a not in envs]
    envs += list(args.flags.get("env") or [])
    if not envs:
        raise KubectlError("error: at least one environment variable must be provided")
    sub_args = Args(verb="set env", positionals=res_args, flags=args.flags, rest=[], filenames=args.filenames)
    out = []
    for kind, name in targets(sub_args, ctx=ctx):
        obj = get_obj(ctx, kind, name)
        old_spec = obj["spec"] if kind == "Pod" else None
        spec = _pod_spec_of(kind, obj)
        changed = False
        for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
            if not _selected(c, args.flags.get("containers", "*")):
                continue
            env = list(c.get("env") or [])
            for e in envs:
                if e.endswith("-") and "=" not in e:
                    key = e[:-1]
                    new = [x for x in env if x.get("name") != key]
                    changed |= len(new) != len(env)
                    env = new
                    continue
                key, _, val = e.partition("=")
                cur = next((x for x in env if x.get("name") == key), None)
                if cur is None:
                    env.append({"name": key, "value": val})
                    changed = True
                elif cur.get("value") != val or "valueFrom" in cur:
                    cur.pop("valueFrom", None)
                    cur["value"] = val
                    changed = True
            if env:
                c["env"] = env
            else:
                c.pop("env", None)
        if changed:
            _check_pod_update(obj, old_spec, "env", ": ")
            _record(args, obj, kind, "env")
            apiserver(ctx.cluster).update(obj, spec_changed=True)
            out.append(f"{slash(kind, name)} env updated\n")
    return KubectlResult("".join(out))


_SET_SUBS = {"image": set_image, "resources": set_resources, "env": set_env}


def _set_check(args: Args) -> None:
    if not args.positionals or args.positionals[0] not in _SET_SUBS:
        raise KubectlError('error: only "kubectl set image|resources|env" are simulated')


cmd_set.check = _set_check  # type: ignore[attr-defined]


# -- rollout ------------------------------------------------------------------------------------------------------------
ROLLOUT_SUBS = ("history", "undo", "status", "pause", "resume", "restart")


@verb("rollout", flags={"to-revision": "value", "revision": "value", "timeout": "value"}, min_args=2)
def cmd_rollout(ctx: Context, args: Args) -> KubectlResult:
    sub = args.positionals[0]
    if sub not in ROLLOUT_SUBS:
        raise KubectlError(f'error: unknown command "{sub}" for "kubectl rollout"')
    sub_args = Args(verb=f"rollout {sub}", positionals=args.positionals[1:], flags=args.flags, rest=[])
    out = []
    for kind, name in targets(sub_args):
        if kind not in ("Deployment", "DaemonSet", "StatefulSet"):
            raise KubectlError(f'error: no {sub} has been implemented for {{"{_group_kind(kind)}"}}')
        obj = get_obj(ctx, kind, name)
        out.append(_ROLLOUT[sub](ctx, args, kind, obj))
    return KubectlResult("".join(out))


def _rollout_check(args: Args) -> None:
    if not args.positionals or args.positionals[0] not in ROLLOUT_SUBS:
        raise KubectlError(f'error: unknown rollout subcommand; use one of {", ".join(ROLLOUT_SUBS)}')


cmd_rollout.check = _rollout_check  # type: ignore[attr-defined]


def _history_items(ctx: Context, d: Obj) -> dict[int, Obj]:
    hist: dict[int, Obj] = {}
    for rs in _owned_rss(ctx, d):
        v = du.revision_of(rs)
        hist[v] = rs
    return hist


def _revision_history(ctx: Context, obj: Obj) -> dict[int, Obj]:
    """DaemonSet/StatefulSet history: their ControllerRevisions, as objects with a pod template."""
    from kubetrainer.sim.controllers.revisions import revision_template, revisions_of

    out: dict[int, Obj] = {}
    for r in revisions_of(ctx.cluster, obj):
        out[int(r.get("revision") or 0)] = {"metadata": {"annotations": r["metadata"].get("annotations") or {}},
                                            "spec": {"template": revision_template(r)}}
    return out


def rollout_history(ctx: Context, args: Args, kind: str, obj: Obj) -> str:
    hist = _history_items(ctx, obj) if kind == "Deployment" else _revision_history(ctx, obj)
    rev = args.flags.get("revision")
    if rev is not None and not str(rev).lstrip("-").isdigit():
        raise KubectlError(f'error: invalid argument "{rev}" for "--revision" flag: '
                           f'strconv.ParseInt: parsing "{rev}": invalid syntax')
    if not hist:
        return "No rollout history found.\n"
    if rev is not None and int(rev) > 0:
        rs = hist.get(int(rev))
        if rs is None:
            raise KubectlError("error: unable to find the specified revision")
        t = copy.deepcopy(rs["spec"].get("template") or {})
        cause = (rs["metadata"].get("annotations") or {}).get(du.CHANGE_CAUSE)
        if cause:
            t.setdefault("metadata", {}).setdefault("annotations", {})[du.CHANGE_CAUSE] = cause
        return (f"{slash(kind, obj['metadata']['name'])} with revision #{int(rev)}\n"
                + tabwrite(describe_template(t).rstrip("\n")) + "\n\n")
    rows = "REVISION\tCHANGE-CAUSE\n"
    for r in sorted(hist):
        cause = (hist[r]["metadata"].get("annotations") or {}).get(du.CHANGE_CAUSE) or "<none>"
        rows += f"{r}\t{cause}\n"
    return f"{slash(kind, obj['metadata']['name'])} \n" + tabwrite(rows.rstrip("\n")) + "\n\n"


def rollout_undo(ctx: Context, args: Args, kind: str, d: Obj) -> str:
    """polymorphichelpers/rollback.go DeploymentRollbacker.Rollback (client side)."""
    name = d["metadata"]["name"]
    if kind != "Deployment":
        return _undo_revision(ctx, args, kind, d)
    if d["spec"].get("paused"):
        raise KubectlError("error: you cannot rollback a paused deployment; resume it first with "
                           "'kubectl rollout resume' and try again")
    try:
        to = int(args.flags.get("to-revision") or 0)
    except ValueError:
        v = args.flags.get("to-revision")
        raise KubectlError(f'error: invalid argument "{v}" for "--to-revision" flag: '
                           f'strconv.ParseInt: parsing "{v}": invalid syntax') from None
    rss = _owned_rss(ctx, d)
    target = None
    if to > 0:
        target = next((rs for rs in rss if du.revision_of(rs) == to), None)
        if target is None:
            raise KubectlError(f"error: unable to find specified revision {to} in history")
    else:
        latest = prev = None
        lrev = prev_rev = -1
        for rs in rss:
            v = du.revision_of(rs)
            if lrev < v:
                prev, prev_rev = latest, lrev
                latest, lrev = rs, v
            elif prev_rev < v:
                prev, prev_rev = rs, v
        if prev is None:
            raise KubectlError(f'error: no rollout history found for deployment "{name}"')
        target = prev
    if du.equal_ignore_hash(target["spec"].get("template"), d["spec"].get("template")):
        return f"{slash(kind, name)} skipped rollback (current template already matches revision {to})\n"
    t = copy.deepcopy(target["spec"]["template"])
    labels = (t.get("metadata") or {}).get("labels") or {}
    labels.pop(du.HASH_LABEL, None)
    ann: dict[str, str] = {}
    for k in du.ANNOTATIONS_TO_SKIP:
        v = (d["metadata"].get("annotations") or {}).get(k)
        if v is not None:
            ann[k] = v
    for k, v in (target["metadata"].get("annotations") or {}).items():
        if k not in du.ANNOTATIONS_TO_SKIP:
            ann[k] = v
    d["spec"]["template"] = t
    d["metadata"]["annotations"] = ann
    apiserver(ctx.cluster).update(d, spec_changed=True)
    return f"{slash(kind, name)} rolled back\n"


def _undo_revision(ctx: Context, args: Args, kind: str, obj: Obj) -> str:
    """polymorphichelpers/rollback.go DaemonSetRollbacker / StatefulSetRollbacker."""
    name = obj["metadata"]["name"]
    try:
        to = int(args.flags.get("to-revision") or 0)
    except ValueError:
        v = args.flags.get("to-revision")
        raise KubectlError(f'error: invalid argument "{v}" for "--to-revision" flag: '
                           f'strconv.ParseInt: parsing "{v}": invalid syntax') from None
    hist = _revision_history(ctx, obj)
    target = None
    if to == 0:
        revs = sorted(hist)
        if len(revs) > 1:
            target = hist[revs[-2]]
    else:
        target = hist.get(to)
    if target is None:
        raise KubectlError(f"error: unable to find specified revision {to} in history")
    if target["spec"]["template"] == (obj["spec"].get("template") or {}):
        return f"{slash(kind, name)} skipped rollback (current template already matches revision {to})\n"
    obj["spec"]["template"] = copy.deepcopy(target["spec"]["template"])
    apiserver(ctx.cluster).update(obj, spec_changed=True)
    return f"{slash(kind, name)} rolled back\n"


def rollout_status(ctx: Context, args: Args, kind: str, obj: Obj) -> str:
    """polymorphichelpers/rollout_status.go (one observation, as with --watch=false)."""
    name = obj["metadata"]["name"]
    st = obj.get("status") or {}
    g = lambda k: int(st.get(k) or 0)  # noqa: E731
    gen = int(obj["metadata"].get("generation") or 1)
    if kind == "Deployment":
        if gen <= g("observedGeneration"):
            cond = du.get_condition(st, "Progressing")
            if cond is not None and cond.get("reason") == du.TIMED_OUT_REASON:
                raise KubectlError(f'error: deployment "{name}" exceeded its progress deadline')
            r = du.replicas_of(obj)
            if g("updatedReplicas") < r:
                return (f'Waiting for deployment "{name}" rollout to finish: {g("updatedReplicas")} out of {r} '
                        "new replicas have been updated...\n")
            if g("replicas") > g("updatedReplicas"):
                return (f'Waiting for deployment "{name}" rollout to finish: {g("replicas") - g("updatedReplicas")} '
                        "old replicas are pending termination...\n")
            if g("availableReplicas") < g("updatedReplicas"):
                return (f'Waiting for deployment "{name}" rollout to finish: {g("availableReplicas")} of '
                        f'{g("updatedReplicas")} updated replicas are available...\n')
            return f'deployment "{name}" successfully rolled out\n'
        return "Waiting for deployment spec update to be observed...\n"
    if kind == "DaemonSet":
        if gen <= g("observedGeneration"):
            if g("updatedNumberScheduled") < g("desiredNumberScheduled"):
                return (f'Waiting for daemon set "{name}" rollout to finish: {g("updatedNumberScheduled")} out of '
                        f'{g("desiredNumberScheduled")} new pods have been updated...\n')
            if g("numberAvailable") < g("desiredNumberScheduled"):
                return (f'Waiting for daemon set "{name}" rollout to finish: {g("numberAvailable")} of '
                        f'{g("desiredNumberScheduled")} updated pods are available...\n')
            return f'daemon set "{name}" successfully rolled out\n'
        return "Waiting for daemon set spec update to be observed...\n"
    # StatefulSet
    if gen > g("observedGeneration"):
        return "Waiting for statefulset spec update to be observed...\n"
    r = du.replicas_of(obj)
    if g("readyReplicas") < r:
        return f"Waiting for {r - g('readyReplicas')} pods to be ready...\n"
    if st.get("updateRevision") and st.get("currentRevision") != st.get("updateRevision"):
        return (f"waiting for statefulset rolling update to complete {g('updatedReplicas')} pods at revision "
                f"{st.get('updateRevision')}...\n")
    return f"statefulset rolling update complete {r} pods at revision {st.get('currentRevision', '')}...\n"


def rollout_pause(ctx: Context, args: Args, kind: str, obj: Obj) -> str:
    name = obj["metadata"]["name"]
    if kind != "Deployment":
        raise KubectlError(f'error: {_group_kind(kind)} "{name}" pausing is not supported')
    if obj["spec"].get("paused"):
        raise KubectlError(f'error: deployments.apps "{name}" is already paused')
    obj["spec"]["paused"] = True
    apiserver(ctx.cluster).update(obj, spec_changed=True)
    return f"{slash(kind, name)} paused\n"


def rollout_resume(ctx: Context, args: Args, kind: str, obj: Obj) -> str:
    name = obj["metadata"]["name"]
    if kind != "Deployment":
        raise KubectlError(f'error: {_group_kind(kind)} "{name}" resuming is not supported')
    if not obj["spec"].get("paused"):
        raise KubectlError(f'error: deployments.apps "{name}" is not paused')
    obj["spec"]["paused"] = False
    apiserver(ctx.cluster).update(obj, spec_changed=True)
    return f"{slash(kind, name)} resumed\n"


def rollout_restart(ctx: Context, args: Args, kind: str, obj: Obj) -> str:
    name = obj["metadata"]["name"]
    if kind == "Deployment" and obj["spec"].get("paused"):
        raise KubectlError(f'error: deployments.apps "{name}" can\'t restart paused deployment '
                           "(run rollout resume first)")
    t = obj["spec"].setdefault("template", {})
    t.setdefault("metadata", {}).setdefault("annotations", {})["kubectl.kubernetes.io/restartedAt"] = iso(ctx.now)
    apiserver(ctx.cluster).update(obj, spec_changed=True)
    return f"{slash(kind, name)} restarted\n"


_ROLLOUT = {"history": rollout_history, "undo": rollout_undo, "status": rollout_status, "pause": rollout_pause,
            "resume": rollout_resume, "restart": rollout_restart}


# -- Jobs ------------------------------------------------------------------------------------------------------
def job_printer(ctx: Context, objs: list[Obj], wide: bool) -> tuple[list[str], list[list[str]]]:
    """printers.go printJob (STATUS column since v1.28)."""
    from kubetrainer.durations import format_duration

    headers = ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
    if wide:
        headers += ["CONTAINERS", "IMAGES", "SELECTOR"]
    rows = []
    for j in objs:
        st = j.get("status") or {}
        spec = j.get("spec") or {}
        conds = {c.get("type"): c.get("status") for c in st.get("conditions") or ()}
        status = "Running"
        if conds.get("Complete") == "True":
            status = "Complete"
        elif conds.get("Failed") == "True":
            status = "Failed"
        elif conds.get("FailureTarget") == "True":
            status = "FailureTarget"
        elif conds.get("SuccessCriteriaMet") == "True":
            status = "SuccessCriteriaMet"
        elif spec.get("suspend"):
            status = "Suspended"
        succeeded = int(st.get("succeeded") or 0)
        if spec.get("completions") is not None:
            completions = f"{succeeded}/{spec['completions']}"
        elif int(spec.get("parallelism") or 0) > 1:
            completions = f"{succeeded}/1 of {spec['parallelism']}"
        else:
            completions = f"{succeeded}/1"
        dur = ""
        if st.get("startTime") is not None:
            end = st.get("completionTime")
            dur = format_duration((ts(end) if end is not None else ctx.now) - ts(st["startTime"]))
        row = [j["metadata"]["name"], status, completions, dur, age(ctx, j)]
        if wide:
            c, i = _containers_images(spec.get("template"))
            row += [c, i, selector_string(spec.get("selector")) if spec.get("selector") else
                    f"batch.kubernetes.io/controller-uid={j['metadata'].get('uid', '')}"]
        rows.append(row)
    return headers, rows


def describe_job(ctx: Context, j: Obj) -> str:
    meta = j["metadata"]
    st = j.get("status") or {}
    spec = j.get("spec") or {}
    out = _header(j)
    out += kv_multiline("Labels", meta.get("labels"))
    out += kv_multiline("Annotations", meta.get("annotations"))
    out += f"Parallelism:\t{spec.get('parallelism', 1)}\n"
    out += f"Completions:\t{spec.get('completions') if spec.get('completions') is not None else '<unset>'}\n"
    out += f"Completion Mode:\t{spec.get('completionMode', 'NonIndexed')}\n"
    out += f"Suspend:\t{'true' if spec.get('suspend') else 'false'}\n"
    out += f"Backoff Limit:\t{spec.get('backoffLimit', 6)}\n"
    if st.get("startTime") is not None:
        out += f"Start Time:\t{timestamp(st['startTime'])}\n"
    if st.get("completionTime") is not None:
        out += f"Completed At:\t{timestamp(st['completionTime'])}\n"
    if spec.get("activeDeadlineSeconds") is not None:
        out += f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n"
    out += (f"Pods Statuses:\t{int(st.get('active') or 0)} Active ({int(st.get('ready') or 0)} Ready) / "
            f"{int(st.get('succeeded') or 0)} Succeeded / {int(st.get('failed') or 0)} Failed\n")
    out += describe_template(spec.get("template"))
    return tabwrite((out + _events(ctx, j)).rstrip("\n")) + "\n"


register_resource("Job", names=("jobs", "job"), group="batch", printer=job_printer, describer=describe_job)


def pdb_printer(ctx: Context, objs: list[Obj], wide: bool) -> tuple[list[str], list[list[str]]]:
    """printers.go printPodDisruptionBudget."""
    rows = []
    for b in objs:
        spec = b.get("spec") or {}
        rows.append([b["metadata"]["name"],
                     str(spec["minAvailable"]) if spec.get("minAvailable") is not None else "N/A",
                     str(spec["maxUnavailable"]) if spec.get("maxUnavailable") is not None else "N/A",
                     str(int((b.get("status") or {}).get("disruptionsAllowed") or 0)), age(ctx, b)])
    return ["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"], rows


register_resource("PodDisruptionBudget", names=("poddisruptionbudgets", "poddisruptionbudget", "pdb"),
                  group="policy", printer=pdb_printer)


def cronjob_printer(ctx: Context, objs: list[Obj], wide: bool) -> tuple[list[str], list[list[str]]]:
    """printers.go printCronJob."""
    from kubetrainer.durations import format_duration

    headers = ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"]
    if wide:
        headers += ["CONTAINERS", "IMAGES", "SELECTOR"]
    rows = []
    for cj in objs:
        spec = cj.get("spec") or {}
        st = cj.get("status") or {}
        last = st.get("lastScheduleTime")
        row = [cj["metadata"]["name"], str(spec.get("schedule", "")), spec.get("timeZone") or "<none>",
               "True" if spec.get("suspend") else "False", str(len(st.get("active") or [])),
               format_duration(ctx.now - ts(last)) if last is not None else "<none>", age(ctx, cj)]
        if wide:
            jt = ((spec.get("jobTemplate") or {}).get("spec") or {})
            c, i = _containers_images(jt.get("template"))
            row += [c, i, selector_string(jt.get("selector")) if jt.get("selector") else "<none>"]
        rows.append(row)
    return headers, rows


register_resource("CronJob", names=("cronjobs", "cronjob", "cj"), group="batch", printer=cronjob_printer)
