"""Container environment and $(VAR) expansion.

* third_party/forked/golang/expansion/expand.go (Expand / MappingFuncFor): $(VAR), $$ escape,
  undefined references kept literally (KUBERNETES.md §14)
* pkg/kubelet/kubelet_pods.go makeEnvironmentVariables: envFrom first, then env in order (each
  value expanded with the variables defined before it), fieldRef (downward API),
  resourceFieldRef, secretKeyRef / configMapKeyRef with the kubelet's error texts
"""

from __future__ import annotations

import base64
import math
from fractions import Fraction
from typing import Any, Callable

from kubetrainer.api.quantity import QuantityError, parse_quantity

Obj = dict[str, Any]


class ConfigError(Exception):
    """generateContainerConfig failed: waiting reason CreateContainerConfigError."""


def expand(text: str, mapping: Callable[[str], str | None]) -> str:
    """expansion.Expand: $(NAME) -> value if defined, else kept; $$ -> $; other $ kept."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch != "$" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt == "(":
            end = text.find(")", i + 2)
            if end < 0:
                out.append(text[i:])  # unterminated: kept as written
                break
            name = text[i + 2:end]
            val = mapping(name) if name else None
            out.append(val if val is not None else text[i:end + 1])
            i = end + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def expand_list(items: list[Any] | None, env: dict[str, str]) -> list[str]:
    return [expand(str(s), env.get) for s in (items or [])]


def _field_ref(pod: Obj, path: str) -> str:
    meta = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    if path.startswith("metadata.labels['") and path.endswith("']"):
        return str((meta.get("labels") or {}).get(path[len("metadata.labels['"):-2], ""))
    if path.startswith("metadata.annotations['") and path.endswith("']"):
        return str((meta.get("annotations") or {}).get(path[len("metadata.annotations['"):-2], ""))
    simple = {
        "metadata.name": meta.get("name", ""), "metadata.namespace": meta.get("namespace", "default"),
        "metadata.uid": meta.get("uid", ""), "spec.nodeName": spec.get("nodeName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName", "default"),
        "status.hostIP": status.get("hostIP", ""), "status.podIP": status.get("podIP", ""),
        "status.hostIPs": status.get("hostIP", ""), "status.podIPs": status.get("podIP", ""),
    }
    if path in simple:
        return str(simple[path])
    if path == "metadata.labels":
        return "\n".join(f'{k}="{v}"' for k, v in sorted((meta.get("labels") or {}).items()))
    if path == "metadata.annotations":
        return "\n".join(f'{k}="{v}"' for k, v in sorted((meta.get("annotations") or {}).items()))
    raise ConfigError(f"unsupported fieldPath: {path}")


def _resource_ref(pod: Obj, container: Obj, ref: Obj, node_alloc: dict[str, str]) -> str:
    """pkg/api/v1/resource/helpers.go ExtractResourceValueByContainerName (+ node allocatable
    defaults for missing limits, kubelet_resources.go containerResourceRuntimeValue)."""
    cname = ref.get("containerName")
    target = container
    if cname:
        for c in (pod.get("spec") or {}).get("containers") or []:
            if c.get("name") == cname:
                target = c
    resource = ref.get("resource", "")
    kind, _, rname = resource.partition(".")
    res = (target.get("resources") or {}).get(kind) or {}
    raw = res.get(rname)
    if raw is None and kind == "limits":
        raw = node_alloc.get(rname)
    if raw is None and kind == "requests":
        raw = "0"
    try:
        q = parse_quantity(raw).value
        divisor = parse_quantity(ref.get("divisor") or "1").value or Fraction(1)
    except QuantityError as exc:
        raise ConfigError(str(exc)) from None
    if rname == "cpu":
        # convertResourceCPUToString: ceil(milliCPU / divisor milli), at least 1
        v = math.ceil(q * 1000 / (divisor * 1000))
        return str(max(v, 1) if q > 0 else 0)
    return str(math.ceil(q / divisor))


def _secret_data(secret: Obj) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in (secret.get("data") or {}).items():
        try:
            out[k] = base64.b64decode(str(v)).decode("utf-8", "replace")
        except (ValueError, TypeError):
            out[k] = str(v)
    for k, v in (secret.get("stringData") or {}).items():
        out[k] = str(v)
    return out


def make_environment(pod: Obj, container: Obj, get_object: Callable[[str, str, str], Obj | None],
                     node_alloc: dict[str, str]) -> dict[str, str]:
    """The container's final environment (insertion-ordered). Raises ConfigError with the
    kubelet's message when a referenced Secret/ConfigMap or key is missing."""
    ns = (pod.get("metadata") or {}).get("namespace", "default")
    env: dict[str, str] = {}
    # containerd's CRI plugin sets HOSTNAME to the pod's hostname before the container's own env
    # (pkg/cri/server/container_create_linux.go); the kubelet's hostname is spec.hostname or the pod name.
    spec = pod.get("spec") or {}
    env["HOSTNAME"] = str(spec.get("hostname") or (pod.get("metadata") or {}).get("name", ""))
    for src in container.get("envFrom") or []:
        prefix = src.get("prefix") or ""
        if "configMapRef" in src:
            ref = src["configMapRef"] or {}
            cm = get_object("ConfigMap", ns, ref.get("name", ""))
            if cm is None:
                if ref.get("optional"):
                    continue
                raise ConfigError(f'configmap "{ref.get("name", "")}" not found')
            data = {**{k: str(v) for k, v in (cm.get("data") or {}).items()}}
        else:
            ref = src.get("secretRef") or {}
            sec = get_object("Secret", ns, ref.get("name", ""))
            if sec is None:
                if ref.get("optional"):
                    continue
                raise ConfigError(f'secret "{ref.get("name", "")}" not found')
            data = _secret_data(sec)
        for k, v in data.items():
            env[prefix + k] = v
    for e in container.get("env") or []:
        name = e.get("name", "")
        if "valueFrom" not in e or not e.get("valueFrom"):
            env[name] = expand(str(e.get("value", "") or ""), env.get)
            continue
        vf = e["valueFrom"]
        if "fieldRef" in vf:
            env[name] = _field_ref(pod, (vf["fieldRef"] or {}).get("fieldPath", ""))
        elif "resourceFieldRef" in vf:
            env[name] = _resource_ref(pod, container, vf["resourceFieldRef"] or {}, node_alloc)
        elif "configMapKeyRef" in vf:
            ref = vf["configMapKeyRef"] or {}
            cname, key = ref.get("name", ""), ref.get("key", "")
            cm = get_object("ConfigMap", ns, cname)
            if cm is None:
                if ref.get("optional"):
                    continue
                raise ConfigError(f'configmap "{cname}" not found')
            data = {k: str(v) for k, v in (cm.get("data") or {}).items()}
            if key not in data:
                if ref.get("optional"):
                    continue
                raise ConfigError(f"couldn't find key {key} in ConfigMap {ns}/{cname}")
            env[name] = data[key]
        elif "secretKeyRef" in vf:
            ref = vf["secretKeyRef"] or {}
            sname, key = ref.get("name", ""), ref.get("key", "")
            sec = get_object("Secret", ns, sname)
            if sec is None:
                if ref.get("optional"):
                    continue
                raise ConfigError(f'secret "{sname}" not found')
            data = _secret_data(sec)
            if key not in data:
                if ref.get("optional"):
                    continue
                raise ConfigError(f"couldn't find key {key} in Secret {ns}/{sname}")
            env[name] = data[key]
    # the service environment variables of the default namespace (kubelet_pods.go getServiceEnvVarMap)
    env.setdefault("KUBERNETES_SERVICE_HOST", "10.96.0.1")
    env.setdefault("KUBERNETES_SERVICE_PORT", "443")
    env.setdefault("KUBERNETES_SERVICE_PORT_HTTPS", "443")
    env.setdefault("KUBERNETES_PORT", "tcp://10.96.0.1:443")
    env.setdefault("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443")
    env.setdefault("KUBERNETES_PORT_443_TCP_PROTO", "tcp")
    env.setdefault("KUBERNETES_PORT_443_TCP_PORT", "443")
    env.setdefault("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1")
    return env


def secret_data(secret: Obj) -> dict[str, str]:
    return _secret_data(secret)
