"""The SM clock and power the attention forward runs at under sustained load
(Tessel's and Triton's descriptor kernels, torch SDPA; same data), and the
TFLOP/s each reaches: sampled with nvidia-smi while each runs back to back
for a few seconds (and cuBLAS's 4096^3 float16 GEMM, for scale). With the clock, TFLOP/s becomes a fraction of the tensor
cores' peak at that clock (4,096 dense FLOP per SM per cycle, 132 SMs).

    python3 bench/probe/attention_clock.py [n d bm bn warps stages causal ws]
    python3 bench/probe/attention_clock.py --matmul   # the 4096^3 matmul instead
"""
import os
import subprocess
import sys
import time

import torch
import triton
import triton.language as tl
from triton.tools.tensor_descriptor import TensorDescriptor as TritonDescriptor

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tessel  # noqa: E402
import tessel.language as ttl  # noqa: E402
from kernels import load  # noqa: E402
from tessel.tools.tensor_descriptor import TensorDescriptor as TesselDescriptor  # noqa: E402

FLOP_PER_SM_CYCLE = 4096  # dense float16 wgmma, per SM and cycle


def sustained(label: str, fn, flops: float, seconds: float = 3.0) -> None:
    """Runs fn back to back for `seconds`, sampling clock and power meanwhile."""
    fn()
    torch.cuda.synchronize()
    smi = subprocess.Popen(
        ["nvidia-smi", "--query-gpu=clocks.sm,power.draw", "--format=csv,noheader,nounits",
         "-lms", "100"], stdout=subprocess.PIPE, text=True)
    start, runs = time.perf_counter(), 0
    begin = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    begin.record()
    while time.perf_counter() - start < seconds:
        for _ in range(10):
            fn()
        runs += 10
        torch.cuda.synchronize()
    end.record()
    torch.cuda.synchronize()
    smi.terminate()
    samples = [line.split(",") for line in smi.communicate()[0].splitlines() if "," in line]
    # The second half of the samples: the clock has settled.
    samples = samples[len(samples) // 2:] or samples
    mhz = sum(float(s[0]) for s in samples) / max(len(samples), 1)
    watts = sum(float(s[1]) for s in samples) / max(len(samples), 1)
    tflops = flops * runs / (begin.elapsed_time(end) * 1e-3) * 1e-12
    sms = torch.cuda.get_device_properties(0).multi_processor_count
    peak = FLOP_PER_SM_CYCLE * sms * mhz * 1e6 * 1e-12
    print(f"{label:>8}: {tflops:6.1f} TFLOP/s at {mhz:6.0f} MHz, {watts:5.0f} W; "
          f"peak at that clock {peak:6.1f} -> {tflops / peak:5.1%}")


def matmul() -> None:
    """matmul_desc at 128x256x64, 8 warps, 3 stages (both compilers' best at
    4096^3 in bench_matmul.py) and cuBLAS."""
    n = 4096
    torch.manual_seed(0)
    a, b = (torch.randn(n, n, device="cuda", dtype=torch.float16) for _ in range(2))
    ref = torch.matmul(a, b)
    for name, jit, lang, descriptor in (("tessel", tessel.jit, ttl, TesselDescriptor),
                                        ("triton", triton.jit, tl, TritonDescriptor)):
        kernel = load("matmul", jit, lang)["matmul_desc"]
        c = torch.empty_like(a)
        args = (descriptor.from_tensor(a, [128, 64]), descriptor.from_tensor(b, [64, 256]),
                descriptor.from_tensor(c, [128, 256]), n, n, n)

        def run(kernel=kernel, args=args):
            kernel[((n // 128) * (n // 256),)](
                *args, BLOCK_SIZE_M=128, BLOCK_SIZE_N=256, BLOCK_SIZE_K=64, GROUP_SIZE_M=8,
                num_warps=8, num_stages=3)

        run()
        torch.cuda.synchronize()
        err = ((c.float() - ref.float()).abs().max() / ref.float().abs().max()).item()
        assert err < 1e-2, f"{name}: relative error {err}"
        sustained(name, run, 2 * n**3)
    sustained("cublas", lambda: torch.matmul(a, b), 2 * n**3)


def main() -> None:
    if "--matmul" in sys.argv:
        matmul()
        return
    n, d, bm, bn, warps, stages, causal, ws = (
        int(v) for v in (sys.argv[1:9] or (4096, 128, 128, 128, 8, 2, 0, 1)))
    z, h = 4, 32
    torch.manual_seed(0)
    q, k, v = (torch.randn(z, h, n, d, device="cuda", dtype=torch.float16) for _ in range(3))
    scale = d ** -0.5
    flops = 4 * z * h * n * n * d * (0.5 if causal else 1)
    ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=bool(causal),
                                                           scale=scale)
    for name, jit, lang, descriptor, config in (
            ("tessel", tessel.jit, ttl, TesselDescriptor, (bm, bn, warps, stages, ws)),
            ("triton", triton.jit, tl, TritonDescriptor, (128, 128, 8, 3, 0))):
        kernel = load("attention", jit, lang)["attention_fwd_desc"]
        o = torch.empty_like(q)
        kbm, kbn, kwarps, kstages, kws = config

        def desc(t, rows, descriptor=descriptor):
            return descriptor(t.view(z * h * n, d), [z * h * n, d], [d, 1], [rows, d])

        args = (desc(q, kbm), desc(k, kbn), desc(v, kbn), desc(o, kbm), scale, n)

        def run(kernel=kernel, args=args, config=config):
            kernel[(n // config[0], z * h)](
                *args, HEAD_DIM=d, BLOCK_M=config[0], BLOCK_N=config[1], CAUSAL=bool(causal),
                WARP_SPECIALIZE=bool(config[4]), num_warps=config[2], num_stages=config[3])

        run()
        torch.cuda.synchronize()
        err = (o.float() - ref.float()).abs().max().item()
        assert err < 2e-2, f"{name}: max error {err}"
        sustained(name, run, flops)
    sustained("sdpa", lambda: torch.nn.functional.scaled_dot_product_attention(
        q, k, v, is_causal=bool(causal), scale=scale), flops)
    # For scale: cuBLAS's float16 GEMM at 4096^3 under the same sampling.
    a, b = (torch.randn(4096, 4096, device="cuda", dtype=torch.float16) for _ in range(2))
    sustained("cublas", lambda: torch.matmul(a, b), 2 * 4096**3)


if __name__ == "__main__":
    main()
