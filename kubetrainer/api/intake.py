"""Manifest intake as the API server does it: YAML with positions, strict schema decoding,
defaulting, then semantic validation (the order of the apiserver's create handler:
decode -> default -> validate). Every problem is located as ``FILE:LINE:COL: message``.

    load_manifests(paths, stdin_text=None) -> list[Manifest]        # raises UserError
    intake_text(text, filename) -> (list[Manifest], list[Problem])  # never raises for bad input
"""

from __future__ import annotations

from typing import Iterable

from kubetrainer.errors import UserError
from kubetrainer.api import yamlpos

# Kinds without a namespace (the rest are namespaced; "default" when not written)
# (`kubectl api-resources --namespaced=false`, v1.34; the same list as schema/generate.py)
CLUSTER_SCOPED = {"Namespace", "Node", "PersistentVolume", "ComponentStatus",
                  "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
                  "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
                  "CustomResourceDefinition", "APIService", "TokenReview", "SelfSubjectReview",
                  "SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview",
                  "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration",
                  "IngressClass", "IPAddress", "ServiceCIDR", "RuntimeClass", "ClusterRole",
                  "ClusterRoleBinding", "PriorityClass", "StorageClass", "CSIDriver", "CSINode",
                  "VolumeAttachment", "VolumeAttributesClass", "DeviceClass", "ResourceSlice"}

# Versions that used to serve a kind and were removed (kubernetes.io/docs/reference/using-api/
# deprecation-guide): the hint names the version that serves it now.
_REMOVED = {
    ("extensions/v1beta1", "Deployment"): "1.16", ("apps/v1beta1", "Deployment"): "1.16",
    ("apps/v1beta2", "Deployment"): "1.16", ("extensions/v1beta1", "DaemonSet"): "1.16",
    ("apps/v1beta2", "DaemonSet"): "1.16", ("extensions/v1beta1", "ReplicaSet"): "1.16",
    ("apps/v1beta1", "ReplicaSet"): "1.16", ("apps/v1beta2", "ReplicaSet"): "1.16",
    ("apps/v1beta1", "StatefulSet"): "1.16", ("apps/v1beta2", "StatefulSet"): "1.16",
    ("batch/v1beta1", "CronJob"): "1.25", ("policy/v1beta1", "PodDisruptionBudget"): "1.25",
    ("scheduling.k8s.io/v1beta1", "PriorityClass"): "1.22", ("scheduling.k8s.io/v1alpha1", "PriorityClass"): "1.17",
    ("extensions/v1beta1", "Ingress"): "1.22", ("networking.k8s.io/v1beta1", "Ingress"): "1.22",
    ("networking.k8s.io/v1beta1", "IngressClass"): "1.22", ("extensions/v1beta1", "NetworkPolicy"): "1.16",
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): "1.25", ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): "1.26",
    ("rbac.authorization.k8s.io/v1beta1", "Role"): "1.22", ("rbac.authorization.k8s.io/v1beta1", "RoleBinding"): "1.22",
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"): "1.22",
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"): "1.22",
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"): "1.22",
    ("apiregistration.k8s.io/v1beta1", "APIService"): "1.22",
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"): "1.22",
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"): "1.22",
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"): "1.22",
    ("coordination.k8s.io/v1beta1", "Lease"): "1.22",
    ("storage.k8s.io/v1beta1", "StorageClass"): "1.22", ("storage.k8s.io/v1beta1", "CSIDriver"): "1.22",
    ("storage.k8s.io/v1beta1", "CSINode"): "1.22", ("storage.k8s.io/v1beta1", "VolumeAttachment"): "1.22",
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"): "1.27",
    ("discovery.k8s.io/v1beta1", "EndpointSlice"): "1.25", ("events.k8s.io/v1beta1", "Event"): "1.25",
    ("node.k8s.io/v1beta1", "RuntimeClass"): "1.25",
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"): "1.26",
    ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema"): "1.29",
    ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"): "1.32",
    ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration"): "1.26",
    ("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration"): "1.29",
    ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration"): "1.32",
}


