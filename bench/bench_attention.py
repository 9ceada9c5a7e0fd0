"""Fused attention forward: Tessel vs Triton (the same kernel text,
bench/kernels/attention.py, the plain form of Triton's tutorial 06) vs
torch SDPA, float16, Z=4, H=32, on the same random data.

    python3 bench/bench_attention.py [--seqs 1024 4096] [--dims 64 128]

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
           (128, 64, 8, 3), (128, 128, 8, 2), (64, 32, 4, 4)]


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


def launcher(kernel, q, k, v, o, scale, causal, cfg):
    bm, bn, warps, stages = cfg
    z, h, n, d = q.shape
    st = [*q.stride()[:3]]

    def run():
        kernel[(tessel.cdiv(n, bm), z * h)](q, k, v, o, scale, n, *st, *st, *st, *st, H=h, HEAD_DIM=d,
                                            BLOCK_M=bm, BLOCK_N=bn, CAUSAL=causal,
                                            num_warps=warps, num_stages=stages)
    return run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seqs", type=int, nargs="*", default=[1024, 4096])
    ap.add_argument("--dims", type=int, nargs="*", default=[64, 128])
    ap.add_argument("--verbose", action="store_true", help="each config's TFLOP/s")
    args = ap.parse_args()
    import triton
    import triton.language as ttl

    triton_attn = load("attention", triton.jit, ttl)["attention_fwd"]
    print(f"# attention fwd f16, {torch.cuda.get_device_name()}, {datetime.date.today()}")
    print(f"{'N':>6} {'D':>4} {'causal':>6} {'tessel':>8} {'triton':>8} {'sdpa':>8}  tes/tri  tes/sdpa  tessel cfg")
    for n in args.seqs:
        for d in args.dims:
            for causal in (False, True):
                z, h = 4, 32
                torch.manual_seed(0)
                q, k, v = (torch.randn(z, h, n, d, device="cuda", dtype=torch.float16) for _ in range(3))
                scale = d ** -0.5
                ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=causal, scale=scale)
                flops = 4 * z * h * n * n * d * (0.5 if causal else 1)
                best = {}
                for name, kernel in (("tessel", tessel_attn), ("triton", triton_attn)):
                    for cfg in CONFIGS:
                        o = torch.empty_like(q)
                        tflops = checked_tflops(
                            f"{name} {cfg}", launcher(kernel, q, k, v, o, scale, causal, cfg),
                            lambda _: (o.float() - ref.float()).abs().max().item(), 2e-2,
                            flops, args.verbose)
                        if tflops and tflops > best.get(name, (0, None))[0]:
                            best[name] = (tflops, cfg)
                sdpa = flops / bench(lambda: torch.nn.functional.scaled_dot_product_attention(
                    q, k, v, is_causal=causal, scale=scale)) * 1e-9
                report_row(n, d, causal, best, sdpa)


if __name__ == "__main__":
    main()
