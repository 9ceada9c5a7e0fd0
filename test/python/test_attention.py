"""Fused attention (attention_kernels.py) against a float64 reference on
random data: the forward, and the backward (dQ, dK, dV from the training
forward's log-sum-exp); non-causal and causal, ragged sequence lengths,
float16 and bfloat16 on GPUs (the backward through a torch.autograd.Function),
float32 on the CPU backend."""
from __future__ import annotations

import numpy as np
import pytest

import tessel
import tessel.language as tl
from attention_kernels import (attention_backward, attention_forward_train, attention_fwd,
                               attention_fwd_desc, check_backward_against_sdpa,
                               reference_grads)
from gpu_targets import torch_on_cuda
from tessel.tools.tensor_descriptor import TensorDescriptor


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


def _desc_forward(q, k, v, out, scale, causal, bm, bn, **opts):
    """attention_fwd_desc over [Z * H * N, D] views (Triton's tutorial 06
    form): on Hopper K and V reach the ring by TMA."""
    z, h, n, d = q.shape

    def desc(t, rows):
        return TensorDescriptor(t.reshape(z * h * n, d), [z * h * n, d], [d, 1], [rows, d])

    attention_fwd_desc[(n // bm, z * h)](desc(q, bm), desc(k, bn), desc(v, bn), desc(out, bm),
                                         scale, n, HEAD_DIM=d, BLOCK_M=bm, BLOCK_N=bn,
                                         CAUSAL=causal, **opts)


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("blocks", [(32, 16), (16, 32)])
def test_descriptor_forward_on_the_cpu(causal: bool, blocks: tuple[int, int]) -> None:
    """The descriptor form, causal as the tutorial stages it (the blocks left
    of the diagonal unmasked, then the diagonal's), also when BLOCK_N is
    wider than BLOCK_M (the diagonal's loop starts on a BLOCK_N boundary)."""
    rng = np.random.default_rng(11)
    z, h, n, d = 1, 2, 64, 32
    q, k, v = (rng.standard_normal((z, h, n, d)).astype(np.float32) for _ in range(3))
    out = np.zeros_like(q)
    scale = d ** -0.5
    _desc_forward(q, k, v, out, scale, causal, *blocks)
    ref = reference(q.astype(np.float64), k.astype(np.float64), v.astype(np.float64), scale, causal)
    np.testing.assert_allclose(out, ref, rtol=2e-4, atol=2e-5)


# (BLOCK_M, BLOCK_N, HEAD_DIM, num_warps, num_stages, warp_specialize): with
# warp_specialize a producer warp (one consumer warpgroup) or warpgroup (two,
# with setmaxnreg) issues the TMA copies.
# num_stages=1 copies K and V by TMA into one stage in the iteration that
# reads them (no producer: it needs a ring ahead).
DESC_CUDA_CONFIGS = [(128, 64, 128, 8, 2, True), (128, 128, 128, 8, 2, True),
                     (64, 64, 128, 4, 3, True), (128, 64, 64, 8, 3, False),
                     (64, 128, 64, 4, 2, True), (64, 64, 256, 4, 1, False),
                     (128, 64, 128, 8, 1, True)]


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("config", DESC_CUDA_CONFIGS, ids=lambda c: "x".join(map(str, c)))
def test_descriptor_forward_on_cuda(causal: bool, config) -> None:
    torch = torch_on_cuda()
    bm, bn, d, warps, stages, ws = config
    z, h, n = 2, 3, 512
    torch.manual_seed(5)
    q, k, v = (torch.randn(z, h, n, d, device="cuda", dtype=torch.float16) for _ in range(3))
    out = torch.empty_like(q)
    scale = d ** -0.5
    _desc_forward(q, k, v, out, scale, causal, bm, bn, WARP_SPECIALIZE=ws, num_warps=warps,
                  num_stages=stages)
    ref = torch.nn.functional.scaled_dot_product_attention(
        q.double(), k.double(), v.double(), is_causal=causal, scale=scale)
    torch.testing.assert_close(out.double(), ref, rtol=2e-2, atol=2e-2)


# (BLOCK_M, BLOCK_N, HEAD_DIM, num_warps, num_stages): num_stages >= 2 runs
# the staged pipeline (K and V copied ahead into a shared-memory ring, Q
# once, P from registers: tessel-pipeline-dot-operands), 1 one stage copied
# by cp.async in the iteration that reads it.
CUDA_CONFIGS = [(64, 64, 64, 4, 3), (64, 64, 64, 4, 1), (128, 64, 128, 8, 3),
                (128, 64, 128, 8, 2), (64, 32, 64, 4, 4), (128, 128, 64, 8, 2),
                (64, 64, 256, 4, 3),
                # Two warpgroups on one stage: every warp must be done with the
                # previous iteration's dots before the stage is refilled.
                (128, 64, 256, 8, 1), (128, 64, 128, 8, 1)]


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("dtype_name", ["float16", "bfloat16"])
@pytest.mark.parametrize("config", CUDA_CONFIGS,
                         ids=lambda c: "x".join(map(str, c.values[0] if hasattr(c, "values")
                                                    else c)))
def test_attention_forward_on_cuda(causal: bool, dtype_name: str, config) -> None:
    torch = torch_on_cuda()
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


# (BLOCK_M, BLOCK_N, HEAD_DIM, num_warps, num_stages) of the float8 forward.
FP8_CONFIGS = [(64, 64, 128, 4, 3), (128, 64, 128, 8, 3), (64, 64, 64, 4, 1),
               (128, 64, 64, 8, 2)]


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("config", FP8_CONFIGS, ids=lambda c: "x".join(map(str, c)))
def test_attention_float8_forward_on_cuda(causal: bool, config) -> None:
    """float8e4nv Q, K and V (V stored [Z, H, D, N]: P V reads it K-major, as
    8-bit wgmma requires, the layout of Triton's fp8 tutorial path), float16
    output, against float64 attention of the same float8 values."""
    torch = torch_on_cuda()
    bm, bn, d, warps, stages = config
    z, h, n = 2, 3, 300
    torch.manual_seed(13)
    q, k, v = (torch.randn(z, h, n, d, device="cuda").to(torch.float8_e4m3fn)
               for _ in range(3))
    vt = v.transpose(2, 3).contiguous()
    out = torch.empty(z, h, n, d, device="cuda", dtype=torch.float16)
    scale = d ** -0.5
    st = [*q.stride()[:3]]
    attention_fwd[(tessel.cdiv(n, bm), z * h)](
        q, k, vt, out, scale, n, *st, *st, *vt.stride()[:3], *out.stride()[:3],
        H=h, HEAD_DIM=d, BLOCK_M=bm, BLOCK_N=bn, CAUSAL=causal, V_TRANSPOSED=True,
        num_warps=warps, num_stages=stages)
    ref = torch.nn.functional.scaled_dot_product_attention(
        q.double(), k.double(), v.double(), is_causal=causal, scale=scale)
    # P is rounded to e4m3 (3 mantissa bits) before P V.
    torch.testing.assert_close(out.double(), ref, rtol=6e-2, atol=6e-2)


def test_attention_float8_forward_on_the_cpu() -> None:
    """The float8 forward on the CPU backend (dots widened to float16 exactly,
    P rounded to e4m3 by the integer expansion): float8 codes in uint8 arrays
    passed through tessel.reinterpret, against float64 attention of their
    values."""
    from fp8_reference import decode, encode

    rng = np.random.default_rng(17)
    z, h, n, d = 1, 2, 80, 32
    codes = [encode(rng.standard_normal((z, h, n, d)).astype(np.float32), "fp8e4nv", "rtne")
             for _ in range(3)]
    q, k, v = (decode(c, "fp8e4nv").astype(np.float64) for c in codes)
    vt = np.ascontiguousarray(codes[2].transpose(0, 1, 3, 2))
    out = np.zeros((z, h, n, d), np.float16)
    scale = d ** -0.5
    st = list(codes[0].strides[:3])  # one-byte elements: strides in bytes are in elements
    f8 = [tessel.reinterpret(c, tl.float8e4nv) for c in (codes[0], codes[1], vt)]
    attention_fwd[(tessel.cdiv(n, 32), z * h)](
        *f8, out, scale, n, *st, *st, *vt.strides[:3], *(s // 2 for s in out.strides[:3]),
        H=h, HEAD_DIM=d, BLOCK_M=32, BLOCK_N=32, CAUSAL=False, V_TRANSPOSED=True)
    # P is rounded to e4m3 (3 mantissa bits) before P V.
    np.testing.assert_allclose(out, reference(q, k, v, scale, False), rtol=6e-2, atol=6e-2)


def test_attention_float8_forward_takes_8_bit_wgmma(monkeypatch) -> None:
    """Compile only (CI has no GPU): both products of the float8 forward run
    on e4m3 wgmma from the staged ring (Q resident, K and V^T in the ring, P
    stored to a region of its own: wgmma reads 8-bit A only from memory)."""
    from gpu_targets import skip_without_device_libs

    skip_without_device_libs("nvidia:sm_90a")
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    f8, i = "*fp8e4nv:16", "i32:16"
    kernel = attention_fwd.warmup(f8, f8, f8, "*fp16:16", "fp32", i, *([i] * 12), H=2,
                                  HEAD_DIM=128, BLOCK_M=64, BLOCK_N=64, CAUSAL=True,
                                  V_TRANSPOSED=True, num_warps=4, num_stages=3)
    ptx = kernel.asm["ptx"]
    assert "wgmma.mma_async.sync.aligned.m64n64k32.f32.e4m3.e4m3" in ptx   # Q K^T
    assert "wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e4m3" in ptx  # P V
    assert "cp.async.cg.shared.global" in ptx
    assert kernel.n_spills == 0

@pytest.mark.parametrize("block_n, warps, stages", [(64, 4, 3), (32, 4, 4), (64, 8, 2)])
def test_attention_forward_takes_the_sm80_ring(monkeypatch, block_n: int, warps: int,
                                                stages: int) -> None:
    """Compile only (CI has no GPU): on sm_80 the forward's two mma.sync dots
    take all warps along M, K and V come through one cp.async ring read with
    ldmatrix (K^T transposed from its N x D tile, V with .trans), P reaches
    P V in registers (no shared-memory stores in the loop but the copies),
    and nothing spills at HEAD_DIM 64."""
    from gpu_targets import skip_without_device_libs

    skip_without_device_libs("nvidia:sm_80")
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_80")
    p, i = "*fp16:16", "i32:16"
    block_m = 16 * warps
    kernel = attention_fwd.warmup(p, p, p, p, "fp32", i, *([i] * 12), H=2, HEAD_DIM=64,
                                  BLOCK_M=block_m, BLOCK_N=block_n, CAUSAL=False,
                                  num_warps=warps, num_stages=stages)
    tilegpu = kernel.asm["tilegpu"]
    assert tilegpu.count("tilegpu.stage_load") == 2
    assert "transposed" in tilegpu and "tilegpu.registers_only" in tilegpu
    assert f"warpsPerCTA = [{warps}, 1]" in tilegpu
    ptx = kernel.asm["ptx"]
    assert "cp.async.cg.shared.global" in ptx and "fence.proxy.async" not in ptx
    assert "ldmatrix.sync.aligned.m8n8.x4.shared.b16" in ptx
    assert "ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16" in ptx
    assert kernel.n_spills == 0


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("n", [64, 100])
def test_attention_backward_on_the_cpu(causal: bool, n: int) -> None:
    rng = np.random.default_rng(11)
    z, h, d = 1, 2, 32
    q, k, v, do = (rng.standard_normal((z, h, n, d)).astype(np.float32) for _ in range(4))
    scale = d ** -0.5
    out, lse = attention_forward_train(q, k, v, scale, causal, block_m=32, block_n=32)
    dq, dk, dv = attention_backward(q, k, v, out, do, lse, scale, causal, block_m=32,
                                    block_n=32)
    ref = reference_grads(*(x.astype(np.float64) for x in (q, k, v, do)), scale, causal)
    for got, want, name in zip((out, dq, dk, dv), ref, ("out", "dq", "dk", "dv")):
        np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-4, err_msg=name)
    # The log-sum-exp (base 2) of the scaled scores, per row.
    s = np.einsum("zhmd,zhnd->zhmn", q.astype(np.float64), k.astype(np.float64)) * scale
    if causal:
        s = np.where(np.tril(np.ones((n, n), bool)), s, -np.inf)
    want_lse = np.log2(np.exp(s).sum(-1)).reshape(z * h, n)
    np.testing.assert_allclose(lse, want_lse, rtol=1e-5, atol=1e-5)


BACKWARD_CONFIGS = [
    (64, 64, 4, 1, 64),
    # Two warpgroups: NaN gradients at N = 4096, D = 128 in session 9, when ElideBarriers
    # dropped the barrier after a wgmma's wait (it did not see wgmma read shared memory).
    (128, 64, 8, 3, 128),
    # The bench's pairing (dQ with the blocks swapped): both kernels' loops run on the
    # staged ring, Q and dO (dK/dV) and K (dQ) each read by two dots from one slot.
    (32, 128, 4, 3, 128, True), (64, 128, 8, 3, 128, True), (64, 64, 4, 3, 64, True),
]


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("dtype_name", ["float16", "bfloat16"])
@pytest.mark.parametrize("config", BACKWARD_CONFIGS,
                         ids=lambda c: "x".join(map(str, c.values[0] if hasattr(c, "values")
                                                    else c)))
def test_attention_backward_on_cuda_with_autograd(causal: bool, dtype_name: str,
                                                  config) -> None:
    """A torch.autograd.Function around the kernels (BLOCK_M, BLOCK_N, warps,
    stages of the backward, HEAD_DIM), checked against float64 SDPA's
    gradients."""
    bm, bn, warps, stages, d, *swap = config
    torch = torch_on_cuda()

    class Attention(torch.autograd.Function):
        @staticmethod
        def forward(ctx, q, k, v, causal, scale):
            out, lse = attention_forward_train(q, k, v, scale, causal, num_warps=4)
            ctx.save_for_backward(q, k, v, out, lse)
            ctx.causal, ctx.scale = causal, scale
            return out

        @staticmethod
        def backward(ctx, dout):
            q, k, v, out, lse = ctx.saved_tensors
            dq, dk, dv = attention_backward(q, k, v, out, dout.contiguous(), lse, ctx.scale,
                                            ctx.causal, block_m=bm, block_n=bn,
                                            swap_dq_blocks=bool(swap), num_warps=warps,
                                            num_stages=stages)
            return dq, dk, dv, None, None

    dtype = getattr(torch, dtype_name)
    z, h, n = 2, 3, 300
    torch.manual_seed(5)
    q, k, v = (torch.randn(z, h, n, d, device="cuda", dtype=dtype, requires_grad=True)
               for _ in range(3))
    do = torch.randn(z, h, n, d, device="cuda", dtype=dtype)
    scale = d ** -0.5
    out = Attention.apply(q, k, v, causal, scale)
    check_backward_against_sdpa(out, do, q, k, v, causal, scale)


@pytest.mark.parametrize("head_dim, warps", [(256, 4), (128, 8)])
def test_one_stage_still_stages_the_operands(head_dim: int, warps: int) -> None:
    """Compile only: num_stages=1 on sm_90a copies nothing ahead, but K and V
    still reach the tensor cores through shared memory (TMA into one stage,
    every iteration after a barrier), not through registers and each dot's
    scratch, which spilled 2.2 KB at HEAD_DIM 256 and ran 3-15x slower."""
    from gpu_targets import skip_without_device_libs
    from tessel._ext import _C

    skip_without_device_libs("nvidia:sm_90a")
    bm, bn, n = 16 * warps, 64, 256
    t = np.zeros((2 * n, head_dim), np.float16)
    descs = [TensorDescriptor(t, [2 * n, head_dim], [head_dim, 1], [rows, head_dim])
             for rows in (bm, bn, bn, bm)]
    ir = attention_fwd_desc.ir(*descs, 0.125, n, HEAD_DIM=head_dim, BLOCK_M=bm, BLOCK_N=bn,
                               CAUSAL=True, WARP_SPECIALIZE=True)
    res = _C.compile(ir, "nvidia:sm_90a", warps, num_stages=1)
    tilegpu, ptx = res["asm"]["tilegpu"], res["asm"]["ptx"]
    assert "tilegpu.producer_warp" not in tilegpu and res["num_warps"] == warps
    assert "tilegpu.mbarrier_init {count = 1 : i64" in tilegpu
    assert "cp.async.bulk.tensor.2d" in ptx and "wgmma.mma_async" in ptx
    assert "0 bytes spill stores" in res["asm"]["ptxas"]


@pytest.mark.parametrize("target", ["nvidia:sm_80", "amd:gfx942"])
def test_attention_kernels_compile_for_other_gpus(monkeypatch, target: str) -> None:
    """The forward (pointers and descriptors) and both backward kernels
    compile for Ampere (mma.sync) and AMD (MFMA); only Hopper runs them here
    (Ampere code too, through the driver's PTX compiler, when TESSEL_TARGET
    forces it)."""
    from attention_kernels import attention_bwd_dkdv, attention_bwd_dq
    from gpu_targets import skip_without_device_libs

    skip_without_device_libs(target)
    monkeypatch.setenv("TESSEL_TARGET", target)
    p, i = "*fp16:16", "i32:16"
    opts = dict(H=2, HEAD_DIM=64, BLOCK_M=64, BLOCK_N=64, CAUSAL=True, num_warps=4)
    kernels = [
        attention_fwd.warmup(p, p, p, p, "fp32", i, *([i] * 12), **opts),
        attention_bwd_dkdv.warmup(p, p, p, p, p, p, "*fp32:16", "*fp32:16", "fp32", i, i, i, i,
                                  **opts),
        attention_bwd_dq.warmup(p, p, p, p, p, "*fp32:16", "*fp32:16", "fp32", i, i, i, i,
                                **opts),
    ]
    # The descriptor forward with warp_specialize (no effect off Hopper: the
    # descriptors become masked loads).
    t = np.zeros((2 * 256, 64), np.float16)
    desc = TensorDescriptor(t, [2 * 256, 64], [64, 1], [64, 64])
    kernels.append(attention_fwd_desc.warmup(desc, desc, desc, desc, 0.125, 256, HEAD_DIM=64,
                                             BLOCK_M=64, BLOCK_N=64, CAUSAL=True,
                                             WARP_SPECIALIZE=True, num_warps=4,
                                             num_stages=3))
    stage = "ptx" if target.startswith("nvidia") else "amdgcn"
    for k in kernels:
        assert k.target == target and k.asm[stage]
    if stage == "ptx":
        assert "mma.sync.aligned.m16n8k16" in kernels[0].asm["ptx"]
    else:
        for k in kernels:  # every product of the three kernels on the matrix cores
            assert "v_mfma_f32_32x32x8_f16" in k.asm["amdgcn"]
            assert ".vgpr_spill_count: 0" in k.asm["amdgcn"]
