"""Generate the compact, vendored OpenAPI subset kubetrainer validates against.

Source: the JSON schemas bundled by the `kubernetes-validate` package (themselves generated
from the Kubernetes OpenAPI spec, https://github.com/willthames/kubernetes-validate), version
`VERSION` "strict" flavour (additionalProperties: false, i.e. the API server's strict decoding).
We keep only the kinds kubetrainer serves plus every definition they reference, and only
what the schema walker and `kubetrainer explain` need:

    {"version": "1.34.0",
     "kinds": {"Pod": {"group": "", "version": "v1", "def": "io.k8s.api.core.v1.Pod"}, ...},
     "defs": {"io.k8s.api.core.v1.Pod": {"d": description, "p": {field: F}, "r": [required]}}}

    F = {"t": "string"|"integer"|"number"|"boolean"|"object"|"array"|"int-or-string"|"quantity"|"any",
         "ref": def name, "items": F, "add": F (map values), "d": description,
         "f": format (int32, int64, ...), "lt": x-kubernetes-list-type, "lk": list-map-keys,
         "enum": [...]}

Run (needs kubernetes-validate installed, only at development time):
    python -m kubetrainer.api.schema.generate
writes kubetrainer/api/schema/k8s-openapi.json.gz (deterministic: sorted keys, mtime 0).
"""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

VERSION = "1.34.0"

KINDS = [
    ("", "v1", "Pod"), ("", "v1", "Secret"), ("", "v1", "ConfigMap"), ("", "v1", "Service"),
    ("", "v1", "Namespace"), ("", "v1", "Node"), ("", "v1", "PodTemplate"), ("", "v1", "ServiceAccount"),
    ("", "v1", "ReplicationController"), ("", "v1", "LimitRange"), ("", "v1", "ResourceQuota"),
    ("apps", "v1", "Deployment"), ("apps", "v1", "ReplicaSet"), ("apps", "v1", "DaemonSet"),
    ("apps", "v1", "StatefulSet"), ("batch", "v1", "Job"), ("batch", "v1", "CronJob"),
    ("scheduling.k8s.io", "v1", "PriorityClass"), ("policy", "v1", "PodDisruptionBudget"),
]

OUT = Path(__file__).with_name("k8s-openapi.json.gz")
# Every other kind a default 1.34 API server serves (GA group versions; beta APIs introduced after
# 1.24 are off by default and the alpha ones need a feature gate): their definitions go to a second
# file, loaded only when a manifest (or `explain`) names one of them.
MORE = Path(__file__).with_name("k8s-openapi-more.json.gz")
# Kinds with a GA group/version in the OpenAPI document that are not stored objects one can
# create with `kubectl apply` (discovery documents, status, subresources)
NOT_SERVED = {"APIGroup", "APIGroupList", "APIResourceList", "APIVersions", "Status", "Scale",
              "ComponentStatus", "TokenRequest", "Eviction", "Binding", "WatchEvent", "DeleteOptions"}
# Cluster-scoped kinds (`kubectl api-resources --namespaced=false`, v1.34): the list intake keeps
from kubetrainer.api.intake import CLUSTER_SCOPED  # noqa: E402
# Preferred version when a GA group serves a kind in two versions (autoscaling/v2 over v1)
PREFERRED = {("autoscaling", "HorizontalPodAutoscaler"): "v2"}

