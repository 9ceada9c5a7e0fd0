"""Fused attention forward: Tessel vs Triton (the same kernel text,
bench/kernels/attention.py, the plain form of Triton's tutorial 06) vs
torch SDPA, float16, Z=4, H=32, on the same random data.

    python3 bench/bench_attention.py [--seqs 1024 4096] [--dims 64 128] [--fp8] [--desc]

--desc runs attention_fwd_desc on host tensor descriptors over [Z * H * N, D]
(Triton's tutorial 06 form) for both compilers: on Hopper Tessel's ring then
copies K and V with TMA.

TFLOP/s count 4 N^2 D per head (two matmuls), halved for causal.
"""
from __future__ import annotations

import argparse
import datetime
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tessel  # noqa: E402
import tessel.language as tl  # noqa: E402
from kernels import load  # noqa: E402

tessel_attn = load("attention", tessel.jit, tl)["attention_fwd"]

# (BLOCK_M, BLOCK_N, num_warps, num_stages); the best per system is reported.
CONFIGS = [(64, 64, 4, 1), (128, 64, 8, 1), (64, 32, 4, 1), (64, 64, 4, 3), (128, 64, 8, 2),
           (128, 64, 8, 3), (128, 128, 8, 2), (64, 32, 4, 4), (64, 128, 4, 2), (64, 128, 4, 3),
           (128, 128, 8, 3), (64, 64, 4, 2)]
# --desc also runs these with WARP_SPECIALIZE=True (a producer warp issues the
# TMA copies): (BLOCK_M, BLOCK_N, num_warps, num_stages, True).
WS_CONFIGS = [(64, 64, 4, 3, True), (128, 64, 8, 2, True), (128, 64, 8, 3, True),
              (128, 128, 8, 2, True), (64, 128, 4, 2, True)]


def bench(fn) -> float:
    from triton.testing import do_bench

    return do_bench(fn, warmup=10, rep=50)


def checked_tflops(label: str, run, max_error, tol: float, flops: float,
                   verbose: bool) -> float | None:
    """TFLOP/s of `run` once its first result passes `max_error(result) <=
    tol` (NaN fails); None, with a line saying why, when it fails to run or
    is wrong. Shared with bench_attention_bwd.py."""
    try:
        result = run()
        torch.cuda.synchronize()
    except Exception as e:  # noqa: BLE001 - report and go on
        print(f"  {label}: failed: {str(e).splitlines()[0][:100]}")
        return None
    err = max_error(result)
    if not err <= tol:  # NaN too
        print(f"  {label}: wrong result (max err {err:.3e})")
        return None
    tflops = flops / bench(run) * 1e-9
    if verbose:
        print(f"  {label}: {tflops:.1f} TFLOP/s (max err {err:.1e})")
    return tflops


def report_row(n: int, d: int, causal: bool, best: dict, reference: float) -> None:
    """One table row: each system's best TFLOP/s and config, and the ratios."""
    tes = best.get("tessel", (0.0, None))
    tri = best.get("triton", (float("nan"), None))
    print(f"{n:>6} {d:>4} {str(causal):>6} {tes[0]:8.1f} {tri[0]:8.1f} {reference:8.1f}  "
          f"{tes[0] / tri[0]:6.2f}  {tes[0] / reference:7.2f}  {tes[1]} (triton {tri[1]})")


