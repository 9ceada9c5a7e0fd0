#!/usr/bin/env python3
"""Tessel's CPU backend against NumPy, in one process, on the same random data.

    python3 bench/bench_cpu.py [--quick] [--only vadd softmax ...] [--no-compile] [--csv out.csv]

Runtime cases (the kernels of bench/kernels, as the GPU benchmarks run them):
  vadd      float32 vector add, 2^20 and 2^24 elements, vs np.add(x, y, out=z)
  softmax   row softmax, 4096x1024 and 1024x4096, vs max/subtract/exp/sum/divide with out=
  layernorm layer norm forward (y, mean, rstd), 4096x1024, vs NumPy with out= buffers
  matmul    float32 1024^3 through tl.dot (Triton's tutorial kernel), vs NumPy's @ (BLAS)
Each result is checked against NumPy's before it is timed. Times are medians over
interleaved rounds (Tessel, NumPy, Tessel, ...); "tessel/numpy" is the time ratio (lower is
better) and "x NumPy" the speed relative to NumPy (higher is better).

Compile time: cold compiles (a fresh process, so an empty in-memory cache, and an empty
TESSEL_CACHE_DIR for the on-disk one; the compiler is warmed up on a tiny kernel first so that
LLVM's one-time setup is not counted): the first call's time minus the second call's, for the
vector add at BLOCK 1024 and 65536 and a masked tl.math.erf kernel at BLOCK 256, 1024, 65536.

Every case runs in a child process with a timeout, so a kernel that aborts the process or
compiles for minutes shows up as "failed" or "timeout" in the table instead of stopping the
benchmark. TESSEL_NUM_THREADS sets the CPU backend's threads (default: every core).
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable

import numpy as np

import tessel
import tessel.language as ttl

from kernels import load

HERE = os.path.dirname(os.path.abspath(__file__))
EPS = 1e-5
RESULT = "BENCH_CPU_RESULT "

# (BLOCK_M, BLOCK_N, BLOCK_K, GROUP_M) tried for the matmul; --quick runs the first.
MATMUL_CONFIGS = [(128, 128, 32, 8), (64, 64, 32, 8), (64, 64, 64, 8)]

# Runtime cases: (name, group, parameters).
CASES = [
    ("vadd 2^20", "vadd", {"n": 1 << 20}),
    ("vadd 2^24", "vadd", {"n": 1 << 24}),
    ("softmax 4096x1024", "softmax", {"m": 4096, "n": 1024}),
    ("softmax 1024x4096", "softmax", {"m": 1024, "n": 4096}),
    ("layernorm 4096x1024", "layernorm", {"m": 4096, "n": 1024}),
    ("matmul 1024^3", "matmul", {"m": 1024, "n": 1024, "k": 1024}),
]
# Compile-time cases: (kernel, BLOCK).
COMPILE_CASES = [("vadd", 1024), ("vadd", 65536), ("erf", 256), ("erf", 1024), ("erf", 65536)]


def _kernel(name: str) -> Any:
    file, fn = {"vadd": ("vadd", "add"), "softmax": ("softmax", "softmax"),
                "layernorm": ("norms", "layer_norm_fwd"), "matmul": ("matmul", "matmul"),
                "erf": ("erf", "erf")}[name]
    return load(file, tessel.jit, ttl)[fn]


# --------------------------------------------------------------------------- timing
def measure(fns: dict[str, Callable[[], Any]], budget_s: float, rounds: int) -> dict[str, float]:
    """Median seconds per call of each function: `rounds` rounds, interleaved, each timing
    a batch of calls that takes about budget_s / (rounds * len(fns)). Every batch starts
    with one untimed call, so that the other library's worker threads (OpenBLAS's spin
    after a call; so may Tessel's pool) are not billed to the first timed call."""
    reps = {}
    for key, fn in fns.items():
        fn()
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        reps[key] = max(1, min(10_000, int(budget_s / (rounds * len(fns)) / max(dt, 1e-7))))
    samples: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(rounds):
        for key, fn in fns.items():
            n = reps[key]
            fn()
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            samples[key].append((time.perf_counter() - t0) / n)
    return {k: statistics.median(v) for k, v in samples.items()}


def _max_err(got: np.ndarray, ref: np.ndarray) -> float:
    return float(np.max(np.abs(got.astype(np.float64) - ref.astype(np.float64))))


