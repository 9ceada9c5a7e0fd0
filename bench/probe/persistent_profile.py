"""ncu of the 8192x8192x512 float16 matmul: the non-persistent descriptor
kernel, then the persistent one without and with the producer warp
(128x256x64, 8 warps, 3 stages; one profiled launch each after a warm-up):

    ncu --section SpeedOfLight --section WarpStateStats --section SourceCounters \
        --section MemoryWorkloadAnalysis -k regex:matmul -s 3 -c 3 \
        python3 bench/probe/persistent_profile.py
"""
import sys, os, torch, triton
sys.path.insert(0, "bench")
import tessel, tessel.language as tl
from kernels import load
from tessel.tools.tensor_descriptor import TensorDescriptor as D
k = load("matmul", tessel.jit, tl)
m, n, kk = 8192, 8192, 512
a = torch.randn(m, kk, device="cuda", dtype=torch.float16); b = torch.randn(kk, n, device="cuda", dtype=torch.float16)
c = torch.empty(m, n, device="cuda", dtype=torch.float16)
d = (D.from_tensor(a, [128, 64]), D.from_tensor(b, [64, 256]), D.from_tensor(c, [128, 256]))
tiles = (m // 128) * (n // 256)
runs = [lambda: k["matmul_desc"][(tiles,)](*d, m, n, kk, BLOCK_SIZE_M=128, BLOCK_SIZE_N=256, BLOCK_SIZE_K=64, GROUP_SIZE_M=8, num_warps=8, num_stages=3)]
for ws in (False, True):
    runs.append(lambda ws=ws: k["matmul_persistent"][(132,)](*d, m, n, kk, BLOCK_SIZE_M=128, BLOCK_SIZE_N=256, BLOCK_SIZE_K=64, GROUP_SIZE_M=8, NUM_SMS=132, WARP_SPECIALIZE=ws, num_warps=8, num_stages=3))
for r in runs: r()
torch.cuda.synchronize()
for r in runs: r()
torch.cuda.synchronize()
