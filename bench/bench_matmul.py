#!/usr/bin/env python3
"""Matrix multiply: Tessel vs Triton (the same kernel text, Triton's tutorial
configs) vs cuBLAS (through torch), same GPU, same random data.

    python3 bench/bench_matmul.py [--sizes 4096 8192] [--shapes 8192x8192x512 16x8192x8192]
        [--dtypes float16 bfloat16 float8e4nv int8] [--sass DIR] [--nt] [--desc]
        [--clusters]

float16/bfloat16: float32 accumulate, same type out, cuBLAS is torch.matmul.
float8e4nv (float32 accumulate, float16 out, as Triton's tutorial) and int8
(int32 accumulate and out) always multiply by a B given as N x K rows (wgmma
reads 8-bit B K-major only); cuBLAS is torch._scaled_mm / torch._int_mm.
--nt multiplies the 16-bit types that way too (C = A B^T,
`tl.dot(a, tl.trans(b))`). --desc runs the 16-bit types on host tensor
descriptors (`matmul_desc`, `matmul_desc_nt` for the 8-bit types and --nt,
both compilers; TMA on Hopper; Tessel's configs
also with `warp_specialize=True`, marked "ws"); --persistent runs
`matmul_persistent` (descriptors, one program per SM, Triton's tutorial 09
shape) the same way. --clusters (with --desc) also tries Tessel's configs
with `num_ctas=2`, marked "ctas2". --shapes adds
M x N x K problems (K = 512, and
decode shapes M = 16..128, which also try small-M configs).

TFLOP/s (TOP/s for int8) count 2 M N K. Each row is the best of the listed
configs for each compiler; cold compile times (first call, empty in-memory
cache) beside.
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
from tessel.tools.tensor_descriptor import TensorDescriptor as TesselDescriptor
from triton.tools.tensor_descriptor import TensorDescriptor as TritonDescriptor

from kernels import load

TESSEL_KERNELS = load("matmul", tessel.jit, ttl)
TRITON_KERNELS = load("matmul", triton.jit, tl)
tessel_matmul = TESSEL_KERNELS["matmul"]
triton_matmul = TRITON_KERNELS["matmul"]
_DESCRIPTOR_KERNELS = ("matmul_desc", "matmul_desc_nt", "matmul_persistent")
DESCRIPTOR_CLASSES = {
    **{TESSEL_KERNELS[k]: TesselDescriptor for k in _DESCRIPTOR_KERNELS},
    **{TRITON_KERNELS[k]: TritonDescriptor for k in _DESCRIPTOR_KERNELS}}
PERSISTENT_KERNELS = {TESSEL_KERNELS["matmul_persistent"], TRITON_KERNELS["matmul_persistent"]}
NT_DESCRIPTOR_KERNELS = {TESSEL_KERNELS["matmul_desc_nt"], TRITON_KERNELS["matmul_desc_nt"]}

# (BM, BN, BK, GROUP, num_warps, num_stages)
TRITON_CONFIGS = [(128, 256, 64, 8, 8, 3), (64, 256, 32, 8, 4, 4), (128, 128, 32, 8, 4, 4),
                  (128, 64, 32, 8, 4, 4)]
# Triton's configs, then others of Tessel's (the same kernel text).
TESSEL_CONFIGS = TRITON_CONFIGS + [
    (128, 128, 64, 8, 8, 3), (128, 128, 64, 8, 4, 3), (128, 128, 64, 8, 8, 4),
    (128, 256, 64, 8, 8, 4), (128, 64, 64, 8, 4, 3), (64, 128, 64, 8, 4, 3),
    (128, 128, 64, 8, 8, 1), (128, 64, 64, 8, 4, 1)]
# 8-bit operands: Triton's fp8 tutorial configs (BLOCK_K of 128 bytes).
EIGHT_BIT_CONFIGS = [(128, 256, 128, 8, 8, 3), (256, 128, 128, 8, 8, 3), (128, 128, 128, 8, 4, 4),
                     (64, 256, 128, 8, 4, 4), (128, 64, 64, 8, 4, 4)]
# Decode shapes (M <= 128) also try small-M tiles, both compilers.
SMALL_M_CONFIGS = [(16, 64, 128, 8, 4, 4), (16, 128, 128, 8, 4, 3), (32, 64, 128, 8, 4, 4),
                   (64, 64, 128, 8, 4, 4), (64, 128, 64, 8, 4, 4)]


def launch(kernel, a, b, c, cfg):
    """`b` is K x N, or N x K rows for the _nt kernels."""
    M, K = a.shape
    N = c.shape[1]
    bm, bn, bk, group, warps, stages = cfg[:6]
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    if kernel in DESCRIPTOR_CLASSES:  # host tensor descriptors (TMA on Hopper)
        make = DESCRIPTOR_CLASSES[kernel].from_tensor
        # B is K x N, or N x K rows for the _nt kernel.
        b_block = [bn, bk] if kernel in NT_DESCRIPTOR_KERNELS else [bk, bn]
        descs = make(a, [bm, bk]), make(b, b_block), make(c, [bm, bn])
        ws = "ws" in cfg[6:]  # a producer warp
        ctas = 2 if "ctas2" in cfg[6:] else 1  # 2-CTA clusters sharing copies
        if kernel in PERSISTENT_KERNELS:  # one program per SM
            sms = torch.cuda.get_device_properties(0).multi_processor_count
            return lambda: kernel[(min(sms, grid[0]),)](
                *descs, M, N, K, BLOCK_SIZE_M=bm, BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk,
                GROUP_SIZE_M=group, NUM_SMS=sms, WARP_SPECIALIZE=ws, num_warps=warps,
                num_stages=stages)
        options = {"num_ctas": 2} if ctas == 2 else {}
        return lambda: kernel[grid](*descs, M, N, K, BLOCK_SIZE_M=bm, BLOCK_SIZE_N=bn,
                                    BLOCK_SIZE_K=bk, GROUP_SIZE_M=group, WARP_SPECIALIZE=ws,
                                    num_warps=warps, num_stages=stages, **options)
    return lambda: kernel[grid](a, b, c, M, N, K, a.stride(0), b.stride(0), c.stride(0),
                                BLOCK_SIZE_M=bm, BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk,
                                GROUP_SIZE_M=group, num_warps=warps, num_stages=stages)


def best(kernel, a, b, c, ref, configs, flops, name):
    results = []
    for cfg in configs:
        run = launch(kernel, a, b, c, cfg)
        c.fill_(float("nan") if c.is_floating_point() else -1)
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


TORCH_DTYPES = {"float16": "float16", "bfloat16": "bfloat16", "float8e4nv": "float8_e4m3fn",
                "int8": "int8"}


def operands(dtype_name: str, m: int, n: int, k: int, nt: bool):
    """A (M x K), B (K x N, or N x K rows when `nt`), an empty C, the float64
    reference and the cuBLAS call, on random data."""
    dtype = getattr(torch, TORCH_DTYPES[dtype_name])
    if dtype_name == "int8":
        a = torch.randint(-128, 128, (m, k), device="cuda", dtype=dtype)
        b = torch.randint(-128, 128, (n, k), device="cuda", dtype=dtype)
        c = torch.empty(m, n, device="cuda", dtype=torch.int32)
        return a, b, c, a.double() @ b.double().T, lambda: torch._int_mm(a, b.T)
    if dtype_name == "float8e4nv":
        a = torch.randn(m, k, device="cuda").to(dtype)
        b = torch.randn(n, k, device="cuda").to(dtype)
        c = torch.empty(m, n, device="cuda", dtype=torch.float16)
        one = torch.ones((), device="cuda")
        return (a, b, c, a.double() @ b.double().T,
                lambda: torch._scaled_mm(a, b.T, scale_a=one, scale_b=one,
                                         out_dtype=torch.float16))
    a = torch.randn(m, k, device="cuda", dtype=dtype)
    b = torch.randn(n, k, device="cuda", dtype=dtype) if nt else torch.randn(
        k, n, device="cuda", dtype=dtype)
    c = torch.empty(m, n, device="cuda", dtype=dtype)
    ref = a.double() @ (b.double().T if nt else b.double())
    return a, b, c, ref, lambda: torch.matmul(a, b.T if nt else b)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[4096, 8192])
    parser.add_argument("--shapes", nargs="*", default=[], help="MxNxK problems")
    parser.add_argument("--dtypes", nargs="+", default=["float16"], choices=list(TORCH_DTYPES))
    parser.add_argument("--sass", default="")
    parser.add_argument("--nt", action="store_true", help="C = A B^T, B as N x K rows")
    parser.add_argument("--desc", action="store_true",
                        help="16-bit types through host tensor descriptors (TMA on Hopper)")
    parser.add_argument("--persistent", action="store_true",
                        help="the persistent kernel on host descriptors (one program per SM)")
    parser.add_argument("--clusters", action="store_true",
                        help="with --desc, Tessel's configs also with num_ctas=2 (2-CTA "
                             "clusters multicasting the blocks a pair shares)")
    args = parser.parse_args()
    global tessel_matmul, triton_matmul
    print(f"# matmul{' A B^T' if args.nt else ''}{' (descriptors)' if args.desc else ''}"
          f"{' (persistent)' if args.persistent else ''}, "
          f"{torch.cuda.get_device_name()}, "
          f"{datetime.date.today()}")
    problems = [(n, n, n) for n in args.sizes] + [
        tuple(int(v) for v in s.lower().split("x")) for s in args.shapes]
    rows = []
    for dtype_name in args.dtypes:
        eight_bit = dtype_name in ("float8e4nv", "int8")
        nt = args.nt or eight_bit
        kernel = ("matmul_desc" if args.desc else "matmul") + ("_nt" if nt else "")
        if args.persistent and not nt:
            kernel = "matmul_persistent"
        tessel_matmul, triton_matmul = TESSEL_KERNELS[kernel], TRITON_KERNELS[kernel]
        for m, n, k in problems:
            torch.manual_seed(m + n + k)
            a, b, c, ref, cublas_call = operands(dtype_name, m, n, k, nt)
            flops = 2.0 * m * n * k
            shape = f"{m}x{n}x{k}"
            print(f"{dtype_name} {shape}")
            try:
                ms = triton.testing.do_bench(cublas_call, warmup=50, rep=300,
                                             return_mode="median")
                cublas = flops / ms / 1e9
            except Exception as e:  # no cuBLAS path for this type or shape
                print(f"  cuBLAS: skipped ({type(e).__name__}: {str(e)[:100]})")
                cublas = 0.0
            print(f"  cuBLAS: {cublas:7.1f} TFLOP/s")
            base = EIGHT_BIT_CONFIGS if eight_bit else TRITON_CONFIGS
            extra = [] if eight_bit else TESSEL_CONFIGS[len(TRITON_CONFIGS):]
            small = SMALL_M_CONFIGS if m <= 128 else []
            mine = base + extra + small
            plain = mine
            if args.desc or args.persistent:  # each config with and without the producer warp
                mine = mine + [cfg + ("ws",) for cfg in plain]
            if args.desc and args.clusters and not nt:
                mine = mine + [cfg + ("ctas2",) for cfg in plain]
            tes = best(tessel_matmul, a, b, c, ref, mine, flops, "tessel")
            tri = best(triton_matmul, a, b, c, ref, base + small, flops, "triton")
            rows.append((dtype_name, shape, tes, tri, cublas))
            if args.sass and tes[1] is not None:
                dump_sass(a, b, c, tes[1], args.sass)
    print(f"\n{'dtype':>10} {'M x N x K':>16} {'tessel':>8} {'triton':>8} {'cuBLAS':>8} "
          f"{'tes/tri':>8} {'tes/cuBLAS':>10}  tessel config / first call")
    for dtype_name, shape, tes, tri, cublas in rows:
        print(f"{dtype_name:>10} {shape:>16} {tes[0]:8.1f} {tri[0]:8.1f} {cublas:8.1f} "
              f"{tes[0] / tri[0] if tri[0] else 0:8.2f} "
              f"{tes[0] / cublas if cublas else 0:10.2f}  "
              f"{tes[1]} / {tes[2]:.0f} ms (triton {tri[2]:.0f} ms)")


if __name__ == "__main__":
    main()
