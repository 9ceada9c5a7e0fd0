"""C = A B^T (test/python/test_dot.py's matmul_nt_kernel, B as N x K rows)
as sm_80 code (the H200 runs it through the driver's PTX compiler), 4096^3
float16 into float32: TFLOP/s, registers, spills and error per config:

    TESSEL_TARGET=nvidia:sm_80 python3 bench/probe/sm80_nt.py
"""
import sys, os, torch
sys.path.insert(0, "test/python")
import test_dot as t
import tessel
from tessel.testing import do_bench
n = int(os.environ.get("N", "4096"))
torch.manual_seed(0)
a = torch.randn(n, n, device="cuda", dtype=torch.float16)
w = torch.randn(n, n, device="cuda", dtype=torch.float16)
ref = a.float() @ w.float().T
for bm, bn, warps, stages in [(128, 128, 4, 3), (128, 256, 8, 3), (64, 128, 4, 3), (128, 128, 8, 3), (128, 64, 4, 4)]:
    c = torch.empty(n, n, device="cuda", dtype=torch.float32)
    run = lambda: t.matmul_nt_kernel[(tessel.cdiv(n, bm), tessel.cdiv(n, bn))](
        a, w, c, n, n, n, n, n, n, BM=bm, BN=bn, BK=64, num_warps=warps, num_stages=stages)
    run(); torch.cuda.synchronize()
    k = t.matmul_nt_kernel.warmup(a, w, c, n, n, n, n, n, n, BM=bm, BN=bn, BK=64, grid=(1,),
                                  num_warps=warps, num_stages=stages)
    err = ((c - ref).abs().max() / ref.abs().max()).item()
    ms = do_bench(run)
    print(f"{(bm, bn, 64, warps, stages)}: {2*n**3/ms*1e-9:.1f} TFLOP/s, regs {k.n_regs}, spills {k.n_spills}, rel err {err:.2e}")
