"""Semantic validation with the API server's own messages.

Sources (Kubernetes v1.34): pkg/apis/core/validation/validation.go (ValidateObjectMeta,
ValidatePodSpec, validateContainers, validateContainerPorts, ValidateEnv, validateProbe,
validateHandler, validatePullPolicy, validateRestartPolicy, validateDNSPolicy,
ValidateResourceRequirements, ValidateSecret, ValidateConfigMap, ValidateService,
ValidatePodUpdate), pkg/apis/apps/validation/validation.go (ValidateDeploymentSpec,
ValidatePodTemplateSpecForReplicaSet, ValidateRollingUpdateDeployment,
ValidateStatefulSetSpec, ValidateDaemonSetSpec), apimachinery util/validation (the
IsDNS1123Label/Subdomain, IsValidPortName, IsRelaxedEnvVarName texts) and field/errors.go
(`<path>: <Type>: <value>: <detail>`, strings printed with %q, maps with %#v).

`validate_object(obj)` runs on the DEFAULTED object (decode -> default -> validate, as the
apiserver) and returns every problem as ``(location_path, message, at_value)``; the message
carries the field path as field.Error prints it, the location path points into the YAML.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from kubetrainer.api.gotext import go_quote
from kubetrainer.api.quantity import QuantityError, parse_quantity
from kubetrainer.api.selectors import label_selector_matches

Err = tuple[tuple, str, bool]

# --- apimachinery/pkg/util/validation texts -------------------------------------------------
_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_SUB = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_LABEL_KEY_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_CM_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
_PERCENT = re.compile(r"^[0-9]+%$")


def _regex_error(msg: str, fmt: str, *examples: str) -> str:
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    msg += " (e.g. "
    for i, e in enumerate(examples):
        if i:
            msg += " or "
        msg += f"'{e}', "
    return msg + f"regex used for validation is '{fmt}')"


def _max_len(n: int) -> str:
    return f"must be no more than {n} characters"


def is_dns1123_label(v: str) -> list[str]:
    errs = []
    if len(v) > 63:
        errs.append(_max_len(63))
    if not _DNS1123_LABEL.match(v):
        if _DNS1123_SUB.match(v):
            errs.append("must not contain dots")
        else:
            errs.append(_regex_error("a lowercase RFC 1123 label must consist of lower case alphanumeric "
                                     "characters or '-', and must start and end with an alphanumeric character",
                                     "[a-z0-9]([-a-z0-9]*[a-z0-9])?", "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(v: str) -> list[str]:
    errs = []
    if len(v) > 253:
        errs.append(_max_len(253))
    if not _DNS1123_SUB.match(v):
        errs.append(_regex_error("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                                 "characters, '-' or '.', and must start and end with an alphanumeric character",
                                 "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", "example.com"))
    return errs


def is_dns1035_label(v: str) -> list[str]:
    errs = []
    if len(v) > 63:
        errs.append(_max_len(63))
    if not _DNS1035.match(v):
        errs.append(_regex_error("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                                 "start with an alphabetic character, and end with an alphanumeric character",
                                 "[a-z]([-a-z0-9]*[a-z0-9])?", "my-name", "abc-123"))
    return errs


def is_label_key(v: str) -> list[str]:
    errs: list[str] = []
    parts = v.split("/")
    key_msg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    fmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + m for m in is_dns1123_subdomain(prefix))
    else:
        return ["a valid label key " + _regex_error(key_msg, fmt, "MyName", "my.name", "123-abc") +
                " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part " + _max_len(63))
    if not _LABEL_KEY_NAME.match(name):
        errs.append("name part " + _regex_error(key_msg, fmt, "MyName", "my.name", "123-abc"))
    return errs


def is_label_value(v: str) -> list[str]:
    errs = []
    if len(v) > 63:
        errs.append(_max_len(63))
    if not _LABEL_VALUE.match(v):
        errs.append(_regex_error("a valid label must be an empty string or consist of alphanumeric characters, "
                                 "'-', '_' or '.', and must start and end with an alphanumeric character",
                                 "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?", "MyValue", "my_value", "12345"))
    return errs


def is_port_name(v: str) -> list[str]:
    errs = []
    if len(v) > 15:
        errs.append(_max_len(15))
    if not re.match(r"^[-a-z0-9]+$", v):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search(r"[a-z]", v):
        errs.append("must contain at least one letter (a-z)")
    if "--" in v:
        errs.append("must not contain consecutive hyphens")
    if v and (v[0] == "-" or v[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def is_relaxed_env_var_name(v: str) -> list[str]:
    # RelaxedEnvironmentVariableValidation is GA (on) in 1.34
    errs = []
    if not v:
        errs.append("environment variable name must be non-empty")
    if any(ord(c) > 127 or not c.isprintable() or c == "=" for c in v):
        errs.append("a valid environment variable name must consist only of printable ASCII characters other than '='")
    return errs


def is_config_map_key(v: str) -> list[str]:
    errs = []
    if len(v) > 253:
        errs.append(_max_len(253))
    if not _CM_KEY.match(v):
        errs.append(_regex_error("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                                 "[-._a-zA-Z0-9]+", "key.name", "KEY_NAME", "key-name"))
    if v == ".":
        errs.append("must not be '.'")
    elif v == "..":
        errs.append("must not be '..'")
    elif v.startswith(".."):
        errs.append("must not start with '..'")
    return errs


# --- field.Error formatting -----------------------------------------------------------------
def go_value(v: Any) -> str:
    """A BadValue as field.Error prints it."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return go_quote(v)
    if v is None:
        return '"null"'
    return str(v)


def go_map(m: dict | None) -> str:
    """%#v of map[string]string (keys sorted, as fmt does)."""
    if m is None:
        return "map[string]string(nil)"
    return "map[string]string{" + ", ".join(f"{go_quote(str(k))}:{go_quote(str(v))}" for k, v in sorted(m.items())) + "}"


def label_selector_string(sel: dict) -> str:
    """(*metav1.LabelSelector).String() (generated.pb.go)."""
    ml = "map[string]string{" + "".join(f"{k}: {v}," for k, v in sorted((sel.get("matchLabels") or {}).items())) + "}"
    reqs = "".join("&LabelSelectorRequirement{Key:%s,Operator:%s,Values:[%s],}," % (
        r.get("key"), r.get("operator"), " ".join(str(x) for x in r.get("values") or []))
        for r in sel.get("matchExpressions") or [] if isinstance(r, dict))
    return f"&LabelSelector{{MatchLabels:{ml},MatchExpressions:[]LabelSelectorRequirement{{{reqs}}},}}"


def label_selector_gosharp(sel: dict) -> str:
    """%#v of a metav1.LabelSelector value, as field.Error prints a *LabelSelector BadValue
    (apimachinery/pkg/util/validation/field/errors.go ErrorBody dereferences the pointer, and the
    generated String() has a pointer receiver, so the value is no fmt.Stringer): nil vs empty
    map/slice as decoded from JSON."""
    ml = sel.get("matchLabels")
    me = sel.get("matchExpressions")
    mls = "map[string]string(nil)" if ml is None else go_map(ml)
    if me is None:
        mes = "[]v1.LabelSelectorRequirement(nil)"
    else:
        items = []
        for r in me:
            r = r if isinstance(r, dict) else {}
            vals = r.get("values")
            vs = "[]string(nil)" if vals is None else "[]string{" + ", ".join(go_quote(str(x)) for x in vals) + "}"
            items.append(f"v1.LabelSelectorRequirement{{Key:{go_quote(str(r.get('key') or ''))}, "
                         f"Operator:{go_quote(str(r.get('operator') or ''))}, Values:{vs}}}")
        mes = "[]v1.LabelSelectorRequirement{" + ", ".join(items) + "}"
    return f"v1.LabelSelector{{MatchLabels:{mls}, MatchExpressions:{mes}}}"


class K(str):
    """A map key in a path: printed as `[key]` (field.Path.Key), located like any key."""
    __slots__ = ()


def fpath(path: tuple) -> str:
    out = ""
    for p in path:
        if isinstance(p, int) or isinstance(p, K):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


class _V:
    def __init__(self) -> None:
        self.errs: list[Err] = []

    def add(self, path: tuple, body: str, at_value: bool = True, loc: tuple | None = None) -> None:
        self.errs.append((path if loc is None else loc, f"{fpath(path)}: {body}", at_value))

    def required(self, path: tuple, detail: str = "", loc: tuple | None = None) -> None:
        self.add(path, "Required value" + (f": {detail}" if detail else ""), False, loc)

    def invalid(self, path: tuple, value: Any, detail: str, loc: tuple | None = None, raw: bool = False,
                at_value: bool = True) -> None:
        shown = value if raw else go_value(value)
        self.add(path, f"Invalid value: {shown}" + (f": {detail}" if detail else ""), at_value, loc)

    def not_supported(self, path: tuple, value: Any, valid: list[str]) -> None:
        detail = "supported values: " + ", ".join(go_quote(v) for v in valid) if valid else ""
        self.add(path, f"Unsupported value: {go_value(value)}" + (f": {detail}" if detail else ""))

    def duplicate(self, path: tuple, value: Any) -> None:
        self.add(path, f"Duplicate value: {go_value(value)}")

    def forbidden(self, path: tuple, detail: str) -> None:
        self.add(path, "Forbidden" + (f": {detail}" if detail else ""), False)

    def nonneg(self, path: tuple, value: Any) -> None:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            self.invalid(path, value, "must be greater than or equal to 0")


def _s(v: Any) -> str:
    return v if isinstance(v, str) else ("" if v is None else str(v))


# --- metadata ---------------------------------------------------------------------------------
def _labels(v: _V, labels: Any, path: tuple) -> None:
    if not isinstance(labels, dict):
        return
    for k, val in labels.items():
        for msg in is_label_key(str(k)):
            v.invalid(path, str(k), msg, loc=path + (k,), at_value=False)
        for msg in is_label_value(_s(val)):
            v.invalid(path, _s(val), msg, loc=path + (k,))


def _annotations(v: _V, ann: Any, path: tuple) -> None:
    if not isinstance(ann, dict):
        return
    total = 0
    for k, val in ann.items():
        for msg in is_label_key(str(k).lower()):
            v.invalid(path, str(k), msg, loc=path + (k,), at_value=False)
        total += len(str(k)) + len(_s(val))
    if total > 256 * 1024:
        v.add(path, "Too long: must have at most 262144 bytes", False)


def _meta(v: _V, obj: dict, name_fn, namespaced: bool) -> None:
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        meta = {}
    name = _s(meta.get("name"))
    if not name:
        if not meta.get("generateName"):
            v.required(("metadata", "name"), "name or generateName is required", loc=("metadata",))
    else:
        for msg in name_fn(name):
            v.invalid(("metadata", "name"), name, msg)
    ns = _s(meta.get("namespace"))
    if namespaced and ns:
        for msg in is_dns1123_label(ns):
            v.invalid(("metadata", "namespace"), ns, msg)
    # (a namespace on a cluster-scoped object is cleared by the API server before validation)
    _labels(v, meta.get("labels"), ("metadata", "labels"))
    _annotations(v, meta.get("annotations"), ("metadata", "annotations"))


