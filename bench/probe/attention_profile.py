"""One attention-forward config of Tessel and of Triton, same data, for ncu;
writes both cubins and SASS (the kernel text is bench/kernels/attention.py).

    python3 bench/probe/attention_profile.py OUT_DIR [n d bm bn warps stages causal]
    ncu --clock-control none -k regex:attention --section ... python3 bench/probe/attention_profile.py ...
"""
import os
import sys

import torch
import triton
import triton.language as tl

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tessel  # noqa: E402
import tessel.language as ttl  # noqa: E402
from kernels import load  # noqa: E402
from sass_dump import report_and_dump  # noqa: E402 (this directory)

out = sys.argv[1]
n, d, bm, bn, warps, stages, causal = (int(v) for v in (sys.argv[2:9] or (4096, 128, 64, 64, 4, 3, 0)))
os.makedirs(out, exist_ok=True)
z, h = 4, 32
torch.manual_seed(0)
q, k, v = (torch.randn(z, h, n, d, device="cuda", dtype=torch.float16) for _ in range(3))
scale = d ** -0.5
ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=bool(causal), scale=scale)
for name, jit, lang in (("tessel", tessel.jit, ttl), ("triton", triton.jit, tl)):
    kernel = load("attention", jit, lang)["attention_fwd"]
    o = torch.empty_like(q)
    st = [*q.stride()[:3]]
    compiled = kernel[(triton.cdiv(n, bm), z * h)](
        q, k, v, o, scale, n, *st, *st, *st, *st, H=h, HEAD_DIM=d, BLOCK_M=bm, BLOCK_N=bn,
        CAUSAL=bool(causal), num_warps=warps, num_stages=stages)
    torch.cuda.synchronize()
    err = (o.float() - ref.float()).abs().max().item()
    report_and_dump(name, compiled, f"max err {err:.2e}", out, f"attn_{name}")