# The JSON schemas we generate from carry no `enum`s; the OpenAPI v3 document the API server
# publishes does, for the Go types marked `+enum` (k8s.io/api/core/v1/types.go,
# k8s.io/api/apps/v1/types.go). `kubectl explain` prints them (sorted, as the spec lists them).
ENUMS = {
    ("io.k8s.api.core.v1.Container", "imagePullPolicy"): ["Always", "IfNotPresent", "Never"],
    ("io.k8s.api.core.v1.Container", "terminationMessagePolicy"): ["FallbackToLogsOnError", "File"],
    ("io.k8s.api.core.v1.PodSpec", "restartPolicy"): ["Always", "Never", "OnFailure"],
    ("io.k8s.api.core.v1.PodSpec", "dnsPolicy"): ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
    ("io.k8s.api.core.v1.PodSpec", "preemptionPolicy"): ["Never", "PreemptLowerPriority"],
    ("io.k8s.api.core.v1.ContainerPort", "protocol"): ["SCTP", "TCP", "UDP"],
    ("io.k8s.api.core.v1.ServicePort", "protocol"): ["SCTP", "TCP", "UDP"],
    ("io.k8s.api.core.v1.ServiceSpec", "type"): ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
    ("io.k8s.api.core.v1.ServiceSpec", "sessionAffinity"): ["ClientIP", "None"],
    ("io.k8s.api.core.v1.ServiceSpec", "externalTrafficPolicy"): ["Cluster", "Local"],
    ("io.k8s.api.core.v1.ServiceSpec", "internalTrafficPolicy"): ["Cluster", "Local"],
    ("io.k8s.api.core.v1.Toleration", "operator"): ["Equal", "Exists"],
    ("io.k8s.api.core.v1.Toleration", "effect"): ["NoExecute", "NoSchedule", "PreferNoSchedule"],
    ("io.k8s.api.core.v1.Taint", "effect"): ["NoExecute", "NoSchedule", "PreferNoSchedule"],
    ("io.k8s.api.core.v1.NodeSelectorRequirement", "operator"): ["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"],
    ("io.k8s.api.core.v1.HTTPGetAction", "scheme"): ["HTTP", "HTTPS"],
    ("io.k8s.api.core.v1.Secret", "type"): None,
    ("io.k8s.api.apps.v1.DeploymentStrategy", "type"): ["Recreate", "RollingUpdate"],
    ("io.k8s.api.apps.v1.DaemonSetUpdateStrategy", "type"): ["OnDelete", "RollingUpdate"],
    ("io.k8s.api.apps.v1.StatefulSetUpdateStrategy", "type"): ["OnDelete", "RollingUpdate"],
    ("io.k8s.api.apps.v1.StatefulSetSpec", "podManagementPolicy"): ["OrderedReady", "Parallel"],
    ("io.k8s.api.scheduling.v1.PriorityClass", "preemptionPolicy"): ["Never", "PreemptLowerPriority"],
    ("io.k8s.api.batch.v1.JobSpec", "completionMode"): ["Indexed", "NonIndexed"],
}


def _source() -> dict:
    import kubernetes_validate  # development-time only
    base = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{VERSION}-local-strict"
    with open(base / "_definitions.json") as f:
        return json.load(f)["$defs"]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type(s: dict) -> str | None:
    t = s.get("type")
    if isinstance(t, list):
        t = [x for x in t if x != "null"]
        t = t[0] if len(t) == 1 else None
    return t


def _field(s: dict, defs: dict, need: set) -> dict:
    out: dict = {}
    if "description" in s:
        out["d"] = s["description"]
    if "$ref" in s:
        name = _ref_name(s["$ref"])
        if name == "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
            out["t"] = "int-or-string"
        elif name == "io.k8s.apimachinery.pkg.api.resource.Quantity":
            out["t"] = "quantity"
        elif name in ("io.k8s.apimachinery.pkg.apis.meta.v1.Time", "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"):
            out["t"] = "string"
            out["f"] = "date-time"
        elif name == "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1" or name == "io.k8s.apimachinery.pkg.runtime.RawExtension":
            out["t"] = "any"
        else:
            out["t"] = "object"
            out["ref"] = name
            need.add(name)
        return out
    if "oneOf" in s or "anyOf" in s:
        out["t"] = "any"
        return out
    t = _type(s)
    out["t"] = t or "any"
    if s.get("format"):
        out["f"] = s["format"]
    if t == "array" and "items" in s:
        out["items"] = _field(s["items"], defs, need)
        out["items"].pop("d", None)
    if t == "object" and isinstance(s.get("additionalProperties"), dict):
        out["add"] = _field(s["additionalProperties"], defs, need)
        out["add"].pop("d", None)
    for k, short in (("x-kubernetes-list-type", "lt"), ("x-kubernetes-list-map-keys", "lk"),
                     ("x-kubernetes-map-type", "mt"), ("x-kubernetes-preserve-unknown-fields", "pu")):
        if k in s:
            out[short] = s[k]
    return out


