#!/usr/bin/env python3
"""Matrix multiply (float16/bfloat16 in, float32 accumulate, same type out):
Tessel vs Triton (the same kernel text, Triton's tutorial configs) vs
torch.matmul (cuBLAS), same GPU, same random data.

    python3 bench/bench_matmul.py [--sizes 4096 8192] [--dtypes float16] [--sass DIR] [--nt]

--nt multiplies by a B given as N x K rows (C = A B^T, `tl.dot(a, tl.trans(b))`).

TFLOP/s count 2 M N K. Each row is the best of the listed configs for each
compiler; cold compile times (first call, empty in-memory cache) beside.
"""
from __future__ import annotations

import argparse
import datetime
import os
import time

import torch
import triton
import triton.language as tl

import tessel
import tessel.language as ttl

from kernels import load

TESSEL_KERNELS = load("matmul", tessel.jit, ttl)
TRITON_KERNELS = load("matmul", triton.jit, tl)
tessel_matmul = TESSEL_KERNELS["matmul"]
triton_matmul = TRITON_KERNELS["matmul"]

# (BM, BN, BK, GROUP, num_warps, num_stages)
TRITON_CONFIGS = [(128, 256, 64, 8, 8, 3), (64, 256, 32, 8, 4, 4), (128, 128, 32, 8, 4, 4),
                  (128, 64, 32, 8, 4, 4)]
# Triton's configs, then others of Tessel's (the same kernel text).
TESSEL_CONFIGS = TRITON_CONFIGS + [
    (128, 128, 64, 8, 8, 3), (128, 128, 64, 8, 4, 3), (128, 128, 64, 8, 8, 4),
    (128, 256, 64, 8, 8, 4), (128, 64, 64, 8, 4, 3), (64, 128, 64, 8, 4, 3),
    (128, 128, 64, 8, 8, 1), (128, 64, 64, 8, 4, 1)]


def launch(kernel, a, b, c, cfg):
    """`b` is K x N, or N x K rows for the _nt kernels."""
    M, K = a.shape
    N = c.shape[1]
    bm, bn, bk, group, warps, stages = cfg
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    return lambda: kernel[grid](a, b, c, M, N, K, a.stride(0), b.stride(0), c.stride(0),
                                BLOCK_SIZE_M=bm, BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk,
                                GROUP_SIZE_M=group, num_warps=warps, num_stages=stages)


def best(kernel, a, b, c, ref, configs, flops, name):
    results = []
    for cfg in configs:
        run = launch(kernel, a, b, c, cfg)
        c.fill_(float("nan"))
        t0 = time.perf_counter()
        try:
            run()
            torch.cuda.synchronize()
        except Exception as e:  # a config that does not compile or fit is skipped
            print(f"  {name} {cfg}: skipped ({type(e).__name__}: {str(e)[:120]})")
            continue
        compile_ms = (time.perf_counter() - t0) * 1e3
        err = ((c.double() - ref).norm() / ref.norm()).item()
        if not err < 1e-2:
            print(f"  {name} {cfg}: WRONG (relative error {err:.3g})")
            continue
        ms = triton.testing.do_bench(run, warmup=50, rep=300, return_mode="median")
        results.append((flops / ms / 1e9, cfg, compile_ms, err))
        print(f"  {name} {cfg}: {flops / ms / 1e9:7.1f} TFLOP/s, first call {compile_ms:7.1f} ms, "
              f"rel err {err:.2e}")
    return max(results, default=(0.0, None, 0.0, 0.0))


def dump_sass(a, b, c, cfg, out_dir):
    run = launch(tessel_matmul, a, b, c, cfg)
    kernel = run()
    if kernel is None or not getattr(kernel, "binary", b""):
        return
    os.makedirs(out_dir, exist_ok=True)
    tag = "x".join(map(str, cfg[:3])) + f"_w{cfg[4]}_{str(a.dtype).split('.')[-1]}"
    with open(os.path.join(out_dir, f"matmul_{tag}.cubin"), "wb") as f:
        f.write(kernel.binary)
    with open(os.path.join(out_dir, f"matmul_{tag}.ptx"), "w") as f:
        f.write(kernel.asm.get("ptx", ""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[4096, 8192])
    parser.add_argument("--dtypes", nargs="+", default=["float16"])
    parser.add_argument("--sass", default="")
    parser.add_argument("--nt", action="store_true", help="C = A B^T, B as N x K rows")
    args = parser.parse_args()
    global tessel_matmul, triton_matmul
    if args.nt:
        tessel_matmul, triton_matmul = TESSEL_KERNELS["matmul_nt"], TRITON_KERNELS["matmul_nt"]
    print(f"# matmul{' A B^T' if args.nt else ''}, {torch.cuda.get_device_name()}, "
          f"{datetime.date.today()}")
    rows = []
    for dtype_name in args.dtypes:
        dtype = getattr(torch, dtype_name)
        for n in args.sizes:
            torch.manual_seed(n)
            a = torch.randn(n, n, device="cuda", dtype=dtype)
            b = torch.randn(n, n, device="cuda", dtype=dtype)
            c = torch.empty(n, n, device="cuda", dtype=dtype)
            ref = (a.double() @ (b.double().T if args.nt else b.double()))
            flops = 2.0 * n * n * n
            print(f"{dtype_name} {n}^3")
            ms = triton.testing.do_bench(lambda: torch.matmul(a, b.T if args.nt else b),
                                         warmup=50, rep=300, return_mode="median")
            cublas = flops / ms / 1e9
            print(f"  cuBLAS: {cublas:7.1f} TFLOP/s")
            tes = best(tessel_matmul, a, b, c, ref, TESSEL_CONFIGS, flops, "tessel")
            tri = best(triton_matmul, a, b, c, ref, TRITON_CONFIGS, flops, "triton")
            rows.append((dtype_name, n, tes, tri, cublas))
            if args.sass and tes[1] is not None:
                dump_sass(a, b, c, tes[1], args.sass)
    print(f"\n{'dtype':>8} {'size':>6} {'tessel':>8} {'triton':>8} {'cuBLAS':>8} "
          f"{'tes/tri':>8} {'tes/cuBLAS':>10}  tessel config / first call")
    for dtype_name, n, tes, tri, cublas in rows:
        print(f"{dtype_name:>8} {n:>6} {tes[0]:8.1f} {tri[0]:8.1f} {cublas:8.1f} "
              f"{tes[0] / tri[0] if tri[0] else 0:8.2f} {tes[0] / cublas:10.2f}  "
              f"{tes[1]} / {tes[2]:.0f} ms (triton {tri[2]:.0f} ms)")


if __name__ == "__main__":
    main()
