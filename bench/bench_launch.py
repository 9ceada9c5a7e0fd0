"""Launch overhead from Python: a cached specialization of a 3-argument
kernel, launched back to back (Tessel's C++ fast path vs Triton 3.6 in the
same process), plus the CPU backend's launch when no GPU is present.

    python3 bench/bench_launch.py [--iters 20000]

Two figures per CUDA launcher:
- burst: the host time of a burst of 256 launches, started on an idle GPU
  (synchronized before, not during), divided by 256; best and median of 200
  bursts. The driver's queue (about 1,000 launches) never fills, so this is
  the host's cost per launch, the figure issue 9's targets are about.
- sustained: the wall time of a loop of back-to-back launches (synchronized at
  the end) over their number. Once the queue fills the host waits for the GPU,
  so this is bounded below by the GPU's own time per (empty) kernel.
"""
from __future__ import annotations

import argparse
import datetime
import time

import numpy as np

import tessel
import tessel.language as tl


@tessel.jit
def tessel_copy(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    tl.store(y_ptr + offs, tl.load(x_ptr + offs, mask=m), mask=m)


def per_launch(fn, iters: int, sync=lambda: None) -> float:
    fn()
    sync()
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(iters):
            fn()
        sync()
        best = min(best, (time.perf_counter() - t) / iters)
    return best * 1e6


def per_launch_burst(fn, sync, burst: int = 256, reps: int = 200) -> tuple[float, float]:
    """(best, median) host microseconds per launch over bursts of ``burst``."""
    fn()
    times = []
    for _ in range(reps):
        sync()
        t = time.perf_counter()
        for _ in range(burst):
            fn()
        times.append((time.perf_counter() - t) / burst * 1e6)
    times.sort()
    return times[0], times[len(times) // 2]


def report(name: str, fn, iters: int, sync) -> float:
    best, median = per_launch_burst(fn, sync)
    sustained = per_launch(fn, iters, sync)
    print(f"{name}: burst {best:.2f} us (median {median:.2f}), sustained {sustained:.2f} us")
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=20000)
    args = ap.parse_args()
    print(f"# launch overhead, {datetime.date.today()}")
    x = np.random.default_rng(0).standard_normal(128).astype(np.float32)
    y = np.zeros_like(x)
    us = per_launch(lambda: tessel_copy[(1,)](x, y, 128, BLOCK=128), args.iters)
    print(f"tessel cpu (NumPy arrays, one program): {us:.2f} us")
    try:
        import torch
    except ImportError:
        return
    if not torch.cuda.is_available():
        return
    xt = torch.randn(128, device="cuda")
    yt = torch.empty_like(xt)
    sync = torch.cuda.synchronize
    slow = tessel_copy._run_slow
    slow_calls = [0]

    def counted(*a, **k):
        slow_calls[0] += 1
        return slow(*a, **k)

    tessel_copy._run_slow = counted  # launches the C++ fast path could not take
    us_t = report("tessel cuda (torch tensors)",
                  lambda: tessel_copy[(1,)](xt, yt, 128, BLOCK=128), args.iters, sync)
    print(f"  ({slow_calls[0]} launches on the Python path)")
    # The floor under it: the driver launch alone, through the compiled
    # kernel's launcher with the arguments already as ints.
    compiled = tessel_copy[(1,)](xt, yt, 128, BLOCK=128)
    launcher = compiled._launcher or compiled._cuda_launcher()
    stream = torch.cuda.current_stream().cuda_stream
    xp, yp = xt.data_ptr(), yt.data_ptr()
    report("tessel _C launcher, plain ints (cuLaunchKernel floor)",
           lambda: launcher.launch(1, 1, 1, stream, [xp, yp, 128]), args.iters, sync)
    # The legacy default stream synchronizes with every other stream; a
    # created stream may launch for less.
    side = torch.cuda.Stream()
    with torch.cuda.stream(side):
        report("tessel cuda (torch tensors), on a created stream",
               lambda: tessel_copy[(1,)](xt, yt, 128, BLOCK=128), args.iters, sync)
        report("tessel _C launcher, plain ints, on a created stream",
               lambda: launcher.launch(1, 1, 1, side.cuda_stream, [xp, yp, 128]), args.iters,
               sync)
    try:
        import triton
        import triton.language as ttl

        @triton.jit
        def triton_copy(x_ptr, y_ptr, n, BLOCK: ttl.constexpr):
            offs = ttl.program_id(0) * BLOCK + ttl.arange(0, BLOCK)
            m = offs < n
            ttl.store(y_ptr + offs, ttl.load(x_ptr + offs, mask=m), mask=m)

        us_tr = report("triton cuda (torch tensors)",
                       lambda: triton_copy[(1,)](xt, yt, 128, BLOCK=128), args.iters, sync)
        print(f"tessel/triton (burst): {us_t / us_tr:.2f}")
    except ImportError:
        pass
    torch.testing.assert_close(yt, xt)


if __name__ == "__main__":
    main()
