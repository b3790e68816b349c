"""The world file (CONTRACTS.md section 2): nodes, the image registry, objects present at t=0.

```python
world = load_world(None)            # the built-in default world (assets/world-default.yaml)
world = load_world("w.yaml")        # UserError("w.yaml:3:5: message") for every problem found
world.nodes; world.registry; world.objects; world.to_node_objects()
world.registry.resolve("nginx:1.161")   # ImageLookup, with containerd's error text when missing
world.registry.pull("nginx:1.161", auths={...})
```

Image references are parsed as a container runtime does (docker/distribution `reference`
ParseNormalizedNamed): `nginx` -> `docker.io/library/nginx:latest`, `user/app` ->
`docker.io/user/app:latest`, `registry.k8s.io/pause:3.9`, `name@sha256:<hex>`.
Pull failure texts are containerd's (pkg/cri/server/image_pull.go wraps
`failed to pull and unpack image %q`, remotes/docker/resolver.go gives `%s: not found` for a
missing manifest and the Docker Hub token server's `pull access denied, repository does not
exist or may require authorization: server message: insufficient_scope: authorization failed`);
the kubelet prefixes them with `Failed to pull image "<image>": ` and the CRI status
`rpc error: code = NotFound desc = ...` / `code = Unknown desc = ...` is part of the text here.
"""

from __future__ import annotations

import hashlib
import re
import sys
from typing import Any

import attrs

from kubetrainer.errors import UserError
from kubetrainer.api.schema import field_path

