#!/usr/bin/env python3
"""Fused row softmax (float32, 4096 x {1024, 4096, 16384}): Tessel vs Triton vs
torch.softmax, same GPU, same data.

    python3 bench/bench_softmax.py [--csv out.csv]

One program per row, the whole row in registers (BLOCK = next power of two of
the row length), the same kernel text for Tessel and Triton. GB/s count one
read and one write of the matrix.
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

tessel_softmax = load("softmax", tessel.jit, ttl)["softmax"]
triton_softmax = load("softmax", triton.jit, tl)["softmax"]


def num_warps_for(block: int) -> int:
    return 4 if block <= 1024 else 8 if block <= 4096 else 16


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=4096)
    parser.add_argument("--cols", type=int, nargs="+", default=[1024, 4096, 16384])
    parser.add_argument("--csv", default="")
    args = parser.parse_args()
    print(f"# softmax f32, {torch.cuda.get_device_name()}, {datetime.date.today()}")
    print(f"{'shape':>12} {'tessel GB/s':>12} {'triton GB/s':>12} {'torch GB/s':>11} "
          f"{'tessel/triton':>14} {'tessel/torch':>13} {'max|err|':>9}")
    rows = []
    for n in args.cols:
        m = args.rows
        x = torch.randn(m, n, device="cuda")
        out = torch.empty_like(x)
        block = triton.next_power_of_2(n)
        warps = num_warps_for(block)
        run_tessel = lambda: tessel_softmax[(m,)](out, x, x.stride(0), out.stride(0), n,
                                                  BLOCK=block, num_warps=warps)
        run_triton = lambda: triton_softmax[(m,)](out, x, x.stride(0), out.stride(0), n,
                                                  BLOCK=block, num_warps=warps)
        ref = torch.softmax(x.double(), dim=1).float()
        run_tessel()
        torch.cuda.synchronize()
        err = (out - ref).abs().max().item()
        assert err < 1e-6, f"tessel softmax error {err}"
        out.fill_(float("nan"))
        run_triton()
        torch.cuda.synchronize()
        assert (out - ref).abs().max().item() < 1e-6
        gb = 2 * x.numel() * 4 / 1e9
        t1 = triton.testing.do_bench(run_tessel, return_mode="median")
        t2 = triton.testing.do_bench(run_triton, return_mode="median")
        t3 = triton.testing.do_bench(lambda: torch.softmax(x, dim=1), return_mode="median")
        row = (f"{m}x{n}", gb / t1 * 1e3, gb / t2 * 1e3, gb / t3 * 1e3, err)
        rows.append(row)
        print(f"{row[0]:>12} {row[1]:12.0f} {row[2]:12.0f} {row[3]:11.0f} "
              f"{row[1] / row[2]:14.3f} {row[1] / row[3]:13.3f} {err:9.1e}")
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("shape,tessel_gbps,triton_gbps,torch_gbps,max_err\n")
            for r in rows:
                f.write(f"{r[0]},{r[1]:.1f},{r[2]:.1f},{r[3]:.1f},{r[4]:.2e}\n")


if __name__ == "__main__":
    main()
