#!/usr/bin/env python3
"""Data movement between threads: transpose (8192 x 8192 f32, through
tl.trans or through the load's addresses), row sums
(16384 x 4096 f32 to 16384) and row sort (4096 rows of 1024 f32): Tessel vs
Triton vs PyTorch, same GPU, same data.

    python3 bench/bench_shapes.py

The same kernel text runs on Tessel and Triton (bench/kernels/shapes.py).
GB/s count each input read once and each output written once.
"""
from __future__ import annotations

import datetime

import torch
import triton
import triton.language as tl

import tessel
import tessel.language as ttl
from kernels import load

TS = load("shapes", tessel.jit, ttl)
TR = load("shapes", triton.jit, tl)


def bench(fn) -> float:
    return triton.testing.do_bench(fn, return_mode="median")


def checked(run: dict, out: torch.Tensor, expected, name: str, exact: bool = True) -> None:
    """Runs each compiler's launcher once on poisoned output and checks it."""
    for k in run:
        out.fill_(float("nan"))
        run[k]()
        torch.cuda.synchronize()
        ok = torch.equal(out, expected) if exact else (out - expected).abs().max().item() < 1e-2
        assert ok, f"{k} {name}"


def report(name: str, gb: float, t_tessel: float, t_triton: float, t_torch: float) -> None:
    print(f"{name:>22} {gb / t_tessel * 1e3:12.0f} {gb / t_triton * 1e3:12.0f} "
          f"{gb / t_torch * 1e3:11.0f} {t_triton / t_tessel:14.3f} {t_torch / t_tessel:13.3f}")


def main() -> None:
    print(f"# data movement, {torch.cuda.get_device_name()}, {datetime.date.today()}")
    print(f"{'kernel':>22} {'tessel GB/s':>12} {'triton GB/s':>12} {'torch GB/s':>11} "
          f"{'tessel/triton':>14} {'tessel/torch':>13}")

    m = n = 8192
    x = torch.randn(m, n, device="cuda")
    for bm, bn, warps in [(32, 32, 4), (64, 64, 4), (64, 64, 8)]:
        y = torch.empty(n, m, device="cuda")
        grid = (m // bm, n // bn)
        run = {k: (lambda f=f: f[grid](x, y, m, n, BM=bm, BN=bn, num_warps=warps))
               for k, f in (("tessel", TS["transpose"]), ("triton", TR["transpose"]))}
        checked(run, y, x.t(), "transpose")
        report(f"transpose {bm}x{bn} w{warps}", 2 * x.numel() * 4 / 1e9, bench(run["tessel"]),
               bench(run["triton"]), bench(lambda: y.copy_(x.t())))

    # The transpose in the load's addresses: the coalesce pass reads along
    # columns and converts once, as Triton does.
    for bm, bn, warps in [(64, 64, 4), (64, 64, 8)]:
        y = torch.empty(n, m, device="cuda")
        grid = (n // bn, m // bm)
        run = {k: (lambda f=f: f[grid](x, y, m, n, BM=bm, BN=bn, num_warps=warps))
               for k, f in (("tessel", TS["transpose_read"]), ("triton", TR["transpose_read"]))}
        checked(run, y, x.t(), "transpose_read")
        report(f"transpose_read {bm}x{bn} w{warps}", 2 * x.numel() * 4 / 1e9,
               bench(run["tessel"]), bench(run["triton"]), bench(lambda: y.copy_(x.t())))

    m, n = 16384, 4096
    x = torch.randn(m, n, device="cuda")
    out = torch.empty(m, device="cuda")
    ref = x.double().sum(1).float()
    for bm, bn, warps in [(16, 256, 4), (64, 128, 8)]:
        run = {k: (lambda f=f: f[(m // bm,)](x, out, m, n, BM=bm, BN=bn, num_warps=warps))
               for k, f in (("tessel", TS["row_sums"]), ("triton", TR["row_sums"]))}
        checked(run, out, ref, "row_sums", exact=False)
        report(f"row_sums {bm}x{bn} w{warps}", x.numel() * 4 / 1e9, bench(run["tessel"]),
               bench(run["triton"]), bench(lambda: torch.sum(x, dim=1)))
    # Triton pipelines the column loop's loads (num_stages=3 by default);
    # Tessel does not yet. Without pipelining on Triton's side too:
    bm, bn, warps = 64, 128, 8
    unpipelined = lambda: TR["row_sums"][(m // bm,)](x, out, m, n, BM=bm, BN=bn,
                                                      num_warps=warps, num_stages=1)
    report(f"  same, triton stages=1", x.numel() * 4 / 1e9,
           bench(lambda: TS["row_sums"][(m // bm,)](x, out, m, n, BM=bm, BN=bn,
                                                    num_warps=warps)),
           bench(unpipelined), bench(lambda: torch.sum(x, dim=1)))

    rows, n = 4096, 1024
    x = torch.randn(rows, n, device="cuda")
    y = torch.empty_like(x)
    ref = torch.sort(x, dim=1).values
    for warps in (4, 8):
        run = {k: (lambda f=f: f[(rows,)](x, y, N=n, num_warps=warps))
               for k, f in (("tessel", TS["sort_rows"]), ("triton", TR["sort_rows"]))}
        checked(run, y, ref, "sort")
        report(f"sort {rows}x{n} w{warps}", 2 * x.numel() * 4 / 1e9, bench(run["tessel"]),
               bench(run["triton"]), bench(lambda: torch.sort(x, dim=1)))


if __name__ == "__main__":
    main()
