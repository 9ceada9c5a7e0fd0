#!/usr/bin/env python3
"""Tessel's compiler fuzzer: mutates the lit inputs, runs every mutant through
tessel-opt (parse, the cpu/nvidia/amd pipelines) and tessel-translate (llvmir, ptx,
amdgcn) under time and memory limits, classifies each run, shrinks each new finding
and writes one reproducer per signature. See docs/fuzzing.md."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from classify import Outcome, Verdict, classify  # noqa: E402
from corpus import Seed, load_corpus  # noqa: E402
from known import KNOWN_ISSUES_FILE, KnownIssue, load_known_issues, match_known  # noqa: E402
from mutate import Mutant, Mutator  # noqa: E402
from runner import CONFIGS, CONFIGS_BY_NAME, Limits, ToolConfig, run_tool  # noqa: E402
from shrink import ShrinkStats, ddmin  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# Every run, the shrinker and the reproducer use this file name, so that diagnostics
# (and signatures) do not differ by the name.
INPUT_NAME = "repro.mlir"
CI_SEED = 20240612
CI_BUDGET_S = 60.0
CI_SHRINK_S = 10.0


# -- worker side (one single-threaded process per job) ------------------------------


@dataclass
class _WorkerState:
    mutator: Mutator
    tools_dir: Path
    limits: Limits
    workdir: Path
    seed: int
    originals_first: bool
    configs: tuple[ToolConfig, ...]


_STATE: _WorkerState | None = None


def _init_worker(corpus: list[Seed], tools_dir: Path, limits: Limits, tmp: Path, seed: int,
                 originals_first: bool, config_names: tuple[str, ...]) -> None:
    global _STATE
    workdir = Path(tempfile.mkdtemp(prefix=f"w{os.getpid()}-", dir=tmp))
    _STATE = _WorkerState(Mutator(corpus), tools_dir, limits, workdir, seed, originals_first,
                          tuple(CONFIGS_BY_NAME[n] for n in config_names))


def _state() -> _WorkerState:
    assert _STATE is not None, "worker not initialized"
    return _STATE


def _run(config: ToolConfig, text: str, path: Path) -> tuple[Verdict, str]:
    st = _state()
    path.write_text(text, encoding="utf-8")
    res = run_tool(config.argv(st.tools_dir, path.name), st.limits, cwd=path.parent)
    verdict = classify(res.returncode, res.stderr, res.timed_out, config.tool, res.near_memory_limit(st.limits))
    return verdict, res.stderr


@dataclass
class Finding:
    config: str
    verdict: Verdict
    stderr: str


@dataclass
class Evaluation:
    mutant: Mutant
    outcomes: dict[str, str]  # config -> outcome value
    findings: list[Finding]


def evaluate(index: int, stop_at: float) -> Evaluation:
    """Runs mutant `index` through every configuration (stops early after `stop_at`,
    a time.time() value)."""
    st = _state()
    mutant = st.mutator.mutant(st.seed, index, st.originals_first)
    outcomes: dict[str, str] = {}
    findings: list[Finding] = []
    for config in st.configs:
        if time.time() > stop_at:
            break
        verdict, stderr = _run(config, mutant.text, st.workdir / INPUT_NAME)
        outcomes[config.name] = verdict.outcome.value
        if verdict.is_problem:
            findings.append(Finding(config.name, verdict, stderr))
    return Evaluation(mutant, outcomes, findings)


@dataclass
class Shrunk:
    text: str
    stderr: str
    reproduced: bool
    stats: ShrinkStats
    note: str = ""


def shrink(text: str, config_name: str, outcome: Outcome, signature: str, stop_at: float,
           max_tests: int) -> Shrunk:
    """Shrinks `text` line by line, keeping the outcome and signature of `config_name`."""
    config = CONFIGS_BY_NAME[config_name]
    path = _state().workdir / INPUT_NAME

    # Where a hang or an out-of-memory stops is only roughly stable: for those the
    # outcome alone is kept.
    exact = outcome not in (Outcome.HANG, Outcome.OOM)

    def once(candidate: str) -> tuple[bool, str, Verdict]:
        v, err = _run(config, candidate, path)
        return v.outcome == outcome and (v.signature == signature or not exact), err, v

    stats = ShrinkStats()
    lines = text.splitlines()
    # A finding that does not come back at once is flaky (a use-after-free that depends
    # on the address layout, a hang near the limit): up to 10 tries to see it again, and
    # then several tries per candidate while shrinking (fewer for slow hangs).
    for attempt in range(10):
        ok, err, v = once(text)
        if ok:
            break
    else:
        return Shrunk(text, err, False, stats, f"10 reruns did not reproduce it (last: {v.outcome.value}: {v.signature})")
    tries = 1 if attempt == 0 else 4 if exact else 2
    note = "" if attempt == 0 else f"flaky: reproduced on rerun {attempt + 1}; shrunk with {tries} tries per candidate"

    def same(candidate: list[str]) -> bool:
        joined = "\n".join(candidate) + "\n"
        return any(once(joined)[0] for _ in range(tries))

    deadline = time.monotonic() + max(0.0, stop_at - time.time())
    small = ddmin(lines, same, deadline=deadline, max_tests=max_tests, stats=stats)
    small_text = "\n".join(small) + "\n"
    for _ in range(2 * tries):  # the output of a failing run for stderr.txt
        ok, err, _ = once(small_text)
        if ok:
            break
    return Shrunk(small_text, err, True, stats, note)


# -- main process ---------------------------------------------------------------------


@dataclass
class Unique:
    key: str
    verdict: Verdict
    config: str
    mutant: Mutant
    stderr: str
    count: int = 1
    configs: set[str] = field(default_factory=set)
    shrunk: Shrunk | None = None
    dir: Path | None = None
    known: KnownIssue | None = None  # the allowlist entry that covers it, if any

    @property
    def dir_name(self) -> str:
        return f"known-{self.key}" if self.known else self.key


def _write_repro(out: Path, u: Unique, tools_dir: Path, seed: int) -> None:
    d = out / u.dir_name
    d.mkdir(parents=True, exist_ok=True)
    text = u.shrunk.text if u.shrunk else u.mutant.text
    (d / INPUT_NAME).write_text(text, encoding="utf-8")
    (d / "original.mlir").write_text(u.mutant.text, encoding="utf-8")
    (d / "stderr.txt").write_text(u.shrunk.stderr if u.shrunk else u.stderr, encoding="utf-8")
    config = CONFIGS_BY_NAME[u.config]
    command = config.command(tools_dir, INPUT_NAME)
    (d / "command.sh").write_text(
        f"#!/usr/bin/env bash\n# {u.verdict.outcome.value}: {u.verdict.signature}\n"
        f'cd "$(dirname "$0")"\n{command}\n', encoding="utf-8")
    info = {
        "outcome": u.verdict.outcome.value,
        "signature": u.verdict.signature,
        "detail": u.verdict.detail,
        "config": u.config,
        "configs": sorted(u.configs),
        "count": u.count,
        "command": command,
        "seed": seed,
        "index": u.mutant.index,
        "corpus_input": u.mutant.seed_name,
        "mutations": list(u.mutant.mutations),
        "shrunk": bool(u.shrunk and u.shrunk.reproduced),
        "shrink_tests": u.shrunk.stats.tests if u.shrunk else 0,
        "shrink_note": u.shrunk.note if u.shrunk else "not shrunk",
        "known": _known_json(u.known),
        "lines": [len(u.mutant.text.splitlines()), len(text.splitlines())],
    }
    (d / "info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    u.dir = d


def _known_json(k: KnownIssue | None) -> dict[str, str] | None:
    return {"id": k.id, "tracked_by": k.tracked_by, "reason": k.reason} if k else None


def snapshot_tools(tools_dir: Path, tools: set[str], dest: Path, wait_s: float = 120.0) -> Path:
    """Copies the tools into `dest`, so that a rebuild while the fuzzer runs neither
    breaks runs nor mixes two builds' results (waits for a tool that is being relinked)."""
    dest.mkdir(parents=True, exist_ok=True)
    give_up = time.time() + wait_s
    for tool in sorted(tools):
        while True:
            try:
                shutil.copy2(tools_dir / tool, dest / tool)
                break
            except OSError:
                if time.time() > give_up:
                    raise
                time.sleep(2)
    return dest


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=None, help="run seed (default: from the clock, printed)")
    stop = p.add_mutually_exclusive_group()
    stop.add_argument("--runs", type=int, default=None, help="number of mutants")
    stop.add_argument("--time-budget", type=float, default=None, help="seconds of fuzzing")
    p.add_argument("--jobs", "-j", type=int, default=2, help="worker processes")
    p.add_argument("--out", type=Path, default=REPO / "build" / "fuzz-out", help="reproducer directory")
    p.add_argument("--tools-dir", type=Path, default=REPO / "build" / "bin")
    p.add_argument("--corpus-root", type=Path, default=REPO, help="the lit inputs are ROOT/test/**/*.mlir")
    p.add_argument("--timeout", type=float, default=5.0, help="CPU seconds per run (wall: 3x)")
    p.add_argument("--memory-gib", type=float, default=4.0, help="address-space limit per run")
    p.add_argument("--configs", default=",".join(c.name for c in CONFIGS),
                   help="comma-separated subset of: " + ", ".join(c.name for c in CONFIGS))
    p.add_argument("--no-originals", action="store_true",
                   help="do not run the unmutated corpus chunks first")
    p.add_argument("--no-shrink", action="store_true")
    p.add_argument("--no-snapshot", action="store_true",
                   help="run the tools in --tools-dir directly instead of a private copy")
    p.add_argument("--shrink-time", type=float, default=60.0, help="seconds per finding")
    p.add_argument("--shrink-tests", type=int, default=400, help="runs per finding")
    p.add_argument("--known-issues", type=Path, default=KNOWN_ISSUES_FILE,
                   help="allowlist of known, tracked findings (default: scripts/fuzz/known_issues.json)")
    p.add_argument("--no-known-issues", action="store_true",
                   help="ignore the allowlist: every finding counts as new")
    p.add_argument("--shrink-known", action="store_true",
                   help="also shrink findings that the allowlist covers (default: keep the mutant)")
    p.add_argument("--ci", action="store_true",
                   help=f"fixed seed {CI_SEED}, {CI_BUDGET_S:.0f} s budget, {CI_SHRINK_S:.0f} s per shrink")
    p.add_argument("--quiet", "-q", action="store_true")
    args = p.parse_args(argv)
    if args.ci:
        args.seed = CI_SEED if args.seed is None else args.seed
        if args.runs is None and args.time_budget is None:
            args.time_budget = CI_BUDGET_S
        args.shrink_time = min(args.shrink_time, CI_SHRINK_S)
    if args.seed is None:
        args.seed = int(time.time()) % 1_000_000
    if args.runs is None and args.time_budget is None:
        args.runs = 200
    unknown = [n for n in args.configs.split(",") if n not in CONFIGS_BY_NAME]
    if unknown:
        p.error(f"unknown configs: {', '.join(unknown)}")
    return args


