"""Fused attention forward (attention_kernels.py) against a float64
reference on random data: non-causal and causal, ragged sequence lengths,
float16 and bfloat16 on GPUs, float32 on the CPU backend."""
from __future__ import annotations

import numpy as np
import pytest

import tessel
from attention_kernels import attention_fwd


def reference(q, k, v, scale, causal):
    s = np.einsum("zhmd,zhnd->zhmn", q, k) * scale
    if causal:
        n = q.shape[2]
        s = np.where(np.tril(np.ones((n, n), bool)), s, -np.inf)
    s = np.exp(s - s.max(-1, keepdims=True))
    return np.einsum("zhmn,zhnd->zhmd", s / s.sum(-1, keepdims=True), v)


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("n", [64, 100])
def test_attention_forward_on_the_cpu(causal: bool, n: int) -> None:
    rng = np.random.default_rng(7)
    z, h, d = 1, 2, 32
    q, k, v = (rng.standard_normal((z, h, n, d)).astype(np.float32) for _ in range(3))
    out = np.zeros_like(q)
    scale = d ** -0.5
    el = q.itemsize
    strides = [s // el for s in q.strides[:3]]
    attention_fwd[(tessel.cdiv(n, 32), z * h)](
        q, k, v, out, scale, n, *strides, *strides, *strides, *strides,
        H=h, HEAD_DIM=d, BLOCK_M=32, BLOCK_N=32, CAUSAL=causal)
    ref = reference(q.astype(np.float64), k.astype(np.float64), v.astype(np.float64), scale, causal)
    np.testing.assert_allclose(out, ref, rtol=2e-4, atol=2e-5)


# (BLOCK_M, BLOCK_N, HEAD_DIM, num_warps, num_stages): num_stages >= 2 runs
# the staged pipeline (K and V copied ahead into a shared-memory ring, Q
# once, P from registers: tessel-pipeline-dot-operands), 1 the plain loop.
CUDA_CONFIGS = [(64, 64, 64, 4, 3), (64, 64, 64, 4, 1), (128, 64, 128, 8, 3),
                (128, 64, 128, 8, 2), (64, 32, 64, 4, 4), (128, 128, 64, 8, 2)]


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("dtype_name", ["float16", "bfloat16"])
@pytest.mark.parametrize("config", CUDA_CONFIGS, ids=lambda c: "x".join(map(str, c)))
def test_attention_forward_on_cuda(causal: bool, dtype_name: str, config) -> None:
    torch = pytest.importorskip("torch")
    from tessel._ext import _C

    if not torch.cuda.is_available() or not _C.cuda_available():
        pytest.skip("no CUDA device")
    dtype = getattr(torch, dtype_name)
    bm, bn, d, warps, stages = config
    z, h, n = 2, 4, 1000
    torch.manual_seed(3)
    q, k, v = (torch.randn(z, h, n, d, device="cuda", dtype=dtype) for _ in range(3))
    out = torch.empty_like(q)
    scale = d ** -0.5
    strides = [*q.stride()[:3]]
    attention_fwd[(tessel.cdiv(n, bm), z * h)](
        q, k, v, out, scale, n, *strides, *strides, *strides, *strides,
        H=h, HEAD_DIM=d, BLOCK_M=bm, BLOCK_N=bn, CAUSAL=causal, num_warps=warps,
        num_stages=stages)
    ref = torch.nn.functional.scaled_dot_product_attention(
        q.double(), k.double(), v.double(), is_causal=causal, scale=scale)
    torch.testing.assert_close(out.double(), ref, rtol=2e-2, atol=2e-2)
