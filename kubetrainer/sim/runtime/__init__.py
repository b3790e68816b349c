"""Simulated container runtime: processes on virtual time, a small shell, a file system.

See /work/notes/runtime.md (and process.py) for the interface the kubelet uses.
"""

from kubetrainer.sim.runtime.fs import ContainerFS, FSError, Volume
from kubetrainer.sim.runtime.process import (
    ExecResult, InteractiveShell, Process, StartError, exec_command, exec_not_found_error, open_shell,
    start_error_text, start_process,
)

__all__ = [
    "ContainerFS", "Volume", "FSError", "Process", "StartError", "ExecResult", "start_process",
    "exec_command", "exec_not_found_error", "start_error_text", "open_shell", "InteractiveShell",
]
