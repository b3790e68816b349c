"""Pod verbs and printers: get pods (printPod), describe pod, logs, exec."""

from __future__ import annotations

from typing import Any

from kubetrainer.sim.apiserver import not_found
from kubetrainer.sim.kubectl import Args, Context, KubectlError, KubectlResult, UsageError, register_resource, verb
from kubetrainer.sim.kubectl.generic import age, events_table, timestamp
from kubetrainer.sim.result import print_pod


def pod_printer(ctx: Context, objs: list[dict], wide: bool) -> tuple[list[str], list[list[str]]]:
    """printers.go printPod: NAME READY STATUS RESTARTS AGE [IP NODE NOMINATED NODE READINESS GATES]."""
    headers = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    if wide:
        headers += ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]
    rows = []
    for p in objs:
        pp = print_pod(p, ctx.now)
        row = [p["metadata"]["name"], pp["ready"], pp["status"], pp["restarts_text"], age(ctx, p)]
        if wide:
            st = p.get("status") or {}
            gates = (p.get("spec") or {}).get("readinessGates") or []
            true_types = {c.get("type") for c in st.get("conditions") or [] if c.get("status") == "True"}
            ok = sum(1 for g in gates if (g or {}).get("conditionType") in true_types)
            row += [st.get("podIP") or "<none>", (p.get("spec") or {}).get("nodeName") or "<none>",
                    st.get("nominatedNodeName") or "<none>",
                    "<none>" if not gates else f"{ok}/{len(gates)}"]
        rows.append(row)
    return headers, rows


def _state_lines(state: dict, indent: str) -> list[str]:
    if not state:
        return [f"{indent}State:          Waiting"]
    if "running" in state:
        return [f"{indent}State:          Running", f"{indent}  Started:      {timestamp(state['running'].get('startedAt'))}"]
    if "terminated" in state:
        t = state["terminated"]
        out = [f"{indent}State:          Terminated", f"{indent}  Reason:       {t.get('reason') or ''}"]
        if t.get("message"):
            out.append(f"{indent}  Message:      {t['message']}")
        out += [f"{indent}  Exit Code:    {t.get('exitCode')}",
                f"{indent}  Started:      {timestamp(t.get('startedAt'))}",
                f"{indent}  Finished:     {timestamp(t.get('finishedAt'))}"]
        return out
    w = state.get("waiting") or {}
    out = [f"{indent}State:          Waiting", f"{indent}  Reason:       {w.get('reason') or ''}"]
    if w.get("message"):
        out.append(f"{indent}  Message:      {w['message']}")
    return out


def _probe_text(p: dict) -> str:
    if "httpGet" in p:
        h = p["httpGet"]
        what = f"http-get {(h.get('scheme') or 'HTTP').lower()}://{h.get('host') or ''}:{h.get('port')}{h.get('path') or '/'}"
    elif "tcpSocket" in p:
        what = f"tcp-socket {p['tcpSocket'].get('host') or ''}:{p['tcpSocket'].get('port')}"
    elif "exec" in p:
        what = "exec [" + " ".join(str(a) for a in (p["exec"].get("command") or [])) + "]"
    elif "grpc" in p:
        what = f"grpc <pod>:{p['grpc'].get('port')} {p['grpc'].get('service') or ''}"
    else:
        what = "unknown"
    return (f"{what} delay={p.get('initialDelaySeconds', 0)}s timeout={p.get('timeoutSeconds', 1)}s "
            f"period={p.get('periodSeconds', 10)}s #success={p.get('successThreshold', 1)} "
            f"#failure={p.get('failureThreshold', 3)}")


