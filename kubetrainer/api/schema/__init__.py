"""The vendored Kubernetes OpenAPI subset (see generate.py) and the strict schema walker.

The walker does what the API server's strict decoding does before any validation runs
(`k8s.io/apimachinery/pkg/runtime/serializer/json`, `sigs.k8s.io/json` with
`DisallowUnknownFields`): unknown fields and wrong JSON types are errors. Texts:

* unknown field:  ``strict decoding error: unknown field "spec.containers[0].imagePullPolice"``
* wrong type:     ``json: cannot unmarshal string into Go struct field PodSpec.spec.containers
  of type []v1.Container`` (encoding/json UnmarshalTypeError: the innermost struct, the field
  names from the root, the Go type)
* quantity:       resource.ErrFormatWrong / ErrSuffix (Quantity.UnmarshalJSON)

The schema is loaded lazily on first use (a 75 KB gzip, a few ms).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any, Callable

from kubetrainer.api.gotext import go_quote, lookalike_hint

_DATA: dict | None = None
_MORE: dict | None = None
SCHEMA_FILE = Path(__file__).with_name("k8s-openapi.json.gz")
# definitions of the kinds kubetrainer does not simulate (PVC, Ingress, RBAC, CRD ...): read only
# when a manifest or `explain` needs one
MORE_FILE = Path(__file__).with_name("k8s-openapi-more.json.gz")


def schema() -> dict:
    global _DATA
    if _DATA is None:
        with gzip.open(SCHEMA_FILE, "rb") as f:
            _DATA = json.loads(f.read())
    return _DATA


def kinds() -> dict[str, dict]:
    """kind -> {"group", "version", "def", "scope"?} for every served kind, in its preferred version."""
    return schema()["kinds"]


def served(api_version: str, kind: str) -> dict | None:
    """{"def", "scope"?} when a default v1.34 API server serves `kind` in `api_version`, else None."""
    return schema()["served"].get(f"{api_version} {kind}")


def served_versions(kind: str) -> list[str]:
    """Every apiVersion that serves `kind` (preferred first)."""
    out = [k.split(" ")[0] for k in schema()["served"] if k.split(" ")[1] == kind]
    pref = api_version_of(kind)
    return sorted(out, key=lambda v: v != pref)


def is_cluster_scoped(kind: str) -> bool:
    k = kinds().get(kind)
    return bool(k and k.get("scope") == "Cluster")


def definition(name: str) -> dict:
    global _MORE
    defs = schema()["defs"]
    if name in defs:
        return defs[name]
    if _MORE is None:
        with gzip.open(MORE_FILE, "rb") as f:
            _MORE = json.loads(f.read())["defs"]
    return _MORE[name]


def api_version_of(kind: str) -> str | None:
    k = kinds().get(kind)
    if not k:
        return None
    return f"{k['group']}/{k['version']}" if k["group"] else k["version"]


def go_type(f: dict) -> str:
    """The Go type name a field decodes into, as encoding/json prints it."""
    t = f.get("t")
    if t == "object" and "ref" in f:
        parts = f["ref"].split(".")
        return f"{parts[-2]}.{parts[-1]}"
    if t == "object":
        return "map[string]" + go_type(f["add"]) if "add" in f else "map[string]interface {}"
    if t == "array":
        return "[]" + go_type(f.get("items", {"t": "any"}))
    if t == "string":
        return "string"
    if t == "boolean":
        return "bool"
    if t == "integer":
        return {"int32": "int32", "int64": "int64"}.get(f.get("f", ""), "int")
    if t == "number":
        return "float64"
    if t == "int-or-string":
        return "intstr.IntOrString"
    if t == "quantity":
        return "resource.Quantity"
    return "interface {}"


def _json_kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "null"


def field_path(path: tuple) -> str:
    """("spec", "containers", 0, "image") -> "spec.containers[0].image" (field.Path.String)."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + p
    return out


Report = Callable[[tuple, str, bool], None]  # (path, message, at_value)


