"""The descriptor matmul with num_ctas=2 (2-CTA clusters sharing TMA copies)
against num_ctas=1 and cuBLAS: correctness on pairings that share B, share A,
share nothing and on odd grids (launched without clusters), then TFLOP/s at
4096^3 float16 (do_bench, as bench_matmul.py):

    python3 bench/probe/cluster_matmul.py [--check-only] [--small]
"""
import sys

import torch
import triton

sys.path.insert(0, "bench")
import tessel  # noqa: E402
import tessel.language as tl  # noqa: E402
from kernels import load  # noqa: E402
from tessel.tools.tensor_descriptor import TensorDescriptor  # noqa: E402

kernels = load("matmul", tessel.jit, tl)
matmul_desc = kernels["matmul_desc"]


def launcher(a, b, c, bm, bn, bk, w, stages, ctas, group):
    m, k = a.shape
    n = b.shape[1]
    d = (TensorDescriptor.from_tensor(a, [bm, bk]), TensorDescriptor.from_tensor(b, [bk, bn]),
         TensorDescriptor.from_tensor(c, [bm, bn]))
    grid = (triton.cdiv(m, bm) * triton.cdiv(n, bn),)
    return lambda: matmul_desc[grid](*d, m, n, k, BLOCK_SIZE_M=bm, BLOCK_SIZE_N=bn,
                                     BLOCK_SIZE_K=bk, GROUP_SIZE_M=group, num_warps=w,
                                     num_stages=stages, num_ctas=ctas)


def check(m, n, k, group, cfg=(128, 256, 64, 8, 3)) -> None:
    torch.manual_seed(m + n + k + group)
    a = torch.randn(m, k, device="cuda", dtype=torch.float16)
    b = torch.randn(k, n, device="cuda", dtype=torch.float16)
    ref = (a.float() @ b.float())
    for ctas in (1, 2):
        c = torch.full((m, n), float("nan"), device="cuda", dtype=torch.float16)
        launcher(a, b, c, *cfg, ctas, group)()
        torch.cuda.synchronize()
        err = (c.float() - ref).abs().max().item() / ref.abs().max().item()
        grid = triton.cdiv(m, cfg[0]) * triton.cdiv(n, cfg[1])
        print(f"check {m}x{n}x{k} group {group} grid {grid} num_ctas {ctas}: max err {err:.2e}"
              f" {'OK' if err < 1e-2 else 'FAIL'}", flush=True)


def main() -> None:
    small = "--small" in sys.argv
    if small:  # for compute-sanitizer
        check(512, 512, 512, 8)
        check(384, 512, 320, 3)
        check(128, 512, 1024, 8, (128, 128, 64, 4, 4))  # five stages
        return
    check(4096, 4096, 4096, 8)   # pairs share B (same pid_n)
    check(4096, 4096, 1024, 1)   # pairs share A (same pid_m)
    check(384, 512, 320, 3)      # some pairs share B, others nothing
    check(384, 256, 512, 8)      # odd grid: no clusters
    check(1000, 1000, 1000, 8)   # ragged: TMA zero fill
    check(128, 512, 4096, 8, (128, 128, 64, 4, 4))
    if "--check-only" in sys.argv:
        return
    n = 4096
    a = torch.randn(n, n, device="cuda", dtype=torch.float16)
    b = torch.randn(n, n, device="cuda", dtype=torch.float16)
    c = torch.empty(n, n, device="cuda", dtype=torch.float16)
    flops = 2 * n ** 3
    cublas = triton.testing.do_bench(lambda: torch.matmul(a, b, out=c), warmup=25, rep=150,
                                     return_mode="median")
    print(f"cuBLAS: {flops / cublas / 1e9:.1f}", flush=True)
    for cfg in [(128, 256, 64, 8, 3), (128, 256, 64, 8, 4), (128, 128, 64, 4, 4),
                (128, 128, 64, 8, 4), (256, 128, 64, 8, 3)]:
        for ctas in (1, 2):
            run = launcher(a, b, c, *cfg, ctas, 8)
            try:
                run()
                torch.cuda.synchronize()
            except Exception as e:  # noqa: BLE001
                print(cfg, ctas, "skip", type(e).__name__, e)
                continue
            ms = triton.testing.do_bench(run, warmup=25, rep=150, return_mode="median")
            print(f"{'x'.join(map(str, cfg[:3]))}/{cfg[3]}/{cfg[4]} num_ctas={ctas}: "
                  f"{flops / ms / 1e9:7.1f} ({cublas / ms:.3f}x cuBLAS)", flush=True)


if __name__ == "__main__":
    main()