# --- pod spec -----------------------------------------------------------------------------------
_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")


def _port_num_or_name(v: _V, port: Any, path: tuple) -> None:
    if isinstance(port, int):
        if not 1 <= port <= 65535:
            v.invalid(path, port, "must be between 1 and 65535, inclusive")
    elif isinstance(port, str):
        if port == "":
            v.required(path)
            return
        for msg in is_port_name(port):
            v.invalid(path, port, msg)
    else:
        v.required(path)


def _handler(v: _V, h: dict, path: tuple, kinds: tuple = _HANDLERS, required_msg: str = "must specify a handler type") -> None:
    n = 0
    for k in kinds:
        if h.get(k) is None:
            continue
        if n > 0:
            v.forbidden(path + (k,), "may not specify more than 1 handler type")
            continue
        n += 1
        hp = path + (k,)
        val = h[k]
        if k == "exec":
            if not (val or {}).get("command"):
                v.required(hp + ("command",))
        elif k == "httpGet":
            val = val or {}
            if not _s(val.get("path")):
                v.required(hp + ("path",))
            _port_num_or_name(v, val.get("port"), hp + ("port",))
            scheme = val.get("scheme")
            if scheme not in ("HTTP", "HTTPS"):
                v.not_supported(hp + ("scheme",), _s(scheme), ["HTTP", "HTTPS"])
            for i, hdr in enumerate(val.get("httpHeaders") or []):
                nm = _s((hdr or {}).get("name"))
                if not re.match(r"^[-A-Za-z0-9]+$", nm):
                    v.invalid(hp + ("httpHeaders",), nm, loc=hp + ("httpHeaders", i, "name"), detail=
                              _regex_error("a valid HTTP header must consist of alphanumeric characters or '-'",
                                           "[-A-Za-z0-9]+", "X-Header-Name"))
        elif k == "tcpSocket":
            _port_num_or_name(v, (val or {}).get("port"), hp + ("port",))
        elif k == "grpc":
            p = (val or {}).get("port")
            if not isinstance(p, int) or not 1 <= p <= 65535:
                v.invalid(hp + ("port",), p if p is not None else 0, "must be between 1 and 65535, inclusive")
    if n == 0:
        v.required(path, required_msg)


def _probe(v: _V, p: Any, path: tuple, name: str) -> None:
    if not isinstance(p, dict):
        return
    _handler(v, p, path)
    for f in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold",
              "terminationGracePeriodSeconds"):
        v.nonneg(path + (f,), p.get(f))
    if name in ("livenessProbe", "startupProbe") and p.get("successThreshold") not in (None, 1):
        v.invalid(path + ("successThreshold",), p["successThreshold"], "must be 1")
    tg = p.get("terminationGracePeriodSeconds")
    if name == "readinessProbe" and tg is not None:
        v.invalid(path + ("terminationGracePeriodSeconds",), tg, "must not be set for readinessProbes")
    if isinstance(tg, int) and not isinstance(tg, bool) and tg <= 0 and name != "readinessProbe":
        v.invalid(path + ("terminationGracePeriodSeconds",), tg, "must be greater than 0")


def _quantity_str(q: Any) -> str:
    try:
        return str(parse_quantity(q))
    except QuantityError:
        return str(q)


_STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}


def _native(name: str) -> bool:
    """helper.IsNativeResource: no domain, or a kubernetes.io domain."""
    return "/" not in name or "kubernetes.io/" in name


def _resources(v: _V, res: Any, path: tuple) -> None:
    """ValidateContainerResourceRequirements: names, non-negative, integers, requests <= limits."""
    if not isinstance(res, dict):
        return
    limits = res.get("limits") if isinstance(res.get("limits"), dict) else {}
    requests = res.get("requests") if isinstance(res.get("requests"), dict) else {}
    for which, lst in (("limits", limits), ("requests", requests)):
        for name, q in lst.items():
            fp = path + (which, name)
            kp = path + (which, K(name))
            for msg in is_label_key(str(name)):  # validateResourceName: a qualified name
                v.invalid(kp, name, msg, loc=fp, at_value=False)
            if "/" not in name:
                if name not in _STANDARD_CONTAINER_RESOURCES and not name.startswith("hugepages-"):
                    v.invalid(kp, name, "must be a standard resource for containers", loc=fp, at_value=False)
                    continue
            elif not _native(name) and name.startswith("requests."):
                v.invalid(kp, name, "doesn't follow extended resource name standard", loc=fp, at_value=False)
                continue
            try:
                qq = parse_quantity(q)
            except QuantityError:
                continue  # reported by the schema walker
            if qq.value < 0:  # ValidateNonnegativeQuantity (value.String(): quoted)
                v.invalid(kp, str(qq), "must be greater than or equal to 0", loc=fp)
            if not _native(name) and qq.milli() % 1000 != 0:  # IsIntegerResourceName (extended resources)
                v.invalid(kp, str(qq), "must be an integer", loc=fp, raw=True)  # a Quantity (Stringer): no quotes
            if which != "requests":
                continue
            overcommit = _native(name) and not name.startswith("hugepages-")  # helper.IsOvercommitAllowed
            if name in limits:
                try:
                    lq = parse_quantity(limits[name])
                except QuantityError:
                    continue
                if qq.value != lq.value and not overcommit:
                    v.invalid(path + ("requests",), str(qq), f"must be equal to {name} limit of {lq}", loc=fp)
                elif qq.value > lq.value:
                    v.invalid(path + ("requests",), str(qq), f"must be less than or equal to {name} limit of {lq}",
                              loc=fp)
            elif not overcommit:
                v.required(path + ("limits",), "Limit must be set for non overcommitable resources", loc=fp)


_ENV_FIELD_PATHS = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
                    "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]
# podshelper.ConvertDownwardAPIFieldLabel (v1): labels it knows
_DOWNWARD_LABELS = {"metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
                    "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName",
                    "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"}
_RESOURCE_FIELD_PATHS = ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
                         "requests.ephemeral-storage", "requests.memory"]


def _key_selector(v: _V, r: dict, path: tuple) -> None:
    """validateConfigMapKeySelector / validateSecretKeySelector."""
    name = _s(r.get("name"))
    for msg in is_dns1123_subdomain(name):
        v.invalid(path + ("name",), name, msg, loc=path + ("name",) if "name" in r else path)
    key = _s(r.get("key"))
    if not key:
        v.required(path + ("key",), loc=path)
    else:
        for msg in is_config_map_key(key):
            v.invalid(path + ("key",), key, msg)


