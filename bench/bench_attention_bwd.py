"""Fused attention backward: Tessel vs Triton (the same kernel text,
bench/kernels/attention.py: delta = rowsum(O dO), then dK/dV per key block and
dQ per query block) vs torch SDPA's backward, float16, Z=4, H=32, same random
data; every result is checked against SDPA's gradients first.

    python3 bench/bench_attention_bwd.py [--seqs 4096] [--dims 64 128] [--verbose]

TFLOP/s count 2.5 times the forward's 4 N^2 D per head (FlashAttention's
convention: the backward's five matmuls), halved for causal.
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
from bench_attention import bench, checked_tflops, report_row  # noqa: E402
from kernels import load  # noqa: E402

# (BLOCK_M, BLOCK_N, num_warps, num_stages) of the dK/dV kernel (BLOCK_N keys per
# program, BLOCK_M queries per step); the dQ kernel takes them swapped (BLOCK_N
# queries per program, BLOCK_M keys per step), as Triton's tutorial pairs
# BLOCK_N1 = BLOCK_M2 = 128 with BLOCK_M1 = BLOCK_N2 = 32. The best per system
# is reported.
CONFIGS = [(64, 64, 4, 1), (64, 64, 4, 3), (32, 128, 4, 3), (32, 128, 8, 3), (64, 128, 8, 3),
           (64, 128, 8, 2)]


def backward(kernels, q, k, v, o, do, lse, scale, causal, cfg):
    """The three kernels of the backward as one call; returns (dq, dk, dv)."""
    bm, bn, warps, stages = cfg
    z, h, n, d = q.shape
    delta = torch.empty((z * h, n), dtype=torch.float32, device=q.device)
    dq, dk, dv = (torch.empty_like(x) for x in (q, k, v))
    st = [*q.stride()[:3]]
    launch = dict(num_warps=warps, num_stages=stages)

    def run():
        kernels["attention_bwd_preprocess"][(tessel.cdiv(n, bm), z * h)](
            o, do, delta, n, *st, H=h, HEAD_DIM=d, BLOCK_M=bm, num_warps=4)
        kernels["attention_bwd_dkdv"][(tessel.cdiv(n, bn), z * h)](
            q, k, v, do, dk, dv, lse, delta, scale, n, *st, H=h, HEAD_DIM=d, BLOCK_M=bm,
            BLOCK_N=bn, CAUSAL=causal, **launch)
        kernels["attention_bwd_dq"][(tessel.cdiv(n, bn), z * h)](
            q, k, v, do, dq, lse, delta, scale, n, *st, H=h, HEAD_DIM=d, BLOCK_M=bn,
            BLOCK_N=bm, CAUSAL=causal, **launch)
        return dq, dk, dv
    return run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seqs", type=int, nargs="*", default=[4096])
    ap.add_argument("--dims", type=int, nargs="*", default=[64, 128])
    ap.add_argument("--verbose", action="store_true", help="each config's TFLOP/s")
    args = ap.parse_args()
    import triton
    import triton.language as ttl

    systems = {"tessel": load("attention", tessel.jit, tl),
               "triton": load("attention", triton.jit, ttl)}
    print(f"# attention bwd f16, {torch.cuda.get_device_name()}, {datetime.date.today()}")
    print(f"{'N':>6} {'D':>4} {'causal':>6} {'tessel':>8} {'triton':>8} {'sdpa':>8}  tes/tri  "
          "tes/sdpa  tessel cfg")
    for n in args.seqs:
        for d in args.dims:
            for causal in (False, True):
                z, h = 4, 32
                torch.manual_seed(0)
                q, k, v = (torch.randn(z, h, n, d, device="cuda", dtype=torch.float16,
                                       requires_grad=True) for _ in range(3))
                scale = d ** -0.5
                o = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=causal,
                                                                      scale=scale)
                do = torch.randn_like(o)
                ref = torch.autograd.grad(o, (q, k, v), do, retain_graph=True)
                # The forward's rows' log-sum-exp (base 2) from the Tessel forward kernel.
                lse = torch.empty((z * h, n), dtype=torch.float32, device="cuda")
                out = torch.empty_like(q)
                st = [*q.stride()[:3]]
                systems["tessel"]["attention_fwd_lse"][(tessel.cdiv(n, 64), z * h)](
                    q.detach(), k.detach(), v.detach(), out, lse, scale, n, *st, *st, *st, *st,
                    H=h, HEAD_DIM=d, BLOCK_M=64, BLOCK_N=64, CAUSAL=causal, num_warps=4,
                    num_stages=3)
                flops = 2.5 * 4 * z * h * n * n * d * (0.5 if causal else 1)
                best = {}
                for name, kernels in systems.items():
                    for cfg in CONFIGS:
                        tflops = checked_tflops(
                            f"{name} {cfg}",
                            backward(kernels, q.detach(), k.detach(), v.detach(), out, do, lse,
                                     scale, causal, cfg),
                            lambda grads: max((g.float() - r.float()).abs().max().item()
                                              for g, r in zip(grads, ref)),
                            5e-2, flops, args.verbose)
                        if tflops and tflops > best.get(name, (0, None))[0]:
                            best[name] = (tflops, cfg)
                sdpa = flops / bench(lambda: torch.autograd.grad(o, (q, k, v), do,
                                                                 retain_graph=True)) * 1e-9
                report_row(n, d, causal, best, sdpa)


if __name__ == "__main__":
    main()