API_VERSION = "kubetrainer/v1"
# ephemeral-storage: every kubelet reports its root file system (pkg/kubelet/nodestatus/setters.go
# MachineInfo); a world file that does not give it gets 100Gi (docs/world-format.md)
DEFAULT_CAPACITY = {"cpu": "4", "memory": "8Gi", "ephemeral-storage": "100Gi", "pods": "110"}
DEFAULT_CONDITIONS = {"MemoryPressure": "False", "DiskPressure": "False", "PIDPressure": "False", "Ready": "True"}
CONDITION_TEXT = {
    # pkg/kubelet/nodestatus/setters.go: (reason, message) for False / True
    "MemoryPressure": (("KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                       ("KubeletHasInsufficientMemory", "kubelet has insufficient memory available")),
    "DiskPressure": (("KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                     ("KubeletHasDiskPressure", "kubelet has disk pressure")),
    "PIDPressure": (("KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    ("KubeletHasInsufficientPID", "kubelet has insufficient PID available")),
    "Ready": (("KubeletNotReady", "container runtime network not ready: NetworkReady=false "
               "reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"),
              ("KubeletReady", "kubelet is posting ready status")),
}
# taints the node lifecycle controller keeps in step with conditions (TaintNodesByCondition,
# pkg/controller/nodelifecycle/node_lifecycle_controller.go nodeConditionToTaintKeyStatusMap)
CONDITION_TAINTS = {("Ready", "False"): "node.kubernetes.io/not-ready",
                    ("Ready", "Unknown"): "node.kubernetes.io/unreachable",
                    ("MemoryPressure", "True"): "node.kubernetes.io/memory-pressure",
                    ("DiskPressure", "True"): "node.kubernetes.io/disk-pressure",
                    ("PIDPressure", "True"): "node.kubernetes.io/pid-pressure"}
KNOWN_PUBLIC_SERVERS = {"docker.io", "registry.k8s.io", "k8s.gcr.io", "gcr.io", "quay.io", "ghcr.io",
                        "us-docker.pkg.dev", "mcr.microsoft.com", "public.ecr.aws", "registry.gitlab.com"}
DOCKER_HUB_KEYS = {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}
PROGRAM_NAMES = {"nginx", "httpd", "redis-server", "agnhost", "liveness", "goproxy", "etcd", "stress",
                 "vish-stress", "pause", "hello-app", "node-hello", "mysqld", "java", "perl", "fluent-bit",
                 "fluentd", "php-apache", "gb-frontend", "mongod", "rabbitmq-server", "cassandra",
                 "zkServer.sh", "wordpress", "kubernetes-bootcamp", "http-echo", "python", "python3"}
DNS_RESOLVER = "10.0.0.2:53"   # the nodes' resolver, as it shows in "no such host" errors


# ---------------------------------------------------------------------------------------------
# model

@attrs.define
class ProcessSpec:
    """What an image's entrypoint does (CONTRACTS.md section 2 `process:`), plus image facts."""

    listen: list[int] = attrs.Factory(list)
    startup_seconds: float | None = None
    http: dict[str, list[tuple[float, int]]] = attrs.Factory(dict)
    exit_after: float | None = None
    exit_code: int = 0
    memory: int | None = None
    logs: list[str] = attrs.Factory(list)
    on_sigterm: str = "exit"
    sigterm_exit_code: int | None = None
    shell: bool = False
    flavor: str = "busybox"        # busybox (ash + busybox applets) or gnu (dash + coreutils)
    bash: bool = False
    program: str | None = None     # a built-in program (nginx, agnhost, stress, ...)
    entrypoint: list[str] | None = None
    cmd: list[str] | None = None
    executables: list[str] = attrs.Factory(list)
    files: dict[str, str] = attrs.Factory(dict)
    workdir: str | None = None
    env: dict[str, str] = attrs.Factory(dict)


@attrs.define
class RegistryEntry:
    image: str                     # as written
    repository: str                # normalised: docker.io/library/nginx
    server: str
    path: str                      # library/nginx
    tags: list[str]
    private: bool = False
    pull_seconds: float = 2.0
    size: int = 10 * 1024 * 1024
    process: ProcessSpec = attrs.Factory(ProcessSpec)

    def has_tag(self, tag: str) -> bool:
        return "*" in self.tags or tag in self.tags

    def digest(self, tag: str) -> str:
        return "sha256:" + hashlib.sha256(f"{self.repository}:{tag}".encode()).hexdigest()


@attrs.define
class ImageRef:
    server: str
    path: str
    tag: str | None
    digest: str | None

    @property
    def repository(self) -> str:
        return f"{self.server}/{self.path}"

    def __str__(self) -> str:
        s = self.repository
        if self.tag:
            s += f":{self.tag}"
        if self.digest:
            s += f"@{self.digest}"
        return s


@attrs.define
class ImageLookup:
    image: str                     # as written in the pod spec
    found: bool
    reference: str = ""            # normalised, e.g. docker.io/library/nginx:1.16.1
    repository: str = ""
    server: str = ""
    tag: str | None = None
    digest: str | None = None
    private: bool = False
    entry: RegistryEntry | None = None
    size_bytes: int = 0
    pull_seconds: float = 2.0
    image_id: str = ""
    error: str | None = None       # containerd's pull error (without the kubelet's prefix)
    invalid: str | None = None     # the reference does not parse: "invalid reference format..."

    @property
    def process(self) -> ProcessSpec | None:
        return self.entry.process if self.entry is not None else None


@attrs.define
class PullResult:
    ok: bool
    error: str | None
    seconds: float
    size_bytes: int
    lookup: ImageLookup


class InvalidReference(ValueError):
    pass


_NAME_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*")
_TAG = re.compile(r"[\w][\w.-]{0,127}")
_DIGEST = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}")


def parse_reference(ref: str) -> ImageRef:
    """docker/distribution reference.ParseNormalizedNamed + default tag (latest when no tag/digest)."""
    if not ref or ref != ref.strip():
        raise InvalidReference("invalid reference format")
    name, digest = ref, None
    if "@" in ref:
        name, _, digest = ref.partition("@")
        if not _DIGEST.fullmatch(digest):
            raise InvalidReference("invalid reference format")
    tag = None
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name, tag = name[:colon], name[colon + 1:]
        if not _TAG.fullmatch(tag):
            raise InvalidReference("invalid reference format")
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        server, rest = parts[0], parts[1:]
    else:
        server, rest = "docker.io", parts
    if server in ("index.docker.io", "registry-1.docker.io"):
        server = "docker.io"
    if not rest or not all(rest):
        raise InvalidReference("invalid reference format")
    for comp in rest:
        if not _NAME_COMPONENT.fullmatch(comp):
            if _NAME_COMPONENT.fullmatch(comp.lower()):
                raise InvalidReference("invalid reference format: repository name must be lowercase")
            raise InvalidReference("invalid reference format")
    if server == "docker.io" and len(rest) == 1:
        rest = ["library"] + rest
    if tag is None and digest is None:
        tag = "latest"
    return ImageRef(server, "/".join(rest), tag, digest)


class Registry:
    def __init__(self, entries: list[RegistryEntry] | None = None) -> None:
        self.entries: list[RegistryEntry] = list(entries or [])
        self._by_repo: dict[str, list[RegistryEntry]] = {}
        for e in self.entries:
            self._by_repo.setdefault(e.repository, []).append(e)
        self.servers = {e.server for e in self.entries}

    def normalize(self, ref: str) -> str:
        """"nginx" -> "docker.io/library/nginx:latest"; the input itself if it does not parse."""
        try:
            return str(parse_reference(ref))
        except InvalidReference:
            return ref

    def entry_for(self, repository: str, tag: str | None, digest: str | None) -> RegistryEntry | None:
        cands = self._by_repo.get(repository) or []
        if digest is not None:
            for e in cands:
                if tag is not None and not e.has_tag(tag):
                    continue
                if "*" in e.tags or any(e.digest(t) == digest for t in e.tags):
                    return e
            return None
        for e in cands:
            if tag in e.tags:
                return e
        for e in cands:
            if "*" in e.tags:
                return e
        return None

    def resolve(self, image: str) -> ImageLookup:
        try:
            ref = parse_reference(image)
        except InvalidReference as err:
            return ImageLookup(image, False, invalid=str(err),
                               error=f'couldn\'t parse image reference "{image}": {err}')
        # interned: every container of every pod of a Deployment resolves the same image (one copy each)
        reference = sys.intern(str(ref))
        entry = self.entry_for(ref.repository, ref.tag, ref.digest)
        known_repo = ref.repository in self._by_repo
        lk = ImageLookup(image, entry is not None, reference=reference, repository=sys.intern(ref.repository),
                         server=sys.intern(ref.server), tag=ref.tag if ref.tag is None else sys.intern(ref.tag),
                         digest=ref.digest, entry=entry)
        if entry is not None:
            lk.private = entry.private
            lk.size_bytes = entry.size
            lk.pull_seconds = entry.pull_seconds
            lk.image_id = sys.intern(f"{ref.repository}@{ref.digest or entry.digest(ref.tag or 'latest')}")
            return lk
        lk.private = any(e.private for e in self._by_repo.get(ref.repository, []))
        lk.error = self._missing_error(ref, reference, known_repo)
        return lk

    def _missing_error(self, ref: ImageRef, reference: str, known_repo: bool) -> str:
        head = f'failed to pull and unpack image "{reference}": failed to resolve reference "{reference}": '
        if ref.server not in self.servers and ref.server not in KNOWN_PUBLIC_SERVERS:
            target = ref.digest or ref.tag
            return ("rpc error: code = Unknown desc = " + head +
                    f'failed to do request: Head "https://{ref.server}/v2/{ref.path}/manifests/{target}": '
                    f"dial tcp: lookup {ref.server} on {DNS_RESOLVER}: no such host")
        if ref.server == "docker.io" and not known_repo:
            return "rpc error: code = Unknown desc = " + head + _DENIED
        return "rpc error: code = NotFound desc = " + head + f"{reference}: not found"

    def pull(self, image: str, auths: dict[str, Any] | None = None) -> PullResult:
        """A pull as the runtime does it. `auths`: docker config `auths` keys the pod has credentials for."""
        lk = self.resolve(image)
        if lk.invalid:
            return PullResult(False, lk.error, 0.0, 0, lk)
        if lk.private and not self.has_credentials(lk.server, auths or {}):
            ref = lk.reference
            head = f'failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": '
            if lk.server == "docker.io":
                err = "rpc error: code = Unknown desc = " + head + _DENIED
            else:
                target = lk.digest or lk.tag
                err = ("rpc error: code = Unknown desc = " + head +
                       f"pulling from host {lk.server} failed with status code [manifests {target}]: 401 Unauthorized")
            return PullResult(False, err, min(lk.pull_seconds, 1.0), 0, lk)
        if not lk.found:
            return PullResult(False, lk.error, min(lk.pull_seconds, 1.0), 0, lk)
        return PullResult(True, None, lk.pull_seconds, lk.size_bytes, lk)

    def has_credentials(self, server: str, auths: dict[str, Any]) -> bool:
        return any(self.credential_server_matches(server, key) for key in auths)

    @staticmethod
    def credential_server_matches(server: str, key: str) -> bool:
        """Does a docker config `auths` key (e.g. "https://index.docker.io/v1/") cover `server`?"""
        k = re.sub(r"^[a-z]+://", "", key.strip()).split("/", 1)[0].lower()
        s = server.lower()
        if s == "docker.io":
            return k in DOCKER_HUB_KEYS
        return k == s


_DENIED = ("pull access denied, repository does not exist or may require authorization: "
           "server message: insufficient_scope: authorization failed")


@attrs.define
class NodeSpec:
    name: str
    capacity: dict[str, str] = attrs.Factory(lambda: dict(DEFAULT_CAPACITY))
    allocatable: dict[str, str] = attrs.Factory(dict)
    labels: dict[str, str] = attrs.Factory(dict)
    taints: list[dict[str, str]] = attrs.Factory(list)
    unschedulable: bool = False
    conditions: dict[str, str] = attrs.Factory(lambda: dict(DEFAULT_CONDITIONS))
    images: list[str] = attrs.Factory(list)
    index: int = 0

    def to_object(self, registry: Registry | None = None) -> dict[str, Any]:
        taints = [dict(t) for t in self.taints]
        for (cond, status), key in CONDITION_TAINTS.items():
            if self.conditions.get(cond) == status and not any(t.get("key") == key for t in taints):
                taints.append({"key": key, "effect": "NoSchedule"})
                if cond == "Ready":
                    taints.append({"key": key, "effect": "NoExecute"})
        if self.unschedulable and not any(t.get("key") == "node.kubernetes.io/unschedulable" for t in taints):
            taints.append({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"})
        spec: dict[str, Any] = {"podCIDR": f"10.{244 + self.index // 256}.{self.index % 256}.0/24"}
        if taints:
            spec["taints"] = taints
        if self.unschedulable:
            spec["unschedulable"] = True
        conditions = [dict(c) for c in _conditions(tuple(sorted(self.conditions.items())))]
        images = []
        for img in self.images:
            lk = registry.resolve(img) if registry is not None else None
            if lk is not None and lk.found:
                images.append({"names": [lk.image_id, lk.reference], "sizeBytes": lk.size_bytes})
            else:
                images.append({"names": [registry.normalize(img) if registry is not None else img], "sizeBytes": 0})
        return {
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": self.name, "labels": dict(self.labels)},
            "spec": spec,
            "status": {
                "capacity": dict(self.capacity),
                "allocatable": dict(self.allocatable or self.capacity),
                "conditions": conditions,
                "addresses": [{"type": "InternalIP", "address": f"10.0.{self.index // 250}.{self.index % 250 + 2}"},
                              {"type": "Hostname", "address": self.name}],
                "images": images,
                "nodeInfo": {"architecture": self.labels.get("kubernetes.io/arch", "amd64"),
                             "operatingSystem": self.labels.get("kubernetes.io/os", "linux"),
                             "containerRuntimeVersion": "containerd://1.7.22",
                             "kubeletVersion": "v1.34.0", "kubeProxyVersion": "v1.34.0",
                             "osImage": "Ubuntu 24.04.1 LTS", "kernelVersion": "6.8.0-45-generic"},
            },
        }


_COND_CACHE: dict[tuple, list[dict[str, str]]] = {}


def _conditions(items: tuple) -> list[dict[str, str]]:
    """Node status.conditions for a {type: status} map (cached; callers copy)."""
    hit = _COND_CACHE.get(items)
    if hit is not None:
        return hit
    given = dict(items)
    if True:
        conditions = []
        for ctype in ("MemoryPressure", "DiskPressure", "PIDPressure", "Ready"):
            status = given.get(ctype, DEFAULT_CONDITIONS[ctype])
            good = status == ("True" if ctype == "Ready" else "False")
            reason, message = CONDITION_TEXT[ctype][1 if (ctype == "Ready") == good else 0] \
                if status != "Unknown" else ("NodeStatusUnknown", "Kubelet stopped posting node status.")
            conditions.append({"type": ctype, "status": status, "reason": reason, "message": message,
                               "lastHeartbeatTime": "2024-01-01T00:00:00Z",
                               "lastTransitionTime": "2024-01-01T00:00:00Z"})
        for ctype, status in given.items():
            if ctype not in DEFAULT_CONDITIONS:
                conditions.append({"type": ctype, "status": status, "reason": ctype, "message": "",
                                   "lastHeartbeatTime": "2024-01-01T00:00:00Z",
                                   "lastTransitionTime": "2024-01-01T00:00:00Z"})
    _COND_CACHE[items] = conditions
    return conditions


@attrs.define
class World:
    name: str
    nodes: list[NodeSpec]
    registry: Registry
    objects: list[dict[str, Any]]
    object_sources: list[tuple[str, int, int]]
    source: str = "<default>"
    manifests: list[Any] = attrs.Factory(list)   # kubetrainer.api.intake.Manifest per object (defaulted)

    def to_node_objects(self) -> list[dict[str, Any]]:
        return [n.to_object(self.registry) for n in self.nodes]

    def node(self, name: str) -> NodeSpec | None:
        for n in self.nodes:
            if n.name == name:
                return n
        return None


# ---------------------------------------------------------------------------------------------
# loading

class _Problems:
    def __init__(self, filename: str, doc: Any, base: tuple = ()) -> None:
        self.filename = filename
        self.doc = doc
        self.base = base
        self.items: list[tuple[int, int, str]] = []

    def add(self, path: tuple, message: str, value: bool = False) -> None:
        if self.doc is not None:
            line, col = self.doc.position(self.base + path, value=value)
        else:
            line, col = 1, 1
        self.items.append((line, col, message))

    def raise_if_any(self) -> None:
        if self.items:
            seen = []
            for it in sorted(self.items):
                if it not in seen:
                    seen.append(it)
            raise UserError("\n".join(f"{self.filename}:{l}:{c}: {m}" for l, c, m in seen))


def _tname(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return type(v).__name__


class _Reader:
    def __init__(self, probs: _Problems) -> None:
        self.p = probs

    def expect(self, v: Any, path: tuple, kinds: tuple, what: str) -> bool:
        if isinstance(v, bool) and bool not in kinds:
            ok = False
        else:
            ok = isinstance(v, kinds)
        if not ok:
            self.p.add(path, f"{field_path(path)}: expected {what}, got {_tname(v)}"
                       + (f" {v!r}" if isinstance(v, (str, int, float)) and not isinstance(v, bool) else ""),
                       value=True)
        return ok

    def mapping(self, v: Any, path: tuple, allowed: set[str]) -> dict:
        if not self.expect(v, path, (dict,), "an object"):
            return {}
        for k in v:
            if k not in allowed:
                self.p.add(path + (k,), f'unknown field "{field_path(path + (k,))}"')
        return v

    def string(self, v: Any, path: tuple) -> str | None:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return str(v)
        return v if self.expect(v, path, (str,), "a string") else None

    def string_list(self, v: Any, path: tuple) -> list[str]:
        if not self.expect(v, path, (list,), "a list of strings"):
            return []
        out = []
        for i, x in enumerate(v):
            s = self.string(x, path + (i,))
            if s is not None:
                out.append(s)
        return out

    def string_map(self, v: Any, path: tuple) -> dict[str, str]:
        if not self.expect(v, path, (dict,), "a map of strings"):
            return {}
        out = {}
        for k, x in v.items():
            s = self.string(x, path + (k,)) if not isinstance(x, bool) else ("true" if x else "false")
            if s is not None:
                out[str(k)] = s
        return out

    def boolean(self, v: Any, path: tuple) -> bool:
        return bool(v) if self.expect(v, path, (bool,), "a boolean") else False

    def integer(self, v: Any, path: tuple, lo: int | None = None, hi: int | None = None) -> int | None:
        if not self.expect(v, path, (int,), "an integer"):
            return None
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            rng = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
            self.p.add(path, f"{field_path(path)}: must be {rng}, got {v}", value=True)
            return None
        return v

    def duration(self, v: Any, path: tuple) -> float | None:
        from kubetrainer.durations import parse_duration

        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            self.p.add(path, f"{field_path(path)}: expected a duration such as 90, 90s, 2m, 1m30s, got {_tname(v)}",
                       value=True)
            return None
        try:
            return parse_duration(v)
        except UserError as e:
            self.p.add(path, f"{field_path(path)}: {e}", value=True)
            return None

    def quantity(self, v: Any, path: tuple) -> str | None:
        from kubetrainer.api.quantity import QuantityError, parse_quantity

        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            self.p.add(path, f"{field_path(path)}: expected a quantity such as 4, 500m, 8Gi, got {_tname(v)}", value=True)
            return None
        try:
            return str(parse_quantity(v))
        except QuantityError as e:
            self.p.add(path, f"{field_path(path)}: {e}", value=True)
            return None

    def quantity_map(self, v: Any, path: tuple) -> dict[str, str]:
        if not self.expect(v, path, (dict,), "a map of resource quantities"):
            return {}
        out = {}
        for k, x in v.items():
            q = self.quantity(x, path + (k,))
            if q is not None:
                out[str(k)] = q
        return out


_NODE_FIELDS = {"capacity", "allocatable", "labels", "taints", "unschedulable", "conditions", "images"}
_TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
_PROCESS_FIELDS = {"listen", "startupSeconds", "http", "exitAfter", "exitCode", "memory", "logs", "onSigterm",
                   "sigtermExitCode", "shell", "flavor", "bash", "program", "entrypoint", "cmd", "executables",
                   "files", "workdir", "env"}
_REGISTRY_FIELDS = {"image", "tags", "server", "private", "pullSeconds", "size", "process"}


def _node_fields(r: _Reader, raw: dict, path: tuple, node: NodeSpec) -> None:
    if "capacity" in raw:
        cap = r.quantity_map(raw["capacity"], path + ("capacity",))
        node.capacity = {**DEFAULT_CAPACITY, **cap}
    if "allocatable" in raw:
        node.allocatable = {**node.capacity, **r.quantity_map(raw["allocatable"], path + ("allocatable",))}
    if "labels" in raw:
        node.labels = r.string_map(raw["labels"], path + ("labels",))
    if "taints" in raw:
        taints = []
        if r.expect(raw["taints"], path + ("taints",), (list,), "a list of taints"):
            for i, t in enumerate(raw["taints"]):
                tp = path + ("taints", i)
                t = r.mapping(t, tp, {"key", "value", "effect"})
                if not t:
                    continue
                key = r.string(t.get("key"), tp + ("key",)) if "key" in t else None
                if not key:
                    r.p.add(tp, f"{field_path(tp + ('key',))}: Required value")
                    continue
                effect = t.get("effect")
                if effect not in _TAINT_EFFECTS:
                    r.p.add(tp + ("effect",) if "effect" in t else tp,
                            f'{field_path(tp + ("effect",))}: Unsupported value: {effect!r}: supported values: '
                            '"NoSchedule", "PreferNoSchedule", "NoExecute"'.replace("'", '"'),
                            value="effect" in t)
                    continue
                taint = {"key": key, "effect": effect}
                if t.get("value") is not None:
                    v = r.string(t["value"], tp + ("value",))
                    if v is not None:
                        taint = {"key": key, "value": v, "effect": effect}
                taints.append(taint)
        node.taints = taints
    if "unschedulable" in raw:
        node.unschedulable = r.boolean(raw["unschedulable"], path + ("unschedulable",))
    if "conditions" in raw:
        conds = r.string_map(raw["conditions"], path + ("conditions",))
        for k, v in conds.items():
            if v not in ("True", "False", "Unknown"):
                r.p.add(path + ("conditions", k), f'{field_path(path + ("conditions", k))}: Unsupported value: "{v}": '
                        'supported values: "True", "False", "Unknown"', value=True)
        node.conditions = {**DEFAULT_CONDITIONS, **conds}
    if "images" in raw:
        node.images = r.string_list(raw["images"], path + ("images",))
        for i, img in enumerate(node.images):
            try:
                parse_reference(img)
            except InvalidReference as e:
                r.p.add(path + ("images", i), f'{field_path(path + ("images", i))}: "{img}": {e}', value=True)


def _finish_labels(node: NodeSpec) -> None:
    if not node.allocatable:
        node.allocatable = dict(node.capacity)  # allocatable defaults to capacity
    node.labels = {**node.labels, "kubernetes.io/hostname": node.name}
    node.labels.setdefault("kubernetes.io/os", "linux")
    node.labels.setdefault("kubernetes.io/arch", "amd64")
    # order as kubectl shows them: arch, hostname, os, then the world's labels
    base = {k: node.labels[k] for k in ("kubernetes.io/arch", "kubernetes.io/hostname", "kubernetes.io/os")}
    node.labels = {**{k: v for k, v in node.labels.items() if k not in base}, **base}


_DNS1123 = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def _process(r: _Reader, raw: Any, path: tuple, image_path: str) -> ProcessSpec:
    raw = r.mapping(raw, path, _PROCESS_FIELDS) if raw is not None else {}
    ps = ProcessSpec()
    if not raw:
        # no process: a program that runs until stopped and exits on SIGTERM
        ps.cmd = ["/" + image_path.rsplit("/", 1)[-1]]
        return ps
    if "listen" in raw:
        v = raw["listen"]
        if isinstance(v, int) and not isinstance(v, bool):
            v = [v]
        if r.expect(v, path + ("listen",), (list,), "a list of ports"):
            for i, port in enumerate(v):
                p = r.integer(port, path + ("listen", i), 1, 65535)
                if p is not None:
                    ps.listen.append(p)
    if "startupSeconds" in raw:
        ps.startup_seconds = r.duration(raw["startupSeconds"], path + ("startupSeconds",))
    if "http" in raw:
        hp = path + ("http",)
        if r.expect(raw["http"], hp, (dict,), "a map of path to status"):
            for url, rule in raw["http"].items():
                rp = hp + (url,)
                if not isinstance(url, str) or not url.startswith("/"):
                    r.p.add(rp, f"{field_path(rp)}: the path must start with /")
                    continue
                steps: list[tuple[float, int]] = []
                if isinstance(rule, int) and not isinstance(rule, bool):
                    st = r.integer(rule, rp, 100, 599)
                    if st is not None:
                        steps.append((0.0, st))
                elif isinstance(rule, list):
                    for i, step in enumerate(rule):
                        sp = rp + (i,)
                        step = r.mapping(step, sp, {"from", "status"})
                        if not step:
                            continue
                        frm = r.duration(step.get("from", 0), sp + ("from",)) or 0.0
                        if "status" not in step:
                            r.p.add(sp, f"{field_path(sp + ('status',))}: Required value")
                            continue
                        st = r.integer(step["status"], sp + ("status",), 100, 599)
                        if st is not None:
                            steps.append((frm, st))
                    steps.sort()
                else:
                    r.p.add(rp, f"{field_path(rp)}: expected a status code or a list of {{from, status}}, "
                                f"got {_tname(rule)}", value=True)
                ps.http[url] = steps
    if "exitAfter" in raw:
        ps.exit_after = r.duration(raw["exitAfter"], path + ("exitAfter",))
    if "exitCode" in raw:
        ps.exit_code = r.integer(raw["exitCode"], path + ("exitCode",), 0, 255) or 0
    if "memory" in raw:
        from kubetrainer.api.quantity import memory_bytes

        q = r.quantity(raw["memory"], path + ("memory",))
        if q is not None:
            ps.memory = memory_bytes(q)
    if "logs" in raw:
        ps.logs = r.string_list(raw["logs"], path + ("logs",))
    if "onSigterm" in raw:
        v = raw["onSigterm"]
        if v not in ("exit", "ignore"):
            r.p.add(path + ("onSigterm",), f'{field_path(path + ("onSigterm",))}: Unsupported value: {v!r}: '
                    'supported values: "exit", "ignore"'.replace("'", '"'), value=True)
        else:
            ps.on_sigterm = v
    if "sigtermExitCode" in raw:
        ps.sigterm_exit_code = r.integer(raw["sigtermExitCode"], path + ("sigtermExitCode",), 0, 255)
    if "shell" in raw:
        ps.shell = r.boolean(raw["shell"], path + ("shell",))
    if "flavor" in raw:
        v = raw["flavor"]
        if v not in ("busybox", "gnu"):
            r.p.add(path + ("flavor",), f'{field_path(path + ("flavor",))}: Unsupported value: {v!r}: '
                    'supported values: "busybox", "gnu"'.replace("'", '"'), value=True)
        else:
            ps.flavor = v
    if "bash" in raw:
        ps.bash = r.boolean(raw["bash"], path + ("bash",))
    if "program" in raw:
        v = r.string(raw["program"], path + ("program",))
        if v is not None and v not in PROGRAM_NAMES:
            r.p.add(path + ("program",), f'{field_path(path + ("program",))}: Unsupported value: "{v}": '
                    f"supported values: " + ", ".join(f'"{n}"' for n in sorted(PROGRAM_NAMES)), value=True)
        else:
            ps.program = v
    for key, attr in (("entrypoint", "entrypoint"), ("cmd", "cmd")):
        if key in raw and raw[key] is not None:
            setattr(ps, attr, r.string_list(raw[key], path + (key,)))
    if "executables" in raw:
        ps.executables = r.string_list(raw["executables"], path + ("executables",))
    if "files" in raw:
        ps.files = r.string_map(raw["files"], path + ("files",))
    if "workdir" in raw:
        ps.workdir = r.string(raw["workdir"], path + ("workdir",))
    if "env" in raw:
        ps.env = r.string_map(raw["env"], path + ("env",))
    if ps.entrypoint is None and ps.cmd is None:
        if ps.program:
            ps.cmd = [ps.program]
        elif ps.shell and not ps.listen and ps.exit_after is None and not ps.logs:
            ps.cmd = ["sh"]
        else:
            ps.cmd = ["/" + image_path.rsplit("/", 1)[-1]]
    return ps


def world_from_data(data: Any, filename: str, doc: Any = None, base: tuple = ()) -> World:
    """Build a World from already-loaded YAML data (`doc` gives positions; `base` its path in doc)."""
    probs = _Problems(filename, doc, base)
    r = _Reader(probs)
    top = r.mapping(data, (), {"apiVersion", "kind", "metadata", "spec"})
    if isinstance(data, dict):
        if top.get("apiVersion") != API_VERSION:
            probs.add(("apiVersion",) if "apiVersion" in top else (),
                      f'apiVersion: Unsupported value: {top.get("apiVersion")!r}: supported values: "{API_VERSION}"'
                      .replace("'", '"') if "apiVersion" in top else "apiVersion: Required value",
                      value="apiVersion" in top)
        if top.get("kind") != "World":
            probs.add(("kind",) if "kind" in top else (),
                      f'kind: Unsupported value: {top.get("kind")!r}: supported values: "World"'.replace("'", '"')
                      if "kind" in top else "kind: Required value", value="kind" in top)
    meta = r.mapping(top.get("metadata", {}), ("metadata",), {"name", "labels", "annotations"}) \
        if "metadata" in top else {}
    name = str(meta.get("name", "world")) if meta else "world"
    spec = r.mapping(top.get("spec", {}), ("spec",), {"nodes", "nodeGroups", "registry", "objects"}) \
        if "spec" in top else {}
    if isinstance(data, dict) and "spec" not in top:
        probs.add((), "spec: Required value")

    nodes: list[NodeSpec] = []
    names: dict[str, tuple] = {}

    def add_node(node: NodeSpec, path: tuple) -> None:
        if node.name in names:
            probs.add(path, f'{field_path(path)}: Duplicate value: "{node.name}"', value=True)
            return
        names[node.name] = path
        node.index = len(nodes)
        _finish_labels(node)
        nodes.append(node)

    if "nodes" in spec and spec["nodes"] is not None:
        if r.expect(spec["nodes"], ("spec", "nodes"), (list,), "a list of nodes"):
            for i, raw in enumerate(spec["nodes"]):
                path = ("spec", "nodes", i)
                raw = r.mapping(raw, path, _NODE_FIELDS | {"name"})
                if not raw:
                    continue
                nm = r.string(raw.get("name"), path + ("name",)) if "name" in raw else None
                if not nm:
                    probs.add(path, f"{field_path(path + ('name',))}: Required value")
                    continue
                if not _DNS1123.fullmatch(nm) or len(nm) > 253:
                    probs.add(path + ("name",), f'{field_path(path + ("name",))}: Invalid value: "{nm}": a lowercase '
                              "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                              "and must start and end with an alphanumeric character", value=True)
                    continue
                node = NodeSpec(name=nm)
                _node_fields(r, raw, path, node)
                add_node(node, path + ("name",))
    if "nodeGroups" in spec and spec["nodeGroups"] is not None:
        if r.expect(spec["nodeGroups"], ("spec", "nodeGroups"), (list,), "a list of node groups"):
            for gi, raw in enumerate(spec["nodeGroups"]):
                path = ("spec", "nodeGroups", gi)
                raw = r.mapping(raw, path, {"count", "namePrefix", "template"})
                if not raw:
                    continue
                if "count" not in raw:
                    probs.add(path, f"{field_path(path + ('count',))}: Required value")
                    continue
                count = r.integer(raw["count"], path + ("count",), 1, 100000)
                prefix = r.string(raw.get("namePrefix", "node-"), path + ("namePrefix",)) or "node-"
                tmpl = r.mapping(raw.get("template", {}), path + ("template",), _NODE_FIELDS) \
                    if "template" in raw else {}
                if count is None:
                    continue
                proto = NodeSpec(name="")
                _node_fields(r, tmpl, path + ("template",), proto)
                width = len(str(count))
                for k in range(1, count + 1):
                    node = NodeSpec(name=f"{prefix}{k:0{width}d}", capacity=dict(proto.capacity),
                                    allocatable=dict(proto.allocatable), labels=dict(proto.labels),
                                    taints=[dict(t) for t in proto.taints], unschedulable=proto.unschedulable,
                                    conditions=dict(proto.conditions), images=list(proto.images))
                    add_node(node, path + ("namePrefix",) if "namePrefix" in raw else path)

    entries: list[RegistryEntry] = []
    if "registry" in spec and spec["registry"] is not None:
        if r.expect(spec["registry"], ("spec", "registry"), (list,), "a list of registry entries"):
            for i, raw in enumerate(spec["registry"]):
                path = ("spec", "registry", i)
                raw = r.mapping(raw, path, _REGISTRY_FIELDS)
                if not raw:
                    continue
                image = r.string(raw.get("image"), path + ("image",)) if "image" in raw else None
                if not image:
                    probs.add(path, f"{field_path(path + ('image',))}: Required value")
                    continue
                server_given = r.string(raw["server"], path + ("server",)) if "server" in raw else None
                ref_text = image if server_given is None or image.startswith(server_given + "/") \
                    else f"{server_given}/{image}"
                try:
                    ref = parse_reference(ref_text)
                except InvalidReference as e:
                    probs.add(path + ("image",), f'{field_path(path + ("image",))}: "{image}": {e}', value=True)
                    continue
                if ":" in image.rsplit("/", 1)[-1] or "@" in image:
                    probs.add(path + ("image",), f'{field_path(path + ("image",))}: Invalid value: "{image}": '
                              "a repository without a tag or digest; list tags under tags", value=True)
                    continue
                tags = ["*"]
                if "tags" in raw:
                    tp = path + ("tags",)
                    tags = []
                    if r.expect(raw["tags"], tp, (list,), "a list of tags"):
                        for ti, tag in enumerate(raw["tags"]):
                            if isinstance(tag, float):
                                # YAML reads 1.10 as the number 1.1: the tag the author meant is lost
                                r.p.add(tp + (ti,), f"{field_path(tp + (ti,))}: expected a string, got number {tag!r} "
                                        f'(quote it, e.g. "{tag}")', value=True)
                                continue
                            t = r.string(tag, tp + (ti,))
                            if t is not None:
                                tags.append(t)
                pull = r.duration(raw.get("pullSeconds", 2), path + ("pullSeconds",))
                size = 10 * 1024 * 1024
                if "size" in raw:
                    from kubetrainer.api.quantity import memory_bytes

                    q = r.quantity(raw["size"], path + ("size",))
                    if q is not None:
                        size = memory_bytes(q)
                proc = _process(r, raw.get("process"), path + ("process",), ref.path) \
                    if "process" in raw else _process(r, None, path + ("process",), ref.path)
                entries.append(RegistryEntry(
                    image=image, repository=ref.repository, server=ref.server, path=ref.path, tags=tags,
                    private=r.boolean(raw["private"], path + ("private",)) if "private" in raw else False,
                    pull_seconds=2.0 if pull is None else pull, size=size, process=proc))

    objects: list[dict] = []
    sources: list[tuple[str, int, int]] = []
    manifests: list[Any] = []
    if "objects" in spec and spec["objects"] is not None:
        if r.expect(spec["objects"], ("spec", "objects"), (list,), "a list of Kubernetes objects"):
            from kubetrainer.api.intake import check_document

            for i, obj in enumerate(spec["objects"]):
                path = ("spec", "objects", i)
                if r.expect(obj, path, (dict,), "a Kubernetes object"):
                    objects.append(obj)
                    sub = _SubDocument(obj, filename, doc, base + path)
                    sources.append((filename, sub.line, sub.col))
                    # the API server's own checks (schema, defaulting, validation), located in this file
                    m, problems = check_document(sub)
                    for pr in problems:
                        probs.items.append((pr.line, pr.col, pr.message))
                    if m is not None:
                        manifests.append(m)
    probs.raise_if_any()
    return World(name=name, nodes=nodes, registry=Registry(entries), objects=objects,
                 object_sources=sources, source=filename, manifests=manifests)


class _SubDocument:
    """One object inside a world file, seen as a yamlpos Document (positions mapped into the file)."""

    def __init__(self, data: Any, filename: str, doc: Any, base: tuple) -> None:
        self.data = data
        self.filename = filename
        self.doc = doc
        self.base = base
        self.line, self.col = doc.position(base, value=True) if doc is not None else (1, 1)

    def position(self, path: Any = (), *, value: bool = False) -> tuple[int, int]:
        if self.doc is None:
            return (1, 1)
        return self.doc.position(self.base + tuple(path), value=value)


def parse_world(text: str | bytes, filename: str) -> World:
    from kubetrainer.api.yamlpos import load_yaml_documents

    docs = load_yaml_documents(text, filename)
    if not docs:
        raise UserError(f"{filename}:1:1: the world file is empty: expected a document of kind World")
    if len(docs) > 1:
        raise UserError(f"{filename}:{docs[1].line}:1: a world file holds one document (kind World)")
    return world_from_data(docs[0].data, filename, docs[0])


_DEFAULT_CACHE: dict[str, Any] = {}


def load_world(path: str | None) -> World:
    """Load a world file; None = the built-in default world."""
    if path is None:
        from kubetrainer.resources import assets_dir

        p = assets_dir() / "world-default.yaml"
        key = str(p)
        cached = _DEFAULT_CACHE.get(key)
        if cached is None:
            cached = parse_world(p.read_bytes(), "world-default.yaml")
            _DEFAULT_CACHE[key] = cached
        return _copy_world(cached)
    from kubetrainer.api.yamlpos import read_source

    try:
        data = read_source(path)
    except OSError as e:
        raise UserError(f"{path}: cannot read the world file: {e.strerror or e}") from None
    except Exception as e:  # noqa: BLE001 - yamlpos' located problems (file too large ...)
        line, col, msg = getattr(e, "line", 1), getattr(e, "col", 1), getattr(e, "message", str(e))
        raise UserError(f"{path}:{line}:{col}: {msg}") from None
    return inherit_default_registry(parse_world(data, path))


def inherit_default_registry(world: World) -> World:
    """A world's registry also holds the default world's entries for every repository it does not
    list itself (the same rule lessons follow, docs/lesson-format.md): a world with only nodes still
    runs nginx and busybox, and listing `nginx` replaces the default nginx entries."""
    default = load_world(None).registry
    own = list(world.registry.entries)
    repos = {e.repository for e in own}
    world.registry = Registry(own + [e for e in default.entries if e.repository not in repos])
    return world


def _copy_world(w: World) -> World:
    """A copy whose nodes/objects callers may change (the registry is immutable and shared)."""
    import copy

    return World(name=w.name, nodes=[attrs.evolve(n, capacity=dict(n.capacity), allocatable=dict(n.allocatable),
                                                  labels=dict(n.labels), taints=[dict(t) for t in n.taints],
                                                  conditions=dict(n.conditions), images=list(n.images))
                                     for n in w.nodes],
                 registry=w.registry, objects=copy.deepcopy(w.objects), object_sources=list(w.object_sources),
                 source=w.source, manifests=list(w.manifests))


# the brief's name for it
world_from_dict = world_from_data
