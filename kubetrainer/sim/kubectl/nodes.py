"""kubectl for nodes: get/describe (printers.go printNode, describe.go describeNode), cordon,
uncordon, drain (staging/src/k8s.io/kubectl/pkg/cmd/drain, pkg/drain/filters.go) and taint
(staging/src/k8s.io/kubectl/pkg/cmd/taint). `kubectl label nodes` is the generic label verb."""

from __future__ import annotations

import datetime
from typing import Any

from kubetrainer.api.quantity import cpu_millis, format_cpu, format_memory, memory_bytes
from kubetrainer.sim.controllers.common import apiserver, controller_ref
from kubetrainer.sim.controllers.index import owner_index
from kubetrainer.sim.kubectl import Args, Context, KubectlError, KubectlResult, register_resource, verb
from kubetrainer.sim.kubectl.generic import EPOCH, age, timestamp
from kubetrainer.sim.kubectl.workloads import _events, kv_multiline, tabwrite

Obj = dict[str, Any]


def _time(v: Any) -> str:
    if v is None:
        return "<unset>"
    if isinstance(v, (int, float)):
        return timestamp(v)
    try:
        t = datetime.datetime.strptime(str(v), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return str(v)
    return timestamp((t - EPOCH).total_seconds())


def _node_id(name: str, key: str) -> str:
    """Stable stand-ins for the machine/system/boot ids a real kubelet reports (derived from the name)."""
    import hashlib

    if key not in ("machineID", "systemUUID", "bootID"):
        return ""
    h = hashlib.sha256(f"{key}:{name}".encode()).hexdigest()
    if key == "machineID":
        return h[:32]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _lease_renew_time(cluster: Any, name: str) -> float:
    """The node Lease is renewed every 10 s (we put renewals at multiples of 10 s); a down node's
    renewals stop (nodelifecycle.NodeLifecycleController.last_heartbeat)."""
    import math

    try:
        ctl = cluster.component("node-lifecycle-controller")
        last = getattr(ctl, "last_heartbeat", {}).get(name)
    except KeyError:
        last = None
    if last is not None:
        return last
    return math.floor(cluster.now / 10.0) * 10.0


def node_status_text(node: Obj) -> str:
    """printNode STATUS: Ready / NotReady (False or Unknown) / Unknown (no condition), +SchedulingDisabled."""
    ready = next((c for c in (node.get("status") or {}).get("conditions") or () if c.get("type") == "Ready"), None)
    parts = []
    if ready is None:
        parts.append("Unknown")
    else:
        parts.append("Ready" if ready.get("status") == "True" else "NotReady")
    if (node.get("spec") or {}).get("unschedulable"):
        parts.append("SchedulingDisabled")
    return ",".join(parts)


def node_roles(node: Obj) -> str:
    roles = set()
    for k, v in (node["metadata"].get("labels") or {}).items():
        if k.startswith("node-role.kubernetes.io/"):
            r = k[len("node-role.kubernetes.io/"):]
            if r:
                roles.add(r)
        elif k == "kubernetes.io/role" and v:
            roles.add(v)
    return ",".join(sorted(roles)) or "<none>"


def _address(node: Obj, kind: str) -> str:
    for a in (node.get("status") or {}).get("addresses") or ():
        if a.get("type") == kind:
            return a.get("address", "")
    return "<none>"


def node_printer(ctx: Context, objs: list[Obj], wide: bool) -> tuple[list[str], list[list[str]]]:
    headers = ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    if wide:
        headers += ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]
    rows = []
    for n in objs:
        info = (n.get("status") or {}).get("nodeInfo") or {}
        row = [n["metadata"]["name"], node_status_text(n), node_roles(n), age(ctx, n), info.get("kubeletVersion", "")]
        if wide:
            row += [_address(n, "InternalIP"), _address(n, "ExternalIP"), info.get("osImage") or "<unknown>",
                    info.get("kernelVersion") or "<unknown>", info.get("containerRuntimeVersion") or "<unknown>"]
        rows.append(row)
    return headers, rows


