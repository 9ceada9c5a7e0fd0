"""One matmul config of Tessel and of Triton, same data, for ncu; writes both SASS.

    python3 bench/probe/matmul_profile.py OUT_DIR [n bm bn bk warps stages]
    ncu --clock-control none -k regex:matmul --section ... python3 bench/probe/matmul_profile.py ...
"""
import os
import sys

import torch
import triton
import triton.language as tl

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tessel  # noqa: E402
import tessel.language as ttl  # noqa: E402
from kernels import load  # noqa: E402
from sass_dump import report_and_dump  # noqa: E402 (this directory)

out = sys.argv[1]
n, bm, bn, bk, warps, stages = (int(v) for v in (sys.argv[2:8] or (4096, 128, 256, 64, 8, 3)))
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
a = torch.randn(n, n, device="cuda", dtype=torch.float16)
b = torch.randn(n, n, device="cuda", dtype=torch.float16)
ref = a.float() @ b.float()
for name, jit, lang in (("tessel", tessel.jit, ttl), ("triton", triton.jit, tl)):
    kernel = load("matmul", jit, lang)["matmul"]
    c = torch.empty(n, n, device="cuda", dtype=torch.float16)
    grid = (triton.cdiv(n, bm) * triton.cdiv(n, bn),)
    compiled = kernel[grid](a, b, c, n, n, n, a.stride(0), b.stride(0), c.stride(0),
                            BLOCK_SIZE_M=bm, BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk, GROUP_SIZE_M=8,
                            num_warps=warps, num_stages=stages)
    torch.cuda.synchronize()
    err = ((c.float() - ref).norm() / ref.norm()).item()
    report_and_dump(name, compiled, f"rel err {err:.2e}", out, name)
