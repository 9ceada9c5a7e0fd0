"""Dumps Triton's TTGIR and PTX for the row-sums kernel (64x128 tiles, 8
warps) next to Tessel's PTX, to compare what each compiler emits."""
import os
import sys

import torch
import triton
import triton.language as tl

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tessel
import tessel.language as ttl
from kernels import load

out = os.environ.get("OUT", ".")
m, n = 16384, 4096
x = torch.randn(m, n, device="cuda")
y = torch.empty(m, device="cuda")
TR = load("shapes", triton.jit, tl)
TS = load("shapes", tessel.jit, ttl)
k = TR["row_sums"][(m // 64,)](x, y, m, n, BM=64, BN=128, num_warps=8)
for name in ("ttgir", "ptx"):
    with open(os.path.join(out, f"triton_rowsums.{name}"), "w") as f:
        f.write(k.asm[name])
ck = TS["row_sums"][(m // 64,)](x, y, m, n, BM=64, BN=128, num_warps=8)
with open(os.path.join(out, "tessel_rowsums.ptx"), "w") as f:
    f.write(ck.asm["ptx"])
print("ok", k.n_regs if hasattr(k, "n_regs") else "")