def taint_text(t: Obj) -> str:
    s = t.get("key", "")
    if t.get("value"):
        s += f"={t['value']}"
    return s + f":{t.get('effect', '')}"


def pod_requests_limits(pod: Obj) -> tuple[dict[str, int], dict[str, int]]:
    """resourcehelper.PodRequestsAndLimits (cpu in millicores, memory in bytes): the sum over
    containers, at least the largest init container."""
    def tot(containers: list, key: str) -> dict[str, int]:
        out = {"cpu": 0, "memory": 0, "ephemeral-storage": 0}
        for c in containers:
            r = (c.get("resources") or {}).get(key) or {}
            try:
                if "cpu" in r:
                    out["cpu"] += cpu_millis(r["cpu"])
                if "memory" in r:
                    out["memory"] += memory_bytes(r["memory"])
                if "ephemeral-storage" in r:
                    out["ephemeral-storage"] += memory_bytes(r["ephemeral-storage"])
            except Exception:  # an unparsable quantity was rejected by validation already
                pass
        return out
    spec = pod.get("spec") or {}
    res = []
    for key in ("requests", "limits"):
        total = tot(spec.get("containers") or [], key)
        for ic in spec.get("initContainers") or []:
            one = tot([ic], key)
            for k in total:
                total[k] = max(total[k], one[k])
        res.append(total)
    return res[0], res[1]