def _env(v: _V, env: Any, path: tuple) -> None:
    """ValidateEnv + validateEnvVarValueFrom."""
    for i, e in enumerate(env or []):
        if not isinstance(e, dict):
            continue
        ip = path + (i,)
        name = _s(e.get("name"))
        if not name:
            v.required(ip + ("name",), loc=ip)
        else:
            for msg in is_relaxed_env_var_name(name):  # RelaxedEnvironmentVariableValidation: GA in 1.34
                v.invalid(ip + ("name",), name, msg)
        vf = e.get("valueFrom")
        if not isinstance(vf, dict):
            continue
        vp = ip + ("valueFrom",)
        n = 0
        fr = vf.get("fieldRef")
        if isinstance(fr, dict):
            n += 1
            fp = vp + ("fieldRef",)
            fpath_ = _s(fr.get("fieldPath"))
            if not _s(fr.get("apiVersion")):
                v.required(fp + ("apiVersion",), loc=fp)
            elif not fpath_:
                v.required(fp + ("fieldPath",), loc=fp)
            else:
                m = re.match(r"^(metadata\.(?:labels|annotations))\['(.*)'\]$", fpath_)
                if m:
                    sub = m.group(2).lower() if m.group(1).endswith("annotations") else m.group(2)
                    for msg in is_label_key(sub):
                        v.invalid(fp, sub, msg)
                elif fpath_ not in _DOWNWARD_LABELS:
                    v.invalid(fp + ("fieldPath",), fpath_,
                              f"error converting fieldPath: field label not supported: {fpath_}")
                elif fpath_ not in _ENV_FIELD_PATHS:
                    v.not_supported(fp + ("fieldPath",), fpath_, _ENV_FIELD_PATHS)
        rf = vf.get("resourceFieldRef")
        if isinstance(rf, dict):
            n += 1
            rp = vp + ("resourceFieldRef",)
            res = _s(rf.get("resource"))
            if not res:
                v.required(rp + ("resource",), loc=rp)
            elif res not in _RESOURCE_FIELD_PATHS and not res.startswith(("requests.hugepages-", "limits.hugepages-")):
                v.not_supported(rp + ("resource",), res, _RESOURCE_FIELD_PATHS)
        for ref in ("configMapKeyRef", "secretKeyRef"):
            r = vf.get(ref)
            if isinstance(r, dict):
                n += 1
                _key_selector(v, r, vp + (ref,))
        if n == 0:
            v.invalid(vp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`")
        elif _s(e.get("value")):
            v.invalid(vp, "", "may not be specified when `value` is not empty")
        elif n > 1:
            v.invalid(vp, "", "may not have more than one field specified at a time")


def _env_from(v: _V, env_from: Any, path: tuple) -> None:
    """ValidateEnvFrom: note the error path is the list, not the item."""
    for i, e in enumerate(env_from or []):
        if not isinstance(e, dict):
            continue
        ip = path + (i,)
        prefix = _s(e.get("prefix"))
        if prefix:
            for msg in is_relaxed_env_var_name(prefix):
                v.invalid(ip + ("prefix",), prefix, msg)
        n = 0
        for ref in ("configMapRef", "secretRef"):
            r = e.get(ref)
            if isinstance(r, dict):
                n += 1
                name = _s(r.get("name"))
                if not name:
                    v.required(ip + (ref, "name"), loc=ip + (ref,))
                else:
                    for msg in is_dns1123_subdomain(name):
                        v.invalid(ip + (ref, "name"), name, msg)
        if n == 0:
            v.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`", loc=ip)
        elif n > 1:
            v.invalid(path, "", "may not have more than one field specified at a time", loc=ip)


def _ports(v: _V, ports: Any, path: tuple) -> None:
    """validateContainerPorts."""
    names: set[str] = set()
    for i, p in enumerate(ports or []):
        if not isinstance(p, dict):
            continue
        ip = path + (i,)
        nm = _s(p.get("name"))
        if nm:
            msgs = is_port_name(nm)
            for msg in msgs:
                v.invalid(ip + ("name",), nm, msg)
            if not msgs and nm in names:
                v.duplicate(ip + ("name",), nm)
            elif not msgs:
                names.add(nm)
        cp = p.get("containerPort")
        if not cp:
            v.required(ip + ("containerPort",), loc=ip)
        elif not 1 <= cp <= 65535:
            v.invalid(ip + ("containerPort",), cp, "must be between 1 and 65535, inclusive")
        hp = p.get("hostPort")
        if hp and not 1 <= hp <= 65535:
            v.invalid(ip + ("hostPort",), hp, "must be between 1 and 65535, inclusive")
        proto = p.get("protocol")
        if not proto:
            v.required(ip + ("protocol",), loc=ip)
        elif proto not in ("TCP", "UDP", "SCTP"):
            v.not_supported(ip + ("protocol",), proto, ["SCTP", "TCP", "UDP"])


def _host_port_conflicts(v: _V, ctrs: list, path: tuple) -> None:
    """AccumulateUniqueHostPorts: "<protocol>/<hostIP>/<hostPort>" must be unique."""
    seen: set[str] = set()
    for ci, c in ctrs:
        for pi, p in enumerate(c.get("ports") or []):
            if not isinstance(p, dict) or not p.get("hostPort"):
                continue
            key = f"{_s(p.get('protocol'))}/{_s(p.get('hostIP'))}/{p.get('hostPort')}"
            if key in seen:
                v.duplicate(path + (ci, "ports", pi, "hostPort"), key)
            seen.add(key)


def _volume_mounts(v: _V, mounts: Any, path: tuple, volumes: set[str]) -> None:
    """ValidateVolumeMounts."""
    points: set[str] = set()
    for j, m in enumerate(mounts or []):
        if not isinstance(m, dict):
            continue
        mp = path + (j,)
        mn = _s(m.get("name"))
        if not mn:
            v.required(mp + ("name",), loc=mp)
        if mn not in volumes:
            v.add(mp + ("name",), f"Not found: {go_quote(mn)}", True, loc=mp + ("name",) if mn else mp)
        mpath = _s(m.get("mountPath"))
        if not mpath:
            v.required(mp + ("mountPath",), loc=mp)
        if mpath in points:
            v.invalid(mp + ("mountPath",), mpath, "must be unique")
        points.add(mpath)
        if m.get("subPath") and m.get("subPathExpr"):
            v.invalid(mp + ("subPathExpr",), _s(m.get("subPathExpr")), "subPathExpr and subPath are mutually exclusive")


def _container_common(v: _V, c: dict, ip: tuple, volumes: set[str]) -> None:
    """validateContainerCommon, in its order."""
    name = _s(c.get("name"))
    if not name:
        v.required(ip + ("name",), loc=ip)
    else:
        for msg in is_dns1123_label(name):
            v.invalid(ip + ("name",), name, msg)
    if not _s(c.get("image")):
        # (no whitespace check: "do not validate leading and trailing whitespace to preserve
        # backward compatibility")
        v.required(ip + ("image",), loc=ip)
    tmp = c.get("terminationMessagePolicy")
    if not tmp:
        v.required(ip + ("terminationMessagePolicy",), loc=ip)
    elif tmp not in ("File", "FallbackToLogsOnError"):
        v.not_supported(ip + ("terminationMessagePolicy",), tmp, ["File", "FallbackToLogsOnError"])
    _ports(v, c.get("ports"), ip + ("ports",))
    _env(v, c.get("env"), ip + ("env",))
    _env_from(v, c.get("envFrom"), ip + ("envFrom",))
    _volume_mounts(v, c.get("volumeMounts"), ip + ("volumeMounts",), volumes)
    ipp = c.get("imagePullPolicy")
    if not ipp:
        v.required(ip + ("imagePullPolicy",), loc=ip)
    elif ipp not in ("Always", "IfNotPresent", "Never"):
        v.not_supported(ip + ("imagePullPolicy",), ipp, ["Always", "IfNotPresent", "Never"])
    _resources(v, c.get("resources"), ip + ("resources",))


def _lifecycle(v: _V, lc: Any, path: tuple) -> None:
    if isinstance(lc, dict):
        for hook in ("postStart", "preStop"):
            if isinstance(lc.get(hook), dict):
                _handler(v, lc[hook], path + (hook,), ("exec", "httpGet", "tcpSocket", "sleep"))


def _probes(v: _V, c: dict, ip: tuple) -> None:
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        if isinstance(c.get(probe), dict):
            _probe(v, c[probe], ip + (probe,), probe)


def _containers(v: _V, ctrs: Any, path: tuple, volumes: set[str], init: bool, all_names: set[str]) -> None:
    """validateContainers (init=False) / validateInitContainers (init=True)."""
    items = [(i, c) for i, c in enumerate(ctrs or []) if isinstance(c, dict)]
    if not ctrs:
        if not init:
            v.required(path, loc=path[:-1] if not isinstance(ctrs, list) else path)
        return
    for i, c in items:
        ip = path + (i,)
        _container_common(v, c, ip, volumes)
        name = _s(c.get("name"))
        if init:
            rp = c.get("restartPolicy")
            if rp is not None and rp != "Always":
                v.not_supported(ip + ("restartPolicy",), rp, ["Always"])
            if name in all_names:
                v.duplicate(ip + ("name",), name)
            elif name:
                all_names.add(name)
            _host_port_conflicts(v, [(i, c)], path)
            if rp == "Always":  # a sidecar: lifecycle and probes as for regular containers
                if c.get("lifecycle") is not None:
                    _lifecycle(v, c.get("lifecycle"), ip + ("lifecycle",))
                _probes(v, c, ip)
            else:
                for f in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                    if c.get(f) is not None:
                        v.forbidden(ip + (f,), "may not be set for init containers without restartPolicy=Always")
        else:
            if name in all_names:
                v.duplicate(ip + ("name",), name)
            else:
                all_names.add(name)
            if c.get("lifecycle") is not None:
                _lifecycle(v, c.get("lifecycle"), ip + ("lifecycle",))
            _probes(v, c, ip)
            if c.get("restartPolicy") is not None:
                v.forbidden(ip + ("restartPolicy",), "may not be set for non-init containers")
    if not init:
        _host_port_conflicts(v, items, path)


def _pod_spec(v: _V, spec: Any, path: tuple, is_pod: bool) -> None:
    if not isinstance(spec, dict):
        v.required(path + ("containers",), loc=path[:-1] if path else ())
        return
    volumes: set[str] = set()
    for i, vol in enumerate(spec.get("volumes") or []):
        if not isinstance(vol, dict):
            continue
        vp = path + ("volumes", i)
        nm = _s(vol.get("name"))
        if not nm:
            v.required(vp + ("name",), loc=vp)
        else:
            for msg in is_dns1123_label(nm):
                v.invalid(vp + ("name",), nm, msg)
            if nm in volumes:
                v.duplicate(vp + ("name",), nm)
            volumes.add(nm)
        sources = [k for k in vol if k != "name" and vol[k] is not None]
        if len(sources) > 1:
            v.forbidden(vp + (sources[1],), "may not specify more than 1 volume type")
    names: set[str] = set()
    _containers(v, spec.get("containers"), path + ("containers",), volumes, False, names)
    _containers(v, spec.get("initContainers"), path + ("initContainers",), volumes, True, names)
    if spec.get("hostNetwork") is True:  # validatePodHostNetworkDeps
        for i, c in enumerate(spec.get("containers") or []):
            for j, p in enumerate((c or {}).get("ports") or []):
                if not isinstance(p, dict):
                    continue
                hp, cp = p.get("hostPort") or 0, p.get("containerPort") or 0
                if (is_pod or hp != 0) and hp != cp:
                    v.invalid(path + ("containers", i, "ports", j, "hostPort"), hp,
                              "must match `containerPort` when `hostNetwork` is true")
    rp = spec.get("restartPolicy")
    if not rp:
        v.required(path + ("restartPolicy",))
    elif rp not in ("Always", "OnFailure", "Never"):
        v.not_supported(path + ("restartPolicy",), rp, ["Always", "OnFailure", "Never"])
    dp = spec.get("dnsPolicy")
    if not dp:
        v.required(path + ("dnsPolicy",))
    elif dp not in ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"):
        v.not_supported(path + ("dnsPolicy",), dp, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])
    _labels(v, spec.get("nodeSelector"), path + ("nodeSelector",))
    for i, s_ in enumerate(spec.get("imagePullSecrets") or []):
        if isinstance(s_, dict) and not _s(s_.get("name")):
            v.required(path + ("imagePullSecrets", i, "name"), loc=path + ("imagePullSecrets", i))
    _affinity(v, spec.get("affinity"), path + ("affinity",))
    if dp == "None":  # validatePodDNSConfig
        dc = spec.get("dnsConfig")
        if not isinstance(dc, dict):
            v.required(path + ("dnsConfig",), "must provide `dnsConfig` when `dnsPolicy` is None",
                       loc=path + ("dnsPolicy",))
        elif not dc.get("nameservers"):
            v.required(path + ("dnsConfig", "nameservers"),
                       "must provide at least one DNS nameserver when `dnsPolicy` is None", loc=path + ("dnsConfig",))
    for key in ("serviceAccountName", "nodeName"):
        val = _s(spec.get(key))
        if val:
            for msg in is_dns1123_subdomain(val):
                v.invalid(path + (key,), val, msg)
    ads = spec.get("activeDeadlineSeconds")
    if ads is not None and not 1 <= ads <= 2 ** 31 - 1:
        v.invalid(path + ("activeDeadlineSeconds",), ads, "must be between 1 and 2147483647, inclusive")
    for key in ("hostname", "subdomain"):
        val = _s(spec.get(key))
        if val:
            for msg in is_dns1123_label(val):
                v.invalid(path + (key,), val, msg)
    for i, t in enumerate(spec.get("tolerations") or []):  # ValidateTolerations
        if not isinstance(t, dict):
            continue
        tp = path + ("tolerations", i)
        key, op, eff, val = _s(t.get("key")), _s(t.get("operator")), _s(t.get("effect")), _s(t.get("value"))
        if key:
            for msg in is_label_key(key):
                v.invalid(tp + ("key",), key, msg)
        if not key and op != "Exists":
            v.invalid(tp + ("operator",), op, "operator must be Exists when `key` is empty, which means "
                                              "\"match all values and all keys\"",
                      loc=tp + ("operator",) if "operator" in t else tp)
        if t.get("tolerationSeconds") is not None and eff != "NoExecute":
            v.invalid(tp + ("effect",), eff, "effect must be 'NoExecute' when `tolerationSeconds` is set",
                      loc=tp + ("effect",) if "effect" in t else tp)
        if op in ("Equal", ""):
            errs = is_label_value(val)
            if errs:
                v.invalid(tp + ("operator",), val, ";".join(errs), loc=tp + ("value",))
        elif op == "Exists":
            if val:
                ts = t.get("tolerationSeconds")
                shown = (f"core.Toleration{{Key:{go_quote(key)}, Operator:{go_quote(op)}, Value:{go_quote(val)}, "
                         f"Effect:{go_quote(eff)}, TolerationSeconds:"
                         + ("(*int64)(nil)" if ts is None else f"(*int64)({ts})") + "}")
                v.invalid(tp + ("operator",), shown, "value must be empty when `operator` is 'Exists'", raw=True,
                          loc=tp + ("value",))
        else:
            v.not_supported(tp + ("operator",), op, ["Equal", "Exists"])
        if eff and eff not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            v.not_supported(tp + ("effect",), eff, ["NoSchedule", "PreferNoSchedule", "NoExecute"])
    pcn = _s(spec.get("priorityClassName"))
    if pcn:
        for msg in is_dns1123_subdomain(pcn):
            v.invalid(path + ("priorityClassName",), pcn, msg)
    pp = spec.get("preemptionPolicy")
    if pp is not None and pp not in ("PreemptLowerPriority", "Never"):
        v.not_supported(path + ("preemptionPolicy",), pp, ["PreemptLowerPriority", "Never"])


