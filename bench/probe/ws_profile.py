"""Launches the descriptor matmul once with and once without the producer
warp (one config), for a profiler to compare:

    ncu --section WarpStateStats --section SchedulerStats -k regex:matmul_desc \
        python3 bench/probe/ws_profile.py [BM BN BK WARPS STAGES] [--persistent]
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tessel  # noqa: E402
import tessel.language as tl  # noqa: E402
from tessel.tools.tensor_descriptor import TensorDescriptor  # noqa: E402

from kernels import load  # noqa: E402

args = [a for a in sys.argv[1:] if not a.startswith("--")]
bm, bn, bk, warps, stages = (int(v) for v in args) if args else (64, 256, 32, 4, 4)
persistent = "--persistent" in sys.argv
kernels = load("matmul", tessel.jit, tl)
n = 4096
a = torch.randn(n, n, device="cuda", dtype=torch.float16)
b = torch.randn(n, n, device="cuda", dtype=torch.float16)
c = torch.empty(n, n, device="cuda", dtype=torch.float16)
descs = (TensorDescriptor.from_tensor(a, [bm, bk]), TensorDescriptor.from_tensor(b, [bk, bn]),
         TensorDescriptor.from_tensor(c, [bm, bn]))
tiles = (n // bm) * (n // bn)
for ws in (False, True):
    if persistent:
        sms = torch.cuda.get_device_properties(0).multi_processor_count
        kernels["matmul_persistent"][(min(sms, tiles),)](
            *descs, n, n, n, BLOCK_SIZE_M=bm, BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk, GROUP_SIZE_M=8,
            NUM_SMS=sms, WARP_SPECIALIZE=ws, num_warps=warps, num_stages=stages)
    else:
        kernels["matmul_desc"][(tiles,)](
            *descs, n, n, n, BLOCK_SIZE_M=bm, BLOCK_SIZE_N=bn, BLOCK_SIZE_K=bk, GROUP_SIZE_M=8,
            WARP_SPECIALIZE=ws, num_warps=warps, num_stages=stages)
    torch.cuda.synchronize()
    err = ((c.float() - a.float() @ b.float()).abs().max()).item()
    print(f"ws={ws}: max error {err:.3g}")