def _container_block(c: dict, cs: dict | None, ctx: Context, pod: dict) -> list[str]:
    ind = "    "
    out = [f"  {c.get('name')}:"]
    cs = cs or {}
    if cs.get("containerID"):
        out.append(f"{ind}Container ID:   {cs['containerID']}")
    out.append(f"{ind}Image:          {c.get('image', '')}")
    out.append(f"{ind}Image ID:       {cs.get('imageID', '')}")
    ports = [p for p in c.get("ports") or [] if isinstance(p, dict)]
    if ports:
        out.append(f"{ind}Port:           {ports[0].get('containerPort')}/{ports[0].get('protocol', 'TCP')}")
        out.append(f"{ind}Host Port:      {ports[0].get('hostPort', 0)}/{ports[0].get('protocol', 'TCP')}")
    else:
        out.append(f"{ind}Port:           <none>")
        out.append(f"{ind}Host Port:      <none>")
    if c.get("command"):
        out.append(f"{ind}Command:")
        out += [f"{ind}  {a}" for a in c["command"]]
    if c.get("args"):
        out.append(f"{ind}Args:")
        out += [f"{ind}  {a}" for a in c["args"]]
    out += _state_lines(cs.get("state") or {}, ind)
    last = (cs.get("lastState") or {})
    if last.get("terminated"):
        t = last["terminated"]
        out += [f"{ind}Last State:     Terminated", f"{ind}  Reason:       {t.get('reason') or ''}",
                f"{ind}  Exit Code:    {t.get('exitCode')}", f"{ind}  Started:      {timestamp(t.get('startedAt'))}",
                f"{ind}  Finished:     {timestamp(t.get('finishedAt'))}"]
    out.append(f"{ind}Ready:          {'True' if cs.get('ready') else 'False'}")
    out.append(f"{ind}Restart Count:  {cs.get('restartCount', 0)}")
    res = c.get("resources") or {}
    for key, title in (("limits", "Limits"), ("requests", "Requests")):
        if res.get(key):
            out.append(f"{ind}{title}:")
            for k, v in sorted(res[key].items()):
                out.append(f"{ind}  {k}:{' ' * max(1, 6 - len(k) + 1)}{v}")
    for key, title in (("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"), ("startupProbe", "Startup")):
        if c.get(key):
            out.append(f"{ind}{title}:{' ' * (15 - len(title))}{_probe_text(c[key])}")
    env = c.get("env") or []
    if env:
        out.append(f"{ind}Environment:")
        for e in env:
            vf = e.get("valueFrom")
            if not vf:
                out.append(f"{ind}  {e.get('name')}:  {e.get('value', '')}")
            elif "fieldRef" in vf:
                out.append(f"{ind}  {e.get('name')}:   ({vf['fieldRef'].get('apiVersion', 'v1')}:{vf['fieldRef'].get('fieldPath')})")
            elif "resourceFieldRef" in vf:
                out.append(f"{ind}  {e.get('name')}:  {vf['resourceFieldRef'].get('resource')}")
            elif "secretKeyRef" in vf:
                r = vf["secretKeyRef"]
                out.append(f"{ind}  {e.get('name')}:  <set to the key '{r.get('key')}' in secret '{r.get('name')}'>  "
                           f"Optional: {'true' if r.get('optional') else 'false'}")
            elif "configMapKeyRef" in vf:
                r = vf["configMapKeyRef"]
                out.append(f"{ind}  {e.get('name')}:  <set to the key '{r.get('key')}' of config map '{r.get('name')}'>  "
                           f"Optional: {'true' if r.get('optional') else 'false'}")
    else:
        out.append(f"{ind}Environment:    <none>")
    mounts = c.get("volumeMounts") or []
    if mounts:
        out.append(f"{ind}Mounts:")
        for m in mounts:
            out.append(f"{ind}  {m.get('mountPath')} from {m.get('name')} ({'ro' if m.get('readOnly') else 'rw'})")
    else:
        out.append(f"{ind}Mounts:         <none>")
    return out


