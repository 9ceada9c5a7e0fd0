"""A fused-attention forward shaped like Triton's tutorial 06 (our own text):
host-side TensorDescriptors over [Z * H * N, D], an inner function per
causal stage (off-diagonal blocks, then the diagonal block with its mask),
`tl.range(..., warp_specialize=...)`, an autotuner whose `pre_hook` sets the
descriptors' block shapes. Checked against a float64 NumPy reference on the
CPU backend; the Triton version of the same structure ports by changing
imports."""
from __future__ import annotations

import numpy as np
import pytest

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from tessel.tools.tensor_descriptor import TensorDescriptor


@tessel.jit
def _inner(acc, l_i, m_i, q, desc_k, desc_v, offset_y, start_m, qk_scale,
           BLOCK_M: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_N: tl.constexpr,
           STAGE: tl.constexpr, offs_m: tl.constexpr, offs_n: tl.constexpr,
           N_CTX: tl.constexpr, WARP_SPECIALIZE: tl.constexpr):
    # Stage 1: the blocks left of the diagonal; 2: the diagonal block;
    # 3: every block (not causal).
    if STAGE == 1:
        lo, hi = 0, start_m * BLOCK_M
    elif STAGE == 2:
        lo, hi = start_m * BLOCK_M, (start_m + 1) * BLOCK_M
    else:
        lo, hi = 0, N_CTX
    for start_n in tl.range(lo, hi, BLOCK_N, warp_specialize=WARP_SPECIALIZE):
        k = desc_k.load([offset_y + start_n, 0]).T
        qk = tl.dot(q, k)
        if STAGE == 2:
            mask = offs_m[:, None] >= (start_n + offs_n[None, :])
            qk = qk * qk_scale + tl.where(mask, 0, -1.0e6)
            m_ij = tl.maximum(m_i, tl.max(qk, 1))
            qk -= m_ij[:, None]
        else:
            m_ij = tl.maximum(m_i, tl.max(qk, 1) * qk_scale)
            qk = qk * qk_scale - m_ij[:, None]
        p = tl.math.exp2(qk)
        alpha = tl.math.exp2(m_i - m_ij)
        l_i = l_i * alpha + tl.sum(p, 1)
        acc = acc * alpha[:, None]
        v = desc_v.load([offset_y + start_n, 0])
        acc = tl.dot(p.to(v.dtype), v, acc)
        m_i = m_ij
    return acc, l_i, m_i


def _set_blocks(nargs):
    bm, bn, d = nargs["BLOCK_M"], nargs["BLOCK_N"], nargs["HEAD_DIM"]
    nargs["desc_q"].block_shape = [bm, d]
    nargs["desc_o"].block_shape = [bm, d]
    nargs["desc_k"].block_shape = [bn, d]
    nargs["desc_v"].block_shape = [bn, d]


@tessel.autotune(configs=[tessel.Config({"BLOCK_M": 32, "BLOCK_N": 32}, pre_hook=_set_blocks),
                          tessel.Config({"BLOCK_M": 32, "BLOCK_N": 16}, pre_hook=_set_blocks)],
                 key=["N_CTX", "HEAD_DIM"])
@tessel.jit
def attn_fwd(sm_scale, M, Z, H, desc_q, desc_k, desc_v, desc_o, N_CTX,
             HEAD_DIM: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
             STAGE: tl.constexpr, WARP_SPECIALIZE: tl.constexpr):
    start_m = tl.program_id(0)
    off_hz = tl.program_id(1)
    off_z = off_hz // H
    off_h = off_hz % H
    offset_y = off_z * (N_CTX * H) + off_h * N_CTX
    qo_offset_y = offset_y + start_m * BLOCK_M
    offs_m = start_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    m_i = tl.zeros([BLOCK_M], dtype=tl.float32) - float("inf")
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32) + 1.0
    acc = tl.zeros([BLOCK_M, HEAD_DIM], dtype=tl.float32)
    qk_scale = sm_scale * 1.44269504
    q = desc_q.load([qo_offset_y, 0])
    if STAGE & 1:
        acc, l_i, m_i = _inner(acc, l_i, m_i, q, desc_k, desc_v, offset_y, start_m, qk_scale,
                               BLOCK_M, HEAD_DIM, BLOCK_N, 4 - STAGE, offs_m, offs_n,
                               N_CTX, WARP_SPECIALIZE)
    if STAGE & 2:
        acc, l_i, m_i = _inner(acc, l_i, m_i, q, desc_k, desc_v, offset_y, start_m, qk_scale,
                               BLOCK_M, HEAD_DIM, BLOCK_N, 2, offs_m, offs_n, N_CTX,
                               WARP_SPECIALIZE)
    m_i += tl.math.log2(l_i)
    acc = acc / l_i[:, None]
    tl.store(M + off_hz * N_CTX + offs_m, m_i)
    desc_o.store([qo_offset_y, 0], acc.to(desc_o.dtype))