def _node_selector_term(v: _V, term: Any, path: tuple, check_values: bool = True) -> None:
    """ValidateNodeSelectorTerm: ValidateNodeSelectorRequirement for matchExpressions (label values
    checked for required affinity only), ValidateNodeFieldSelectorRequirement for matchFields."""
    if not isinstance(term, dict):
        return
    for i, r in enumerate(term.get("matchExpressions") or []):
        if not isinstance(r, dict):
            continue
        rp = path + ("matchExpressions", i)
        op = r.get("operator")
        vals = r.get("values") or []
        if op in ("In", "NotIn"):
            if not vals:
                v.required(rp + ("values",), "must be specified when `operator` is 'In' or 'NotIn'", loc=rp)
        elif op in ("Exists", "DoesNotExist"):
            if vals:
                v.forbidden(rp + ("values",), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
        elif op in ("Gt", "Lt"):
            if len(vals) != 1:
                v.required(rp + ("values",), "must be specified single value when `operator` is 'Lt' or 'Gt'",
                           loc=rp)
        else:
            v.invalid(rp + ("operator",), _s(op), "not a valid selector operator")
        for msg in is_label_key(_s(r.get("key"))):
            v.invalid(rp + ("key",), _s(r.get("key")), msg, loc=rp + ("key",) if "key" in r else rp)
        if check_values:
            for j, val in enumerate(vals):
                for msg in is_label_value(_s(val)):
                    v.invalid(rp + ("values", j), _s(val), msg)
    for i, r in enumerate(term.get("matchFields") or []):
        if not isinstance(r, dict):
            continue
        rp = path + ("matchFields", i)
        op = r.get("operator")
        vals = r.get("values") or []
        if op in ("In", "NotIn"):
            if len(vals) != 1:
                v.required(rp + ("values",), "must be only one value when `operator` is 'In' or 'NotIn' for node "
                                             "field selector", loc=rp)
        else:
            v.invalid(rp + ("operator",), _s(op), "not a valid selector operator")
        if r.get("key") != "metadata.name":
            v.invalid(rp + ("key",), _s(r.get("key")), "not a valid field selector key")
        else:
            for j, val in enumerate(vals):
                for msg in is_dns1123_subdomain(_s(val)):
                    v.invalid(rp + ("values", j), _s(val), msg)


def _pod_affinity_terms(v: _V, terms: Any, path: tuple, weighted: bool) -> None:
    """validatePodAffinityTerms / validateWeightedPodAffinityTerms."""
    for i, t in enumerate(terms or []):
        if not isinstance(t, dict):
            continue
        tp = path + (i,)
        if weighted:
            w = t.get("weight")
            if not isinstance(w, int) or not 1 <= w <= 100:
                v.invalid(tp + ("weight",), w if w is not None else 0, "must be in the range 1-100",
                          loc=tp + ("weight",) if "weight" in t else tp)
            tp = tp + ("podAffinityTerm",)
            t = t.get("podAffinityTerm") if isinstance(t.get("podAffinityTerm"), dict) else {}
        if isinstance(t.get("labelSelector"), dict):
            _label_selector(v, t["labelSelector"], tp + ("labelSelector",))
        for ns in t.get("namespaces") or []:
            for msg in is_dns1123_label(_s(ns)):
                v.invalid(tp + ("namespace",), _s(ns), msg, loc=tp + ("namespaces",))
        key = _s(t.get("topologyKey"))
        if not key:
            v.required(tp + ("topologyKey",), "can not be empty", loc=tp)
        for msg in is_label_key(key):
            v.invalid(tp + ("topologyKey",), key, msg, loc=tp + ("topologyKey",) if key else tp)


def _affinity(v: _V, aff: Any, path: tuple) -> None:
    """validateAffinity: node affinity, pod affinity, pod anti-affinity."""
    if not isinstance(aff, dict):
        return
    na = aff.get("nodeAffinity")
    if isinstance(na, dict):
        req = na.get("requiredDuringSchedulingIgnoredDuringExecution")
        ap = path + ("nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
        if isinstance(req, dict):
            terms = req.get("nodeSelectorTerms") or []
            if not terms:
                v.required(ap + ("nodeSelectorTerms",), "must have at least one node selector term", loc=ap)
            for i, term in enumerate(terms):
                _node_selector_term(v, term, ap + ("nodeSelectorTerms", i))
        for i, pt in enumerate(na.get("preferredDuringSchedulingIgnoredDuringExecution") or []):
            if not isinstance(pt, dict):
                continue
            pp = path + ("nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution", i)
            w = pt.get("weight")
            if not isinstance(w, int) or not 1 <= w <= 100:
                v.invalid(pp + ("weight",), w if w is not None else 0, "must be in the range 1-100",
                          loc=pp + ("weight",) if "weight" in pt else pp)
            # "we always allow invalid label-value for preferred affinity"
            _node_selector_term(v, pt.get("preference") or {}, pp + ("preference",), check_values=False)
    for kind in ("podAffinity", "podAntiAffinity"):
        pa = aff.get(kind)
        if isinstance(pa, dict):
            _pod_affinity_terms(v, pa.get("requiredDuringSchedulingIgnoredDuringExecution"),
                                path + (kind, "requiredDuringSchedulingIgnoredDuringExecution"), False)
            _pod_affinity_terms(v, pa.get("preferredDuringSchedulingIgnoredDuringExecution"),
                                path + (kind, "preferredDuringSchedulingIgnoredDuringExecution"), True)


def _label_selector(v: _V, sel: dict, path: tuple) -> None:
    for i, r in enumerate(sel.get("matchExpressions") or []):
        if not isinstance(r, dict):
            continue
        rp = path + ("matchExpressions", i)
        op = r.get("operator")
        vals = r.get("values") or []
        if op in ("In", "NotIn"):
            if not vals:
                v.required(rp + ("values",), "must be specified when `operator` is 'In' or 'NotIn'", loc=rp)
        elif op in ("Exists", "DoesNotExist"):
            if vals:
                v.forbidden(rp + ("values",), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
        else:
            v.invalid(rp + ("operator",), _s(op), "not a valid selector operator")
        for msg in is_label_key(_s(r.get("key"))):
            v.invalid(rp + ("key",), _s(r.get("key")), msg)
    _labels(v, sel.get("matchLabels"), path + ("matchLabels",))


def _selector_matches(sel: Any, labels: Any) -> bool:
    """metav1.LabelSelectorAsSelector(sel).Matches(labels): nil -> labels.Nothing() (never matches)."""
    if not isinstance(sel, dict):
        return False
    return label_selector_matches(sel, labels if isinstance(labels, dict) else {})


def _selector_empty(sel: Any) -> bool:
    """selector.Empty(): true only for labels.Everything() (an empty, non-nil selector)."""
    return isinstance(sel, dict) and not sel.get("matchLabels") and not sel.get("matchExpressions")


def _template_of(spec: dict) -> dict:
    tpl = spec.get("template")
    if not isinstance(tpl, dict):
        # a struct, not a pointer: absent means empty, with SetDefaults_PodSpec applied
        return {"spec": {"restartPolicy": "Always", "dnsPolicy": "ClusterFirst"}}
    if not isinstance(tpl.get("spec"), dict):
        return dict(tpl, spec={"restartPolicy": "Always", "dnsPolicy": "ClusterFirst"})
    return tpl


def _labels_mismatch(v: _V, tpl: dict, tp: tuple) -> None:
    meta = tpl.get("metadata") if isinstance(tpl.get("metadata"), dict) else {}
    labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else None
    v.invalid(tp + ("metadata", "labels"), go_map(labels), "`selector` does not match template `labels`", raw=True,
              loc=tp + ("metadata", "labels") if labels is not None else tp)


def _pod_template_spec(v: _V, tpl: dict, tp: tuple) -> None:
    """ValidatePodTemplateSpec: labels, annotations, pod spec, no ephemeral containers."""
    meta = tpl.get("metadata") if isinstance(tpl.get("metadata"), dict) else {}
    _labels(v, meta.get("labels"), tp + ("metadata", "labels"))
    _annotations(v, meta.get("annotations"), tp + ("metadata", "annotations"))
    _pod_spec(v, tpl.get("spec"), tp + ("spec",), False)
    if (tpl.get("spec") or {}).get("ephemeralContainers"):
        v.forbidden(tp + ("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template")


def _restart_always(v: _V, tpl: dict, tp: tuple, word: str) -> None:
    ps = tpl.get("spec") if isinstance(tpl.get("spec"), dict) else {}
    rp = ps.get("restartPolicy")
    if rp != "Always":
        v.not_supported(tp + ("spec", "restartPolicy"), _s(rp), ["Always"])
    if ps.get("activeDeadlineSeconds") is not None:
        v.forbidden(tp + ("spec", "activeDeadlineSeconds"), f"activeDeadlineSeconds in {word} is not Supported")


def _template_for_rs(v: _V, spec: dict, word: str = "ReplicaSet") -> None:
    """ValidatePodTemplateSpecForReplicaSet (Deployment, ReplicaSet)."""
    tpl, tp, sel = _template_of(spec), ("spec", "template"), spec.get("selector")
    if not _selector_empty(sel) and not _selector_matches(sel, (tpl.get("metadata") or {}).get("labels")):
        _labels_mismatch(v, tpl, tp)
    _pod_template_spec(v, tpl, tp)
    _restart_always(v, tpl, tp, word)


def _int_or_percent(v: _V, val: Any, path: tuple) -> None:
    """ValidatePositiveIntOrPercent + IsNotMoreThan100Percent (an IntOrString prints via String():
    no quotes)."""
    if isinstance(val, str):
        if not _PERCENT.match(val):
            v.invalid(path, val, _regex_error("a valid percent string must be a numeric string followed by an "
                                              "ending '%'", "[0-9]+%", "1%", "93%"), raw=True)
    elif isinstance(val, int) and val < 0:
        v.invalid(path, val, "must be greater than or equal to 0")


def _not_over_100(v: _V, val: Any, path: tuple) -> None:
    if isinstance(val, str) and _PERCENT.match(val) and int(val[:-1]) > 100:
        v.invalid(path, val, "must not be greater than 100%", raw=True)


def _iop_value(val: Any) -> int:
    """getIntOrPercentValue: a bad percent string counts as 0 (IntValue of a string)."""
    if isinstance(val, bool):
        return 0
    if isinstance(val, int):
        return val
    if isinstance(val, str) and _PERCENT.match(val):
        return int(val[:-1])
    if isinstance(val, str):
        try:
            return int(val)
        except ValueError:
            return 0
    return 0


def _selector_checks(v: _V, spec: dict, sp: tuple, word: str, required: bool = True) -> None:
    sel = spec.get("selector")
    if sel is None:
        if required:
            v.required(sp + ("selector",), loc=sp)
    elif isinstance(sel, dict):
        _label_selector(v, sel, sp + ("selector",))
        if _selector_empty(sel):
            v.invalid(sp + ("selector",), label_selector_gosharp(sel), f"empty selector is invalid for {word}",
                      raw=True)


def _go_struct(name: str, typ: Any, ptr_type: str, ptr: Any) -> str:
    """%#v of a strategy struct {Type, RollingUpdate *X} (a non-nil pointer prints as an address)."""
    p = f"({ptr_type})(nil)" if ptr is None else f"({ptr_type})(0xc000010000)"
    return f"{name}{{Type:{go_quote(_s(typ))}, RollingUpdate:{p}}}"


def _workload(v: _V, obj: dict, kind: str) -> None:
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    sp = ("spec",)
    if kind in ("Deployment", "ReplicaSet"):
        # ValidateDeploymentSpec / ValidateReplicaSetSpec (both say "for deployment")
        v.nonneg(sp + ("replicas",), spec.get("replicas"))
        if kind == "ReplicaSet":
            v.nonneg(sp + ("minReadySeconds",), spec.get("minReadySeconds"))
        _selector_checks(v, spec, sp, "deployment")
        _template_for_rs(v, spec)
        if kind == "ReplicaSet":
            return
        st = spec.get("strategy") if isinstance(spec.get("strategy"), dict) else {}
        stp = sp + ("strategy",)
        t = st.get("type")
        ru = st.get("rollingUpdate")
        if t == "Recreate":
            if ru is not None:
                v.forbidden(stp + ("rollingUpdate",), "may not be specified when strategy `type` is 'Recreate'")
        elif t == "RollingUpdate":
            if not isinstance(ru, dict):
                v.required(stp + ("rollingUpdate",), "this should be defaulted and never be nil", loc=stp)
            else:
                rp = stp + ("rollingUpdate",)
                mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
                _int_or_percent(v, mu, rp + ("maxUnavailable",))
                _int_or_percent(v, ms, rp + ("maxSurge",))
                if _iop_value(mu) == 0 and _iop_value(ms) == 0:
                    v.invalid(rp + ("maxUnavailable",), _s(mu) or "0", "may not be 0 when `maxSurge` is 0", raw=True)
                _not_over_100(v, mu, rp + ("maxUnavailable",))
        else:
            shown = _go_struct("apps.DeploymentStrategy", t, "*apps.RollingUpdateDeployment", ru)
            v.add(stp, f"Unsupported value: {shown}: supported values: \"Recreate\", \"RollingUpdate\"", True,
                  loc=stp + ("type",) if "type" in st else stp)
        v.nonneg(sp + ("minReadySeconds",), spec.get("minReadySeconds"))
        v.nonneg(sp + ("revisionHistoryLimit",), spec.get("revisionHistoryLimit"))
        pds, mrs = spec.get("progressDeadlineSeconds"), spec.get("minReadySeconds") or 0
        if isinstance(pds, int) and not isinstance(pds, bool):
            v.nonneg(sp + ("progressDeadlineSeconds",), pds)
            if pds <= mrs:
                v.invalid(sp + ("progressDeadlineSeconds",), pds, "must be greater than minReadySeconds")
    elif kind == "DaemonSet":
        # ValidateDaemonSetSpec: no "Required" for the selector; nil selects nothing
        sel = spec.get("selector")
        if isinstance(sel, dict):
            _label_selector(v, sel, sp + ("selector",))
        tpl, tp = _template_of(spec), ("spec", "template")
        if not _selector_matches(sel, (tpl.get("metadata") or {}).get("labels")):
            _labels_mismatch(v, tpl, tp)
        if _selector_empty(sel):
            v.invalid(sp + ("selector",), label_selector_gosharp(sel), "empty selector is invalid for daemonset", raw=True)
        _pod_template_spec(v, tpl, tp)
        _restart_always(v, tpl, tp, "DaemonSet")
        v.nonneg(sp + ("minReadySeconds",), spec.get("minReadySeconds"))
        us = spec.get("updateStrategy") if isinstance(spec.get("updateStrategy"), dict) else {}
        usp = sp + ("updateStrategy",)
        t, ru = us.get("type"), us.get("rollingUpdate")
        if t == "RollingUpdate":
            if not isinstance(ru, dict):
                v.required(usp + ("rollingUpdate",), loc=usp)
            else:
                rp = usp + ("rollingUpdate",)
                mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
                _int_or_percent(v, mu, rp + ("maxUnavailable",))
                _int_or_percent(v, ms, rp + ("maxSurge",))
                _not_over_100(v, mu, rp + ("maxUnavailable",))
                _not_over_100(v, ms, rp + ("maxSurge",))
                has_u, has_s = _iop_value(mu) != 0, _iop_value(ms) != 0
                if has_u and has_s:
                    v.invalid(rp + ("maxSurge",), _s(ms), "may not be set when maxUnavailable is non-zero", raw=True)
                elif not has_u and not has_s:
                    v.required(rp + ("maxUnavailable",), "cannot be 0 when maxSurge is 0",
                               loc=rp + ("maxUnavailable",) if "maxUnavailable" in ru else rp)
        elif t != "OnDelete":
            shown = _go_struct("apps.DaemonSetUpdateStrategy", t, "*apps.RollingUpdateDaemonSet", ru)
            v.add(usp, f"Unsupported value: {shown}: supported values: \"RollingUpdate\", \"OnDelete\"", True,
                  loc=usp + ("type",) if "type" in us else usp)
        v.nonneg(sp + ("revisionHistoryLimit",), spec.get("revisionHistoryLimit"))
    elif kind == "StatefulSet":
        # ValidateStatefulSetSpec
        pmp = spec.get("podManagementPolicy")
        if not pmp:
            v.required(sp + ("podManagementPolicy",), loc=sp)
        elif pmp not in ("OrderedReady", "Parallel"):
            v.invalid(sp + ("podManagementPolicy",), pmp, "must be 'OrderedReady' or 'Parallel'")
        us = spec.get("updateStrategy") if isinstance(spec.get("updateStrategy"), dict) else {}
        usp = sp + ("updateStrategy",)
        t, ru = us.get("type"), us.get("rollingUpdate")
        if not t:
            v.required(usp, loc=sp)
        elif t == "OnDelete":
            if ru is not None:
                rv = ru if isinstance(ru, dict) else {}
                mu = rv.get("maxUnavailable")
                shown = (f"apps.RollingUpdateStatefulSetStrategy{{Partition:{rv.get('partition') or 0}, "
                         f"MaxUnavailable:(*intstr.IntOrString)({'nil' if mu is None else '0xc000010000'})}}")
                v.invalid(usp + ("rollingUpdate",), shown, "only allowed for updateStrategy 'RollingUpdate'", raw=True)
        elif t == "RollingUpdate":
            if isinstance(ru, dict):
                rp = usp + ("rollingUpdate",)
                v.nonneg(rp + ("partition",), ru.get("partition"))
                mu = ru.get("maxUnavailable")
                if mu is not None:
                    _int_or_percent(v, mu, rp + ("maxUnavailable",))
                    if _iop_value(mu) == 0:
                        v.invalid(rp + ("maxUnavailable",), _s(mu), "cannot be 0", raw=True)
                    _not_over_100(v, mu, rp + ("maxUnavailable",))
        else:
            shown = _go_struct("apps.StatefulSetUpdateStrategy", t, "*apps.RollingUpdateStatefulSetStrategy", ru)
            v.invalid(usp, shown, "must be 'RollingUpdate' or 'OnDelete'", raw=True,
                      loc=usp + ("type",) if "type" in us else usp)
        pr = spec.get("persistentVolumeClaimRetentionPolicy")
        if isinstance(pr, dict):
            for f in ("whenDeleted", "whenScaled"):
                if pr.get(f) not in ("Retain", "Delete"):
                    v.not_supported(sp + ("persistentVolumeClaimRetentionPolicy", f), _s(pr.get(f)),
                                    ["Retain", "Delete"])
        v.nonneg(sp + ("replicas",), spec.get("replicas"))
        v.nonneg(sp + ("minReadySeconds",), spec.get("minReadySeconds"))
        _selector_checks(v, spec, sp, "statefulset")
        tpl, tp = _template_of(spec), ("spec", "template")
        sel = spec.get("selector")
        if not _selector_empty(sel) and not _selector_matches(sel, (tpl.get("metadata") or {}).get("labels")):
            _labels_mismatch(v, tpl, tp)
        # ValidatePodTemplateSpecForStatefulSet: only labels/annotations, at spec.template.labels
        meta = tpl.get("metadata") if isinstance(tpl.get("metadata"), dict) else {}
        for key in ("labels", "annotations"):
            sub = _V()
            (_labels if key == "labels" else _annotations)(sub, meta.get(key), tp + (key,))
            for loc, msg, at in sub.errs:
                v.errs.append((tp + ("metadata",) + loc[len(tp):], msg, at))
        _restart_always(v, tpl, tp, "StatefulSet")


# --- Secret / ConfigMap / Service ---------------------------------------------------------------
def _secret(v: _V, obj: dict) -> None:
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    sdata = obj.get("stringData") if isinstance(obj.get("stringData"), dict) else {}
    total = 0
    decoded: dict[str, bytes] = {}
    for k, val in data.items():
        for msg in is_config_map_key(str(k)):
            v.invalid(("data",), str(k), msg, loc=("data", k), at_value=False)
        try:
            decoded[k] = base64.b64decode(_s(val), validate=True)
        except (binascii.Error, ValueError):
            decoded[k] = b""
        total += len(decoded[k])
    for k, val in sdata.items():
        for msg in is_config_map_key(str(k)):
            v.invalid(("stringData",), str(k), msg, loc=("stringData", k), at_value=False)
        decoded[k] = _s(val).encode()
        total += len(decoded[k])
    if total > 1024 * 1024:
        v.add(("data",), "Too long: must have at most 1048576 bytes", False)
    t = obj.get("type") or "Opaque"
    if t == "kubernetes.io/dockerconfigjson":
        key = ".dockerconfigjson"
        if key not in decoded:
            v.required(("data", K(key)), loc=("data",) if "data" in obj else ())
        else:
            try:
                json.loads(decoded[key] or b"")
            except ValueError as err:
                v.invalid(("data", K(key)), "<secret contents redacted>", _json_error(err),
                          loc=("data", key) if key in data else ("stringData", key))
    elif t == "kubernetes.io/dockercfg":
        if ".dockercfg" not in decoded:
            v.required(("data", K(".dockercfg")), loc=("data",) if "data" in obj else ())
    elif t == "kubernetes.io/tls":
        for key in ("tls.crt", "tls.key"):
            if key not in decoded:
                v.required(("data", K(key)), loc=("data",) if "data" in obj else ())
    elif t == "kubernetes.io/basic-auth":
        if "username" not in decoded and "password" not in decoded:
            v.required(("data", K("username")), loc=("data",) if "data" in obj else ())
            v.required(("data", K("password")), loc=("data",) if "data" in obj else ())
    elif t == "kubernetes.io/ssh-auth":
        if "ssh-privatekey" not in decoded:
            v.required(("data", K("ssh-privatekey")), loc=("data",) if "data" in obj else ())
    elif t == "kubernetes.io/service-account-token":
        ann = (obj.get("metadata") or {}).get("annotations") or {}
        if not ann.get("kubernetes.io/service-account.name"):
            v.required(("metadata", "annotations", K("kubernetes.io/service-account.name")), loc=("metadata",))


def _json_error(err: ValueError) -> str:
    """encoding/json's SyntaxError text for what Python's json module found."""
    doc, pos = getattr(err, "doc", ""), getattr(err, "pos", 0)
    if pos >= len(doc.rstrip()):
        return "unexpected end of JSON input"
    ch = doc[pos]
    shown = go_quote(ch)[1:-1].replace("'", "\\'")
    what = {"Expecting property name enclosed in double quotes": "looking for beginning of object key string",
            "Expecting value": "looking for beginning of value",
            "Expecting ':' delimiter": "after object key",
            "Expecting ',' delimiter": "after object key:value pair" if "{" in doc[:pos] else "after array element",
            "Extra data": "after top-level value"}.get(getattr(err, "msg", ""), "looking for beginning of value")
    return f"invalid character '{shown}' {what}"


def _configmap(v: _V, obj: dict) -> None:
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    bdata = obj.get("binaryData") if isinstance(obj.get("binaryData"), dict) else {}
    total = 0
    for k, val in data.items():
        for msg in is_config_map_key(str(k)):
            v.invalid(("data",), str(k), msg, loc=("data", k), at_value=False)
        if k in bdata:
            v.invalid(("data",), str(k), "duplicate of key present in binaryData", loc=("data", k), at_value=False)
        total += len(_s(val).encode())
    for k, val in bdata.items():
        for msg in is_config_map_key(str(k)):
            v.invalid(("binaryData",), str(k), msg, loc=("binaryData", k), at_value=False)
        total += len(_s(val)) * 3 // 4
    if total > 1024 * 1024:
        v.add(("", ), "Too long: must have at most 1048576 bytes", False)


def _service(v: _V, obj: dict) -> None:
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    sp = ("spec",)
    t = spec.get("type") or "ClusterIP"
    if t not in ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"):
        v.not_supported(sp + ("type",), t, ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"])
    ports = spec.get("ports") or []
    if t != "ExternalName" and not ports and spec.get("clusterIP") != "None":
        v.required(sp + ("ports",), loc=sp if "spec" in obj else ())
    if t == "ExternalName":
        en = _s(spec.get("externalName"))
        if not en:
            v.required(sp + ("externalName",), loc=sp)
    names: set[str] = set()
    for i, p in enumerate(ports):
        if not isinstance(p, dict):
            continue
        pp = sp + ("ports", i)
        nm = _s(p.get("name"))
        if len(ports) > 1 and not nm:
            v.required(pp + ("name",), loc=pp)
        elif nm:
            for msg in is_dns1123_label(nm):
                v.invalid(pp + ("name",), nm, msg)
            if nm in names:
                v.duplicate(pp + ("name",), nm)
            names.add(nm)
        port = p.get("port")
        if not isinstance(port, int) or not 1 <= port <= 65535:
            v.invalid(pp + ("port",), port if port is not None else 0, "must be between 1 and 65535, inclusive")
        proto = p.get("protocol")
        if proto not in ("TCP", "UDP", "SCTP"):
            v.not_supported(pp + ("protocol",), _s(proto), ["SCTP", "TCP", "UDP"])
        tp = p.get("targetPort")
        if tp is not None:
            _port_num_or_name(v, tp, pp + ("targetPort",))
        np_ = p.get("nodePort")
        if np_ and t not in ("NodePort", "LoadBalancer"):
            v.forbidden(pp + ("nodePort",), "may not be used when `type` is 'ClusterIP'")
        elif np_ and not 30000 <= np_ <= 32767:
            v.invalid(pp + ("nodePort",), np_, "provided port is not in the valid range. The range of valid ports "
                                               "is 30000-32767")
    sel = spec.get("selector")
    if isinstance(sel, dict):
        _labels(v, sel, sp + ("selector",))
    sa = spec.get("sessionAffinity")
    if sa and sa not in ("None", "ClientIP"):
        v.not_supported(sp + ("sessionAffinity",), sa, ["ClientIP", "None"])


# --- entry points ---------------------------------------------------------------------------------
def is_valid_path_segment_name(name: str) -> list[str]:
    """apimachinery/pkg/api/validation/path/name.go IsValidPathSegmentName."""
    for bad in (".", ".."):
        if name == bad:
            return [f"may not be '{bad}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in name]


_NAME_FN = {
    # pkg/apis/rbac/validation ValidateRBACName, pkg/apis/flowcontrol/validation: path segments
    # ("system:controller:x" is a valid ClusterRole name)
    "Role": is_valid_path_segment_name, "ClusterRole": is_valid_path_segment_name,
    "RoleBinding": is_valid_path_segment_name, "ClusterRoleBinding": is_valid_path_segment_name,
    "FlowSchema": is_valid_path_segment_name, "PriorityLevelConfiguration": is_valid_path_segment_name,
    "Service": is_dns1035_label, "Namespace": is_dns1123_label,
    "StatefulSet": is_dns1123_label,  # ValidateStatefulSetName: NameIsDNSLabel (pod names are <name>-<ordinal>)
}


def _job_template_pod(v: _V, spec: dict, sp: tuple) -> None:
    """validateJobSpec: the pod template (restartPolicy OnFailure or Never)."""
    tpl = spec.get("template") if isinstance(spec.get("template"), dict) else {}
    _pod_spec(v, tpl.get("spec"), sp + ("template", "spec"), False)
    rp = (tpl.get("spec") or {}).get("restartPolicy") if isinstance(tpl.get("spec"), dict) else None
    if rp not in ("OnFailure", "Never"):
        v.not_supported(sp + ("template", "spec", "restartPolicy"), _s(rp), ["OnFailure", "Never"])


def _cronjob(v: _V, spec: dict) -> None:
    """pkg/apis/batch/validation validateCronJobSpec: schedule (robfig/cron ParseStandard, no TZ),
    startingDeadlineSeconds, concurrencyPolicy, the job template."""
    from kubetrainer.api.cron import parse_error

    sp = ("spec",)
    sched = spec.get("schedule")
    if not sched:
        v.required(sp + ("schedule",), loc=sp if "schedule" not in spec else None)
    else:
        err = parse_error(sched)
        if err is not None:
            v.invalid(sp + ("schedule",), sched, err)
        if "TZ" in sched:
            v.invalid(sp + ("schedule",), sched, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")
            if spec.get("timeZone") is not None:
                v.invalid(sp + ("schedule",), sched, "cannot use both timeZone field and TZ or CRON_TZ in schedule")
    v.nonneg(sp + ("startingDeadlineSeconds",), spec.get("startingDeadlineSeconds"))
    cp = spec.get("concurrencyPolicy")
    if cp not in ("Allow", "Forbid", "Replace"):
        if not cp:
            v.required(sp + ("concurrencyPolicy",))
        else:
            v.not_supported(sp + ("concurrencyPolicy",), cp, ["Allow", "Forbid", "Replace"])
    v.nonneg(sp + ("successfulJobsHistoryLimit",), spec.get("successfulJobsHistoryLimit"))
    v.nonneg(sp + ("failedJobsHistoryLimit",), spec.get("failedJobsHistoryLimit"))
    jt = spec.get("jobTemplate") if isinstance(spec.get("jobTemplate"), dict) else {}
    jp = sp + ("jobTemplate", "spec")
    jspec = jt.get("spec") if isinstance(jt.get("spec"), dict) else {}
    _job_template_pod(v, jspec, jp)
    # ValidateJobTemplateSpec: the CronJob controller generates the Job's selector
    if jspec.get("selector") is not None:
        v.invalid(jp + ("selector",), label_selector_gosharp(jspec["selector"]) if isinstance(jspec["selector"], dict)
                  else jspec["selector"], "`selector` will be auto-generated", raw=True)
    if jspec.get("manualSelector") is True:
        v.not_supported(jp + ("manualSelector",), True, ["nil", "false"])


def _ingress_backend(v: _V, b: Any, path: tuple) -> None:
    """pkg/apis/networking/validation validateIngressBackend."""
    b = b if isinstance(b, dict) else {}
    res, svc = b.get("resource"), b.get("service")
    if res is not None and svc is not None:
        v.invalid(path, "", "cannot set both resource and service backends")
    elif isinstance(svc, dict):
        name = _s(svc.get("name"))
        if not name:
            v.required(path + ("service", "name"), loc=path + ("service",))
        else:
            for msg in is_dns1035_label(name):
                v.invalid(path + ("service", "name"), name, msg)
        port = svc.get("port") if isinstance(svc.get("port"), dict) else {}
        pname, pnum = _s(port.get("name")), port.get("number") or 0
        if pname and pnum:
            v.invalid(path, "", "cannot set both port name & port number")
        elif pname:
            for msg in is_port_name(pname):
                v.invalid(path + ("service", "port", "name"), pname, msg)
        elif pnum:
            if isinstance(pnum, int) and not 1 <= pnum <= 65535:
                v.invalid(path + ("service", "port", "number"), pnum, "must be between 1 and 65535, inclusive")
        else:
            v.required(path, "port name or number is required", loc=path + ("service",))
    elif res is None:
        v.invalid(path, "", "resource or service backend is required")


def _ingress(v: _V, spec: Any) -> None:
    """pkg/apis/networking/validation ValidateIngressSpec: rules' HTTP paths (pathType, absolute
    paths) and backends."""
    spec = spec if isinstance(spec, dict) else {}
    sp = ("spec",)
    if spec.get("defaultBackend") is not None:
        _ingress_backend(v, spec["defaultBackend"], sp + ("defaultBackend",))
    for i, rule in enumerate(spec.get("rules") or []):
        if not isinstance(rule, dict) or not isinstance(rule.get("http"), dict):
            continue
        hp = sp + ("rules", i, "http")
        paths = rule["http"].get("paths")
        if not paths:
            v.required(hp + ("paths",), loc=hp)
            continue
        for j, p in enumerate(paths):
            pp = hp + ("paths", j)
            p = p if isinstance(p, dict) else {}
            pt = p.get("pathType")
            path = _s(p.get("path"))
            if pt is None:
                v.required(pp + ("pathType",), "pathType must be specified", loc=pp)
                continue
            if pt in ("Exact", "Prefix"):
                if not path.startswith("/"):
                    v.invalid(pp + ("path",), path, "must be an absolute path", loc=pp + ("path",) if "path" in p else pp)
                if path:
                    for seq in ("//", "/./", "/../", "%2f", "%2F"):
                        if seq in path:
                            v.invalid(pp + ("path",), path, f"must not contain '{seq}'")
                    for suf in ("/..", "/."):
                        if path.endswith(suf):
                            v.invalid(pp + ("path",), path, f"cannot end with '{suf}'")
            elif pt == "ImplementationSpecific":
                if path and not path.startswith("/"):
                    v.invalid(pp + ("path",), path, "must be an absolute path")
            else:
                v.not_supported(pp + ("pathType",), pt, ["Exact", "ImplementationSpecific", "Prefix"])
            _ingress_backend(v, p.get("backend"), pp + ("backend",))


def _hpa(v: _V, spec: Any) -> None:
    """pkg/apis/autoscaling/validation validateHorizontalPodAutoscalerSpec: replica bounds and the
    scale target reference (minReplicas defaults to 1)."""
    spec = spec if isinstance(spec, dict) else {}
    sp = ("spec",)
    mn, mx = spec.get("minReplicas"), spec.get("maxReplicas")
    mx = mx if isinstance(mx, int) and not isinstance(mx, bool) else 0
    if isinstance(mn, int) and not isinstance(mn, bool) and mn < 1:
        v.invalid(sp + ("minReplicas",), mn, "must be greater than or equal to 1")
    if mx < 1:
        v.invalid(sp + ("maxReplicas",), mx, "must be greater than 0", loc=sp + ("maxReplicas",) if "maxReplicas" in spec else sp)
    if isinstance(mn, int) and not isinstance(mn, bool) and mx < mn:
        v.invalid(sp + ("maxReplicas",), mx, "must be greater than or equal to `minReplicas`")
    ref = spec.get("scaleTargetRef") if isinstance(spec.get("scaleTargetRef"), dict) else {}
    rp = sp + ("scaleTargetRef",)
    loc = rp if "scaleTargetRef" in spec else sp
    kind, name = _s(ref.get("kind")), _s(ref.get("name"))
    if not kind:
        v.required(rp + ("kind",), loc=loc if "kind" not in ref else None)
    else:
        for msg in is_valid_path_segment_name(kind):
            v.invalid(rp + ("kind",), kind, msg)
    if not name:
        v.required(rp + ("name",), loc=loc if "name" not in ref else None)
    else:
        for msg in is_valid_path_segment_name(name):
            v.invalid(rp + ("name",), name, msg)


def _network_policy(v: _V, spec: Any) -> None:
    """pkg/apis/networking/validation ValidateNetworkPolicySpec: policyTypes, peers, port protocols."""
    spec = spec if isinstance(spec, dict) else {}
    sp = ("spec",)
    if isinstance(spec.get("podSelector"), dict):
        _label_selector(v, spec["podSelector"], sp + ("podSelector",))
    for direction, peers_key in (("ingress", "from"), ("egress", "to")):
        for i, rule in enumerate(spec.get(direction) or []):
            rule = rule if isinstance(rule, dict) else {}
            rp = sp + (direction, i)
            for j, port in enumerate(rule.get("ports") or []):
                port = port if isinstance(port, dict) else {}
                proto = port.get("protocol")
                if proto is not None and proto not in ("TCP", "UDP", "SCTP"):
                    v.not_supported(rp + ("ports", j, "protocol"), proto, ["TCP", "UDP", "SCTP"])
            for j, peer in enumerate(rule.get(peers_key) or []):
                peer = peer if isinstance(peer, dict) else {}
                pp = rp + (peers_key, j)
                n = 0
                for key in ("podSelector", "namespaceSelector"):
                    if isinstance(peer.get(key), dict):
                        n += 1
                        _label_selector(v, peer[key], pp + (key,))
                if peer.get("ipBlock") is not None:
                    n += 1
                if n == 0:
                    v.required(pp, "must specify a peer")
                elif n > 1 and peer.get("ipBlock") is not None:
                    v.forbidden(pp, "may not specify both ipBlock and another peer")
    types = spec.get("policyTypes") or []
    if len(types) > 2:
        v.invalid(sp + ("policyTypes",), "[]networking.PolicyType{" + ", ".join(go_quote(str(t)) for t in types) + "}",
                  "may not specify more than two policyTypes", raw=True)
        return
    for i, t in enumerate(types):
        if t not in ("Ingress", "Egress"):
            v.not_supported(sp + ("policyTypes", i), t, ["Ingress", "Egress"])


_RBAC_GROUP = "rbac.authorization.k8s.io"


def _rbac(v: _V, obj: dict, kind: str) -> None:
    """pkg/apis/rbac/validation: ValidatePolicyRule for (Cluster)Role rules, roleRef and subjects for
    bindings (after the v1 defaults: roleRef.apiGroup and User/Group subjects' apiGroup)."""
    namespaced = kind in ("Role", "RoleBinding")
    if kind in ("Role", "ClusterRole"):
        for i, rule in enumerate(obj.get("rules") or []):
            rule = rule if isinstance(rule, dict) else {}
            rp = ("rules", i)
            if not rule.get("verbs"):
                v.required(rp + ("verbs",), "verbs must contain at least one value", loc=rp if "verbs" not in rule else None)
            if rule.get("nonResourceURLs"):
                urls = rule["nonResourceURLs"]
                shown = "[]string{" + ", ".join(go_quote(str(u)) for u in urls) + "}"
                if namespaced:
                    v.invalid(rp + ("nonResourceURLs",), shown, "namespaced rules cannot apply to non-resource URLs", raw=True)
                if rule.get("apiGroups") or rule.get("resources") or rule.get("resourceNames"):
                    v.invalid(rp + ("nonResourceURLs",), shown,
                              "rules cannot apply to both regular resources and non-resource URLs", raw=True)
                continue
            if not rule.get("apiGroups"):
                v.required(rp + ("apiGroups",), "resource rules must supply at least one api group",
                           loc=rp if "apiGroups" not in rule else None)
            if not rule.get("resources"):
                v.required(rp + ("resources",), "resource rules must supply at least one resource",
                           loc=rp if "resources" not in rule else None)
        return
    ref = obj.get("roleRef") if isinstance(obj.get("roleRef"), dict) else {}
    group = ref.get("apiGroup") or _RBAC_GROUP
    if group != _RBAC_GROUP:
        v.not_supported(("roleRef", "apiGroup"), group, [_RBAC_GROUP])
    allowed = ["Role", "ClusterRole"] if namespaced else ["ClusterRole"]
    if ref.get("kind") not in allowed:
        v.not_supported(("roleRef", "kind"), _s(ref.get("kind")), allowed)
    name = _s(ref.get("name"))
    if not name:
        v.required(("roleRef", "name"), loc=("roleRef",) if "roleRef" in obj else ())
    else:
        for msg in is_valid_path_segment_name(name):
            v.invalid(("roleRef", "name"), name, msg)
    for i, sub in enumerate(obj.get("subjects") or []):
        sub = sub if isinstance(sub, dict) else {}
        sp = ("subjects", i)
        sname, skind, sgroup = _s(sub.get("name")), sub.get("kind"), _s(sub.get("apiGroup"))
        if not sname:
            v.required(sp + ("name",), loc=sp if "name" not in sub else None)
        if skind == "ServiceAccount":
            if sname:
                for msg in is_dns1123_subdomain(sname):
                    v.invalid(sp + ("name",), sname, msg)
            if sgroup:
                v.not_supported(sp + ("apiGroup",), sgroup, [""])
            if not namespaced and not sub.get("namespace"):
                v.required(sp + ("namespace",), loc=sp)
        elif skind in ("User", "Group"):
            if (sgroup or _RBAC_GROUP) != _RBAC_GROUP:
                v.not_supported(sp + ("apiGroup",), sgroup, [_RBAC_GROUP])
        else:
            v.not_supported(sp + ("kind",), _s(skind), ["ServiceAccount", "User", "Group"])


_PVC_ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]


def _access_modes(v: _V, spec: dict, path: tuple, missing: str) -> None:
    """spec.accessModes of a claim or a volume: at least one, known ones, ReadWriteOncePod alone."""
    modes = spec.get("accessModes") if isinstance(spec.get("accessModes"), list) else []
    if not modes:
        v.required(path + ("accessModes",), missing, loc=path if "accessModes" not in spec else None)
    rwop = other = False
    for m in modes:
        if m not in _PVC_ACCESS_MODES:
            v.not_supported(path + ("accessModes",), m, _PVC_ACCESS_MODES)
        if m == "ReadWriteOncePod":
            rwop = True
        else:
            other = True
    if rwop and other:
        v.forbidden(path + ("accessModes",), "may not use ReadWriteOncePod with other access modes")


def _pvc_spec(v: _V, spec: Any, path: tuple) -> None:
    """pkg/apis/core/validation ValidatePersistentVolumeClaimSpec: access modes and the storage request."""
    if not isinstance(spec, dict):
        spec = {}
    _access_modes(v, spec, path, "at least 1 access mode is required")
    if isinstance(spec.get("selector"), dict):
        _label_selector(v, spec["selector"], path + ("selector",))
    res = spec.get("resources") if isinstance(spec.get("resources"), dict) else {}
    req = res.get("requests") if isinstance(res.get("requests"), dict) else {}
    kp = path + ("resources", K("storage"))
    if "storage" not in req or req["storage"] is None:
        v.required(kp, loc=path + ("resources",) if "resources" in spec else path)
    else:
        try:
            q = parse_quantity(req["storage"])
            if q.value <= 0:
                v.invalid(kp, str(q), "must be greater than zero", loc=path + ("resources", "requests", "storage"))
        except QuantityError:
            pass


_PV_SOURCES = ("gcePersistentDisk", "awsElasticBlockStore", "hostPath", "glusterfs", "nfs", "rbd", "quobyte",
               "cephfs", "iscsi", "cinder", "fc", "flocker", "flexVolume", "azureFile", "vsphereVolume",
               "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "local", "storageos", "csi")


def _pv_spec(v: _V, spec: Any, path: tuple) -> None:
    """pkg/apis/core/validation ValidatePersistentVolumeSpec: access modes, a storage capacity, exactly
    one volume source (hostPath needs a path). (A capacity map without `storage` also gets upstream's
    Unsupported value with the map's Go syntax, which is not reproduced here.)"""
    if not isinstance(spec, dict):
        spec = {}
    _access_modes(v, spec, path, "")
    cap = spec.get("capacity") if isinstance(spec.get("capacity"), dict) else {}
    if not cap:
        v.required(path + ("capacity",), loc=path if "capacity" not in spec else None)
        v.add(path + ("capacity",), 'Unsupported value: core.ResourceList(nil): supported values: "storage"', False,
              path if "capacity" not in spec else None)
    elif "storage" in cap:
        try:
            if parse_quantity(cap["storage"]).value <= 0:
                v.invalid(path + ("capacity", K("storage")), str(cap["storage"]), "must be greater than zero",
                          loc=path + ("capacity", "storage"))
        except QuantityError:
            pass
    sources = [s for s in _PV_SOURCES if spec.get(s) is not None]
    if not sources:
        v.required(path, "must specify a volume type")
    for s in sources[1:]:
        v.forbidden(path + (s,), "may not specify more than 1 volume type")
    hp = spec.get("hostPath")
    if isinstance(hp, dict) and not hp.get("path"):
        v.required(path + ("hostPath", "path"), loc=path + ("hostPath",))


def validate_object(obj: dict) -> list[Err]:
    """All problems of one (defaulted) object: [(location path, message, at_value)]."""
    v = _V()
    kind = obj.get("kind")
    from kubetrainer.api.intake import CLUSTER_SCOPED
    namespaced = kind not in CLUSTER_SCOPED
    _meta(v, obj, _NAME_FN.get(kind, is_dns1123_subdomain), namespaced)
    if kind == "Pod":
        _pod_spec(v, obj.get("spec"), ("spec",), True)
        if not isinstance(obj.get("spec"), dict):
            pass
    elif kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"):
        _workload(v, obj, kind)
    elif kind == "Secret":
        _secret(v, obj)
    elif kind == "ConfigMap":
        _configmap(v, obj)
    elif kind == "Service":
        _service(v, obj)
    elif kind == "Job":
        spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
        _job_template_pod(v, spec, ("spec",))
    elif kind == "CronJob":
        # ValidateCronJobCreate: the Job names it creates add 11 characters (-<timestamp>)
        cname = _s((obj.get("metadata") or {}).get("name"))
        if len(cname) > 52:
            v.invalid(("metadata", "name"), cname, "must be no more than 52 characters")
        _cronjob(v, obj.get("spec") if isinstance(obj.get("spec"), dict) else {})
    elif kind == "PersistentVolumeClaim":
        _pvc_spec(v, obj.get("spec"), ("spec",))
    elif kind == "PersistentVolume":
        _pv_spec(v, obj.get("spec"), ("spec",))
    elif kind == "Ingress":
        _ingress(v, obj.get("spec"))
    elif kind == "HorizontalPodAutoscaler":
        _hpa(v, obj.get("spec"))
    elif kind == "NetworkPolicy":
        _network_policy(v, obj.get("spec"))
    elif kind in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"):
        _rbac(v, obj, kind)
    elif kind == "PriorityClass":
        # pkg/apis/scheduling/validation ValidatePriorityClass
        val = obj.get("value")
        name = _s((obj.get("metadata") or {}).get("name"))
        if name.startswith("system-"):
            known = {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}
            if known.get(name) != val:
                v.forbidden(("metadata", "name"), "priority class names with 'system-' prefix are reserved for "
                                                  "system use only. error: " +
                            (f"value of {name} PriorityClass must be {known[name]}" if name in known else
                             f"{name} is not a known system priority class"))
        elif isinstance(val, int) and val > 1_000_000_000:
            v.forbidden(("value",), "maximum allowed value of a user defined priority is 1000000000")
        pp = obj.get("preemptionPolicy")
        if pp not in ("PreemptLowerPriority", "Never"):
            v.not_supported(("preemptionPolicy",), _s(pp), ["PreemptLowerPriority", "Never"])
    # field.ErrorList.ToAggregate drops duplicate messages
    seen: set[str] = set()
    out = []
    for e in v.errs:
        if e[1] not in seen:
            seen.add(e[1])
            out.append(e)
    return out


def _strip(d: Any, drop: tuple = ()) -> Any:
    return {k: x for k, x in d.items() if k not in drop} if isinstance(d, dict) else d


def validate_update(old: dict, new: dict) -> list[str]:
    """Immutable-field checks for `kubectl apply` of an existing object (both defaulted).

    `old` is the stored object, `new` the object as it would be after the apply (the manifest,
    defaulted). For Pods, fields the system set and the manifest does not mention (spec.nodeName
    from the binding, serviceAccountName, priority, ...) are taken from `old`, as apply's patch keeps them.

    Returns field.Error strings (empty: the update is allowed). Sources: ValidatePodUpdate,
    ValidateDeploymentUpdate / ValidateReplicaSetUpdate / ValidateDaemonSetUpdate (selector),
    ValidateStatefulSetUpdate, ValidateJobUpdate, ValidateSecretUpdate / ValidateConfigMapUpdate,
    ValidateServiceUpdate (clusterIP), ValidateObjectMetaUpdate."""
    errs: list[str] = []
    kind = new.get("kind")
    om, nm = old.get("metadata") or {}, new.get("metadata") or {}
    for f in ("name", "namespace", "uid"):
        if om.get(f) and nm.get(f) and om.get(f) != nm.get(f):
            errs.append(f"metadata.{f}: Invalid value: {go_quote(str(nm.get(f)))}: field is immutable")
    os_, ns_ = old.get("spec") or {}, new.get("spec") or {}
    if kind == "Pod":
        # Fields the system sets after creation (the scheduler's binding, admission) are kept by
        # kubectl apply's patch when the manifest does not mention them.
        ns_ = dict(ns_)
        for key in ("nodeName", "serviceAccountName", "serviceAccount", "priority", "priorityClassName",
                    "preemptionPolicy", "enableServiceLinks", "schedulerName", "securityContext", "tolerations",
                    "volumes"):
            if key not in ns_ and key in os_:
                ns_[key] = os_[key]

        def mutable_view(spec: dict, other: dict) -> dict:
            s = json.loads(json.dumps(spec))
            for field in ("containers", "initContainers"):
                for c in s.get(field) or []:
                    c.pop("image", None)
            s.pop("activeDeadlineSeconds", None)
            s.pop("terminationGracePeriodSeconds", None)
            ot = other.get("tolerations") or []
            nt = s.get("tolerations") or []
            if all(t in nt for t in ot):  # only additions allowed
                s["tolerations"] = None
            return s
        ov = mutable_view(os_, os_)
        nv = mutable_view(ns_, os_)
        ov["tolerations"] = None if nv.get("tolerations") is None else ov.get("tolerations")
        if ov != nv:
            # (the API server appends a cmp.Diff of the two specs on the following lines)
            errs.append("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
                        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
                        "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be "
                        "set to 1 if it was previously negative)")
        else:
            oa, na = os_.get("activeDeadlineSeconds"), ns_.get("activeDeadlineSeconds")
            if oa is not None and (na is None or na > oa):
                errs.append(f"spec.activeDeadlineSeconds: Invalid value: {na if na is not None else 0}: must be "
                            "less than or equal to previous value")
    elif kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"):
        if os_.get("selector") != ns_.get("selector"):
            sel = ns_.get("selector") or {}
            errs.append(f"spec.selector: Invalid value: {label_selector_gosharp(sel)}: field is immutable")
        if kind == "StatefulSet":
            # ValidateStatefulSetUpdate: everything else in the spec must stay as it was
            allowed = ("replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
                       "minReadySeconds")
            if _strip(os_, allowed) != _strip(ns_, allowed):
                errs.append("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', "
                            "'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                            "'minReadySeconds' are forbidden")
        if kind == "Job" and os_.get("template") != ns_.get("template"):
            errs.append("spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable")
        if kind == "Job" and os_.get("completions") != ns_.get("completions"):
            errs.append(f"spec.completions: Invalid value: {ns_.get('completions')}: field is immutable")
    elif kind in ("Secret", "ConfigMap"):
        if old.get("immutable") is True:
            if new.get("immutable") is not True:
                errs.append("immutable: Forbidden: field is immutable when `immutable` is set")
            for f in ("data", "stringData", "binaryData"):
                if (old.get(f) or {}) != (new.get(f) or {}):
                    errs.append(f"data: Forbidden: field is immutable when `immutable` is set")
                    break
        if kind == "Secret" and (old.get("type") or "Opaque") != (new.get("type") or "Opaque"):
            errs.append(f"type: Invalid value: {go_quote(str(new.get('type') or 'Opaque'))}: field is immutable")
    elif kind == "Service":
        oc, nc = os_.get("clusterIP"), ns_.get("clusterIP")
        if oc and nc and oc != nc:
            errs.append(f"spec.clusterIPs[0]: Invalid value: []string{{{go_quote(nc)}}}: may not change once set")
    elif kind == "PriorityClass":
        if old.get("value") != new.get("value"):
            errs.append("Value: Forbidden: may not be changed in an update.")
    return errs


# --- warnings (pkg/api/pod/warnings.go warningsForPodSpecAndMeta) ---------------------------------
def warnings_for_object(obj: dict) -> list[tuple[tuple, str]]:
    """The `Warning:` lines the API server returns with a create/apply (kubectl prints them and
    goes on): duplicate env names, duplicate port definitions, fractional byte values, duplicate
    or empty imagePullSecrets. Returns [(location path, message)] for Pods and pod templates."""
    kind = obj.get("kind")
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else None
    if kind == "Pod":
        prefix: tuple = ()
        pod_spec = spec
    elif kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController"):
        tpl = (spec or {}).get("template")
        prefix = ("spec", "template")
        pod_spec = tpl.get("spec") if isinstance(tpl, dict) else None
    else:
        return []
    if not isinstance(pod_spec, dict):
        return []
    out: list[tuple[tuple, str]] = []
    sp = prefix + ("spec",)
    ips = [s for s in (pod_spec.get("imagePullSecrets") or []) if isinstance(s, dict)]
    seen: set[str] = set()
    for i, s in enumerate(ips):
        nm = _s(s.get("name"))
        if len(ips) > 1 and nm in seen:
            out.append((sp + ("imagePullSecrets", i, "name"),
                        f"{fpath(sp + ('imagePullSecrets', i, 'name'))}: duplicate name {go_quote(nm)}"))
        seen.add(nm)
    for i, s in enumerate(ips):
        if not _s(s.get("name")):
            out.append((sp + ("imagePullSecrets", i),
                        f"{fpath(sp + ('imagePullSecrets', i, 'name'))}: invalid empty name \"\""))
    containers = []
    for field in ("initContainers", "containers"):  # VisitContainersWithPath order
        for i, c in enumerate(pod_spec.get(field) or []):
            if isinstance(c, dict):
                containers.append((sp + (field, i), c))
    for cp, c in containers:
        res = c.get("resources") if isinstance(c.get("resources"), dict) else {}
        for which in ("limits", "requests"):
            for rname in ("memory", "ephemeral-storage"):
                q = (res.get(which) or {}).get(rname) if isinstance(res.get(which), dict) else None
                if q is None:
                    continue
                try:
                    qq = parse_quantity(q)
                except QuantityError:
                    continue
                if qq.milli() % 1000:
                    out.append((cp + ("resources", which, rname),
                                f"{fpath(cp + ('resources', which, K(rname)))}: fractional byte value "
                                f"{go_quote(str(qq))} is invalid, must be an integer"))
        env = [e for e in (c.get("env") or []) if isinstance(e, dict)]
        names: set[str] = set()
        for i, e in enumerate(c.get("env") or []):
            if not isinstance(e, dict) or len(env) < 2:
                continue
            nm = _s(e.get("name"))
            if nm in names:
                ref = f"$({nm})"
                val = _s(e.get("value"))
                if e.get("valueFrom") is not None or val == ref or ref not in val:
                    out.append((cp + ("env", i), f"{fpath(cp + ('env', i))}: hides previous definition of "
                                                 f"{go_quote(nm)}, which may be dropped when using apply"))
            else:
                names.add(nm)
    all_ports: dict[str, list[tuple[tuple, dict]]] = {}
    for cp, c in containers:
        for i, p in enumerate(c.get("ports") or []):
            if not isinstance(p, dict):
                continue
            pp = cp + ("ports", i)
            key = f"{p.get('containerPort')}/{_s(p.get('protocol'))}"
            for other_path, other in all_ports.get(key, []):
                if _s(p.get("hostIP")) == _s(other.get("hostIP")) and (p.get("hostPort") or 0) == \
                        (other.get("hostPort") or 0):
                    out.append((pp, f"{fpath(pp)}: duplicate port definition with {fpath(other_path)}"))
                elif not p.get("hostPort") or not other.get("hostPort"):
                    out.append((pp, f"{fpath(pp)}: overlapping port definition with {fpath(other_path)}"))
            all_ports.setdefault(key, []).append((pp, p))
    return out