@dataclass
class Campaign:
    """What the main process accumulates."""

    runs_by_outcome: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})
    uniques: dict[str, Unique] = field(default_factory=dict)  # new findings
    known: dict[str, Unique] = field(default_factory=dict)  # findings the allowlist covers
    mutants: int = 0


def _fuzz(args: argparse.Namespace, corpus: list[Seed], run_dir: Path, tools_dir: Path, tmp: Path,
          limits: Limits, out: Path, log: Callable[[str], None], known: list[KnownIssue]) -> Campaign:
    start = time.time()
    stop_at = start + args.time_budget if args.time_budget is not None else float("inf")
    # In-flight evaluations and shrinks finish by then.
    hard_stop = stop_at + args.shrink_time + 2 * args.timeout * limits.wall_factor
    c = Campaign()
    next_index = 0
    pending: dict[Future[Any], tuple[str, Unique | None]] = {}
    last_progress = start
    with ProcessPoolExecutor(
        max_workers=args.jobs,
        initializer=_init_worker,
        initargs=(corpus, run_dir, limits, tmp, args.seed, not args.no_originals, tuple(args.configs.split(","))),
    ) as pool:
        while True:
            in_flight = sum(1 for kind, _ in pending.values() if kind == "eval")
            while (args.runs is None or next_index < args.runs) and time.time() < stop_at and in_flight < 2 * args.jobs:
                pending[pool.submit(evaluate, next_index, hard_stop)] = ("eval", None)
                next_index += 1
                in_flight += 1
            if not pending:
                break
            done, _ = wait(list(pending), timeout=1.0, return_when=FIRST_COMPLETED)
            for fut in done:
                kind, shrinking = pending.pop(fut)
                if kind == "shrink":
                    assert shrinking is not None
                    shrinking.shrunk = fut.result()
                    _write_repro(out, shrinking, tools_dir, args.seed)
                    continue
                ev: Evaluation = fut.result()
                c.mutants += 1
                for o in ev.outcomes.values():
                    c.runs_by_outcome[o] += 1
                for f in ev.findings:
                    key = f.verdict.key
                    # Known or not is decided per run (the configuration and the input
                    # count): a signature seen both covered and not is in both tables.
                    entry = match_known(known, f.verdict, f.config, f.stderr, ev.mutant.text)
                    table = c.known if entry else c.uniques
                    if key in table:
                        table[key].count += 1
                        table[key].configs.add(f.config)
                        continue
                    u = Unique(key, f.verdict, f.config, ev.mutant, f.stderr, configs={f.config}, known=entry)
                    table[key] = u
                    what = f"known {f.verdict.outcome.value} ({entry.id}, {entry.tracked_by})" if entry \
                        else f"new {f.verdict.outcome.value}"
                    log(f"  {what} [{f.config}] mutant {ev.mutant.index} "
                        f"({ev.mutant.seed_name}): {f.verdict.signature[:160]}")
                    if not args.no_shrink and (args.shrink_known or not entry) and time.time() < hard_stop:
                        shrink_stop = min(time.time() + args.shrink_time, hard_stop)
                        pending[pool.submit(shrink, ev.mutant.text, f.config, f.verdict.outcome,
                                            f.verdict.signature, shrink_stop, args.shrink_tests)] = ("shrink", u)
                    else:
                        _write_repro(out, u, tools_dir, args.seed)
            if time.time() - last_progress > 15:
                last_progress = time.time()
                log(f"  .. {c.mutants} mutants, {sum(c.runs_by_outcome.values())} runs, "
                    f"{len(c.uniques)} new findings, {len(c.known)} known, {time.time() - start:.0f} s")
    return c


