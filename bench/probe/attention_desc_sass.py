"""SASS of the descriptor attention forward (bench/kernels/attention.py's
attention_fwd_desc), Tessel and Triton, same config and data: registers,
spills, shared memory, and an instruction histogram of each loop that
issues HGMMA (the innermost first: the consumers' loop).

    python3 bench/probe/attention_desc_sass.py OUT_DIR [n d bm bn warps stages causal ws]
"""
import collections
import os
import re
import sys

import torch
import triton
import triton.language as tl
from triton.tools.tensor_descriptor import TensorDescriptor as TritonDescriptor

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tessel  # noqa: E402
import tessel.language as ttl  # noqa: E402
from kernels import load  # noqa: E402
from sass_dump import report_and_dump  # noqa: E402 (this directory)
from tessel.tools.tensor_descriptor import TensorDescriptor as TesselDescriptor  # noqa: E402

_LINE = re.compile(r"\s+/\*([0-9a-f]{4,})\*/\s+(.*)")


def hgmma_loops(path: str) -> list[tuple[int, collections.Counter]]:
    """(instruction count, opcode histogram) of every backward branch's
    range that contains an HGMMA, shortest first."""
    lines = [(int(m.group(1), 16), m.group(2)) for m in map(_LINE.match, open(path)) if m]
    loops = []
    for addr, text in lines:
        target = re.search(r"BRA .*?0x([0-9a-f]+)", text)
        if not target or int(target.group(1), 16) >= addr:
            continue
        lo = int(target.group(1), 16)
        ops = [re.sub(r"^(@!?U?P\w+\s+)", "", t).split()[0].split(".")[0]
               for a, t in lines if lo <= a <= addr]
        if "HGMMA" in ops:
            loops.append((len(ops), collections.Counter(ops)))
    return sorted(loops, key=lambda loop: loop[0])


def main() -> None:
    out = sys.argv[1]
    n, d, bm, bn, warps, stages, causal, ws = (
        int(v) for v in (sys.argv[2:10] or (4096, 128, 128, 128, 8, 2, 0, 1)))
    os.makedirs(out, exist_ok=True)
    z, h = 4, 32
    torch.manual_seed(0)
    q, k, v = (torch.randn(z, h, n, d, device="cuda", dtype=torch.float16) for _ in range(3))
    ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=bool(causal))
    for name, jit, lang, descriptor in (("tessel", tessel.jit, ttl, TesselDescriptor),
                                        ("triton", triton.jit, tl, TritonDescriptor)):
        kernel = load("attention", jit, lang)["attention_fwd_desc"]
        o = torch.empty_like(q)

        def desc(t, rows):
            return descriptor(t.view(z * h * n, d), [z * h * n, d], [d, 1], [rows, d])

        compiled = kernel[(n // bm, z * h)](
            desc(q, bm), desc(k, bn), desc(v, bn), desc(o, bm), d ** -0.5, n, HEAD_DIM=d,
            BLOCK_M=bm, BLOCK_N=bn, CAUSAL=bool(causal), WARP_SPECIALIZE=bool(ws),
            num_warps=warps, num_stages=stages)
        torch.cuda.synchronize()
        err = (o.float() - ref.float()).abs().max().item()
        stem = f"attn_desc_{name}_{bm}x{bn}_{warps}_{stages}_ws{ws}"
        report_and_dump(name, compiled, f"max err {err:.2e}", out, stem)
        for count, histogram in hgmma_loops(os.path.join(out, stem + ".sass"))[:1]:
            print(f"  innermost HGMMA loop: {count} instructions;",
                  ", ".join(f"{op} {c}" for op, c in histogram.most_common(16)))


if __name__ == "__main__":
    main()
