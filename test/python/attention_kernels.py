"""The fused attention kernels of bench/kernels/attention.py (forward, the
training forward with the log-sum-exp, the backward's three kernels),
compiled by Tessel: the tests and the benchmark run one kernel text; and the
float64 references (NumPy; SDPA for autograd on GPUs) both attention test
files check against."""
import importlib.util
import os

import numpy as np

import tessel
import tessel.language as tl

_KERNELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench", "kernels",
                        "__init__.py")
_spec = importlib.util.spec_from_file_location("bench_kernels", _KERNELS)
_loader = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_loader)

_ATTENTION = _loader.load("attention", tessel.jit, tl)
attention_fwd = _ATTENTION["attention_fwd"]
attention_fwd_desc = _ATTENTION["attention_fwd_desc"]
attention_fwd_lse = _ATTENTION["attention_fwd_lse"]
attention_bwd_preprocess = _ATTENTION["attention_bwd_preprocess"]
attention_bwd_dkdv = _ATTENTION["attention_bwd_dkdv"]
attention_bwd_dq = _ATTENTION["attention_bwd_dq"]


def _empty_like(x):
    if isinstance(x, np.ndarray):
        return np.zeros_like(x)
    import torch
    return torch.zeros_like(x)


def attention_forward_train(q, k, v, scale, causal, block_m=64, block_n=64, **launch):
    """(out, lse) of [Z, H, N, D] arrays (NumPy on the CPU, torch on a GPU)."""
    z, h, n, d = q.shape
    out = _empty_like(q)
    if isinstance(q, np.ndarray):
        lse = np.zeros((z * h, n), np.float32)
    else:
        import torch
        lse = torch.zeros((z * h, n), dtype=torch.float32, device=q.device)
    st = _strides(q)
    attention_fwd_lse[(tessel.cdiv(n, block_m), z * h)](
        q, k, v, out, lse, scale, n, *st, *st, *st, *st, H=h, HEAD_DIM=d, BLOCK_M=block_m,
        BLOCK_N=block_n, CAUSAL=causal, **launch)
    return out, lse


def attention_backward(q, k, v, out, dout, lse, scale, causal, block_m=64, block_n=64,
                       swap_dq_blocks=False, **launch):
    """(dq, dk, dv): delta = rowsum(O dO), then dK/dV per key block and dQ
    per query block. All five tensors share one contiguous [Z, H, N, D]
    layout. `swap_dq_blocks`: dQ takes BLOCK_N queries per program and
    BLOCK_M keys per step (as Triton's tutorial pairs its block sizes)."""
    z, h, n, d = q.shape
    if isinstance(q, np.ndarray):
        delta = np.zeros((z * h, n), np.float32)
    else:
        import torch
        delta = torch.zeros((z * h, n), dtype=torch.float32, device=q.device)
    dq, dk, dv = _empty_like(q), _empty_like(k), _empty_like(v)
    st = _strides(q)
    attention_bwd_preprocess[(tessel.cdiv(n, block_m), z * h)](
        out, dout, delta, n, *st, H=h, HEAD_DIM=d, BLOCK_M=block_m, **launch)
    attention_bwd_dkdv[(tessel.cdiv(n, block_n), z * h)](
        q, k, v, dout, dk, dv, lse, delta, scale, n, *st, H=h, HEAD_DIM=d, BLOCK_M=block_m,
        BLOCK_N=block_n, CAUSAL=causal, **launch)
    dq_m, dq_n = (block_n, block_m) if swap_dq_blocks else (block_m, block_n)
    attention_bwd_dq[(tessel.cdiv(n, dq_m), z * h)](
        q, k, v, dout, dq, lse, delta, scale, n, *st, H=h, HEAD_DIM=d, BLOCK_M=dq_m,
        BLOCK_N=dq_n, CAUSAL=causal, **launch)
    return dq, dk, dv


def _strides(x) -> tuple:
    if isinstance(x, np.ndarray):
        return tuple(s // x.itemsize for s in x.strides[:3])
    return tuple(x.stride()[:3])


def reference_grads(q, k, v, do, scale, causal):
    """(out, dq, dk, dv) in float64 from the softmax's definition."""
    s = np.einsum("zhmd,zhnd->zhmn", q, k) * scale
    if causal:
        n = q.shape[2]
        s = np.where(np.tril(np.ones((n, n), bool)), s, -np.inf)
    p = np.exp(s - s.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    out = np.einsum("zhmn,zhnd->zhmd", p, v)
    dv = np.einsum("zhmn,zhmd->zhnd", p, do)
    dp = np.einsum("zhmd,zhnd->zhmn", do, v)
    ds = p * (dp - (do * out).sum(-1, keepdims=True))
    dq = np.einsum("zhmn,zhnd->zhmd", ds, k) * scale
    dk = np.einsum("zhmn,zhmd->zhnd", ds, q) * scale
    return out, dq, dk, dv


def check_backward_against_sdpa(out, do, q, k, v, causal, scale):
    """Back-propagates `do` through `out` (computed from the leaf tensors q,
    k, v) and checks the output and the three gradients against float64
    SDPA on the same values."""
    import torch

    out.backward(do)
    q64, k64, v64 = (x.detach().double().requires_grad_() for x in (q, k, v))
    ref = torch.nn.functional.scaled_dot_product_attention(q64, k64, v64, is_causal=causal,
                                                           scale=scale)
    ref.backward(do.double())
    torch.testing.assert_close(out.double(), ref, rtol=2e-2, atol=2e-2)
    for got, want in ((q.grad, q64.grad), (k.grad, k64.grad), (v.grad, v64.grad)):
        torch.testing.assert_close(got.double(), want, rtol=5e-2, atol=5e-2)
