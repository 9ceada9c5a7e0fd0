"""Classifying a tool run from its exit status and stderr, and the signature that
deduplicates findings."""

from __future__ import annotations

import hashlib
import re
import signal
from dataclasses import dataclass
from enum import Enum


class Outcome(str, Enum):
    OK = "ok"
    LOCATED = "located-error"
    UNLOCATED = "unlocated-error"
    CRASH = "crash"
    HANG = "hang"
    OOM = "oom"


# Outcomes that are bugs: the fuzzer exits nonzero when it sees any of them.
PROBLEMS: frozenset[Outcome] = frozenset({Outcome.UNLOCATED, Outcome.CRASH, Outcome.HANG, Outcome.OOM})


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    signature: str  # "" for ok and located errors
    detail: str = ""  # the line that decided it (message, assertion, frame)

    @property
    def is_problem(self) -> bool:
        return self.outcome in PROBLEMS

    @property
    def key(self) -> str:
        """A short stable id for the signature (used for directory names)."""
        return signature_key(self.outcome, self.signature)


def signature_key(outcome: Outcome, signature: str) -> str:
    digest = hashlib.sha1(f"{outcome.value}\n{signature}".encode()).hexdigest()[:10]
    return f"{outcome.value}-{digest}"


_OOM_MARKERS = (
    "LLVM ERROR: out of memory",
    "std::bad_alloc",
    "Allocation failed",
    "Cannot allocate memory",
    "failed to allocate",
    "ERROR: AddressSanitizer: out of memory",
)
_CRASH_MARKERS = (
    "LLVM ERROR",
    "Stack dump:",
    "PLEASE submit a bug report",
    "Assertion `",
    "UNREACHABLE executed",
    "terminate called",
    "AddressSanitizer",
    "UndefinedBehaviorSanitizer",
    "Segmentation fault",
    "Fatal glibc error",
)
_ASSERT = re.compile(r"Assertion `(?P<cond>.*)' failed")
_GLIBC = re.compile(r"^(?:Fatal glibc error: (?P<fatal>.*)|(?P<heap>(?:malloc|free|realloc|munmap_chunk)\(\): .*|double free or corruption.*))$", re.MULTILINE)
_LLVM_ERROR = re.compile(r"LLVM ERROR: (?P<msg>.*)")
_FRAME = re.compile(r"^\s*#\d+\s+0x[0-9a-fA-F]+\s+(?P<sym>.*?)\s*$")
_FRAME_MODULE = re.compile(r"\s*\((?:[^()\s]*/)?(?P<mod>[^()/\s]+)\+0x[0-9a-fA-F]+\)$")
_FRAME_FILE = re.compile(r"\s+\S+:\d+(?::\d+)?$")
_SKIP_FRAME = re.compile(
    r"PrintStackTrace|RunSignalHandlers|SignalHandler|__restore_rt|^raise$|^abort$|__assert_fail"
    r"|gsignal|pthread_kill|report_fatal_error|reportFatal|llvm_unreachable_internal|__GI_"
    r"|__cxa_throw|std::terminate|__verbose_terminate|report_bad_alloc_error|^operator new"
    r"|^\(?libc\.so|^\(?libstdc\+\+|^$"
)
# file:line:col: error: ...   <unknown>:0: error: ...   tool: error: ...   error: ...
_DIAG = re.compile(
    r"^(?:(?P<loc>\S.*?:\d+:\d+): |(?P<unknown><unknown>:\d+(?::\d+)?): |(?P<other>[\w./<>+-]+): )?"
    r"error:(?P<msg>.*)$"
)
_HEX = re.compile(r"\b0x[0-9a-fA-F]+\b")
_NUMBER = re.compile(r"(?<![A-Za-wyz_\d])-?\d+")  # not in i32/f16, yes in 16x32
_PATH = re.compile(r"(?:/[\w.+-]+)+")
_SSA = re.compile(r"%[\w.$-]+")


def stack_frames(stderr: str, depth: int = 3) -> list[str]:
    """The innermost `depth` frames of a stack dump that are not the signal handler,
    abort or libc, without addresses, offsets or file positions."""
    frames: list[str] = []
    for line in stderr.splitlines():
        m = _FRAME.match(line)
        if not m:
            continue
        sym = m.group("sym")
        mod = _FRAME_MODULE.search(sym)
        sym = _FRAME_MODULE.sub("", sym)
        sym = _FRAME_FILE.sub("", sym).strip()
        if not sym and mod:
            sym = f"({mod.group('mod')})"  # unsymbolized: keep the module only
        if _SKIP_FRAME.search(sym):
            continue
        frames.append(sym[:200])
        if len(frames) == depth:
            break
    return frames


def normalize_message(msg: str) -> str:
    """A diagnostic or LLVM ERROR text without what varies between inputs (numbers, SSA names)."""
    msg = _HEX.sub("<hex>", _SSA.sub("%V", msg.strip()))
    return _NUMBER.sub("N", msg).replace("<hex>", "0xN")[:300]


def _signal_name(returncode: int) -> str:
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def diagnostics(stderr: str) -> list[tuple[bool, str]]:
    """(located, message) for every `error:` diagnostic in stderr."""
    out: list[tuple[bool, str]] = []
    for line in stderr.splitlines():
        if "LLVM ERROR" in line:
            continue
        m = _DIAG.match(line)
        if m:
            out.append((m.group("loc") is not None, m.group("msg").strip()))
    return out


def classify(returncode: int, stderr: str, timed_out: bool = False, tool: str = "",
             near_memory_limit: bool = False) -> Verdict:
    """Classifies one run. `tool` (e.g. "tessel-opt") qualifies unlocated errors, hangs
    and running out of memory. `near_memory_limit`: the run's peak RSS came close to its
    address-space limit, so an abnormal end is taken as out of memory (malloc failing
    under RLIMIT_AS often aborts in glibc rather than saying so)."""
    frames = stack_frames(stderr)
    where = " | ".join(frames)
    if timed_out or returncode == -signal.SIGXCPU:
        # Where the time goes is only roughly stable: the innermost frame that names a
        # pass or a Tessel function, else the innermost frame.
        top = next((f for f in stack_frames(stderr, depth=64) if re.search(r"Pass|tessel|Tile|Lower|Convert", f)), "")
        return Verdict(Outcome.HANG, f"{tool}: {top or (frames[0] if frames else 'no stack')}", top)
    abnormal = returncode < 0 or any(m in stderr for m in _CRASH_MARKERS)
    if returncode == -signal.SIGKILL or any(m in stderr for m in _OOM_MARKERS) or (near_memory_limit and abnormal):
        return Verdict(Outcome.OOM, f"{tool}: {frames[0] if frames else 'out of memory'}", where)
    if abnormal:
        if m := _ASSERT.search(stderr):
            return Verdict(Outcome.CRASH, f"assertion: {m.group('cond')}", m.group(0))
        if m := _LLVM_ERROR.search(stderr):
            return Verdict(Outcome.CRASH, f"LLVM ERROR: {normalize_message(m.group('msg'))}", m.group(0))
        if m := _GLIBC.search(stderr):
            text = m.group("fatal") or m.group("heap")
            return Verdict(Outcome.CRASH, f"glibc: {normalize_message(text)}", m.group(0))
        if "UNREACHABLE executed" in stderr:
            line = next(l for l in stderr.splitlines() if "UNREACHABLE executed" in l)
            return Verdict(Outcome.CRASH, f"unreachable: {normalize_message(line)}", line)
        sig = _signal_name(returncode) if returncode < 0 else f"exit {returncode}"
        return Verdict(Outcome.CRASH, f"{sig}: {where or tool}", where)
    diags = diagnostics(stderr)
    for located, msg in diags:
        if not located or not msg:
            text = normalize_message(msg) or "(empty message)"
            return Verdict(Outcome.UNLOCATED, f"{tool}: {text}", msg)
    if diags:
        return Verdict(Outcome.LOCATED, "", diags[0][1])
    if returncode != 0:
        first = next((line for line in stderr.splitlines() if line.strip()), "")
        text = normalize_message(_PATH.sub("<path>", first)) or "(no output)"
        return Verdict(Outcome.UNLOCATED, f"{tool}: exit {returncode} without an error: diagnostic: {text}", first)
    return Verdict(Outcome.OK, "")