def describe_pod(ctx: Context, pod: dict) -> str:
    """describe.go describePod (the parts the simulation has)."""
    meta, spec, st = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    node = spec.get("nodeName")
    lines = [f"Name:             {meta['name']}", f"Namespace:        {meta.get('namespace', 'default')}",
             f"Priority:         {spec.get('priority', 0)}",
             f"Service Account:  {spec.get('serviceAccountName', 'default')}",
             f"Node:             {node + '/' + st['hostIP'] if node and st.get('hostIP') else (node or '<none>')}"]
    if st.get("startTime") is not None:
        lines.append(f"Start Time:       {timestamp(st['startTime'])}")
    labels = meta.get("labels") or {}
    lines.append("Labels:           " + ("\n                  ".join(f"{k}={v}" for k, v in sorted(labels.items()))
                                         or "<none>"))
    ann = meta.get("annotations") or {}
    lines.append("Annotations:      " + ("\n                  ".join(f"{k}: {v}" for k, v in sorted(ann.items()))
                                         or "<none>"))
    if meta.get("deletionTimestamp") is not None:
        lines.append(f"Status:           Terminating (lasts {_lasts(ctx, meta)})")
        lines.append(f"Termination Grace Period:  {meta.get('deletionGracePeriodSeconds')}s")
    else:
        lines.append(f"Status:           {st.get('phase', 'Pending')}")
    if st.get("reason"):
        lines.append(f"Reason:           {st['reason']}")
    if st.get("message"):
        lines.append(f"Message:          {st['message']}")
    lines.append(f"IP:               {st.get('podIP', '')}")
    lines.append("IPs:" + ("\n  IP:  " + st["podIP"] if st.get("podIP") else "              <none>"))
    statuses = {cs.get("name"): cs for cs in st.get("containerStatuses") or []}
    init_statuses = {cs.get("name"): cs for cs in st.get("initContainerStatuses") or []}
    if spec.get("initContainers"):
        lines.append("Init Containers:")
        for c in spec["initContainers"]:
            lines += _container_block(c, init_statuses.get(c.get("name")), ctx, pod)
    lines.append("Containers:")
    for c in spec.get("containers") or []:
        lines += _container_block(c, statuses.get(c.get("name")), ctx, pod)
    if st.get("conditions"):
        lines.append("Conditions:")
        lines.append("  Type                        Status")
        for cond in st["conditions"]:
            lines.append(f"  {cond['type']:<28}{cond.get('status')}")
    vols = spec.get("volumes") or []
    if vols:
        from kubetrainer.sim.kubectl.workloads import tabwrite

        lines.append("Volumes:")
        for v in vols:
            # each volume's lines are one tabwriter block (its name line, without a tab, ends the last)
            lines.append(f"  {v.get('name')}:")
            lines.append(tabwrite("\n".join(_volume_source(v))))
    else:
        lines.append("Volumes:                     <none>")
    lines.append(f"QoS Class:                   {st.get('qosClass', 'BestEffort')}")
    ns = spec.get("nodeSelector") or {}
    lines.append("Node-Selectors:              " + (",".join(f"{k}={v}" for k, v in sorted(ns.items())) or "<none>"))
    tols = []
    for t in spec.get("tolerations") or []:
        s = t.get("key", "")
        if t.get("value"):
            s += "=" + str(t["value"])
        if t.get("effect"):
            s += ":" + t["effect"]
        if t.get("operator") == "Exists" and not t.get("value"):
            s += " op=Exists"
        if t.get("tolerationSeconds") is not None:
            s += f" for {t['tolerationSeconds']}s"
        tols.append(s)
    lines.append("Tolerations:                 " + ("\n                             ".join(tols) or "<none>"))
    ref = f"Pod/{meta.get('namespace', 'default')}/{meta['name']}"
    evs = ctx.cluster.events.for_object(ref, meta.get("uid"))
    lines.append(events_table(evs, ctx.now).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _volume_source(v: dict) -> list[str]:
    """describe.go describeVolumes: the print<Kind>VolumeSource lines of one volume (tab-separated)."""
    def opt(d: dict) -> str:
        return "true" if d.get("optional") else "false"

    def flag(x: Any) -> str:
        return "true" if x else "false"

    if isinstance(v.get("hostPath"), dict):
        hp = v["hostPath"]
        return ["    Type:\tHostPath (bare host directory volume)", f"    Path:\t{hp.get('path', '')}",
                f"    HostPathType:\t{hp.get('type') or '<none>'}"]
    if "emptyDir" in v:
        ed = v.get("emptyDir") or {}
        size = ed.get("sizeLimit")
        return ["    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)",
                f"    Medium:\t{ed.get('medium') or ''}", f"    SizeLimit:\t{size if size not in (None, '', 0, '0') else '<unset>'}"]
    if isinstance(v.get("secret"), dict):
        return ["    Type:\tSecret (a volume populated by a Secret)", f"    SecretName:\t{v['secret'].get('secretName', '')}",
                f"    Optional:\t{opt(v['secret'])}"]
    if isinstance(v.get("configMap"), dict):
        return ["    Type:\tConfigMap (a volume populated by a ConfigMap)", f"    Name:\t{v['configMap'].get('name', '')}",
                f"    Optional:\t{opt(v['configMap'])}"]
    if isinstance(v.get("persistentVolumeClaim"), dict):
        c = v["persistentVolumeClaim"]
        return ["    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
                f"    ClaimName:\t{c.get('claimName', '')}", f"    ReadOnly:\t{flag(c.get('readOnly'))}"]
    if isinstance(v.get("projected"), dict):
        out = ["    Type:\tProjected (a volume that contains injected data from multiple sources)"]
        for s in v["projected"].get("sources") or []:
            s = s or {}
            if isinstance(s.get("secret"), dict):
                out += [f"    SecretName:\t{s['secret'].get('name', '')}", f"    Optional:\t{opt(s['secret'])}"]
            elif "downwardAPI" in s:
                out.append("    DownwardAPI:\ttrue")
            elif isinstance(s.get("configMap"), dict):
                out += [f"    ConfigMapName:\t{s['configMap'].get('name', '')}", f"    Optional:\t{opt(s['configMap'])}"]
            elif isinstance(s.get("serviceAccountToken"), dict):
                out.append(f"    TokenExpirationSeconds:\t{s['serviceAccountToken'].get('expirationSeconds', 3600)}")
        return out
    if isinstance(v.get("downwardAPI"), dict):
        out = ["    Type:\tDownwardAPI (a volume populated by information about the pod)", "    Items:"]
        for it in v["downwardAPI"].get("items") or []:
            it = it or {}
            if isinstance(it.get("fieldRef"), dict):
                out.append(f"      {it['fieldRef'].get('fieldPath', '')} -> {it.get('path', '')}")
            if isinstance(it.get("resourceFieldRef"), dict):
                out.append(f"      {it['resourceFieldRef'].get('resource', '')} -> {it.get('path', '')}")
        return out
    if "ephemeral" in v:
        return ["    Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with "
                "the pod)"]
    return ["  <unknown>"]


def _lasts(ctx: Context, meta: dict) -> str:
    """describe.go: translateTimestampSince(DeletionTimestamp) — in the future while the grace period
    runs, which HumanDuration prints as <invalid>."""
    from kubetrainer.durations import format_duration

    since = ctx.now - meta["deletionTimestamp"]
    if since < -1:
        return "<invalid>"
    return format_duration(max(since, 0))


register_resource("Pod", ("pods", "pod", "po"), printer=pod_printer, describer=describe_pod)


# -- logs / exec ----------------------------------------------------------------------------------------------
def _pod_for_workload(ctx: Context, pod_arg: str) -> tuple[dict, str]:
    """polymorphichelpers.AttachablePodForObject: `deploy/web` → one of its pods (running first)."""
    from kubetrainer.sim.kubectl import resolve_kind

    res, _, name = pod_arg.partition("/")
    kind = resolve_kind(res)
    obj = ctx.cluster.store.get(kind, ctx.namespace, name)
    if obj is None:
        raise KubectlError(not_found(kind, name))
    selector = ((obj.get("spec") or {}).get("selector")) or {}
    if kind not in ("ReplicationController",) and "matchLabels" not in selector and "matchExpressions" not in selector:
        selector = {"matchLabels": selector}
    from kubetrainer.api.selectors import label_selector_matches

    pods = [p for p in ctx.cluster.store.list("Pod", ctx.namespace)
            if label_selector_matches(selector, p["metadata"].get("labels") or {})]
    if not pods:
        raise KubectlError(f"error: no pods found for {kind.lower()}/{name}" if kind != "Deployment"
                           else f'error: timed out waiting for the condition')
    pods.sort(key=lambda p: ((p.get("status") or {}).get("phase") != "Running", p["metadata"]["name"]))
    note = f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}\n" if len(pods) > 1 else ""
    return pods[0], note


