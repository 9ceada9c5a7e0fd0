#!/usr/bin/env python3
"""Compiles and runs the example kernels on the GPU when PyTorch sees one, else
on the CPU backend; checks each against NumPy and prints timings."""
from __future__ import annotations

import time

import numpy as np

import tessel
import tessel.language as tl


@tessel.jit
def add_kernel(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    y = tl.load(y_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, x + y, mask=mask)


@tessel.jit
def gelu_softplus(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    """Several math functions, where, casts and a masked tail."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=0.0)
    gelu = x * tl.sigmoid(1.702 * x)
    softplus = tl.where(x > 20.0, x, tl.log(1.0 + tl.exp(x)))
    h = (tl.sqrt(softplus) + gelu).to(tl.float16)
    tl.store(out_ptr + offs, h.to(tl.float32), mask=mask)


@tessel.jit
def scale_rows(x_ptr, s_ptr, out_ptr, rows, cols, stride,
               BM: tl.constexpr, BN: tl.constexpr):
    """2-D tiles: offsets from [:, None] and [None, :]."""
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rn = tl.program_id(1) * BN + tl.arange(0, BN)
    mask = (rm[:, None] < rows) & (rn[None, :] < cols)
    x = tl.load(x_ptr + rm[:, None] * stride + rn[None, :], mask=mask)
    s = tl.load(s_ptr + rm, mask=rm < rows)
    tl.store(out_ptr + rm[:, None] * stride + rn[None, :], x * s[:, None], mask=mask)


def device() -> tuple[str, object]:
    try:
        import torch
        if torch.cuda.is_available():
            return "cuda", torch
    except ImportError:
        pass
    return "cpu", None


def timed(fn, sync, reps: int = 20) -> float:
    fn()
    sync()
    start = time.perf_counter()
    for _ in range(reps):
        fn()
    sync()
    return (time.perf_counter() - start) / reps * 1e3


def main() -> None:
    where, torch = device()
    rng = np.random.default_rng(0)
    to_dev = (lambda a: torch.from_numpy(a).cuda()) if torch else (lambda a: a)
    to_host = (lambda t: t.cpu().numpy()) if torch else (lambda a: a)
    sync = torch.cuda.synchronize if torch else (lambda: None)
    print(f"tessel {tessel.__version__}: running on {where}")

    n = 1_000_003
    x = rng.standard_normal(n).astype(np.float32)
    y = rng.standard_normal(n).astype(np.float32)
    dx, dy, dout = to_dev(x), to_dev(y), to_dev(np.full(n, np.nan, np.float32))
    grid = (tessel.cdiv(n, 1024),)
    ms = timed(lambda: add_kernel[grid](dx, dy, dout, n, BLOCK=1024), sync)
    err = np.abs(to_host(dout) - (x + y)).max()
    print(f"  vector add     n={n:>9}  max|err|={err:.1e}  {ms:7.3f} ms  "
          f"{12 * n / ms / 1e6:7.1f} GB/s")
    assert err == 0

    ms = timed(lambda: gelu_softplus[grid](dx, dout, n, BLOCK=1024), sync)
    x64 = x.astype(np.float64)
    gelu = x64 / (1 + np.exp(-1.702 * x64))
    softplus = np.where(x64 > 20, x64, np.log1p(np.exp(x64)))
    ref = (np.sqrt(softplus) + gelu).astype(np.float16).astype(np.float32)
    err = np.abs(to_host(dout) - ref).max()
    print(f"  fused math     n={n:>9}  max|err|={err:.1e}  {ms:7.3f} ms")
    # One float16 rounding step at most (values stay below 16).
    assert err <= 2 ** -6

    rows, cols = 1000, 777
    a = rng.standard_normal((rows, cols)).astype(np.float32)
    sc = rng.standard_normal(rows).astype(np.float32)
    da, ds, dout2 = to_dev(a), to_dev(sc), to_dev(np.zeros_like(a))
    grid2 = (tessel.cdiv(rows, 32), tessel.cdiv(cols, 64))
    ms = timed(lambda: scale_rows[grid2](da, ds, dout2, rows, cols, cols, BM=32, BN=64), sync)
    err = np.abs(to_host(dout2) - a * sc[:, None]).max()
    print(f"  2-D scale rows {rows}x{cols}  max|err|={err:.1e}  {ms:7.3f} ms")
    assert err == 0
    print("all results match NumPy")


if __name__ == "__main__":
    main()