# ------------------------------------------------------------------ runtime cases
def case_vadd(p: dict[str, Any], budget: float, rounds: int, quick: bool) -> dict[str, Any]:
    n, block = p["n"], 1024
    rng = np.random.default_rng(0)
    x = rng.standard_normal(n, dtype=np.float32)
    y = rng.standard_normal(n, dtype=np.float32)
    out, ref = np.empty_like(x), np.empty_like(x)
    add = _kernel("vadd")
    grid = (tessel.cdiv(n, block),)
    run_tessel = lambda: add[grid](x, y, out, n, BLOCK=block)
    run_numpy = lambda: np.add(x, y, out=ref)
    run_tessel()
    run_numpy()
    np.testing.assert_array_equal(out, ref)
    t = measure({"tessel": run_tessel, "numpy": run_numpy}, budget, rounds)
    return dict(t, bytes=3 * 4 * n, err=_max_err(out, ref), note=f"BLOCK={block}")


def numpy_softmax(x: np.ndarray, out: np.ndarray, row: np.ndarray) -> None:
    np.max(x, axis=1, keepdims=True, out=row)
    np.subtract(x, row, out=out)
    np.exp(out, out=out)
    np.sum(out, axis=1, keepdims=True, out=row)
    np.divide(out, row, out=out)


def case_softmax(p: dict[str, Any], budget: float, rounds: int, quick: bool) -> dict[str, Any]:
    m, n = p["m"], p["n"]
    rng = np.random.default_rng(1)
    x = rng.standard_normal((m, n), dtype=np.float32)
    out, ref = np.empty_like(x), np.empty_like(x)
    row = np.empty((m, 1), np.float32)
    softmax = _kernel("softmax")
    block = tessel.next_power_of_2(n)
    run_tessel = lambda: softmax[(m,)](out, x, x.strides[0] // 4, out.strides[0] // 4, n,
                                       BLOCK=block)
    run_numpy = lambda: numpy_softmax(x, ref, row)
    run_tessel()
    run_numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-7)
    t = measure({"tessel": run_tessel, "numpy": run_numpy}, budget, rounds)
    return dict(t, bytes=2 * 4 * m * n, err=_max_err(out, ref), note=f"BLOCK={block}")


def numpy_layer_norm(x, w, b, y, mean, rstd, tmp) -> None:
    np.mean(x, axis=1, keepdims=True, out=mean)
    np.subtract(x, mean, out=y)
    np.square(y, out=tmp)
    np.mean(tmp, axis=1, keepdims=True, out=rstd)
    rstd += EPS
    np.sqrt(rstd, out=rstd)
    np.reciprocal(rstd, out=rstd)
    np.multiply(y, rstd, out=y)
    np.multiply(y, w, out=y)
    np.add(y, b, out=y)