def _pod_and_container(ctx: Context, args: Args, pod_arg: str) -> tuple[dict, Any, Any, str]:
    found_note = ""
    if "/" in pod_arg and not pod_arg.startswith(("pod/", "pods/", "po/")):
        pod, found_note = _pod_for_workload(ctx, pod_arg)
        name = pod["metadata"]["name"]
    else:
        name = pod_arg.split("/", 1)[1] if pod_arg.startswith(("pod/", "pods/", "po/")) else pod_arg
        pod = ctx.cluster.store.get("Pod", ctx.namespace, name)
    if pod is None:
        raise KubectlError(not_found("Pod", name))
    cname = args.flags.get("container")
    spec = pod.get("spec") or {}
    names = [c.get("name") for c in spec.get("containers") or []]
    init_names = [c.get("name") for c in spec.get("initContainers") or []]
    notice = ""
    if not cname:
        default = ((pod["metadata"].get("annotations") or {}).get("kubectl.kubernetes.io/default-container"))
        cname = default if default in names else names[0]
        if len(names) > 1 and not default:  # podcmd.FindOrDefaultContainerByName
            notice = f'Defaulted container "{cname}" out of: {", ".join(names + [n + " (init)" for n in init_names])}\n'
    elif cname not in names and cname not in init_names:
        raise KubectlError(f"error: container {cname} is not valid for pod {name}")
    kubelets = ctx.cluster._kubelets()
    loc = kubelets.locate(pod) if kubelets is not None else None
    kl, rt = loc if loc else (None, None)
    if kl is not None and not kl.up:
        # the API server proxies logs/exec to the kubelet on port 10250
        raise KubectlError(f"Error from server: error dialing backend: dial tcp {kubelets.node_ip(kl.node)}:10250: "
                           "connect: no route to host")
    c = rt.find(cname) if rt is not None else None
    return pod, kl, (rt, c), found_note + notice