def node_allocated(cluster: Any, name: str) -> tuple[dict[str, int], dict[str, int], list[Obj]]:
    pods = [p for p in owner_index(cluster).pods_on_node(name)
            if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
    req = {"cpu": 0, "memory": 0, "ephemeral-storage": 0}
    lim = {"cpu": 0, "memory": 0, "ephemeral-storage": 0}
    for p in pods:
        r, li = pod_requests_limits(p)
        for k in req:
            req[k] += r[k]
            lim[k] += li[k]
    return req, lim, pods


def _pct(v: int, total: int) -> str:
    return f"{int(v / total * 100) if total else 0}%"


def describe_node(ctx: Context, node: Obj) -> str:
    meta = node["metadata"]
    st = node.get("status") or {}
    spec = node.get("spec") or {}
    out = f"Name:\t{meta['name']}\n"
    out += f"Roles:\t{node_roles(node)}\n"
    out += kv_multiline("Labels", meta.get("labels"))
    out += kv_multiline("Annotations", meta.get("annotations"))
    out += f"CreationTimestamp:\t{_time(meta.get('creationTimestamp'))}\n"
    taints = spec.get("taints") or []
    out += f"Taints:\t{taint_text(taints[0]) if taints else '<none>'}\n"
    for t in taints[1:]:
        out += f"\t{taint_text(t)}\n"
    out += f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n"
    renew = _lease_renew_time(ctx.cluster, meta["name"])
    out += f"Lease:\n  HolderIdentity:\t{meta['name']}\n  AcquireTime:\t<unset>\n  RenewTime:\t{timestamp(renew)}\n"
    conds = st.get("conditions") or []
    if conds:
        out += "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n"
        out += "  ----\t------\t-----------------\t------------------\t------\t-------\n"
        for c in conds:
            out += (f"  {c.get('type')}\t{c.get('status')}\t{_time(c.get('lastHeartbeatTime'))}\t"
                    f"{_time(c.get('lastTransitionTime'))}\t{c.get('reason', '')}\t{c.get('message', '')}\n")
    addrs = st.get("addresses") or []
    if addrs:
        out += "Addresses:\n" + "".join(f"  {a.get('type')}:\t{a.get('address')}\n" for a in addrs)
    for key, title in (("capacity", "Capacity"), ("allocatable", "Allocatable")):
        if st.get(key):
            out += f"{title}:\n" + "".join(f"  {k}:\t{v}\n" for k, v in sorted(st[key].items()))
    info = st.get("nodeInfo") or {}
    if info:
        out += "System Info:\n"
        for k, title in (("machineID", "Machine ID"), ("systemUUID", "System UUID"), ("bootID", "Boot ID"),
                         ("kernelVersion", "Kernel Version"), ("osImage", "OS Image"),
                         ("operatingSystem", "Operating System"), ("architecture", "Architecture"),
                         ("containerRuntimeVersion", "Container Runtime Version"),
                         ("kubeletVersion", "Kubelet Version"), ("kubeProxyVersion", "Kube-Proxy Version")):
            v = info.get(k) or _node_id(meta["name"], k)
            out += f"  {title}:\t{v}\n"
    if spec.get("podCIDR"):
        out += f"PodCIDR:\t{spec['podCIDR']}\n"
        out += f"PodCIDRs:\t{','.join(spec.get('podCIDRs') or [spec['podCIDR']])}\n"
    req, lim, pods = node_allocated(ctx.cluster, meta["name"])
    alloc = st.get("allocatable") or st.get("capacity") or {}
    acpu = cpu_millis(alloc.get("cpu", "0"))
    amem = memory_bytes(alloc.get("memory", "0"))
    text = out
    text += f"Non-terminated Pods:\t({len(pods)} in total)\n"
    text += ("  Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n"
             "  ---------\t----\t------------\t----------\t---------------\t-------------\t---\n")
    for p in pods:
        r, li = pod_requests_limits(p)
        text += (f"  {p['metadata']['namespace']}\t{p['metadata']['name']}\t"
                 f"{format_cpu(r['cpu'])} ({_pct(r['cpu'], acpu)})\t{format_cpu(li['cpu'])} ({_pct(li['cpu'], acpu)})\t"
                 f"{format_memory(r['memory'])} ({_pct(r['memory'], amem)})\t"
                 f"{format_memory(li['memory'])} ({_pct(li['memory'], amem)})\t{age(ctx, p)}\n")
    text += "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
    text += "  Resource\tRequests\tLimits\n  --------\t--------\t------\n"
    text += (f"  cpu\t{format_cpu(req['cpu'])} ({_pct(req['cpu'], acpu)})\t"
             f"{format_cpu(lim['cpu'])} ({_pct(lim['cpu'], acpu)})\n")
    text += (f"  memory\t{format_memory(req['memory'])} ({_pct(req['memory'], amem)})\t"
             f"{format_memory(lim['memory'])} ({_pct(lim['memory'], amem)})\n")
    aeph = memory_bytes(alloc.get("ephemeral-storage", "0")) if alloc.get("ephemeral-storage") else 0
    text += (f"  ephemeral-storage\t{format_memory(req['ephemeral-storage'])} ({_pct(req['ephemeral-storage'], aeph)})\t"
             f"{format_memory(lim['ephemeral-storage'])} ({_pct(lim['ephemeral-storage'], aeph)})\n")
    return tabwrite((text + _events(ctx, node)).rstrip("\n")) + "\n"


register_resource("Node", names=("nodes", "node", "no"), namespaced=False, printer=node_printer,
                  describer=describe_node)


# -- verbs ------------------------------------------------------------------------------------------------------------
def _node_names(ctx: Context, args: Args, start: int = 0) -> list[str]:
    names = []
    for p in args.positionals[start:]:
        if "/" in p:
            t, _, n = p.partition("/")
            if t not in ("node", "nodes", "no"):
                raise KubectlError(f'error: the server doesn\'t have a resource type "{t}"')
            names.append(n)
        else:
            names.append(p)
    if not names:
        raise KubectlError("error: USAGE: cordon NODE [flags]")
    return names


def _get_node(ctx: Context, name: str) -> Obj:
    node = ctx.cluster.store.get("Node", "", name)
    if node is None:
        raise KubectlError(f'Error from server (NotFound): nodes "{name}" not found')
    return node


def _set_unschedulable(ctx: Context, name: str, value: bool) -> str:
    node = _get_node(ctx, name)
    word = "cordoned" if value else "uncordoned"
    if bool((node.get("spec") or {}).get("unschedulable")) == value:
        return f"node/{name} already {word}\n"
    spec = node.setdefault("spec", {})
    if value:
        spec["unschedulable"] = True
    else:
        spec.pop("unschedulable", None)
    apiserver(ctx.cluster).update(node, spec_changed=True)
    return f"node/{name} {word}\n"


@verb("cordon", min_args=1)
def cmd_cordon(ctx: Context, args: Args) -> KubectlResult:
    return KubectlResult("".join(_set_unschedulable(ctx, n, True) for n in _node_names(ctx, args)))


@verb("uncordon", min_args=1)
def cmd_uncordon(ctx: Context, args: Args) -> KubectlResult:
    return KubectlResult("".join(_set_unschedulable(ctx, n, False) for n in _node_names(ctx, args)))


DS_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DS_WARNING = "ignoring DaemonSet-managed Pods"
LOCAL_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
LOCAL_WARNING = "deleting Pods with local storage"
UNMANAGED_FATAL = "Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"


@verb("drain", flags={"ignore-daemonsets": "bool", "delete-emptydir-data": "bool", "delete-local-data": "bool",
                      "force": "bool", "grace-period": "value", "timeout": "value", "disable-eviction": "bool",
                      "pod-selector": "value", "skip-wait-for-delete-timeout": "value"}, min_args=1)
def cmd_drain(ctx: Context, args: Args) -> KubectlResult:
    """drain.go RunDrain + pkg/drain GetPodsForDeletion (filters: daemonSet, mirror, localStorage,
    unreplicated; the first failing filter decides a pod's fate)."""
    out: list[str] = []
    fatal: list[str] = []
    pending: list[str] = []
    api = apiserver(ctx.cluster)
    grace = args.flags.get("grace-period")
    try:
        grace_i = int(grace) if grace is not None and int(grace) >= 0 else None
    except ValueError:
        raise KubectlError(f'error: invalid argument "{grace}" for "--grace-period" flag: '
                           f'strconv.ParseInt: parsing "{grace}": invalid syntax') from None
    for name in _node_names(ctx, args):
        out.append(_set_unschedulable(ctx, name, True))
        errors: dict[str, list[str]] = {}
        warnings: dict[str, list[str]] = {}
        victims: list[Obj] = []
        pods = sorted(owner_index(ctx.cluster).pods_on_node(name),
                      key=lambda p: (p["metadata"]["namespace"], p["metadata"]["name"]))
        for pod in pods:
            ref = f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"
            cref = controller_ref(pod)
            finished = (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
            if cref is not None and cref.get("kind") == "DaemonSet":
                if not args.flags.get("ignore-daemonsets"):
                    errors.setdefault(DS_FATAL, []).append(ref)
                else:
                    warnings.setdefault(DS_WARNING, []).append(ref)
                continue
            if (pod["metadata"].get("annotations") or {}).get("kubernetes.io/config.mirror"):
                continue
            if not finished and any("emptyDir" in v for v in (pod["spec"].get("volumes") or ())):
                if not (args.flags.get("delete-emptydir-data") or args.flags.get("delete-local-data")):
                    errors.setdefault(LOCAL_FATAL, []).append(ref)
                    continue
                warnings.setdefault(LOCAL_WARNING, []).append(ref)
            if not finished and cref is None:
                if not args.flags.get("force"):
                    errors.setdefault(UNMANAGED_FATAL, []).append(ref)
                    continue
                warnings.setdefault(UNMANAGED_WARNING, []).append(ref)
            victims.append(pod)
        if errors:
            errs = [f"cannot delete {msg}: {', '.join(pods_)}" for msg, pods_ in errors.items()]
            agg = errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]"
            out.append(f'error: unable to drain node "{name}" due to error: {agg}, continuing command...\n')
            pending.append(name)
            fatal.extend(errs)
            continue
        if warnings:
            out.append("Warning: " + "; ".join(f"{m}: {', '.join(p)}" for m, p in warnings.items()) + "\n")
        for pod in victims:
            out.append(f"evicting pod {pod['metadata']['namespace']}/{pod['metadata']['name']}\n")
        refused = []
        evicted = []
        for pod in victims:
            if args.flags.get("disable-eviction"):
                err = None
            else:
                err = evict(ctx.cluster, pod, grace_i)
            if err is None:
                if args.flags.get("disable-eviction"):
                    try:
                        api.delete("Pod", pod["metadata"]["namespace"], pod["metadata"]["name"],
                                   grace_period=grace_i, actor="kubectl")
                    except KeyError:
                        pass
                evicted.append(pod)
            else:
                refused.append(pod)
                out.append(f'error when evicting pods/"{pod["metadata"]["name"]}" -n "{pod["metadata"]["namespace"]}" '
                           f"(will retry after 5s): {err}\n")
        for pod in evicted:
            out.append(f"pod/{pod['metadata']['name']} {'deleted' if args.flags.get('disable-eviction') else 'evicted'}\n")
        if refused:
            # kubectl keeps retrying every 5 s (until --timeout); the simulated command returns now and
            # its retries go on in virtual time
            _retry_evictions(ctx.cluster, refused, grace_i, _timeout(args))
            continue
        out.append(f"node/{name} drained\n")
    if pending:
        out.append("There are pending nodes to be drained:\n" + "".join(f" {n}\n" for n in pending))
        out.extend(f"error: {e}\n" for e in fatal)
        return KubectlResult("".join(out), 1)
    return KubectlResult("".join(out))


# -- the Eviction API (pkg/registry/core/pod/storage/eviction.go) with PodDisruptionBudgets ---------------------
PDB_REFUSED = "Cannot evict pod as it would violate the pod's disruption budget."
PDB_MULTIPLE = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."


def pdb_budget(cluster: Any, pdb: Obj) -> tuple[int, int, int]:
    """(disruptionsAllowed, currentHealthy, desiredHealthy): the eviction API reads the published
    status; before the disruption controller has synced, the budget it would publish."""
    from kubetrainer.sim.controllers.disruption import compute_budget

    _expected, healthy, desired, allowed = compute_budget(cluster.store, pdb)
    st = pdb.get("status") or {}
    if "disruptionsAllowed" in st:
        return int(st.get("disruptionsAllowed") or 0), healthy, desired
    return allowed, healthy, desired


def evict(cluster: Any, pod: Obj, grace: int | None) -> str | None:
    """POST pods/eviction: None when the pod was deleted, else the refusal message (HTTP 429/500)."""
    from kubetrainer.sim.controllers.common import is_pod_ready, selector_matches

    ns = pod["metadata"].get("namespace") or "default"
    if pod["metadata"].get("deletionTimestamp") is None and \
            (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed", "Pending"):
        pdbs = [b for b in cluster.store.list("PodDisruptionBudget", ns)
                if (b.get("spec") or {}).get("selector") and (b["spec"]["selector"].get("matchLabels")
                                                              or b["spec"]["selector"].get("matchExpressions"))
                and selector_matches(b["spec"]["selector"], pod["metadata"].get("labels"))]
        if len(pdbs) > 1:
            return PDB_MULTIPLE
        if pdbs:
            allowed, healthy, desired = pdb_budget(cluster, pdbs[0])
            if is_pod_ready(pod):
                if allowed <= 0:
                    return PDB_REFUSED
                st = pdbs[0].setdefault("status", {})
                if "disruptionsAllowed" in st:
                    st["disruptionsAllowed"] = allowed - 1
                    apiserver(cluster).update(pdbs[0])
            elif healthy < desired:   # unhealthyPodEvictionPolicy IfHealthyBudget
                return PDB_REFUSED
    try:
        apiserver(cluster).delete("Pod", ns, pod["metadata"]["name"], grace_period=grace, actor="kubectl")
    except KeyError:
        pass
    return None


def _timeout(args: Args) -> float | None:
    from kubetrainer.durations import parse_duration

    t = args.flags.get("timeout")
    if t in (None, "", "0", "0s"):
        return None
    try:
        return parse_duration(t)
    except Exception:
        return None


def _retry_evictions(cluster: Any, pods: list[Obj], grace: int | None, timeout: float | None) -> None:
    deadline = None if timeout is None else cluster.now + timeout

    def retry(key: tuple[str, str], uid: str) -> None:
        pod = cluster.store.get("Pod", *key)
        if pod is None or pod["metadata"].get("uid") != uid or pod["metadata"].get("deletionTimestamp") is not None:
            return
        if deadline is not None and cluster.now > deadline:
            return
        if evict(cluster, pod, grace) is not None:
            cluster.clock.after(5.0, retry, key, uid, label="kubectl drain retry eviction")

    for p in pods:
        cluster.clock.after(5.0, retry, (p["metadata"]["namespace"], p["metadata"]["name"]), p["metadata"]["uid"],
                            label="kubectl drain retry eviction")


_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def _parse_taint(spec: str) -> tuple[Obj, bool]:
    """kubectl taint's parseTaints: key[=value]:effect to add, key[:effect]- to remove."""
    remove = spec.endswith("-")
    body = spec[:-1] if remove else spec
    key, _, effect = body.partition(":")
    value = None
    if "=" in key:
        key, _, value = key.partition("=")
    if not remove and not effect:
        raise KubectlError(f'error: invalid taint spec: {spec}, unknown taint spec: {spec}'
                           if "=" not in spec else f"error: invalid taint spec: {spec}")
    if effect and effect not in _EFFECTS:
        raise KubectlError(f"error: invalid taint spec: {spec}, invalid taint effect: {effect}, "
                           "unsupported taint effect")
    t: Obj = {"key": key}
    if value:
        t["value"] = value
    if effect:
        t["effect"] = effect
    return t, remove


@verb("taint", flags={"overwrite": "bool", "all": "bool"}, min_args=2)
def cmd_taint(ctx: Context, args: Args) -> KubectlResult:
    pos = list(args.positionals)
    if pos[0] in ("node", "nodes", "no"):
        names = [pos[1]] if len(pos) > 1 else []
        specs = pos[2:]
    elif pos[0].startswith(("node/", "nodes/", "no/")):
        names = [pos[0].partition("/")[2]]
        specs = pos[1:]
    else:
        raise KubectlError(f'error: invalid resource type {pos[0]}, only node types are supported')
    if not names or not specs:
        raise KubectlError("error: at least one taint update is required")
    out = []
    for name in names:
        node = _get_node(ctx, name)
        taints = list((node.get("spec") or {}).get("taints") or [])
        removed_any = added_any = False
        for s in specs:
            t, remove = _parse_taint(s)
            if remove:
                keep = [x for x in taints if not (x.get("key") == t["key"] and
                                                  ("effect" not in t or x.get("effect") == t["effect"]))]
                if len(keep) == len(taints):
                    raise KubectlError(f'error: taint "{s[:-1]}" not found')
                taints = keep
                removed_any = True
            else:
                same = [x for x in taints if x.get("key") == t["key"] and x.get("effect") == t["effect"]]
                if same and not args.flags.get("overwrite"):
                    raise KubectlError(f"error: node {name} already has {t['key']} taint(s) with same effect(s) "
                                       "and --overwrite is false")
                if t["effect"] == "NoExecute":
                    t["timeAdded"] = ctx.now
                taints = [x for x in taints if not (x.get("key") == t["key"] and x.get("effect") == t["effect"])]
                taints.append(t)
                added_any = True
        spec = node.setdefault("spec", {})
        if taints:
            spec["taints"] = taints
        else:
            spec.pop("taints", None)
        apiserver(ctx.cluster).update(node, spec_changed=True)
        word = "modified" if added_any and removed_any else ("untainted" if removed_any else "tainted")
        out.append(f"node/{name} {word}\n")
    return KubectlResult("".join(out))
