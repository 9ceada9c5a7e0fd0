"""Cold compile of the 4096^3 descriptor matmul (128x256x64, 8 warps, 3
stages) on this host, no disk cache: the whole `_C.compile`, the ptxas
process alone on its PTX, and the driver's in-process PTX JIT
(`cuModuleLoadData` of the PTX; run with CUDA_CACHE_DISABLE=1) against
loading the cubin:

    CUDA_CACHE_DISABLE=1 python3 bench/probe/compile_host.py
"""
import ctypes, os, subprocess, sys, tempfile, time, shutil
os.environ["TESSEL_CACHE_DIR"] = "0"
sys.path.insert(0, "bench")
import numpy as np, torch
from tessel._ext import _C
from tessel.tools.tensor_descriptor import TensorDescriptor
import kernels, tessel, tessel.language as tl
M = type('M', (), kernels.load('matmul', tessel.jit, tl))
n = 4096
a = np.zeros((n, n), np.float16)
d = [TensorDescriptor.from_tensor(a, s) for s in ([128, 64], [64, 256], [128, 256])]
ir = M.matmul_desc.ir(*d, n, n, n, BLOCK_SIZE_M=128, BLOCK_SIZE_N=256, BLOCK_SIZE_K=64, GROUP_SIZE_M=8)
for i in range(3):
    t = time.perf_counter(); res = _C.compile(ir, "nvidia:sm_90a", 8, num_stages=3); tc = time.perf_counter() - t
    print(f"_C.compile {tc*1e3:.1f} ms", flush=True)
ptx = res["asm"]["ptx"]
print("ptxas says:", [l for l in res["asm"]["ptxas"].splitlines() if "Compile time" in l])
ptxas = shutil.which("ptxas") or os.path.join(os.environ.get("CUDA_HOME", "/usr/local/cuda"), "bin/ptxas")
print("ptxas at", ptxas, os.path.exists(ptxas))
with tempfile.TemporaryDirectory() as dd:
    p = os.path.join(dd, "k.ptx"); open(p, "w").write(ptx)
    for i in range(3):
        t = time.perf_counter()
        subprocess.run([ptxas, "-arch=sm_90a", "-v", p, "-o", os.path.join(dd, "k.cubin")], capture_output=True)
        print(f"ptxas process {1e3*(time.perf_counter()-t):.1f} ms", flush=True)
torch.zeros(1, device="cuda")
cuda = ctypes.CDLL("libcuda.so.1")
for what, image in (("PTX (driver JIT)", ptx.encode() + b"\0"), ("cubin", res["binary"])):
    for i in range(3):
        mod = ctypes.c_void_p()
        t = time.perf_counter(); r = cuda.cuModuleLoadData(ctypes.byref(mod), ctypes.c_char_p(image)); dt = time.perf_counter() - t
        print(f"cuModuleLoadData {what}: rc {r} {dt*1e3:.1f} ms", flush=True)
        cuda.cuModuleUnload(mod)