@verb("logs", flags={"container": "value", "previous": "bool", "tail": "value", "timestamps": "bool",
                     "follow": "bool", "all-containers": "bool"}, short={"c": "container", "p": "previous",
                                                                       "f": "follow"}, min_args=1)
def cmd_logs(ctx: Context, args: Args) -> KubectlResult:
    pod, kl, (rt, c), notice = _pod_and_container(ctx, args, args.positionals[0])
    name = pod["metadata"]["name"]
    cname = c.name if c is not None else (args.flags.get("container") or (pod["spec"]["containers"][0]["name"]))
    if args.flags.get("previous"):
        inst = None
        if c is not None:
            inst = c.instance if c.terminated or c.state == "Waiting" else c.previous
            if inst is not None and c.running:
                inst = c.previous
            if c.state == "Waiting" and c.instance is not None:
                inst = c.instance
        if inst is None or inst.proc is None:
            raise KubectlError(f'Error from server (BadRequest): previous terminated container "{cname}" in pod '
                               f'"{name}" not found')
    else:
        if c is None or c.instance is None or (c.state == "Waiting" and c.instance is None):
            reason = (c.reason if c is not None else None) or "ContainerCreating"
            raise KubectlError(f'Error from server (BadRequest): container "{cname}" in pod "{name}" is waiting '
                               f'to start: {reason}')
        inst = c.instance
        if c.state == "Waiting" and c.reason in ("CrashLoopBackOff",):
            inst = c.instance
    lines = []
    proc = inst.proc
    if proc is not None:
        proc.advance(ctx.now) if not proc.exited else None
        for t, _stream, line in proc.logs:
            if t > ctx.now:
                continue
            if args.flags.get("timestamps"):
                from kubetrainer.sim.kubectl.generic import iso

                lines.append(f"{iso(t)} {line}")
            else:
                lines.append(line)
    tail = args.flags.get("tail")
    if tail is not None:
        try:
            n = int(tail)
        except ValueError:
            raise UsageError(f'error: invalid argument "{tail}" for "--tail" flag') from None
        if n >= 0:
            lines = lines[-n:] if n else []
    return KubectlResult(notice + "".join(line + "\n" for line in lines))


@verb("exec", flags={"container": "value", "stdin": "bool", "tty": "bool", "quiet": "bool"},
      short={"c": "container", "i": "stdin", "t": "tty", "q": "quiet"}, min_args=1, takes_rest=True)
def cmd_exec(ctx: Context, args: Args) -> KubectlResult:
    argv = list(args.rest) or list(args.positionals[1:])
    if not argv:
        raise UsageError("error: you must specify at least one command for the container")
    pod, kl, (rt, c), notice = _pod_and_container(ctx, args, args.positionals[0])
    if c is None or not c.running or c.instance is None:
        raise KubectlError(f"error: unable to upgrade connection: container not found (\"{args.flags.get('container') or (c.name if c else '')}\")")
    inst = c.instance
    r = kl.manager.runtime.exec(argv, inst.env, inst.fs, ctx.now, None, inst.proc)
    kl.poke(rt)
    out = notice + (r.output or "")
    if r.exit_code != 0:
        return KubectlResult(out + f"command terminated with exit code {r.exit_code}\n", r.exit_code)
    return KubectlResult(out)


def _check_exec(args: Args) -> None:
    if not (args.rest or args.positionals[1:]):
        raise UsageError("error: you must specify at least one command for the container")


cmd_exec.check = _check_exec  # type: ignore[attr-defined]
