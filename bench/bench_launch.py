"""Launch overhead from Python: a cached specialization of a 3-argument
kernel, launched back to back (Tessel's C++ fast path vs Triton 3.6 in the
same process), plus the CPU backend's launch when no GPU is present.

    python3 bench/bench_launch.py [--iters 20000]

The time per launch is the wall time of the loop over the number of launches
(CUDA launches are asynchronous: the loop measures the host-side cost, and it
synchronizes only at the end).
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
    us_t = per_launch(lambda: tessel_copy[(1,)](xt, yt, 128, BLOCK=128), args.iters, sync)
    print(f"tessel cuda (torch tensors): {us_t:.2f} us ({slow_calls[0]} launches on the Python path)")
    try:
        import triton
        import triton.language as ttl

        @triton.jit
        def triton_copy(x_ptr, y_ptr, n, BLOCK: ttl.constexpr):
            offs = ttl.program_id(0) * BLOCK + ttl.arange(0, BLOCK)
            m = offs < n
            ttl.store(y_ptr + offs, ttl.load(x_ptr + offs, mask=m), mask=m)

        us_tr = per_launch(lambda: triton_copy[(1,)](xt, yt, 128, BLOCK=128), args.iters, sync)
        print(f"triton cuda (torch tensors): {us_tr:.2f} us   tessel/triton {us_t / us_tr:.2f}")
    except ImportError:
        pass
    torch.testing.assert_close(yt, xt)


if __name__ == "__main__":
    main()
