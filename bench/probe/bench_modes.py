"""cuBLAS, Triton and Tessel on the same 4096^3 float16 descriptor matmul
(bench/probe/gemm_compare.py's kernels) timed three ways: triton's do_bench
(an L2 flush before each run), do_bench_cudagraph (back to back), and the
host time of one launch:

    python3 bench/probe/bench_modes.py
"""
import sys, time, runpy
sys.argv = ["gemm_compare.py"]
g = runpy.run_path("bench/probe/gemm_compare.py")
import torch, triton
flops = 2 * 4096 ** 3
names = ["cuBLAS", "Triton", "Tessel"]
for name, run in zip(names, g["launches"]):
    ms = triton.testing.do_bench(run, warmup=50, rep=300, return_mode="median")
    try:
        msg = triton.testing.do_bench_cudagraph(run, rep=300, return_mode="median")
    except Exception as e:
        msg = float("nan"); print(name, "cudagraph failed:", type(e).__name__, str(e)[:200])
    torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(50):
        run()
    host_us = (time.perf_counter() - t) / 50 * 1e6
    torch.cuda.synchronize()
    print(f"{name}: do_bench {flops/ms/1e9:.1f} TFLOP/s, cudagraph {flops/msg/1e9:.1f}, host {host_us:.1f} us/launch")