class Problem:
    """One located problem. str(p) == f"{file}:{line}:{col}: {message}"."""

    __slots__ = ("file", "line", "col", "message")

    def __init__(self, file: str, line: int, col: int, message: str) -> None:
        self.file = file
        self.line = line
        self.col = col
        self.message = message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class Manifest:
    """One object as written (`raw`) and as the API server would store it (`obj`, defaulted)."""

    __slots__ = ("obj", "raw", "source", "doc", "defaulted", "warnings")

    def __init__(self, obj: dict, raw: dict, source: str, doc: yamlpos.Document | None,
                 defaulted: set[tuple], warnings: list | None = None) -> None:
        self.obj = obj
        self.raw = raw
        self.source = source
        self.doc = doc
        self.defaulted = defaulted
        # the API server's "Warning:" lines (pkg/api/pod/warnings.go): located, not errors
        self.warnings: list[Problem] = warnings or []

    @property
    def kind(self) -> str:
        return self.obj.get("kind", "")

    @property
    def api_version(self) -> str:
        return self.obj.get("apiVersion", "")

    @property
    def name(self) -> str:
        return (self.obj.get("metadata") or {}).get("name") or ""

    @property
    def namespace(self) -> str | None:
        if self.kind in CLUSTER_SCOPED:
            return None
        return (self.obj.get("metadata") or {}).get("namespace") or "default"

    @property
    def line(self) -> int:
        return self.doc.line if self.doc else 1

    def position(self, path: Iterable = (), *, value: bool = False) -> tuple[int, int]:
        """(line, col) of the key (or value) at `path`; nearest written ancestor when the path was
        defaulted or is missing."""
        if self.doc is None:
            return (1, 1)
        return self.doc.position(tuple(path), value=value)

    def __repr__(self) -> str:
        return f"<Manifest {self.kind.lower()}/{self.name} from {self.source}:{self.line}>"


def _problem(doc: yamlpos.Document, path: tuple, message: str, at_value: bool = False) -> Problem:
    line, col = doc.position(path, value=at_value)
    return Problem(doc.filename, line, col, message)


def check_document(doc: yamlpos.Document) -> tuple[Manifest | None, list[Problem]]:
    """Schema, defaulting and validation of one parsed document."""
    from kubetrainer.api import schema as sch

    data = doc.data
    if not isinstance(data, dict):
        kind = sch._json_kind(data)
        return None, [_problem(doc, (), f"json: cannot unmarshal {kind} into Go value of type "
                                         "map[string]interface {}", True)]
    problems: list[Problem] = []
    api_version, kind = data.get("apiVersion"), data.get("kind")
    # kubectl's decoder (unstructured.UnstructuredJSONScheme) needs a kind; an empty apiVersion
    # only fails later, in the REST mapping (`no matches for kind "Pod" in version ""`).
    if kind in (None, ""):
        return None, [_problem(doc, (), f"Object 'Kind' is missing in '{_go_json(data)}'")]
    if not isinstance(kind, str):
        return None, [_problem(doc, ("kind",), "json: cannot unmarshal "
                               f"{sch._json_kind(kind)} into Go struct field TypeMeta.kind of type string", True)]
    if api_version is None:
        api_version = ""
    if not isinstance(api_version, str):
        return None, [_problem(doc, ("apiVersion",), "json: cannot unmarshal "
                               f"{sch._json_kind(api_version)} into Go struct field TypeMeta.apiVersion "
                               "of type string", True)]
    served = sch.api_version_of(kind)
    if sch.served(api_version, kind) is None:
        msg = f'no matches for kind "{kind}" in version "{api_version}"'
        if served:
            removed = _REMOVED.get((api_version, kind))
            gone = f"{api_version} stopped serving {kind} in Kubernetes {removed}; " if removed else ""
            msg += f" ({gone}use apiVersion: {served})"
        else:
            msg += " (ensure CRDs are installed first)"
        return None, [_problem(doc, ("apiVersion",) if served else ("kind",), msg, True)]

    def report(path: tuple, message: str, at_value: bool) -> None:
        problems.append(_problem(doc, path, message, at_value))

    sch.check(data, kind, report, api_version)
    if problems:  # strict decoding failed: the server stops before defaulting and validation
        return None, problems
    from kubetrainer.api.defaults import default_object
    from kubetrainer.api.validation import validate_object

    res = default_object(data)
    string_data = data.get("stringData") if kind == "Secret" and isinstance(data.get("stringData"), dict) else {}
    for path, message, at_value in validate_object(res.obj):
        if string_data and len(path) >= 2 and path[0] == "data" and path[1] in string_data:
            path = ("stringData",) + tuple(path[1:])  # the key came from stringData (merged into data)
        report(path, message, at_value)
    obj = res.obj
    if "status" in obj and kind not in ("Namespace",):
        # PrepareForCreate of every workload strategy resets the status the client sent
        obj = {k: v for k, v in obj.items() if k != "status"}
    from kubetrainer.api.validation import warnings_for_object
    warnings = [_problem(doc, loc, "Warning: " + msg) for loc, msg in warnings_for_object(obj)]
    m = Manifest(obj, data, doc.filename, doc, res.defaulted_paths, warnings)
    return (None if problems else m), problems


