"""TFLOP/s of the descriptor matmul (4096^3 float16) with and without the
producer warp (`warp_specialize=True`) across num_stages, per tile config:

    python3 bench/probe/ws_sweep.py
"""
import os, sys, torch, triton
sys.path.insert(0, "bench")
import tessel, tessel.language as tl
from tessel.tools.tensor_descriptor import TensorDescriptor
from kernels import load
k = load("matmul", tessel.jit, tl)
n = 4096
a = torch.randn(n, n, device="cuda", dtype=torch.float16); b = torch.randn(n, n, device="cuda", dtype=torch.float16)
c = torch.empty(n, n, device="cuda", dtype=torch.float16)
for (bm, bn, bk, w) in [(64, 256, 32, 4), (128, 128, 64, 4), (128, 256, 64, 8), (128, 128, 64, 8)][:int(os.environ.get("CONFIGS", "4"))]:
    for st in (int(s) for s in os.environ.get("STAGES", "3 4 6 8").split()):
        for ws in (False, True):
            d = (TensorDescriptor.from_tensor(a, [bm, bk]), TensorDescriptor.from_tensor(b, [bk, bn]), TensorDescriptor.from_tensor(c, [bm, bn]))
            run = lambda: k["matmul_desc"][((n // bm) * (n // bn),)](*d, n, n, n, BLOCK_SIZE_M=bm, BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk, GROUP_SIZE_M=8, WARP_SPECIALIZE=ws, num_warps=w, num_stages=st)
            try:
                run(); torch.cuda.synchronize()
            except Exception as e:
                print(bm, bn, bk, w, st, ws, "skip", type(e).__name__); continue
            ms = triton.testing.do_bench(run, warmup=25, rep=150, return_mode="median")
            print(f"{bm}x{bn}x{bk}/{w} stages {st} ws={ws}: {2*n**3/ms/1e9:7.1f}")
