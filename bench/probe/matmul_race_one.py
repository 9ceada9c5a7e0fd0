"""One matmul config for compute-sanitizer:
argv = m n k bm bn bk warps stages [dtype [nt]], dtype float16 (default),
float8e4nv or int8 (those two multiply by B given as N x K rows, as `nt`
does for float16: the staged ring with a K-major B)."""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tessel  # noqa: E402
import tessel.language as tl  # noqa: E402
from kernels import load  # noqa: E402

m, n, k, bm, bn, bk, warps, stages = (int(v) for v in sys.argv[1:9])
dtype_name = sys.argv[9] if len(sys.argv) > 9 else "float16"
nt = dtype_name != "float16" or (len(sys.argv) > 10 and sys.argv[10] == "nt")
matmul = load("matmul", tessel.jit, tl)["matmul_nt" if nt else "matmul"]
torch.manual_seed(0)
if dtype_name == "int8":
    a = torch.randint(-128, 128, (m, k), device="cuda", dtype=torch.int8)
    b = torch.randint(-128, 128, (n, k), device="cuda", dtype=torch.int8)
    c = torch.empty(m, n, device="cuda", dtype=torch.int32)
else:
    dtype = {"float16": torch.float16, "float8e4nv": torch.float8_e4m3fn}[dtype_name]
    a = torch.randn(m, k, device="cuda").to(dtype)
    b = torch.randn(*((n, k) if nt else (k, n)), device="cuda").to(dtype)
    c = torch.empty(m, n, device="cuda", dtype=torch.float16)
grid = (tessel.cdiv(m, bm) * tessel.cdiv(n, bn),)
matmul[grid](a, b, c, m, n, k, a.stride(0), b.stride(0), c.stride(0), BLOCK_SIZE_M=bm,
             BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk, GROUP_SIZE_M=8, num_warps=warps, num_stages=stages)
torch.cuda.synchronize()
ref = a.double() @ (b.double().T if nt else b.double())
print(dtype_name, "nt" if nt else "nn", "rel err",
      ((c.double() - ref).abs().max() / ref.abs().max()).item())