def _collect(defs: dict, roots: set) -> dict:
    out: dict = {}
    todo = sorted(roots)
    while todo:
        name = todo.pop()
        if name in out:
            continue
        d = defs[name]
        more: set = set()
        entry: dict = {"d": d.get("description", "")}
        props = {k: _field(v, defs, more) for k, v in (d.get("properties") or {}).items()}
        for k, f in props.items():
            enum = ENUMS.get((name, k))
            if enum:
                f["enum"] = enum
        entry["p"] = props
        if d.get("required"):
            entry["r"] = d["required"]
        out[name] = entry
        todo.extend(sorted(more - set(out)))
    return out


def _served(defs: dict) -> dict:
    """"apiVersion kind" -> {"def", "scope"?} for every GA kind (see NOT_SERVED)."""
    served: dict = {}
    for name, d in defs.items():
        gvks = d.get("x-kubernetes-group-version-kind") or []
        if len(gvks) != 1:
            continue
        g = gvks[0]
        kind, version = g["kind"], g["version"]
        if kind in NOT_SERVED or kind.endswith("List") or "alpha" in version or "beta" in version:
            continue
        av = f"{g['group']}/{version}" if g["group"] else version
        entry = {"def": name}
        if kind in CLUSTER_SCOPED:
            entry["scope"] = "Cluster"
        served[f"{av} {kind}"] = entry
    return dict(sorted(served.items()))


def generate() -> tuple[dict, dict]:
    defs = _source()
    kinds = {}
    need: set = set()
    for group, version, kind in KINDS:
        for name, d in defs.items():
            gvk = d.get("x-kubernetes-group-version-kind") or []
            if {"group": group, "version": version, "kind": kind} in gvk:
                kinds[kind] = {"group": group, "version": version, "def": name}
                need.add(name)
                break
        else:
            raise SystemExit(f"{group}/{version} {kind} not found")
    served = _served(defs)
    # every other served kind in its preferred version
    for key, entry in served.items():
        av, kind = key.split(" ")
        group, _, version = av.rpartition("/")
        if kind in kinds and kinds[kind]["group"] == group:
            continue
        pref = PREFERRED.get((group, kind))
        if pref and pref != version:
            continue
        kinds.setdefault(kind, {"group": group, "version": version, "def": entry["def"]})
    for kind, info in kinds.items():
        if kind in CLUSTER_SCOPED:
            info["scope"] = "Cluster"
    core = _collect(defs, need)
    more = _collect(defs, {e["def"] for e in served.values()})
    more = {k: v for k, v in more.items() if k not in core}
    # Descriptions of the types we flatten to scalars (kubectl explain prints them after the field's)
    scalars = {"quantity": defs["io.k8s.apimachinery.pkg.api.resource.Quantity"].get("description", ""),
               "int-or-string": defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"].get("description", "")}
    return ({"version": VERSION, "kinds": kinds, "served": served, "defs": core, "scalars": scalars},
            {"version": VERSION, "defs": more})


def _write(doc: dict, path: Path) -> None:
    data = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(data)
    path.write_bytes(buf.getvalue())
    print(f"wrote {os.path.relpath(path)}: {len(data)} bytes, {len(buf.getvalue())} gzipped")


def main() -> None:
    core, more = generate()
    _write(core, OUT)
    _write(more, MORE)


if __name__ == "__main__":
    main()
