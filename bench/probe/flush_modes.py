"""Per-launch event timing of gemm_compare's three kernels after different
L2 treatments before each run: none (back to back), a 256 MB write
(do_bench's flush: leaves dirty lines), a 256 MB read (clean lines):

    python3 bench/probe/flush_modes.py
"""
import sys, runpy
sys.argv = ["gemm_compare.py"]
g = runpy.run_path("bench/probe/gemm_compare.py")
import torch
flops = 2 * 4096 ** 3
buf = torch.empty(64 * 1024 * 1024, dtype=torch.int32, device="cuda")
sink = torch.empty(1, dtype=torch.int64, device="cuda")
modes = {"none": lambda: None, "write": lambda: buf.zero_(),
         "read": lambda: sink.copy_(buf.sum())}
names = ["cuBLAS", "Triton", "Tessel"]
for mode, flush in modes.items():
    line = []
    for name, run in zip(names, g["launches"]):
        times = []
        for _ in range(10):
            flush(); run()
        for _ in range(200):
            flush()
            s = torch.cuda.Event(enable_timing=True); e = torch.cuda.Event(enable_timing=True)
            s.record(); run(); e.record()
            times.append((s, e))
        torch.cuda.synchronize()
        ms = sorted(s.elapsed_time(e) for s, e in times)[len(times) // 2]
        line.append(f"{name} {flops/ms/1e9:6.1f}")
    print(f"{mode:11s}: " + ", ".join(line))