def _go_json(data: object, limit: int = 300) -> str:
    """The object as Go's json.Marshal writes it (sorted keys, no spaces), cut at `limit`."""
    import json
    out, n = [], 0
    for chunk in json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).iterencode(data):
        out.append(chunk)
        n += len(chunk)
        if n > limit:
            break
    text = "".join(out)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text if len(text) <= limit else text[:limit] + "..."


def intake_text(text: str | bytes, filename: str) -> tuple[list[Manifest], list[Problem]]:
    """Parse, check, default one file's text. Never raises for bad input."""
    try:
        docs = yamlpos.parse_documents(text, filename)
    except yamlpos.YamlProblem as p:
        return [], [Problem(filename, p.line, p.col, p.message)]
    manifests: list[Manifest] = []
    problems: list[Problem] = []
    if not docs:
        return [], [Problem(filename, 1, 1, "no objects passed to apply")]
    for doc in _flatten_lists(docs):
        m, ps = check_document(doc)
        problems.extend(ps)
        if m is not None:
            manifests.append(m)
    return manifests, problems


def _flatten_lists(docs: list[yamlpos.Document]) -> list[yamlpos.Document]:
    """`kind: List` (and `PodList`, `DeploymentList` ...) documents stand for their items, as kubectl's
    resource builder flattens them (unstructuredJSONScheme decodes any document with `items` as an
    UnstructuredList)."""
    out = []
    for doc in docs:
        d = doc.data
        if isinstance(d, dict) and isinstance(d.get("kind"), str) and d["kind"].endswith("List") \
                and isinstance(d.get("items"), list):
            out.extend(doc.sub(("items", i)) for i in range(len(d["items"])))
        else:
            out.append(doc)
    return out


def load_manifests(paths: list[str], stdin_text: str | None = None) -> list[Manifest]:
    """Read files ('-' = stdin) and check them all; raise one UserError listing every problem."""
    manifests: list[Manifest] = []
    problems: list[Problem] = []
    for path in paths:
        name = "<stdin>" if path == "-" else path
        try:
            data = yamlpos.read_source(path, stdin_text)
        except yamlpos.YamlProblem as p:
            problems.append(Problem(name, p.line, p.col, p.message))
            continue
        ms, ps = intake_text(data, name)
        manifests.extend(ms)
        problems.extend(ps)
    if problems:
        raise UserError("\n".join(str(p) for p in problems))
    return manifests


def problems_as_error(problems: list[Problem]) -> UserError:
    return UserError("\n".join(str(p) for p in problems))


def describe(m: Manifest) -> str:
    """`pod/web` as kubectl names objects."""
    return f"{m.kind.lower()}/{m.name}"


__all__ = ["Manifest", "Problem", "load_manifests", "intake_text", "check_document", "CLUSTER_SCOPED",
           "describe"]