def desc_launcher(kernel, descriptor, q, k, v, o, scale, causal, cfg):
    """One forward of attention_fwd_desc: `descriptor` (Tessel's or
    Triton's TensorDescriptor class) over each [Z * H * N, D] tensor."""
    bm, bn, warps, stages, *ws = cfg
    z, h, n, d = q.shape

    def desc(t, rows):
        return descriptor(t.view(z * h * n, d), [z * h * n, d], [d, 1], [rows, d])

    descs = desc(q, bm), desc(k, bn), desc(v, bn), desc(o, bm)

    def run():
        kernel[(n // bm, z * h)](*descs, scale, n, HEAD_DIM=d, BLOCK_M=bm, BLOCK_N=bn,
                                 CAUSAL=causal, WARP_SPECIALIZE=bool(ws and ws[0]),
                                 num_warps=warps, num_stages=stages)
    return run


def launcher(kernel, q, k, v, o, scale, causal, cfg, v_transposed=False):
    """One forward; with `v_transposed`, v is [Z, H, D, N] (the float8 form)."""
    bm, bn, warps, stages = cfg
    z, h, n, d = q.shape
    st = [*q.stride()[:3]]
    sv = [*v.stride()[:3]]
    extra = dict(V_TRANSPOSED=True) if v_transposed else {}

    def run():
        kernel[(tessel.cdiv(n, bm), z * h)](q, k, v, o, scale, n, *st, *st, *sv, *o.stride()[:3],
                                            H=h, HEAD_DIM=d, BLOCK_M=bm, BLOCK_N=bn,
                                            CAUSAL=causal, num_warps=warps, num_stages=stages,
                                            **extra)
    return run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seqs", type=int, nargs="*", default=[1024, 4096])
    ap.add_argument("--dims", type=int, nargs="*", default=[64, 128])
    ap.add_argument("--verbose", action="store_true", help="each config's TFLOP/s")
    ap.add_argument("--fp8", action="store_true",
                    help="float8e4nv Q, K, V (V stored [Z, H, D, N], as Triton's fp8 tutorial "
                         "path), float16 output; SDPA runs on their float16 values")
    ap.add_argument("--desc", action="store_true",
                    help="attention_fwd_desc on host tensor descriptors (TMA on Hopper), both")
    args = ap.parse_args()
    import triton
    import triton.language as ttl
    from triton.tools.tensor_descriptor import TensorDescriptor as TritonDescriptor

    from tessel.tools.tensor_descriptor import TensorDescriptor as TesselDescriptor

    triton_attn = load("attention", triton.jit, ttl)["attention_fwd"]
    if args.desc:
        global tessel_attn
        tessel_attn = load("attention", tessel.jit, tl)["attention_fwd_desc"]
        triton_attn = load("attention", triton.jit, ttl)["attention_fwd_desc"]
        descriptors = {"tessel": TesselDescriptor, "triton": TritonDescriptor}
    kind = "fp8e4nv" if args.fp8 else "f16"
    print(f"# attention fwd {kind}{' (descriptors)' if args.desc else ''}, "
          f"{torch.cuda.get_device_name()}, {datetime.date.today()}")
    print(f"{'N':>6} {'D':>4} {'causal':>6} {'tessel':>8} {'triton':>8} {'sdpa':>8}  tes/tri  tes/sdpa  tessel cfg")
    for n in args.seqs:
        for d in args.dims:
            for causal in (False, True):
                z, h = 4, 32
                torch.manual_seed(0)
                q, k, v = (torch.randn(z, h, n, d, device="cuda", dtype=torch.float16) for _ in range(3))
                scale = d ** -0.5
                if args.fp8:
                    # The float16 values of the float8 tensors feed SDPA (reference and speed).
                    q8, k8, v8 = (x.to(torch.float8_e4m3fn) for x in (q, k, v))
                    q, k, v = (x.to(torch.float16) for x in (q8, k8, v8))
                    operands = (q8, k8, v8.transpose(2, 3).contiguous())
                else:
                    operands = (q, k, v)
                ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=causal, scale=scale)
                flops = 4 * z * h * n * n * d * (0.5 if causal else 1)
                # float8: P is rounded to e4m3 (3 mantissa bits) before P V.
                tol = 1e-1 if args.fp8 else 2e-2
                best = {}
                for name, kernel in (("tessel", tessel_attn), ("triton", triton_attn)):
                    for cfg in CONFIGS + (WS_CONFIGS if args.desc else []):
                        o = torch.empty_like(q)
                        run = (desc_launcher(kernel, descriptors[name], *operands, o, scale,
                                             causal, cfg) if args.desc else
                               launcher(kernel, *operands, o, scale, causal, cfg, args.fp8))
                        tflops = checked_tflops(
                            f"{name} {cfg}", run,
                            lambda _: (o.float() - ref.float()).abs().max().item(), tol,
                            flops, args.verbose)
                        if tflops and tflops > best.get(name, (0, None))[0]:
                            best[name] = (tflops, cfg)
                sdpa = flops / bench(lambda: torch.nn.functional.scaled_dot_product_attention(
                    q, k, v, is_causal=causal, scale=scale)) * 1e-9
                report_row(n, d, causal, best, sdpa)


if __name__ == "__main__":
    main()