def check(obj: dict, kind: str, report: Report, api_version: str | None = None) -> None:
    """Walk `obj` against the schema of `kind` (in `api_version`, default the preferred one);
    call report(path, message, at_value) per problem."""
    entry = served(api_version, kind) if api_version is not None else None
    top = entry["def"] if entry else kinds()[kind]["def"]
    _walk_def(obj, top, (), (), report)


def _walk_def(value: dict, defname: str, path: tuple, names: tuple, report: Report) -> None:
    d = definition(defname)
    props = d["p"]
    struct = defname.rsplit(".", 1)[-1]
    for key, v in value.items():
        f = props.get(key)
        p = path + (key,)
        if f is None:
            report(p, f"strict decoding error: unknown field {go_quote(field_path(p))}", False)
            continue
        _walk_field(v, f, p, names + (key,), struct, report)


def _type_error(v: Any, f: dict, path: tuple, names: tuple, struct: str, report: Report) -> None:
    kind = _json_kind(v)
    if kind == "number" and isinstance(v, float) and f.get("t") == "integer":
        kind = f"number {_go_float(v)}"
    hint = lookalike_hint(v) if isinstance(v, str) else ""
    report(path, f"json: cannot unmarshal {kind} into Go struct field {struct}.{'.'.join(names)} "
                 f"of type {go_type(f)}{hint}", True)


def _go_float(v: float) -> str:
    s = repr(v)
    return s[:-2] if s.endswith(".0") else s


_B64 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def _base64_error(s: str) -> int | None:
    """Offset of the first byte Go's base64.StdEncoding rejects ([]byte fields), or None."""
    s = s.replace("\r", "").replace("\n", "")  # the decoder skips newlines
    body = s.rstrip("=")
    for i, ch in enumerate(body):
        if ch not in _B64:
            return i
    pad = len(s) - len(body)
    if pad > 2 or (len(s) % 4 != 0):
        return len(body) - (len(body) % 4) if len(s) % 4 else len(body)
    return None


def _walk_field(v: Any, f: dict, path: tuple, names: tuple, struct: str, report: Report) -> None:
    if v is None:  # JSON null leaves the Go zero value
        return
    t = f.get("t")
    if t == "object":
        if not isinstance(v, dict):
            _type_error(v, f, path, names, struct, report)
            return
        if "ref" in f:
            _walk_def(v, f["ref"], path, names, report)
        elif "add" in f:
            for k, item in v.items():
                _walk_field(item, f["add"], path + (k,), names, struct, report)
        return
    if t == "array":
        if not isinstance(v, list):
            _type_error(v, f, path, names, struct, report)
            return
        item = f.get("items")
        if item:
            for i, x in enumerate(v):
                _walk_field(x, item, path + (i,), names, struct, report)
        return
    if t == "string":
        if not isinstance(v, str):
            _type_error(v, f, path, names, struct, report)
        elif f.get("f") == "byte":
            bad = _base64_error(v)
            if bad is not None:
                report(path, f"illegal base64 data at input byte {bad}", True)
        return
    if t == "boolean":
        if not isinstance(v, bool):
            _type_error(v, f, path, names, struct, report)
        return
    if t == "integer":
        if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not v.is_integer()):
            _type_error(v, f, path, names, struct, report)
            return
        bits = {"int32": 31, "int64": 63}.get(f.get("f", ""), 63)
        if not -(2 ** bits) <= v < 2 ** bits:
            report(path, f"json: cannot unmarshal number {_go_float(v) if isinstance(v, float) else v} "
                         f"into Go struct field {struct}.{'.'.join(names)} of type {go_type(f)}", True)
        return
    if t == "number":
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            _type_error(v, f, path, names, struct, report)
        return
    if t == "int-or-string":
        # intstr.IntOrString.UnmarshalJSON: a JSON string or an int32
        if isinstance(v, bool) or not isinstance(v, (int, str)) and not (isinstance(v, float) and v.is_integer()):
            _type_error(v, f, path, names, struct, report)
        return
    if t == "quantity":
        from kubetrainer.api.quantity import QuantityError, parse_quantity
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            _type_error(v, f, path, names, struct, report)
            return
        try:
            parse_quantity(v)
        except QuantityError as err:
            report(path, str(err), True)
        return
    # "any": free-form (FieldsV1, RawExtension): accepted as is