def _report(c: Campaign, args: argparse.Namespace, out: Path, seconds: float) -> bool:
    """Prints the summary, writes summary.json; True when a new problem was found (the
    findings that the allowlist covers do not count)."""
    def order(us: dict[str, Unique]) -> list[Unique]:
        return sorted(us.values(), key=lambda u: (u.verdict.outcome.value, -u.count))

    def row(u: Unique) -> dict[str, Any]:
        return {"key": u.key, "outcome": u.verdict.outcome.value, "signature": u.verdict.signature,
                "count": u.count, "configs": sorted(u.configs), "dir": str(u.dir) if u.dir else None,
                "known": _known_json(u.known)}

    uniques, known = order(c.uniques), order(c.known)
    new = [u for u in uniques if u.verdict.is_problem]
    runs = sum(c.runs_by_outcome.values())
    summary = {
        "seed": args.seed,
        "mutants": c.mutants,
        "runs": runs,
        "seconds": round(seconds, 1),
        "runs_by_outcome": c.runs_by_outcome,
        "new_findings": len(new),
        "known_findings": len(known),
        "unique": [row(u) for u in uniques],
        "known": [row(u) for u in known],
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"fuzz: seed {args.seed}: {c.mutants} mutants, {runs} runs in {seconds:.0f} s: "
          f"{len(new)} new findings, {len(known)} known (tracked); reproducers in {out}")
    if not args.quiet:
        print("  runs by outcome: " + ", ".join(f"{k} {v}" for k, v in c.runs_by_outcome.items()))
        by_class: dict[str, int] = {}
        for u in uniques:
            by_class[u.verdict.outcome.value] = by_class.get(u.verdict.outcome.value, 0) + 1
        print("  new unique signatures: " + (", ".join(f"{k} {v}" for k, v in sorted(by_class.items())) or "none"))
    for u in uniques:  # always printed: these fail the run
        where = u.dir.name if u.dir else "-"
        print(f"  NEW {u.verdict.outcome.value:15} x{u.count:<4} {where}  [{','.join(sorted(u.configs))}]")
        print(f"      {u.verdict.signature[:300]}")
        if u.dir:
            print(f"      reproduce: bash {u.dir / 'command.sh'}")
    for u in known:
        assert u.known is not None
        if args.quiet:
            print(f"  known (tracked) {u.verdict.outcome.value} x{u.count} {u.known.id} ({u.known.tracked_by})")
            continue
        where = u.dir.name if u.dir else "-"
        print(f"  known (tracked) {u.verdict.outcome.value:15} x{u.count:<4} {where}  [{','.join(sorted(u.configs))}]")
        print(f"      {u.known.id} ({u.known.tracked_by}): {u.verdict.signature[:200]}")
    return bool(new)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    tools_dir: Path = args.tools_dir.resolve()
    tools = {CONFIGS_BY_NAME[n].tool for n in args.configs.split(",")}
    if not tools_dir.is_dir():
        print(f"fuzz: no tools directory {tools_dir}", file=sys.stderr)
        return 2
    corpus = load_corpus(args.corpus_root)
    if not corpus:
        print(f"fuzz: no lit inputs under {args.corpus_root}/test", file=sys.stderr)
        return 2
    try:
        known = [] if args.no_known_issues else load_known_issues(args.known_issues)
    except (OSError, ValueError) as e:
        print(f"fuzz: bad allowlist {args.known_issues}: {e}", file=sys.stderr)
        return 2
    limits = Limits(time_s=args.timeout, memory_bytes=int(args.memory_gib * (1 << 30)))
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    def log(line: str) -> None:
        if not args.quiet:
            print(line, flush=True)

    budget = f"{args.runs} mutants" if args.runs is not None else f"{args.time_budget:.0f} s"
    log(f"fuzz: seed {args.seed}, {budget}, {args.jobs} jobs, {len(corpus)} corpus chunks, "
        f"{len(known)} known issues allowed, out {out}")
    start = time.time()
    with tempfile.TemporaryDirectory(prefix="tessel-fuzz-") as tmp:
        run_dir = tools_dir if args.no_snapshot else snapshot_tools(tools_dir, tools, Path(tmp) / "bin")
        campaign = _fuzz(args, corpus, run_dir, tools_dir, Path(tmp), limits, out, log, known)
    return 1 if _report(campaign, args, out, time.time() - start) else 0


if __name__ == "__main__":
    sys.exit(main())
