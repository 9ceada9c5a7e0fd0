"""One matmul config for compute-sanitizer: argv = m n k bm bn bk warps stages."""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tessel  # noqa: E402
import tessel.language as tl  # noqa: E402
from kernels import load  # noqa: E402

matmul = load("matmul", tessel.jit, tl)["matmul"]
m, n, k, bm, bn, bk, warps, stages = (int(v) for v in sys.argv[1:9])
torch.manual_seed(0)
a = torch.randn(m, k, device="cuda", dtype=torch.float16)
b = torch.randn(k, n, device="cuda", dtype=torch.float16)
c = torch.empty(m, n, device="cuda", dtype=torch.float16)
grid = (tessel.cdiv(m, bm) * tessel.cdiv(n, bn),)
matmul[grid](a, b, c, m, n, k, a.stride(0), b.stride(0), c.stride(0), BLOCK_SIZE_M=bm,
             BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk, GROUP_SIZE_M=8, num_warps=warps, num_stages=stages)
torch.cuda.synchronize()
ref = (a.float() @ b.float())
print("rel err", ((c.float() - ref).abs().max() / ref.abs().max()).item())
