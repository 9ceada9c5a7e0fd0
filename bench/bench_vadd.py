#!/usr/bin/env python3
"""Vector add (float32): Tessel vs Triton vs torch.add, same GPU, same data.

    python3 bench/bench_vadd.py [--sizes 20 24 28] [--csv out.csv]

Reports GB/s (3 * 4 bytes per element: two reads, one write) and the ratio
to Triton. Timing: triton.testing.do_bench (CUDA events), median.
"""
from __future__ import annotations

import argparse
import datetime

import torch
import triton
import triton.language as tl

import tessel
import tessel.language as ttl


from kernels import load

triton_add = load("vadd", triton.jit, tl)["add"]
tessel_add = load("vadd", tessel.jit, ttl)["add"]


def gbps(n: int, ms: float) -> float:
    return 3 * 4 * n / (ms * 1e-3) / 1e9


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 24, 28])
    parser.add_argument("--block", type=int, default=1024)
    parser.add_argument("--num-warps", type=int, default=4)
    parser.add_argument("--csv", default="")
    args = parser.parse_args()

    dev = torch.cuda.get_device_name()
    print(f"# vector add f32, {dev}, {datetime.date.today()}")
    rows = []
    header = f"{'n':>6} {'tessel GB/s':>12} {'triton GB/s':>12} {'torch GB/s':>11} {'copy GB/s':>10} {'tessel/triton':>14} {'tessel/torch':>13}"
    print(header)
    for log2n in args.sizes:
        n = 1 << log2n
        x = torch.randn(n, device="cuda")
        y = torch.randn(n, device="cuda")
        out = torch.empty_like(x)
        ref = x + y
        grid = (triton.cdiv(n, args.block),)
        tessel_add[grid](x, y, out, n, BLOCK=args.block, num_warps=args.num_warps)
        torch.cuda.synchronize()
        assert torch.equal(out, ref), "tessel result differs from torch"
        out.fill_(float("nan"))
        triton_add[grid](x, y, out, n, BLOCK=args.block, num_warps=args.num_warps)
        assert torch.equal(out, ref), "triton result differs from torch"
        t_tessel = triton.testing.do_bench(
            lambda: tessel_add[grid](x, y, out, n, BLOCK=args.block, num_warps=args.num_warps),
            return_mode="median")
        t_triton = triton.testing.do_bench(
            lambda: triton_add[grid](x, y, out, n, BLOCK=args.block, num_warps=args.num_warps),
            return_mode="median")
        t_torch = triton.testing.do_bench(lambda: torch.add(x, y, out=out), return_mode="median")
        t_copy = triton.testing.do_bench(lambda: out.copy_(x), return_mode="median")
        row = (log2n, gbps(n, t_tessel), gbps(n, t_triton), gbps(n, t_torch),
               2 * 4 * n / (t_copy * 1e-3) / 1e9)
        rows.append(row)
        print(f"{'2^%d' % log2n:>6} {row[1]:12.0f} {row[2]:12.0f} {row[3]:11.0f} {row[4]:10.0f} "
              f"{row[1] / row[2]:14.3f} {row[1] / row[3]:13.3f}")
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("log2n,tessel_gbps,triton_gbps,torch_gbps,copy_gbps\n")
            for r in rows:
                f.write(",".join(f"{v:.1f}" if isinstance(v, float) else str(v) for v in r) + "\n")


if __name__ == "__main__":
    main()
