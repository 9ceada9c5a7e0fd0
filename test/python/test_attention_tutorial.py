"""A fused-attention forward shaped like Triton's tutorial 06 (our own text):
host-side TensorDescriptors over [Z * H * N, D], an inner function per
causal stage (off-diagonal blocks, then the diagonal block with its mask),
`tl.range(..., warp_specialize=...)`, an autotuner whose `pre_hook` sets the
descriptors' block shapes; and the backward shaped like the tutorial's (a
preprocess, then dK/dV and dQ per block with masked steps on the causal
diagonal, `tl.static_assert`), inside a `torch.autograd.Function` on GPUs.
Checked against float64 references (NumPy on the CPU backend, SDPA on GPUs);
the Triton version of the same structure ports by changing imports."""
from __future__ import annotations

import re

import numpy as np
import pytest

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from attention_kernels import check_backward_against_sdpa, reference_grads
from gpu_targets import torch_on_cuda
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


# The backward, shaped like the tutorial's (our own text): a preprocess for
# delta = rowsum(O * dO), then one kernel whose program p computes dK and dV
# of key block p (the diagonal's query rows in narrower masked steps first
# when causal) and dQ of query block p (the diagonal's key columns masked,
# then the rest), from the forward's base-2 log-sum-exp M.
@tessel.jit
def _bwd_preprocess(O, DO, Delta, N_CTX, BLOCK_M: tl.constexpr, HEAD_DIM: tl.constexpr):
    off_m = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    off_hz = tl.program_id(1)
    off_d = tl.arange(0, HEAD_DIM)
    rows = off_hz * HEAD_DIM * N_CTX + off_m[:, None] * HEAD_DIM + off_d[None, :]
    o = tl.load(O + rows)
    do = tl.load(DO + rows).to(tl.float32)
    tl.store(Delta + off_hz * N_CTX + off_m, tl.sum(o * do, axis=1))


@tessel.jit
def _bwd_dkdv(dk, dv, Q, k, v, DO, M, D, qk_scale, stride_tok, BLOCK_M1: tl.constexpr,
              BLOCK_N1: tl.constexpr, HEAD_DIM: tl.constexpr, start_n, start_m, num_steps,
              MASK: tl.constexpr):
    offs_n = start_n + tl.arange(0, BLOCK_N1)
    offs_d = tl.arange(0, HEAD_DIM)
    tl.static_assert(BLOCK_N1 % BLOCK_M1 == 0)
    curr_m = start_m
    for _ in range(num_steps):
        offs_m = curr_m + tl.arange(0, BLOCK_M1)
        q_t = tl.load(Q + offs_m[None, :] * stride_tok + offs_d[:, None])
        m = tl.load(M + offs_m)
        p_t = tl.math.exp2(tl.dot(k, q_t) * qk_scale - m[None, :])
        if MASK:
            p_t = tl.where(offs_m[None, :] >= offs_n[:, None], p_t, 0.0)
        do = tl.load(DO + offs_m[:, None] * stride_tok + offs_d[None, :])
        dv += tl.dot(p_t.to(do.dtype), do)
        delta = tl.load(D + offs_m)
        ds_t = p_t * (tl.dot(v, tl.trans(do)) - delta[None, :])
        dk += tl.dot(ds_t.to(q_t.dtype), tl.trans(q_t))
        curr_m += BLOCK_M1
    return dk, dv


@tessel.jit
def _bwd_dq(dq, q, K, V, do, m, D, qk_scale, stride_tok, BLOCK_M2: tl.constexpr,
            BLOCK_N2: tl.constexpr, HEAD_DIM: tl.constexpr, start_m, start_n, num_steps,
            MASK: tl.constexpr):
    offs_m = start_m + tl.arange(0, BLOCK_M2)
    offs_d = tl.arange(0, HEAD_DIM)
    delta = tl.load(D + offs_m)
    tl.static_assert(BLOCK_M2 % BLOCK_N2 == 0)
    curr_n = start_n
    for _ in range(num_steps):
        offs_n = curr_n + tl.arange(0, BLOCK_N2)
        k_t = tl.load(K + offs_n[None, :] * stride_tok + offs_d[:, None])
        v_t = tl.load(V + offs_n[None, :] * stride_tok + offs_d[:, None])
        p = tl.math.exp2(tl.dot(q, k_t) * qk_scale - m)
        if MASK:
            p = tl.where(offs_m[:, None] >= offs_n[None, :], p, 0.0)
        ds = p * (tl.dot(do, v_t) - delta[:, None])
        dq += tl.dot(ds.to(k_t.dtype), tl.trans(k_t))
        curr_n += BLOCK_N2
    return dq


