"""Running one input through one tool configuration, under time and memory limits."""

from __future__ import annotations

import os
import resource
import select
import shlex
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ToolConfig:
    """One way of compiling an input: a tool and its arguments (the input goes first)."""

    name: str
    tool: str
    args: tuple[str, ...]

    def argv(self, tools_dir: Path, input_path: Path | str) -> list[str]:
        return [str(tools_dir / self.tool), str(input_path), *self.args]

    def command(self, tools_dir: Path | str, input_path: Path | str) -> str:
        """The shell command that reproduces a run (stdout discarded, as the fuzzer does)."""
        return shlex.join([str(Path(tools_dir) / self.tool), str(input_path), *self.args]) + " > /dev/null"


CONFIGS: tuple[ToolConfig, ...] = (
    ToolConfig("opt-parse", "tessel-opt", ()),
    ToolConfig("opt-cpu", "tessel-opt", ("--tessel-pipeline=target=cpu",)),
    ToolConfig("opt-nvidia", "tessel-opt", ("--tessel-pipeline=target=nvidia:sm_90a num-warps=4",)),
    # sm_80: mma.sync, its cp.async ring and register prefetching.
    ToolConfig("opt-nvidia-sm80", "tessel-opt", ("--tessel-pipeline=target=nvidia:sm_80 num-warps=4",)),
    ToolConfig("opt-amd", "tessel-opt", ("--tessel-pipeline=target=amd:gfx942 num-warps=4",)),
    ToolConfig("translate-llvmir", "tessel-translate", ("--to=llvmir",)),
    ToolConfig("translate-ptx", "tessel-translate", ("--to=ptx", "--target=nvidia:sm_90a")),
    ToolConfig("translate-amdgcn", "tessel-translate", ("--to=amdgcn", "--target=amd:gfx942")),
)
CONFIGS_BY_NAME: dict[str, ToolConfig] = {c.name: c for c in CONFIGS}


@dataclass(frozen=True)
class Limits:
    """time_s bounds CPU time (RLIMIT_CPU: the tool gets SIGXCPU, and LLVM's handler
    prints a stack dump) and, times wall_factor, wall-clock time (then SIGQUIT, which
    LLVM also dumps a stack for, then SIGKILL). memory_bytes is RLIMIT_AS."""

    time_s: float = 5.0
    memory_bytes: int = 4 << 30
    wall_factor: float = 3.0
    max_stderr: int = 256 << 10


@dataclass(frozen=True)
class RunResult:
    returncode: int  # negative: killed by that signal
    stderr: str
    timed_out: bool  # wall-clock limit hit
    seconds: float
    max_rss_bytes: int = 0

    def near_memory_limit(self, limits: Limits) -> bool:
        return self.max_rss_bytes >= 0.75 * limits.memory_bytes


def _limit_child(limits: Limits) -> None:
    cpu = max(1, int(round(limits.time_s)))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_tool(argv: list[str], limits: Limits, cwd: Path | None = None) -> RunResult:
    """Runs argv with stdout discarded and stderr captured (through a file, so a chatty
    tool never blocks). Call it from a single-threaded process: the limits are set in a
    preexec_fn."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=lambda: _limit_child(limits),
        )
        timed_out = False
        status, rusage = _wait(proc.pid, limits.time_s * limits.wall_factor)
        if status is None:
            timed_out = True
            _signal_group(proc.pid, signal.SIGQUIT)  # LLVM prints a stack dump on SIGQUIT
            status, rusage = _wait(proc.pid, 5.0)
            if status is None:
                _signal_group(proc.pid, signal.SIGKILL)
                status, rusage = _wait(proc.pid, None)
        assert status is not None and rusage is not None
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        _signal_group(proc.pid, signal.SIGKILL)  # leftovers of the session (a symbolizer)
        err.seek(0)
        text = err.read(limits.max_stderr).decode("utf-8", errors="replace")
    return RunResult(proc.returncode, text, timed_out, time.monotonic() - start, rusage.ru_maxrss * 1024)


def _wait(pid: int, timeout: float | None) -> tuple[int | None, resource.struct_rusage | None]:
    """(wait status, rusage) of pid, or (None, None) when it is still running after timeout."""
    fd = os.pidfd_open(pid)
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        if not poller.poll(None if timeout is None else int(timeout * 1000)):
            return None, None
        _, status, rusage = os.wait4(pid, 0)
        return status, rusage
    finally:
        os.close(fd)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass
