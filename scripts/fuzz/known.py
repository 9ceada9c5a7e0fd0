"""The allowlist of known, tracked findings (scripts/fuzz/known_issues.json).

A finding that matches an entry is reported as "known (tracked)" and does not make the
fuzzer fail; every other finding still does. An entry matches one run only when every
field it gives matches:

- `outcome`: the class (`crash`, `hang`, `oom`, `unlocated-error`) or a list of them,
  always required;
- `configs`: the configurations it may be seen in (default: any);
- `signature`: a regex searched in the finding's signature;
- `stack`: regexes that the innermost frames of the stack dump (below the signal
  handler, abort and libc, as in the signature) must match, one by one from the
  innermost (`re.search` each);
- `stderr`: a regex searched in the tool's output (multi-line mode), e.g. the
  `Running pass "..."` line of LLVM's pretty stack trace;
- `input`: a regex searched in the input that was compiled.

An entry must restrict something beyond the class, and a `crash` or `unlocated-error`
entry needs a `signature` or `stack`, so no entry can be just "any crash". A hang or an
out-of-memory often has no usable stack (malloc fails inside glibc; the CPU-time limit hits
wherever the time goes), so those may be matched by `stderr` or `input` together with
`configs`. Keep entries narrow: a new bug must not fall under an old entry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from classify import PROBLEMS, Outcome, Verdict, stack_frames
from runner import CONFIGS_BY_NAME

KNOWN_ISSUES_FILE = Path(__file__).resolve().parent / "known_issues.json"

_FIELDS = {"id", "outcome", "configs", "signature", "stack", "stderr", "input", "reason", "tracked_by"}


@dataclass(frozen=True)
class KnownIssue:
    id: str
    outcomes: frozenset[Outcome]
    reason: str
    tracked_by: str
    configs: frozenset[str] = frozenset()  # empty: any configuration
    signature: re.Pattern[str] | None = None
    stack: tuple[re.Pattern[str], ...] = ()
    stderr: re.Pattern[str] | None = None
    input: re.Pattern[str] | None = None

    def matches(self, verdict: Verdict, config: str, stderr: str, text: str) -> bool:
        if verdict.outcome not in self.outcomes:
            return False
        if self.configs and config not in self.configs:
            return False
        if self.signature is not None and not self.signature.search(verdict.signature):
            return False
        if self.stack:
            frames = stack_frames(stderr, depth=len(self.stack))
            if len(frames) < len(self.stack) or not all(p.search(f) for p, f in zip(self.stack, frames)):
                return False
        if self.stderr is not None and not self.stderr.search(stderr):
            return False
        if self.input is not None and not self.input.search(text):
            return False
        return True


def _entry(raw: dict[str, object], where: str) -> KnownIssue:
    unknown = set(raw) - _FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown fields {sorted(unknown)}")
    for key in ("id", "reason", "tracked_by"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ValueError(f"{where}: '{key}' (a non-empty string) is required")
    names = raw.get("outcome")
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, list) or not names:
        raise ValueError(f"{where}: 'outcome' (a class or a list of classes) is required")
    outcomes = frozenset(Outcome(n) for n in names)
    if not outcomes <= PROBLEMS:
        raise ValueError(f"{where}: outcome {sorted(o.value for o in outcomes - PROBLEMS)} is not a finding")
    if not any(raw.get(k) for k in ("signature", "stack", "stderr", "input")):
        raise ValueError(f"{where}: one of 'signature', 'stack', 'stderr', 'input' is required")
    if outcomes & {Outcome.CRASH, Outcome.UNLOCATED} and not (raw.get("signature") or raw.get("stack")):
        raise ValueError(f"{where}: a crash or unlocated-error entry needs a 'signature' or 'stack'")
    configs = raw.get("configs", [])
    assert isinstance(configs, list)
    bad = [c for c in configs if c not in CONFIGS_BY_NAME]
    if bad:
        raise ValueError(f"{where}: unknown configs {bad}")

    def rx(key: str, flags: int = 0) -> re.Pattern[str] | None:
        value = raw.get(key)
        return re.compile(value, flags) if isinstance(value, str) and value else None

    stack = raw.get("stack", [])
    assert isinstance(stack, list)
    return KnownIssue(
        id=str(raw["id"]),
        outcomes=outcomes,
        reason=str(raw["reason"]),
        tracked_by=str(raw["tracked_by"]),
        configs=frozenset(configs),
        signature=rx("signature"),
        stack=tuple(re.compile(s) for s in stack),
        stderr=rx("stderr", re.MULTILINE),
        input=rx("input", re.MULTILINE),
    )


def load_known_issues(path: Path = KNOWN_ISSUES_FILE) -> list[KnownIssue]:
    """The entries of an allowlist file ({"issues": [...]}); raises ValueError on a bad one."""
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = [_entry(raw, f"{path.name}: entry {i}") for i, raw in enumerate(data.get("issues", []))]
    ids = [e.id for e in entries]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path.name}: duplicate ids")
    return entries


def match_known(issues: list[KnownIssue], verdict: Verdict, config: str, stderr: str,
                text: str) -> KnownIssue | None:
    """The first entry that covers this run, or None (a new finding)."""
    if not verdict.is_problem:
        return None
    return next((k for k in issues if k.matches(verdict, config, stderr, text)), None)