@tessel.jit
def attn_bwd(Q, K, V, sm_scale, DO, DQ, DK, DV, M, D, stride_z, stride_h, stride_tok, H, N_CTX,
             BLOCK_M1: tl.constexpr, BLOCK_N1: tl.constexpr, BLOCK_M2: tl.constexpr,
             BLOCK_N2: tl.constexpr, BLK_SLICE_FACTOR: tl.constexpr, HEAD_DIM: tl.constexpr,
             CAUSAL: tl.constexpr):
    pid = tl.program_id(0)
    bhid = tl.program_id(1)
    adj = stride_h * (bhid % H) + stride_z * (bhid // H)
    Q += adj
    K += adj
    V += adj
    DO += adj
    DQ += adj
    DK += adj
    DV += adj
    M += bhid * N_CTX
    D += bhid * N_CTX
    qk_scale = sm_scale * 1.44269504
    offs_d = tl.arange(0, HEAD_DIM)

    # dK and dV of key block pid.
    start_n = pid * BLOCK_N1
    offs_n = start_n + tl.arange(0, BLOCK_N1)
    kv = offs_n[:, None] * stride_tok + offs_d[None, :]
    k = tl.load(K + kv)
    v = tl.load(V + kv)
    dk = tl.zeros([BLOCK_N1, HEAD_DIM], dtype=tl.float32)
    dv = tl.zeros([BLOCK_N1, HEAD_DIM], dtype=tl.float32)
    start_m = 0
    if CAUSAL:
        # The diagonal block's query rows, in narrower masked steps.
        MASK_BLOCK_M1: tl.constexpr = BLOCK_M1 // BLK_SLICE_FACTOR
        start_m = start_n
        steps = BLOCK_N1 // MASK_BLOCK_M1
        dk, dv = _bwd_dkdv(dk, dv, Q, k, v, DO, M, D, qk_scale, stride_tok, MASK_BLOCK_M1,
                           BLOCK_N1, HEAD_DIM, start_n, start_m, steps, MASK=True)
        start_m += steps * MASK_BLOCK_M1
    steps = (N_CTX - start_m) // BLOCK_M1
    dk, dv = _bwd_dkdv(dk, dv, Q, k, v, DO, M, D, qk_scale, stride_tok, BLOCK_M1, BLOCK_N1,
                       HEAD_DIM, start_n, start_m, steps, MASK=False)
    tl.store(DV + kv, dv)
    tl.store(DK + kv, dk * sm_scale)

    # dQ of query block pid.
    start_m = pid * BLOCK_M2
    offs_m = start_m + tl.arange(0, BLOCK_M2)
    rows = offs_m[:, None] * stride_tok + offs_d[None, :]
    q = tl.load(Q + rows)
    do = tl.load(DO + rows)
    m = tl.load(M + offs_m)[:, None]
    dq = tl.zeros([BLOCK_M2, HEAD_DIM], dtype=tl.float32)
    end_n = start_m + BLOCK_M2 if CAUSAL else N_CTX
    if CAUSAL:
        MASK_BLOCK_N2: tl.constexpr = BLOCK_N2 // BLK_SLICE_FACTOR
        steps = BLOCK_M2 // MASK_BLOCK_N2
        dq = _bwd_dq(dq, q, K, V, do, m, D, qk_scale, stride_tok, BLOCK_M2, MASK_BLOCK_N2,
                     HEAD_DIM, start_m, end_n - steps * MASK_BLOCK_N2, steps, MASK=True)
        end_n -= steps * MASK_BLOCK_N2
    steps = end_n // BLOCK_N2
    dq = _bwd_dq(dq, q, K, V, do, m, D, qk_scale, stride_tok, BLOCK_M2, BLOCK_N2, HEAD_DIM,
                 start_m, end_n - steps * BLOCK_N2, steps, MASK=False)
    tl.store(DQ + rows, dq * sm_scale)


def _forward(q, k, v, scale, causal):
    z, h, n, d = q.shape
    o = np.zeros_like(q)
    m = np.zeros((z * h, n), np.float32)
    y = z * h * n
    descs = [TensorDescriptor(t.reshape(y, d), [y, d], [d, 1], [1, 1]) for t in (q, k, v, o)]
    attn_fwd[lambda meta: (tessel.cdiv(n, meta["BLOCK_M"]), z * h)](
        scale, m, z, h, *descs, n, HEAD_DIM=d, STAGE=3 if causal else 1, WARP_SPECIALIZE=False)
    return o, m


@pytest.mark.parametrize("causal", [False, True])
def test_tutorial_shaped_forward(causal: bool) -> None:
    rng = np.random.default_rng(21)
    z, h, n, d = 2, 2, 64, 32
    q, k, v = (rng.standard_normal((z, h, n, d)).astype(np.float32) for _ in range(3))
    scale = d ** -0.5
    o, m = _forward(q, k, v, scale, causal)
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
    stages, the producer copies the diagonal's loop too, its use numbers
    continuing the first loop's, so its first stages arrive while the
    consumers finish the blocks left of the diagonal."""
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
    # K and V of each loop.
    assert producer.count("tilegpu.tma_copy") == (4 if causal else 2)
    assert producer.count("scf.for") == (2 if causal else 1)
    consumers = tilegpu[tilegpu.index("} else {"):]
    # The consumers wait without a barrier, release stages and copy nothing
    # by TMA; one set of ring barriers serves both loops.
    assert "sync = false" in consumers and "tilegpu.mbarrier_arrive" in consumers
    assert "tilegpu.tma_copy" not in consumers and "tilegpu.mbarrier_init" not in consumers
    assert consumers.count("tilegpu.mbarrier_inval") == 1
    # Q stays resident (copied once, before the first loop), also when the
    # diagonal's loop reads it again: no stores of it into scratch.
    assert len(re.findall(r"tilegpu\.async_copy .*stageBytes = 0 : i64", consumers)) == 1
    assert "wgmma.mma_async" in ptx and "mbarrier.arrive.shared::cta.b64" in ptx


@pytest.mark.parametrize("causal", [False, True])
def test_tutorial_shaped_backward(causal: bool) -> None:
    """The forward's log-sum-exp, the preprocess and the backward kernel
    give dQ, dK and dV of random data (float32 on the CPU backend) as the
    float64 reference does."""
    rng = np.random.default_rng(33)
    z, h, n, d = 1, 2, 96, 32
    q, k, v, do = (rng.standard_normal((z, h, n, d)).astype(np.float32) for _ in range(4))
    scale = d ** -0.5
    o, m = _forward(q, k, v, scale, causal)
    ref_o, ref_dq, ref_dk, ref_dv = reference_grads(
        *(x.astype(np.float64) for x in (q, k, v, do)), scale, causal)
    np.testing.assert_allclose(o, ref_o, rtol=1e-3, atol=1e-4)
    delta = np.zeros((z * h, n), np.float32)
    _bwd_preprocess[(n // 16, z * h)](o, do, delta, n, BLOCK_M=16, HEAD_DIM=d)
    dq, dk, dv = (np.zeros_like(q) for _ in range(3))
    stride_z, stride_h, stride_tok = (s // q.itemsize for s in q.strides[:3])
    attn_bwd[(n // 32, z * h)](q, k, v, scale, do, dq, dk, dv, m, delta, stride_z, stride_h,
                               stride_tok, h, n, BLOCK_M1=32, BLOCK_N1=32, BLOCK_M2=32,
                               BLOCK_N2=32, BLK_SLICE_FACTOR=2, HEAD_DIM=d, CAUSAL=causal)
    for got, want in ((dq, ref_dq), (dk, ref_dk), (dv, ref_dv)):
        np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("causal", [False, True])
def test_tutorial_shaped_autograd_on_cuda(causal: bool) -> None:
    """The forward and the backward above inside a torch.autograd.Function
    (as the tutorial wraps them), float16 on a GPU, against float64 SDPA."""
    torch = torch_on_cuda()

    class Attention(torch.autograd.Function):
        @staticmethod
        def forward(ctx, q, k, v, causal, scale):
            z, h, n, d = q.shape
            o = torch.empty_like(q)
            m = torch.empty((z * h, n), device=q.device, dtype=torch.float32)
            y = z * h * n
            descs = [TensorDescriptor(t.view(y, d), [y, d], [d, 1], [1, 1])
                     for t in (q, k, v, o)]
            attn_fwd[lambda meta: (tessel.cdiv(n, meta["BLOCK_M"]), z * h)](
                scale, m, z, h, *descs, n, HEAD_DIM=d, STAGE=3 if causal else 1,
                WARP_SPECIALIZE=False)
            ctx.save_for_backward(q, k, v, o, m)
            ctx.causal, ctx.scale = causal, scale
            return o

        @staticmethod
        def backward(ctx, do):
            q, k, v, o, m = ctx.saved_tensors
            do = do.contiguous()
            z, h, n, d = q.shape
            delta = torch.empty_like(m)
            _bwd_preprocess[(n // 32, z * h)](o, do, delta, n, BLOCK_M=32, HEAD_DIM=d)
            dq, dk, dv = (torch.empty_like(q) for _ in range(3))
            attn_bwd[(n // 64, z * h)](q, k, v, ctx.scale, do, dq, dk, dv, m, delta,
                                       *q.stride()[:3], h, n, BLOCK_M1=32, BLOCK_N1=64,
                                       BLOCK_M2=64, BLOCK_N2=32, BLK_SLICE_FACTOR=2,
                                       HEAD_DIM=d, CAUSAL=ctx.causal, num_warps=4)
            return dq, dk, dv, None, None

    z, h, n, d = 2, 2, 256, 64
    torch.manual_seed(17)
    q, k, v = (torch.randn(z, h, n, d, device="cuda", dtype=torch.float16, requires_grad=True)
               for _ in range(3))
    do = torch.randn(z, h, n, d, device="cuda", dtype=torch.float16)
    scale = d ** -0.5
    out = Attention.apply(q, k, v, causal, scale)
    check_backward_against_sdpa(out, do, q, k, v, causal, scale)
