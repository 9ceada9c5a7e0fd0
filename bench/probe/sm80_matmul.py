"""The mma.sync path (sm_80 code, which the H200 runs through the driver's
PTX compiler) on the tutorial matmul: TFLOP/s per config at one size, with
torch.matmul (cuBLAS, Hopper code) beside for scale only.

    TESSEL_TARGET=nvidia:sm_80 python3 bench/probe/sm80_matmul.py [--size 4096]
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tessel  # noqa: E402
import tessel.language as tl  # noqa: E402
from tessel.testing import do_bench  # noqa: E402

from kernels import load  # noqa: E402

matmul = load("matmul", tessel.jit, tl)["matmul"]
CONFIGS = [(128, 128, 32, 8, 8, 3), (128, 64, 32, 8, 4, 3), (64, 64, 32, 8, 4, 3),
           (128, 128, 32, 8, 4, 3), (64, 128, 64, 8, 4, 3), (128, 256, 32, 8, 8, 3),
           (128, 128, 32, 8, 8, 4), (128, 128, 64, 8, 8, 3), (128, 256, 32, 8, 8, 4),
           (128, 128, 32, 8, 4, 4), (64, 128, 32, 8, 4, 4)]

ap = argparse.ArgumentParser()
ap.add_argument("--size", type=int, default=4096)
n = ap.parse_args().size
print(f"# TESSEL_TARGET={os.environ.get('TESSEL_TARGET', '')} {n}^3 float16")
torch.manual_seed(0)
a = torch.randn(n, n, device="cuda", dtype=torch.float16)
b = torch.randn(n, n, device="cuda", dtype=torch.float16)
ref = a.float() @ b.float()
flops = 2 * n ** 3
ms = do_bench(lambda: torch.matmul(a, b))
print(f"cuBLAS (Hopper): {flops / ms * 1e-9:.1f} TFLOP/s")
for bm, bn, bk, group, warps, stages in CONFIGS:
    c = torch.empty(n, n, device="cuda", dtype=torch.float16)

    def run():
        matmul[(tessel.cdiv(n, bm) * tessel.cdiv(n, bn),)](
            a, b, c, n, n, n, a.stride(0), b.stride(0), c.stride(0), BLOCK_SIZE_M=bm,
            BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk, GROUP_SIZE_M=group, num_warps=warps,
            num_stages=stages)

    try:
        k = matmul.warmup(a, b, c, n, n, n, a.stride(0), b.stride(0), c.stride(0), grid=(1,),
                          BLOCK_SIZE_M=bm, BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk, GROUP_SIZE_M=group,
                          num_warps=warps, num_stages=stages)
        run()
        torch.cuda.synchronize()
    except Exception as e:  # noqa: BLE001
        print(f"{(bm, bn, bk, warps, stages)}: skipped ({type(e).__name__}: {str(e)[:100]})")
        continue
    err = (c.float() - ref).abs().max().item()
    ms = do_bench(run)
    print(f"{(bm, bn, bk, warps, stages)}: {flops / ms * 1e-9:.1f} TFLOP/s, regs {k.n_regs}, "
          f"spills {k.n_spills}, max err {err:.3g}")
