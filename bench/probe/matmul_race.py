"""A small pipelined matmul for compute-sanitizer (racecheck, synccheck):
several K iterations, a ragged K (masked, zero-filled copies), checked
against torch.

    compute-sanitizer --tool racecheck python3 bench/probe/matmul_race.py
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tessel  # noqa: E402
import tessel.language as tl  # noqa: E402
from kernels import load  # noqa: E402

matmul = load("matmul", tessel.jit, tl)["matmul"]
torch.manual_seed(0)
for (m, n, k), (bm, bn, bk, warps, stages) in [((256, 256, 1000), (128, 128, 64, 8, 3)),
                                                ((128, 256, 640), (128, 256, 64, 8, 4)),
                                                ((192, 128, 800), (64, 64, 32, 4, 2))]:
    a = torch.randn(m, k, device="cuda", dtype=torch.float16)
    b = torch.randn(k, n, device="cuda", dtype=torch.float16)
    c = torch.empty(m, n, device="cuda", dtype=torch.float16)
    grid = (tessel.cdiv(m, bm) * tessel.cdiv(n, bn),)
    matmul[grid](a, b, c, m, n, k, a.stride(0), b.stride(0), c.stride(0), BLOCK_SIZE_M=bm,
                 BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk, GROUP_SIZE_M=8, num_warps=warps, num_stages=stages)
    torch.cuda.synchronize()
    ref = (a.float() @ b.float()).half()
    err = ((c.float() - ref.float()).abs().max() / ref.float().abs().max()).item()
    print(f"{m}x{n}x{k} tiles {bm}x{bn}x{bk} w{warps} s{stages}: rel err {err:.2e}")
    assert err < 1e-2
