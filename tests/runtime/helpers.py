"""Shared helpers for the runtime tests."""

from __future__ import annotations

from kubetrainer.sim.runtime import ContainerFS, exec_command, start_process
from kubetrainer.sim.world import load_world

WORLD = load_world(None)


def lookup(image: str):
    lk = WORLD.registry.resolve(image)
    assert lk.found, lk.error
    return lk


def start(image: str = "busybox", command=None, args=None, env=None, now: float = 0.0, fs=None, **kw):
    fs = fs if fs is not None else ContainerFS(hostname="pod")
    return start_process(lookup(image), command, args, dict(env or {}), fs, now, **kw)


def sh(script: str, until: float = 100.0, image: str = "busybox", env=None):
    """Run `sh -c script` as PID 1 until `until`; returns (proc, stdout+stderr lines)."""
    p = start(image, ["sh", "-c", script], env=env)
    p.advance(until)
    return p, [line for _t, _s, line in p.logs]


def run_exec(proc, argv, now, timeout=1.0, env=None):
    return exec_command(argv, dict(env or {}), proc.fs, now, timeout, proc)
