#!/usr/bin/env python3
"""Layer norm forward and backward, and RMSNorm (float32): Tessel vs Triton vs
PyTorch, same GPU, same data. The Tessel and Triton kernels are the same text.

    python3 bench/bench_norms.py [--rows 4096] [--cols 1024 4096 8192] [--csv out.csv]

Forward: one program per row, the row in registers. Backward: dx per row; the
weight and bias gradients accumulate per program over a stripe of rows into a
[programs, N] buffer that a second kernel sums (no atomics).
GB/s count the bytes each kernel must move at least.
"""
from __future__ import annotations

import argparse
import datetime

import torch
import triton
import triton.language as tl

import tessel
import tessel.language as ttl

EPS = 1e-5


from kernels import load


def kernel_set(jit, lang):
    ns = load("norms", jit, lang)
    return (ns["layer_norm_fwd"], ns["layer_norm_bwd_dx"], ns["layer_norm_bwd_dwdb"],
            ns["rms_norm_fwd"])


KERNELS = {"tessel": kernel_set(tessel.jit, ttl), "triton": kernel_set(triton.jit, tl)}


def warps(block: int) -> int:
    return 4 if block <= 1024 else 8 if block <= 4096 else 16


def run_case(m: int, n: int):
    dev = "cuda"
    x = torch.randn(m, n, device=dev)
    w = torch.rand(n, device=dev) + 0.5
    b = torch.randn(n, device=dev)
    dy = torch.randn(m, n, device=dev)
    block = triton.next_power_of_2(n)
    nw = warps(block)
    parts = 4 * torch.cuda.get_device_properties(0).multi_processor_count
    rows_per_prog = triton.cdiv(m, parts)
    results = {}
    for name, (fwd, bwd_dx, bwd_dwdb, rms) in KERNELS.items():
        y = torch.empty_like(x)
        mean = torch.empty(m, device=dev)
        rstd = torch.empty(m, device=dev)
        dx = torch.empty_like(x)
        dw_part = torch.empty(parts, n, device=dev)
        db_part = torch.empty(parts, n, device=dev)
        dw = torch.empty(n, device=dev)
        db = torch.empty(n, device=dev)
        yr = torch.empty_like(x)
        f = lambda: fwd[(m,)](x, y, w, b, mean, rstd, x.stride(0), n, EPS, BLOCK=block, num_warps=nw)

        def g():
            bwd_dx[(parts,)](x, dy, dx, w, mean, rstd, dw_part, db_part, x.stride(0), m, n,
                             rows_per_prog, BLOCK=block, num_warps=nw)
            bwd_dwdb[(triton.cdiv(n, 128),)](dw_part, db_part, dw, db, parts, n, BM=32, BN=128,
                                             num_warps=4)
        r = lambda: rms[(m,)](x, yr, w, x.stride(0), n, EPS, BLOCK=block, num_warps=nw)
        f(); g(); r()
        torch.cuda.synchronize()
        results[name] = dict(y=y.clone(), dx=dx.clone(), dw=dw.clone(), db=db.clone(),
                             yr=yr.clone(), fwd=f, bwd=g, rms=r)
    # References in float64.
    xd, wd, bd, dyd = x.double().requires_grad_(), w.double().requires_grad_(), \
        b.double().requires_grad_(), dy.double()
    yd = torch.nn.functional.layer_norm(xd, (n,), wd, bd, EPS)
    yd.backward(dyd)
    yrd = xd.detach() * torch.rsqrt(xd.detach().pow(2).mean(1, keepdim=True) + EPS) * wd.detach()

    def rel(a, ref):
        return ((a.double() - ref).norm() / ref.norm()).item()
    for name, res in results.items():
        errs = [rel(res["y"], yd.detach()), rel(res["dx"], xd.grad), rel(res["dw"], wd.grad),
                rel(res["db"], bd.grad), rel(res["yr"], yrd)]
        assert max(errs) < 1e-5, f"{name}: relative errors {errs}"
    torch_ln = lambda: torch.nn.functional.layer_norm(x, (n,), w, b, EPS)
    xt = x.clone().requires_grad_()
    wt, bt = w.clone().requires_grad_(), b.clone().requires_grad_()
    yt = torch.nn.functional.layer_norm(xt, (n,), wt, bt, EPS)
    torch_bwd = lambda: torch.autograd.grad(yt, (xt, wt, bt), dy, retain_graph=True)
    torch_rms = lambda: torch.nn.functional.rms_norm(x, (n,), w, EPS)
    bench = lambda fn: triton.testing.do_bench(fn, return_mode="median")
    out = {}
    gb_fwd = (2 * m * n + 2 * n) * 4 / 1e9
    gb_bwd = (3 * m * n + n) * 4 / 1e9
    for what, gb, torch_fn in (("fwd", gb_fwd, torch_ln), ("bwd", gb_bwd, torch_bwd),
                               ("rms", gb_fwd, torch_rms)):
        t = {name: bench(res[what]) for name, res in results.items()}
        t["torch"] = bench(torch_fn)
        out[what] = {k: gb / v * 1e3 for k, v in t.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=4096)
    parser.add_argument("--cols", type=int, nargs="+", default=[1024, 4096, 8192])
    parser.add_argument("--csv", default="")
    args = parser.parse_args()
    print(f"# layer norm / RMSNorm f32, {torch.cuda.get_device_name()}, {datetime.date.today()}")
    print(f"{'kernel':>8} {'shape':>10} {'tessel GB/s':>12} {'triton GB/s':>12} {'torch GB/s':>11} "
          f"{'tessel/triton':>14} {'tessel/torch':>13}")
    lines = []
    for n in args.cols:
        res = run_case(args.rows, n)
        for what, v in res.items():
            label = {"fwd": "LN fwd", "bwd": "LN bwd", "rms": "RMS fwd"}[what]
            lines.append((label, f"{args.rows}x{n}", v["tessel"], v["triton"], v["torch"]))
            print(f"{label:>8} {args.rows}x{n:<5} {v['tessel']:12.0f} {v['triton']:12.0f} "
                  f"{v['torch']:11.0f} {v['tessel'] / v['triton']:14.3f} "
                  f"{v['tessel'] / v['torch']:13.3f}")
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("kernel,shape,tessel_gbps,triton_gbps,torch_gbps\n")
            for l in lines:
                f.write(f"{l[0]},{l[1]},{l[2]:.1f},{l[3]:.1f},{l[4]:.1f}\n")


if __name__ == "__main__":
    main()