def case_layernorm(p: dict[str, Any], budget: float, rounds: int, quick: bool) -> dict[str, Any]:
    m, n = p["m"], p["n"]
    rng = np.random.default_rng(2)
    x = rng.standard_normal((m, n), dtype=np.float32)
    w = (rng.random(n, dtype=np.float32) + 0.5).astype(np.float32)
    b = rng.standard_normal(n, dtype=np.float32)
    y, mean, rstd = np.empty_like(x), np.empty(m, np.float32), np.empty(m, np.float32)
    y_ref, tmp = np.empty_like(x), np.empty_like(x)
    mean_ref, rstd_ref = np.empty((m, 1), np.float32), np.empty((m, 1), np.float32)
    fwd = _kernel("layernorm")
    block = tessel.next_power_of_2(n)
    run_tessel = lambda: fwd[(m,)](x, y, w, b, mean, rstd, x.strides[0] // 4, n, EPS,
                                   BLOCK=block)
    run_numpy = lambda: numpy_layer_norm(x, w, b, y_ref, mean_ref, rstd_ref, tmp)
    run_tessel()
    run_numpy()
    np.testing.assert_allclose(y, y_ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(mean, mean_ref[:, 0], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(rstd, rstd_ref[:, 0], rtol=1e-4)
    t = measure({"tessel": run_tessel, "numpy": run_numpy}, budget, rounds)
    return dict(t, bytes=(2 * m * n + 2 * n + 2 * m) * 4, err=_max_err(y, y_ref),
                note=f"BLOCK={block}")


def case_matmul(p: dict[str, Any], budget: float, rounds: int, quick: bool) -> dict[str, Any]:
    M, N, K = p["m"], p["n"], p["k"]
    rng = np.random.default_rng(3)
    a = rng.standard_normal((M, K), dtype=np.float32)
    b = rng.standard_normal((K, N), dtype=np.float32)
    c, ref = np.empty((M, N), np.float32), np.empty((M, N), np.float32)
    mm = _kernel("matmul")
    run_numpy = lambda: np.matmul(a, b, out=ref)
    run_numpy()
    scale = float(np.max(np.abs(ref)))
    best: dict[str, Any] | None = None
    tried = []
    for bm, bn, bk, group in MATMUL_CONFIGS[:1] if quick else MATMUL_CONFIGS:
        grid = (tessel.cdiv(M, bm) * tessel.cdiv(N, bn),)
        run_tessel = lambda: mm[grid](a, b, c, M, N, K, a.strides[0] // 4, b.strides[0] // 4,
                                      c.strides[0] // 4, BLOCK_SIZE_M=bm, BLOCK_SIZE_N=bn,
                                      BLOCK_SIZE_K=bk, GROUP_SIZE_M=group)
        c.fill(np.nan)
        run_tessel()
        np.testing.assert_allclose(c, ref, rtol=1e-4, atol=1e-5 * scale)
        t = measure({"tessel": run_tessel, "numpy": run_numpy}, budget, rounds)
        tried.append(f"{bm}x{bn}x{bk}: {t['tessel'] * 1e3:.2f} ms")
        if best is None or t["tessel"] < best["tessel"]:
            best = dict(t, flops=2.0 * M * N * K, err=_max_err(c, ref),
                        note=f"BLOCK {bm}x{bn}x{bk}")
    assert best is not None
    if len(tried) > 1:
        best["note"] += " (best of " + ", ".join(tried) + ")"
    return best


RUNNERS = {"vadd": case_vadd, "softmax": case_softmax, "layernorm": case_layernorm,
           "matmul": case_matmul}


# ------------------------------------------------------------------ compile time
def compile_case(kernel: str, block: int) -> dict[str, Any]:
    """Seconds of a cold compile of `kernel` at BLOCK=block: first call minus second."""
    warm = _kernel("vadd")  # LLVM's one-time setup, the thread pool: not this kernel's cost
    z = np.zeros(16, np.float32)
    warm[(1,)](z, z, z, 16, BLOCK=16)
    fn = _kernel(kernel)
    n = 4 * block - 3  # a masked tail
    rng = np.random.default_rng(4)
    x = rng.standard_normal(n, dtype=np.float32)
    out = np.empty_like(x)
    grid = (tessel.cdiv(n, block),)
    if kernel == "vadd":
        y = rng.standard_normal(n, dtype=np.float32)
        call = lambda: fn[grid](x, y, out, n, BLOCK=block)
        ref = x + y
    else:
        call = lambda: fn[grid](x, out, n, BLOCK=block)
        ref = np.frompyfunc(math.erf, 1, 1)(x.astype(np.float64)).astype(np.float64)
    t0 = time.perf_counter()
    call()
    t1 = time.perf_counter()
    call()
    t2 = time.perf_counter()
    np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-6)
    return {"compile": (t1 - t0) - (t2 - t1), "first": t1 - t0, "second": t2 - t1}


# --------------------------------------------------------------- child processes
def child(spec: dict[str, Any]) -> None:
    if spec["kind"] == "compile":
        res = compile_case(spec["kernel"], spec["block"])
    else:
        res = RUNNERS[spec["group"]](spec["params"], spec["budget"], spec["rounds"],
                                     spec["quick"])
    print(RESULT + json.dumps(res), flush=True)


def run_child(spec: dict[str, Any], timeout: float) -> tuple[str, dict[str, Any] | None, str]:
    """("ok", result, "") or ("timeout"/"failed", None, why)."""
    cmd = [sys.executable, os.path.abspath(__file__), "--child", json.dumps(spec)]
    with tempfile.TemporaryDirectory(prefix="tessel-bench-cache-") as cache:
        # An empty on-disk kernel cache of its own: compiles are cold, and the
        # benchmark leaves nothing in the user's cache.
        env = dict(os.environ, TESSEL_CACHE_DIR=cache)
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  cwd=HERE, env=env)
        except subprocess.TimeoutExpired:
            return "timeout", None, f"over {timeout:g} s"
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT):
            return "ok", json.loads(line[len(RESULT):]), ""
    if proc.returncode < 0:
        try:
            why = signal.Signals(-proc.returncode).name
        except ValueError:
            why = f"signal {-proc.returncode}"
    else:
        why = f"exit {proc.returncode}"
    lines = [ln.strip() for ln in proc.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower() or "Error" in ln]
    detail = (errors or lines or [""])[-1]
    return "failed", None, f"{why}: {detail[:160]}" if detail else why


