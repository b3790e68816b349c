"""A container's file system: the image's root plus volume mounts.

Each container has its own root (a `Volume`); a pod's emptyDir/configMap/secret volumes are
`Volume` objects shared between the containers that mount them, so a file one container writes
under its mount is seen by the others (the docs' shared-volume and sidecar examples).
Paths are POSIX; files hold text (str).
"""

from __future__ import annotations

import posixpath
import sys


class FSError(Exception):
    """errno-style failure; `.reason` is the strerror text busybox prints."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


ENOENT = "No such file or directory"
EISDIR = "Is a directory"
ENOTDIR = "Not a directory"
EROFS = "Read-only file system"
EEXIST = "File exists"
ENOTEMPTY = "Directory not empty"
ENOSPC = "No space left on device"
MAX_FILE = 64 << 20  # the container's writable layer / emptyDir fills up: ENOSPC


# Directory sets shared between volumes (see Volume.share_dirs): one per distinct set.
_SHARED_DIRS: dict[frozenset[str], frozenset[str]] = {}


class Volume:
    """A tree of files: {relative path: text} plus the set of directories ("" is the root).

    `dirs` is changed only through add_dir/discard_dir: after share_dirs it is a frozenset shared
    with every container root that has the same directories, copied on the first change."""

    __slots__ = ("files", "dirs", "readonly", "name")

    def __init__(self, files: dict[str, str] | None = None, readonly: bool = False, name: str = "",
                 share: bool = False) -> None:
        self.dirs: set[str] = {""}
        self.readonly = readonly
        self.name = name
        if share and files is not None:
            # use the caller's dict as the store, so every Volume made from it sees the same files
            for path in list(files):
                rel = posixpath.normpath("/" + path).lstrip("/")
                if rel != path:
                    files[rel] = files.pop(path)
            self.files = files
            for rel in list(files):
                parent = posixpath.dirname(rel)
                while parent:
                    self.add_dir(parent)
                    parent = posixpath.dirname(parent)
            return
        self.files: dict[str, str] = {}
        for path, text in (files or {}).items():
            self.put(path, text)

    def add_dir(self, d: str) -> None:
        dirs = self.dirs
        if type(dirs) is frozenset:
            if d in dirs:
                return
            self.dirs = dirs = set(dirs)
        dirs.add(d)

    def discard_dir(self, d: str) -> None:
        dirs = self.dirs
        if type(dirs) is frozenset:
            if d not in dirs:
                return
            self.dirs = dirs = set(dirs)
        dirs.discard(d)

    def share_dirs(self) -> None:
        """Use one shared frozen copy of this directory set: every container root of an image holds
        the same dozen directories (~700 bytes per container at 150,000 pods, issue #5)."""
        f = frozenset(self.dirs)
        self.dirs = _SHARED_DIRS.setdefault(f, f)

    def put(self, path: str, text: str) -> None:
        """Write a file ignoring read-only (how the kubelet fills configMap/secret volumes)."""
        # interned names: every container gets the same /etc and service-account paths (one copy)
        rel = sys.intern(posixpath.normpath("/" + path).lstrip("/"))
        parent = posixpath.dirname(rel)
        while parent:
            self.add_dir(sys.intern(parent))
            parent = posixpath.dirname(parent)
        self.files[rel] = text


def _norm(path: str, cwd: str = "/") -> str:
    if not path.startswith("/"):
        path = posixpath.join(cwd, path)
    p = posixpath.normpath(path)
    if p.startswith("//"):
        p = "/" + p.lstrip("/")
    return p


class ContainerFS:
    """The file system one container sees.

    `mounts` maps an absolute mount path to a shared `Volume` (or a plain dict of files, which is
    wrapped). The longest mount prefix wins, as with bind mounts.
    """

    def __init__(self, mounts: dict[str, "Volume | dict[str, str]"] | None = None,
                 files: dict[str, str] | None = None, hostname: str = "localhost",
                 namespace: str = "default", pod_ip: str | None = None) -> None:
        self.root = Volume()
        for d in ("bin", "dev", "etc", "home", "proc", "root", "sys", "tmp", "usr", "var", "var/run"):
            self.root.add_dir(d)
        self.mounts: dict[str, Volume] = {}
        for path, vol in (mounts or {}).items():
            self.mount(path, vol)
        for path, text in (files or {}).items():
            self.root.put(path, text)
        self.hostname = hostname
        self.namespace = namespace
        self.pod_ip = pod_ip
        # the ServiceAccount admission plugin mounts the token volume unless
        # automountServiceAccountToken is false; the kubelet may set this to False
        self.service_account = True
        self.workdir: str | None = None  # the container's working directory (set by start_process)
        self.user: tuple[int, int, list[int]] | None = None  # (uid, gid, supplemental groups); None = root
        # optional hook set by the kubelet: name -> IP or None (for nslookup / wget of services)
        self.resolver = None

    def kubelet_files(self) -> None:
        """/etc/hostname, /etc/hosts, /etc/resolv.conf as the kubelet/runtime write them (unless present)."""
        dns = getattr(self, "dns_server", None) or "10.96.0.10"
        ns = self.namespace
        hosts = "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        if self.pod_ip:
            hosts += f"{self.pod_ip}\t{self.hostname}\n"
        defaults = {
            "etc/hostname": self.hostname + "\n",
            "etc/hosts": hosts,
            "etc/resolv.conf": sys.intern(f"search {ns}.svc.cluster.local svc.cluster.local cluster.local\n"
                                          f"nameserver {dns}\noptions ndots:5\n"),  # the same in a namespace
        }
        if self.service_account:
            sa = "var/run/secrets/kubernetes.io/serviceaccount/"
            defaults[sa + "namespace"] = ns
            defaults[sa + "token"] = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imt1YmV0cmFpbmVyIn0.e30.c2ltdWxhdGVk"
            defaults[sa + "ca.crt"] = "-----BEGIN CERTIFICATE-----\nkubetrainer\n-----END CERTIFICATE-----\n"
        for rel, text in defaults.items():
            if rel not in self.root.files and not any(("/" + rel).startswith(m.rstrip("/") + "/") for m in self.mounts):
                self.root.put(rel, text)
        self.root.share_dirs()

    @staticmethod
    def new_volume(files: dict[str, str] | None = None, readonly: bool = False, name: str = "") -> Volume:
        return Volume(files, readonly=readonly, name=name)

    def mount(self, path: str, vol: "Volume | dict[str, str]", readonly: bool | None = None) -> Volume:
        if not isinstance(vol, Volume):
            vol = Volume(vol, share=True)  # a plain dict: shared with every container given the same dict
        p = _norm(path)
        self.mounts[p] = vol
        # make the mount point visible in its parent
        self._ensure_parents(p)
        if readonly:
            vol.readonly = True
        return vol

    def _ensure_parents(self, p: str) -> None:
        vol, rel = self._locate(posixpath.dirname(p))
        parent = rel
        if parent and vol is self.root:
            while parent:
                self.root.add_dir(parent)
                parent = posixpath.dirname(parent)
        base = rel + "/" + posixpath.basename(p) if rel else posixpath.basename(p)
        if vol is self.root or not vol.readonly:
            vol.add_dir(base)

    # -- lookup -----------------------------------------------------------------------------
    def _locate(self, abspath: str) -> tuple[Volume, str]:
        best = None
        for mp in self.mounts:
            if abspath == mp or abspath.startswith(mp.rstrip("/") + "/"):
                if best is None or len(mp) > len(best):
                    best = mp
        if best is None:
            return self.root, abspath.lstrip("/")
        rel = abspath[len(best):].lstrip("/")
        return self.mounts[best], rel

    def norm(self, path: str, cwd: str = "/") -> str:
        return _norm(path, cwd)

    def exists(self, path: str, cwd: str = "/") -> bool:
        return self.isfile(path, cwd) or self.isdir(path, cwd)

    def isfile(self, path: str, cwd: str = "/") -> bool:
        vol, rel = self._locate(_norm(path, cwd))
        return rel in vol.files

    def isdir(self, path: str, cwd: str = "/") -> bool:
        ap = _norm(path, cwd)
        if ap in self.mounts:
            return True
        vol, rel = self._locate(ap)
        return rel in vol.dirs

    def read(self, path: str, cwd: str = "/") -> str:
        ap = _norm(path, cwd)
        vol, rel = self._locate(ap)
        if rel in vol.files:
            return vol.files[rel]
        if rel in vol.dirs or ap in self.mounts:
            raise FSError(EISDIR)
        raise FSError(ENOENT)

    def write(self, path: str, text: str, append: bool = False, cwd: str = "/") -> None:
        ap = _norm(path, cwd)
        if ap == "/dev/null":
            return
        vol, rel = self._locate(ap)
        if rel in vol.dirs or ap in self.mounts:
            raise FSError(EISDIR)
        parent = posixpath.dirname(rel)
        if parent not in vol.dirs:
            if parent in vol.files:
                raise FSError(ENOTDIR)
            raise FSError(ENOENT)
        if vol.readonly:
            raise FSError(EROFS)
        if append and rel in vol.files:
            if len(vol.files[rel]) + len(text) > MAX_FILE:
                raise FSError(ENOSPC)
            vol.files[rel] += text
        else:
            if len(text) > MAX_FILE:
                raise FSError(ENOSPC)
            vol.files[rel] = text

    def remove(self, path: str, recursive: bool = False, cwd: str = "/") -> None:
        ap = _norm(path, cwd)
        vol, rel = self._locate(ap)
        if rel in vol.files:
            if vol.readonly:
                raise FSError(EROFS)
            del vol.files[rel]
            return
        if rel in vol.dirs or ap in self.mounts:
            if not recursive:
                raise FSError(EISDIR)
            if vol.readonly:
                raise FSError(EROFS)
            prefix = rel + "/" if rel else ""
            for f in [f for f in vol.files if f.startswith(prefix)]:
                del vol.files[f]
            for d in [d for d in vol.dirs if d.startswith(prefix) and d]:
                vol.discard_dir(d)
            if rel:
                vol.discard_dir(rel)
            return
        raise FSError(ENOENT)

    def mkdir(self, path: str, parents: bool = False, cwd: str = "/") -> None:
        ap = _norm(path, cwd)
        vol, rel = self._locate(ap)
        if rel in vol.dirs or ap in self.mounts:
            if parents:
                return
            raise FSError(EEXIST)
        if rel in vol.files:
            raise FSError(EEXIST)
        if vol.readonly:
            raise FSError(EROFS)
        parent = posixpath.dirname(rel)
        if parent not in vol.dirs and not parents:
            raise FSError(ENOENT)
        p = rel
        while p:
            vol.add_dir(p)
            p = posixpath.dirname(p)

    def listdir(self, path: str, cwd: str = "/") -> list[str]:
        ap = _norm(path, cwd)
        vol, rel = self._locate(ap)
        if rel in vol.files:
            raise FSError(ENOTDIR)
        if rel not in vol.dirs and ap not in self.mounts:
            raise FSError(ENOENT)
        prefix = rel + "/" if rel else ""
        names: set[str] = set()
        for f in list(vol.files) + [d for d in vol.dirs if d]:
            if f.startswith(prefix) and f != rel:
                rest = f[len(prefix):]
                if rest:
                    names.add(rest.split("/", 1)[0])
        for mp in self.mounts:
            if mp != ap and posixpath.dirname(mp) == ap:
                names.add(posixpath.basename(mp))
        return sorted(names)

    def glob(self, pattern: str, cwd: str = "/") -> list[str]:
        """Expand a simple glob (*, ?, [..]) in the last path components; [] when nothing matches."""
        import fnmatch

        absolute = pattern.startswith("/")
        parts = [p for p in pattern.split("/") if p]
        results = ["/" if absolute else ""]
        for part in parts:
            nxt = []
            for base in results:
                dirpath = base if base else cwd
                if any(ch in part for ch in "*?["):
                    try:
                        names = self.listdir(dirpath, cwd)
                    except FSError:
                        continue
                    for n in names:
                        if fnmatch.fnmatchcase(n, part) and (not n.startswith(".") or part.startswith(".")):
                            nxt.append(posixpath.join(base, n) if base else n)
                else:
                    cand = posixpath.join(base, part) if base else part
                    if self.exists(cand, cwd):
                        nxt.append(cand)
            results = nxt
        return sorted(results)
