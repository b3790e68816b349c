"""`kubectl explain` from the vendored schema.

The layout follows kubectl's OpenAPI v3 template
(staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl): GROUP/KIND/VERSION,
`FIELD: name <type>` (+ ENUM), DESCRIPTION wrapped at 76 columns and indented by 4 (the
field's description followed by its type's), then FIELDS with `name\\t<type> -required-`
and each description wrapped at 78-indent. Type names as its "typeGuess": `[]Container`,
`map[string]string`, `ObjectMeta`, `IntOrString`, `Quantity`, `integer`, `Object`.

    explain("pod.spec.containers.imagePullPolicy") -> str
    explain("deploy.spec.strategy", recursive=True) -> str
Raises ExplainError with kubectl's texts for unknown resources and fields.
"""

from __future__ import annotations

from kubetrainer.api import schema as sch

# kubectl api-resources short names and plurals
ALIASES = {
    "po": "Pod", "pod": "Pod", "pods": "Pod",
    "deploy": "Deployment", "deployment": "Deployment", "deployments": "Deployment",
    "rs": "ReplicaSet", "replicaset": "ReplicaSet", "replicasets": "ReplicaSet",
    "ds": "DaemonSet", "daemonset": "DaemonSet", "daemonsets": "DaemonSet",
    "sts": "StatefulSet", "statefulset": "StatefulSet", "statefulsets": "StatefulSet",
    "svc": "Service", "service": "Service", "services": "Service",
    "cm": "ConfigMap", "configmap": "ConfigMap", "configmaps": "ConfigMap",
    "secret": "Secret", "secrets": "Secret",
    "ns": "Namespace", "namespace": "Namespace", "namespaces": "Namespace",
    "no": "Node", "node": "Node", "nodes": "Node",
    "job": "Job", "jobs": "Job", "cj": "CronJob", "cronjob": "CronJob", "cronjobs": "CronJob",
    "pc": "PriorityClass", "priorityclass": "PriorityClass", "priorityclasses": "PriorityClass",
    "pdb": "PodDisruptionBudget", "poddisruptionbudget": "PodDisruptionBudget",
    "poddisruptionbudgets": "PodDisruptionBudget",
    "sa": "ServiceAccount", "serviceaccount": "ServiceAccount", "serviceaccounts": "ServiceAccount",
    "rc": "ReplicationController", "replicationcontroller": "ReplicationController",
    "replicationcontrollers": "ReplicationController",
    "limits": "LimitRange", "limitrange": "LimitRange", "limitranges": "LimitRange",
    "quota": "ResourceQuota", "resourcequota": "ResourceQuota", "resourcequotas": "ResourceQuota",
    "podtemplate": "PodTemplate", "podtemplates": "PodTemplate",
    # short names of the kinds kubetrainer validates but does not simulate (kubectl api-resources)
    "pvc": "PersistentVolumeClaim", "pv": "PersistentVolume", "sc": "StorageClass", "ing": "Ingress",
    "hpa": "HorizontalPodAutoscaler", "netpol": "NetworkPolicy", "crd": "CustomResourceDefinition",
    "crds": "CustomResourceDefinition", "ep": "Endpoints", "ev": "Event", "csr": "CertificateSigningRequest",
}


def _plural(kind: str) -> str:
    """apimachinery meta.UnsafeGuessKindToResource (endpoints is its own plural)."""
    k = kind.lower()
    if k == "endpoints":
        return k
    if k.endswith("s"):
        return k + "es"
    if k.endswith("y"):
        return k[:-1] + "ies"
    return k + "s"


class ExplainError(Exception):
    pass


def resolve_kind(resource: str) -> str:
    """`deploy`, `deployments.apps`, `Deployment` -> "Deployment"; ExplainError if unknown."""
    name = resource.strip()
    base, _, group = name.partition(".")
    kind = ALIASES.get(base.lower())
    if kind is None:
        for k in sch.kinds():
            if base.lower() in (k.lower(), _plural(k)):
                kind = k
    if kind is not None and group:
        g = sch.kinds()[kind]["group"]
        # deployments.apps, deployments.v1.apps, pods.v1 (core)
        parts = group.split(".", 1)
        ok = group == g or (parts[0] == sch.kinds()[kind]["version"] and (parts[1:] or [""])[0] == g)
        if not ok:
            kind = None
    if kind is None:
        raise ExplainError(f'error: the server doesn\'t have a resource type "{resource}"')
    return kind