# --------------------------------------------------------------------------- main
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        blas = np.__config__.CONFIG["Build Dependencies"]["blas"]["name"]
    except Exception:
        blas = "unknown BLAS"
    threads = os.environ.get("TESSEL_NUM_THREADS") or str(os.cpu_count())
    load = f", load average {os.getloadavg()[0]:.2f} at the start" if hasattr(os, "getloadavg") \
        else ""
    return (f"{cpu}, {os.cpu_count()} cores, Tessel threads {threads}, NumPy {np.__version__} "
            f"({blas}), Python {platform.python_version()}{load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="short run: less time per case, one matmul config, "
                        "shorter compile timeouts")
    parser.add_argument("--only", nargs="+", default=[],
                        choices=sorted(RUNNERS) + ["compile"], help="run only these groups")
    parser.add_argument("--no-compile", action="store_true", help="skip the compile-time cases")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds of timing per runtime case (default 3, --quick 0.6)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds before a case is reported as a timeout "
                        "(default 600, --quick 120)")
    parser.add_argument("--compile-timeout", type=float, default=None,
                        help="seconds before a compile case is a timeout (default 300, --quick 60)")
    parser.add_argument("--csv", default="")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return

    quick = args.quick
    budget = args.budget if args.budget is not None else (0.6 if quick else 3.0)
    rounds = 3 if quick else 7
    timeout = args.timeout if args.timeout is not None else (120.0 if quick else 600.0)
    compile_timeout = args.compile_timeout if args.compile_timeout is not None else (
        60.0 if quick else 300.0)
    groups = set(args.only) if args.only else set(RUNNERS) | {"compile"}
    if args.no_compile:
        groups.discard("compile")

    print(f"# Tessel CPU vs NumPy, {datetime.date.today()}{' (--quick)' if quick else ''}")
    print(f"# {machine()}")
    csv_rows = []
    cases = [c for c in CASES if c[1] in groups]
    if cases:
        print(f"\n{'case':<22} {'tessel ms':>10} {'numpy ms':>10} {'tessel/numpy':>13} "
              f"{'x NumPy':>8} {'tessel':>12} {'numpy':>12}  notes")
    for name, group, params in cases:
        spec = {"kind": "run", "group": group, "params": params, "budget": budget,
                "rounds": rounds, "quick": quick}
        status, res, why = run_child(spec, timeout)
        if res is None:
            print(f"{name:<22} {status:>10}  {why}")
            csv_rows.append((name, status, "", "", why))
            continue
        tt, tn = res["tessel"], res["numpy"]
        if "flops" in res:
            rate = lambda t: f"{res['flops'] / t / 1e9:8.1f} GF/s"
        else:
            rate = lambda t: f"{res['bytes'] / t / 1e9:8.1f} GB/s"
        print(f"{name:<22} {tt * 1e3:10.3f} {tn * 1e3:10.3f} {tt / tn:13.2f} {tn / tt:7.2f}x "
              f"{rate(tt):>12} {rate(tn):>12}  {res['note']}, max|err| {res['err']:.1e}")
        csv_rows.append((name, "ok", f"{tt * 1e3:.4f}", f"{tn * 1e3:.4f}", res["note"]))

    if "compile" in groups:
        print(f"\n{'cold compile':<22} {'seconds':>10} {'first call':>11} {'second':>10}  status")
        for kernel, block in COMPILE_CASES:
            label = f"{'vector add' if kernel == 'vadd' else 'masked erf'} BLOCK={block}"
            status, res, why = run_child({"kind": "compile", "kernel": kernel, "block": block},
                                         compile_timeout)
            if res is None:
                print(f"{label:<22} {status:>10} {'':>11} {'':>10}  {why}")
                csv_rows.append((label, status, "", "", why))
                continue
            print(f"{label:<22} {res['compile']:10.3f} {res['first']:11.3f} "
                  f"{res['second']:10.4f}  ok")
            csv_rows.append((label, "ok", f"{res['compile'] * 1e3:.1f}", "", "compile ms"))

    if args.csv:
        with open(args.csv, "w") as f:
            f.write("case,status,tessel_ms,numpy_ms,notes\n")
            for row in csv_rows:
                f.write(",".join('"' + str(v).replace('"', "'") + '"' for v in row) + "\n")


if __name__ == "__main__":
    main()
