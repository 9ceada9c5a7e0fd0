"""One launch each of cuBLAS (torch.matmul), Triton's and Tessel's descriptor
matmul (same config), 4096^3 float16, for a profiler to compare where the
time goes (issue 7: 0.88x cuBLAS at 4096^3; SHAPE=MxNxK for another problem):

    ncu --section SpeedOfLight --section LaunchStats --section Occupancy \
        --section MemoryWorkloadAnalysis --section ComputeWorkloadAnalysis \
        -k regex:'matmul|gemm|nvjet|xmma|cutlass' python3 bench/probe/gemm_compare.py

Launch order: cuBLAS, Triton, Tessel (Triton's and Tessel's kernels share
the name matmul_desc).
"""
import os
import sys

import torch
import triton
import triton.language as tl

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tessel  # noqa: E402
import tessel.language as ttl  # noqa: E402
from tessel.tools.tensor_descriptor import TensorDescriptor as TesselDescriptor  # noqa: E402
from triton.tools.tensor_descriptor import TensorDescriptor as TritonDescriptor  # noqa: E402

from kernels import load  # noqa: E402

bm, bn, bk, warps, stages = (int(v) for v in sys.argv[1:6]) if len(sys.argv) > 5 else (
    128, 256, 64, 8, 4)
m, n, k = (int(v) for v in os.environ.get("SHAPE", "4096x4096x4096").split("x"))
torch.manual_seed(0)
a = torch.randn(m, k, device="cuda", dtype=torch.float16)
b = torch.randn(k, n, device="cuda", dtype=torch.float16)
c = torch.empty(m, n, device="cuda", dtype=torch.float16)
tiles = triton.cdiv(m, bm) * triton.cdiv(n, bn)
launches = [lambda: torch.matmul(a, b, out=c)]
for jit, lang, desc in ((triton.jit, tl, TritonDescriptor), (tessel.jit, ttl, TesselDescriptor)):
    kernel = load("matmul", jit, lang)["matmul_desc"]
    d = desc.from_tensor(a, [bm, bk]), desc.from_tensor(b, [bk, bn]), desc.from_tensor(c, [bm, bn])
    launches.append(lambda kernel=kernel, d=d: kernel[(tiles,)](
        *d, m, n, k, BLOCK_SIZE_M=bm, BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk, GROUP_SIZE_M=8,
        num_warps=warps, num_stages=stages))
for run in launches:  # compile and warm up outside the profiled launch count
    run()
torch.cuda.synchronize()
for run in launches:
    run()
torch.cuda.synchronize()