def _type_name(f: dict) -> str:
    t = f.get("t")
    if "items" in f:
        return "[]" + _type_name(f["items"])
    if "add" in f:
        return "map[string]" + _type_name(f["add"])
    if t == "object" and "ref" in f:
        return f["ref"].rsplit(".", 1)[-1]
    if t == "int-or-string":
        return "IntOrString"
    if t == "quantity":
        return "Quantity"
    if t == "object" or t == "any" or not t:
        return "Object"
    return t


def _wrap(text: str, width: int) -> str:
    """go-wordwrap's WrapString per line (term.NewWordWrapWriter): greedy, words never split."""
    out_lines = []
    for line in text.split("\n"):
        words = line.split(" ")
        cur = ""
        cur_len = 0
        for w in words:
            if cur_len == 0 and cur == "":
                cur, cur_len = w, len(w)
            elif cur_len + 1 + len(w) > width:
                out_lines.append(cur)
                cur, cur_len = w, len(w)
            else:
                cur += " " + w
                cur_len += 1 + len(w)
        out_lines.append(cur)
    return "\n".join(out_lines)


def _indent(text: str, n: int) -> str:
    pad = " " * n
    return pad + text.replace("\n", "\n" + pad)


def _field_schema_def(f: dict) -> str | None:
    while "items" in f or "add" in f:
        f = f.get("items") or f.get("add")
    return f.get("ref")


def _description(f: dict | None, defname: str | None) -> str:
    text = ""
    if f is not None and f.get("d"):
        text += f["d"] + "\n"
    if defname:
        d = sch.definition(defname).get("d")
        if d:
            text += d + "\n"
    elif f is not None:
        inner = f
        while "items" in inner or "add" in inner:
            inner = inner.get("items") or inner.get("add")
        extra = sch.schema().get("scalars", {}).get(inner.get("t", ""))
        if extra:
            text += extra + "\n"
    return text


def _enum_short(f: dict, indent: int) -> str:
    enum = f.get("enum")
    if not enum:
        return ""
    shown = [('""' if e == "" else str(e)) for e in enum[:4]]
    more = ", ...." if len(enum) > 4 else ""
    return "\n" + " " * indent + "enum: " + ", ".join(shown) + more


def _field_list(defname: str, level: int, recursive: bool, history: set[str]) -> str:
    if defname in history:
        return ""
    history = history | {defname}
    d = sch.definition(defname)
    out = []
    required = set(d.get("r") or [])
    for name in sorted(d["p"]):
        f = d["p"][name]
        ind = level * 2
        line = " " * ind + name + "\t<" + _type_name(f) + ">"
        if name in required:
            line += " -required-"
        line += _enum_short(f, ind) + "\n"
        if not recursive:
            line += _indent(_wrap(f.get("d") or "<no description>", 78 - ind), ind + 2) + "\n\n"
        out.append(line)
        if recursive:
            sub = _field_schema_def(f)
            if sub:
                out.append(_field_list(sub, level + 1, True, history))
    return "".join(out)


def explain(path: str, recursive: bool = False) -> str:
    parts = [p for p in path.strip().split(".")]
    if not parts or not parts[0]:
        raise ExplainError("error: You must specify the type of resource to explain. Use \"kubetrainer explain "
                           "pod\" for example.")
    # `deployments.apps.spec`? kubectl takes RESOURCE[.field]; a group suffix only with no fields.
    kind = resolve_kind(parts[0])
    fields = parts[1:]
    info = sch.kinds()[kind]
    out = ""
    if info["group"]:
        out += f"GROUP:      {info['group']}\n"
    out += f"KIND:       {kind}\n"
    out += f"VERSION:    {info['version']}\n\n"
    defname = info["def"]
    field: dict | None = None
    for i, name in enumerate(fields):
        d = sch.definition(defname) if defname else None
        f = d["p"].get(name) if d else None
        if f is None:
            raise ExplainError(f'error: field "{name}" does not exist')
        if i == len(fields) - 1:
            out += f"FIELD: {name} <{_type_name(f)}>\n"
            if f.get("enum"):
                out += "ENUM:" + "".join("\n    " + ('""' if e == "" else str(e)) for e in f["enum"]) + "\n"
            out += "\n"
        field = f
        defname = _field_schema_def(f)
    desc = _description(field, defname) if fields else _description(None, defname)
    out += "DESCRIPTION:\n" + _indent(_wrap(desc or "<empty>", 76), 4) + "\n"
    if defname:
        fl = _field_list(defname, 1, recursive, set())
        if fl:
            out += "FIELDS:\n" + fl
    return out.rstrip("\n") + "\n"