@pytest.mark.parametrize("causal", [False, True])
def test_tutorial_shaped_forward(causal: bool) -> None:
    rng = np.random.default_rng(21)
    z, h, n, d = 2, 2, 64, 32
    q, k, v = (rng.standard_normal((z, h, n, d)).astype(np.float32) for _ in range(3))
    o = np.zeros_like(q)
    m = np.zeros((z * h, n), np.float32)
    dummy = [1, 1]
    y = z * h * n
    descs = [TensorDescriptor(t.reshape(y, d), [y, d], [d, 1], dummy) for t in (q, k, v, o)]
    scale = d ** -0.5
    stage = 3 if causal else 1
    attn_fwd[lambda meta: (tessel.cdiv(n, meta["BLOCK_M"]), z * h)](
        scale, m, z, h, *descs, n, HEAD_DIM=d, STAGE=stage, WARP_SPECIALIZE=False)
    s = np.einsum("zhmd,zhnd->zhmn", q.astype(np.float64), k.astype(np.float64)) * scale
    if causal:
        s = np.where(np.tril(np.ones((n, n), bool)), s, -np.inf)
    p = np.exp(s - s.max(-1, keepdims=True))
    ref = np.einsum("zhmn,zhnd->zhmd", p / p.sum(-1, keepdims=True), v.astype(np.float64))
    np.testing.assert_allclose(o, ref, rtol=1e-3, atol=1e-4)
    lse = np.log2(np.exp(s).sum(-1)).reshape(z * h, n)
    np.testing.assert_allclose(m, lse, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("causal", [False, True])
def test_hopper_producer_warp_feeds_the_attention_ring(causal: bool) -> None:
    """WARP_SPECIALIZE=True on sm_90a: a producer warpgroup (384 threads for
    8 warps; it keeps 40 registers per thread and the consumers take 232)
    issues the TMA copies of K and V; the consumer warpgroups wait on the
    stages' full barriers without a CTA barrier in the loop and release each
    stage (lane 0 of every warp) after their P V read it. With the causal
    stages, the second loop (inside the consumers' code) keeps its own
    thread-0 ring."""
    from tessel._ext import _C

    z, h, n, d, bm, bn = 1, 2, 256, 64, 128, 64
    y = z * h * n
    t = np.zeros((y, d), np.float16)
    descs = [TensorDescriptor(t, [y, d], [d, 1], [rows, d]) for rows in (bm, bn, bn, bm)]
    m = np.zeros((z * h, n), np.float32)
    ir = attn_fwd.base_fn.ir(0.125, m, z, h, *descs, n, HEAD_DIM=d, BLOCK_M=bm,
                             BLOCK_N=bn, STAGE=3 if causal else 1, WARP_SPECIALIZE=True,
                             num_warps=8)
    res = _C.compile(ir, "nvidia:sm_90a", 8, num_stages=3)
    tilegpu, ptx = res["asm"]["tilegpu"], res["asm"]["ptx"]
    assert "tilegpu.producer_warps = 4" in tilegpu
    assert res["num_warps"] == 12 and ".maxntid 384, 1, 1" in ptx
    assert "setmaxnreg.inc.sync.aligned.u32 232;" in ptx
    producer = tilegpu[tilegpu.index("tilegpu.producer_warp"):tilegpu.index("} else {")]
    assert producer.count("tilegpu.tma_copy") == 2  # K and V
    consumers = tilegpu[tilegpu.index("} else {"):]
    # The first loop's consumers wait without a barrier and release stages.
    assert "sync = false" in consumers and "tilegpu.mbarrier_arrive" in consumers
    copies = consumers.count("tilegpu.tma_copy")  # K and V per issue
    assert copies % 2 == 0 and bool(copies) == causal
    assert "wgmma.mma_async" in ptx and "mbarrier.arrive.shared::cta.b64" in ptx
    if causal:
        # The diagonal block's loop: thread 0 issues its copies (prologue and
        # loop body) and every warp passes the consumers' barrier.
        assert "bar.sync 1, 256;" in ptx
