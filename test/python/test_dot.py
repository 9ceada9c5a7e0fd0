"""tl.dot against a float64 NumPy reference on random data: every input type
and accumulator, ragged sizes through masks, transposed operands through
strides, accumulation into acc, 3-D batches, ``a @ b``, and a matmul written
like Triton's tutorial (grouped ordering with ``min``, masks on K).

Runs on the CPU backend here and with CUDA tensors on a GPU
(``TESSEL_CONFORMANCE_DEVICE=cuda``); every kernel is also compiled for
NVIDIA and AMD.
"""
from __future__ import annotations

import os

import numpy as np
import pytest

try:
    from tessel._ext import _C  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from fp8_reference import code_values, encode
from gpu_targets import TARGETS

DEVICE = os.environ.get("TESSEL_CONFORMANCE_DEVICE", "cpu")
RNG = np.random.default_rng(2026)


@pytest.fixture(autouse=True)
def _target(monkeypatch: pytest.MonkeyPatch) -> None:
    if DEVICE == "cpu":
        monkeypatch.setenv("TESSEL_TARGET", "cpu")


def _dev(a: np.ndarray):
    if DEVICE == "cpu":
        return a
    import torch

    return torch.from_numpy(np.ascontiguousarray(a)).to(DEVICE)


def _strides(x) -> tuple[int, ...]:
    """Element strides of an array or tensor as the kernel sees it."""
    if isinstance(x, np.ndarray):
        return tuple(s // x.itemsize for s in x.strides)
    return tuple(x.stride())


def _host(a) -> np.ndarray:
    return a if isinstance(a, np.ndarray) else a.cpu().numpy()


@tessel.jit
def matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K,
                  stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
                  BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr,
                  IN: tl.constexpr, OUT: tl.constexpr, PRECISION: tl.constexpr,
                  ACC_INIT: tl.constexpr):
    """C = A @ B (+ C when ACC_INIT) block by block, masked on every edge."""
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rn = tl.program_id(1) * BN + tl.arange(0, BN)
    rk = tl.arange(0, BK)
    c_ptrs = c_ptr + rm[:, None] * stride_cm + rn[None, :] * stride_cn
    c_mask = (rm[:, None] < M) & (rn[None, :] < N)
    if ACC_INIT:
        acc = tl.load(c_ptrs, mask=c_mask, other=0).to(OUT)
    else:
        acc = tl.zeros((BM, BN), dtype=OUT)
    for k0 in range(0, K, BK):
        kk = k0 + rk
        a = tl.load(a_ptr + rm[:, None] * stride_am + kk[None, :] * stride_ak,
                    mask=(rm[:, None] < M) & (kk[None, :] < K), other=0)
        b = tl.load(b_ptr + kk[:, None] * stride_bk + rn[None, :] * stride_bn,
                    mask=(kk[:, None] < K) & (rn[None, :] < N), other=0)
        if IN is not None:
            a = a.to(IN, bitcast=True)
            b = b.to(IN, bitcast=True)
        acc = tl.dot(a, b, acc, input_precision=PRECISION, out_dtype=OUT)
    tl.store(c_ptrs, acc, mask=c_mask)


def _run_matmul(a: np.ndarray, b: np.ndarray, out: np.dtype, *, block=(32, 32, 16),
                fp8: str | None = None, precision: str | None = None,
                c_init: np.ndarray | None = None) -> np.ndarray:
    M, K = a.shape
    N = b.shape[1]
    c = np.zeros((M, N), out) if c_init is None else c_init.copy()
    # A transposed operand stays transposed on the device (a copy of the
    # contiguous transpose, viewed back), so strides keep meaning something.
    da, dc = _dev(a), _dev(c)
    db = _dev(b) if b.flags.c_contiguous or DEVICE == "cpu" else _dev(b.T.copy()).T
    out_tl = {np.float32: tl.float32, np.float16: tl.float16, np.int32: tl.int32,
              np.float64: tl.float64}[np.dtype(out).type]
    BM, BN, BK = block
    matmul_kernel[(tessel.cdiv(M, BM), tessel.cdiv(N, BN))](
        da, db, dc, M, N, K, *_strides(da), *_strides(db), N, 1,
        BM=BM, BN=BN, BK=BK, IN=getattr(tl, fp8) if fp8 else None, OUT=out_tl,
        PRECISION=precision, ACC_INIT=c_init is not None)
    return _host(dc)


def _check(got: np.ndarray, ref: np.ndarray, rtol: float) -> None:
    scale = np.abs(ref).max() + 1
    np.testing.assert_allclose(got.astype(np.float64), ref, rtol=0, atol=rtol * scale)


@pytest.mark.parametrize("dtype, out, rtol", [
    (np.float16, np.float32, 1e-6),
    (np.float16, np.float16, 4e-3),
    (np.float32, np.float32, 1e-6),
    (np.float64, np.float64, 1e-13),
])
def test_float_dot(dtype, out, rtol) -> None:
    a = RNG.standard_normal((64, 48)).astype(dtype)
    b = RNG.standard_normal((48, 32)).astype(dtype)
    # float32 asks for "ieee": the default, tf32, may round the inputs.
    precision = "ieee" if dtype == np.float32 else None
    got = _run_matmul(a, b, out, precision=precision)
    _check(got, a.astype(np.float64) @ b.astype(np.float64), rtol)


@pytest.mark.skipif(DEVICE == "cpu", reason="tiles of 4096+ elements compile slowly on the "
                    "CPU backend today (the CPU-backend issue); the CPU covers dot with the "
                    "other tests")
@pytest.mark.parametrize("block", [(64, 64, 64), (64, 128, 128)])
def test_warpgroup_tiles(block) -> None:
    # Blocks a Hopper warpgroup takes (wgmma on sm_90a): M a multiple of 64
    # with 4 warps, K of 64, ragged edges.
    M, N, K = 100, 150, 200
    a = RNG.standard_normal((M, K)).astype(np.float16)
    b = RNG.standard_normal((K, N)).astype(np.float16)
    got = _run_matmul(a, b, np.float32, block=block)
    _check(got, a.astype(np.float64) @ b.astype(np.float64), 1e-6)


def test_bfloat16_dot() -> None:
    # NumPy has no bfloat16: the operands travel as uint16 bit patterns.
    @tessel.jit
    def bf16_kernel(a_ptr, b_ptr, c_ptr, N: tl.constexpr):
        r = tl.arange(0, N)
        a = tl.load(a_ptr + r[:, None] * N + r[None, :]).to(tl.bfloat16, bitcast=True)
        b = tl.load(b_ptr + r[:, None] * N + r[None, :]).to(tl.bfloat16, bitcast=True)
        tl.store(c_ptr + r[:, None] * N + r[None, :], tl.dot(a, b))

    n = 32 if DEVICE == "cpu" else 64  # 64: wgmma on sm_90a
    bits = [(RNG.standard_normal((n, n)).astype(np.float32).view(np.uint32) >> 16).astype(np.uint16)
            for _ in range(2)]
    vals = [(x.astype(np.uint32) << 16).view(np.float32).astype(np.float64) for x in bits]
    c = _dev(np.zeros((n, n), np.float32))
    bf16_kernel[(1,)](_dev(bits[0]), _dev(bits[1]), c, N=n)
    _check(_host(c), vals[0] @ vals[1], 1e-6)


def test_int8_dot_is_exact() -> None:
    # K = 16 takes the portable path on GPUs, 32 the tensor cores: both exact.
    a = RNG.integers(-128, 128, (32, 64), dtype=np.int8)
    b = RNG.integers(-128, 128, (64, 48), dtype=np.int8)
    got = _run_matmul(a, b, np.int32, block=(32, 32, 32))  # K steps of 32: mma.sync on GPUs
    np.testing.assert_array_equal(got, a.astype(np.int64) @ b.astype(np.int64))
    got = _run_matmul(a, b, np.int32, block=(32, 32, 16))
    np.testing.assert_array_equal(got, a.astype(np.int64) @ b.astype(np.int64))


@pytest.mark.parametrize("fmt", ["float8e4nv", "float8e5"])
def test_float8_dot(fmt: str) -> None:
    name = {"float8e4nv": "fp8e4nv", "float8e5": "fp8e5"}[fmt]
    a = encode(RNG.standard_normal((32, 32)).astype(np.float32), name)
    b = encode(RNG.standard_normal((32, 32)).astype(np.float32), name)
    values = code_values(name)
    got = _run_matmul(a, b, np.float32, fp8=fmt)
    _check(got, values[a] @ values[b], 1e-6)


def test_ragged_sizes_accumulate_and_transposed_operands() -> None:
    M, N, K = 37, 45, 50
    a = RNG.standard_normal((M, K)).astype(np.float16)
    bt = RNG.standard_normal((N, K)).astype(np.float16)   # B given transposed
    c0 = RNG.standard_normal((M, N)).astype(np.float32)
    got = _run_matmul(a, bt.T, np.float32, c_init=c0)
    ref = c0.astype(np.float64) + a.astype(np.float64) @ bt.T.astype(np.float64)
    _check(got, ref, 1e-6)


@tessel.jit
def matmul_nt_kernel(a_ptr, b_ptr, c_ptr, M, N, K, stride_am, stride_bn, stride_cm,
                     BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr,
                     ACC: tl.constexpr = tl.float32, A_FMT: tl.constexpr = None,
                     B_FMT: tl.constexpr = None):
    """C = A B^T with B given as N x K rows (a linear layer's weight): the
    dot's B is ``tl.trans`` of a loaded tile (on Hopper a K-major wgmma B fed
    by the staged cp.async ring; the only B orientation 8-bit wgmma reads).
    ``ACC`` is the accumulator's type (int32 for int8); ``A_FMT``/``B_FMT``
    reinterpret uint8 codes as float8 formats."""
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rn = tl.program_id(1) * BN + tl.arange(0, BN)
    rk = tl.arange(0, BK)
    acc = tl.zeros((BM, BN), dtype=ACC)
    for k in range(0, K, BK):
        kk = k + rk
        a = tl.load(a_ptr + rm[:, None] * stride_am + kk[None, :],
                    mask=(rm[:, None] < M) & (kk[None, :] < K), other=0)
        b = tl.load(b_ptr + rn[:, None] * stride_bn + kk[None, :],
                    mask=(rn[:, None] < N) & (kk[None, :] < K), other=0)
        if A_FMT is not None:
            a = a.to(A_FMT, bitcast=True)
            b = b.to(B_FMT, bitcast=True)
        acc = tl.dot(a, tl.trans(b), acc)
    tl.store(c_ptr + rm[:, None] * stride_cm + rn[None, :], acc,
             mask=(rm[:, None] < M) & (rn[None, :] < N))


@pytest.mark.parametrize("M, N, K, BM, BN, warps, stages", [
    (200, 136, 320, 64, 64, 4, 3), (256, 512, 384, 128, 256, 8, 3), (100, 90, 64, 64, 128, 4, 2),
])
def test_matmul_with_transposed_b_tile(M, N, K, BM, BN, warps, stages) -> None:
    a = RNG.standard_normal((M, K)).astype(np.float16)
    w = RNG.standard_normal((N, K)).astype(np.float16)
    c = np.zeros((M, N), np.float32)
    da, dw, dc = _dev(a), _dev(w), _dev(c)
    matmul_nt_kernel[(tessel.cdiv(M, BM), tessel.cdiv(N, BN))](
        da, dw, dc, M, N, K, K, K, N, BM=BM, BN=BN, BK=64, num_warps=warps, num_stages=stages)
    # Tensor cores sum float32 with truncation: over 40 seeds the worst error
    # of the 384-deep products reached 1.03e-6 of the scale on an H200 (wgmma
    # and mma.sync alike), so 1e-6 failed for some data (which under xdist
    # depends on the tests run before in the worker).
    _check(_host(dc), a.astype(np.float64) @ w.T.astype(np.float64), 4e-6)


NARROW_BLOCKS = [
    # BM, BN, BK, warps, stages: Triton's BLOCK_K = 32 configs, K = 16,
    # N = 16 and 32 (64- and 32-byte swizzles for the narrow side).
    (128, 64, 32, 4, 4), (64, 32, 32, 4, 5), (128, 128, 32, 8, 3), (64, 64, 16, 4, 3),
    (64, 16, 64, 4, 3), (64, 32, 16, 4, 1), (128, 256, 32, 8, 3),
]


@pytest.mark.skipif(DEVICE == "cpu", reason="tiles of 4096+ elements compile slowly on the "
                    "CPU backend today (the CPU-backend issue); the CPU covers dot with the "
                    "other tests")
@pytest.mark.parametrize("BM, BN, BK, warps, stages", NARROW_BLOCKS)
def test_narrow_warpgroup_tiles(BM, BN, BK, warps, stages) -> None:
    # wgmma on sm_90a with K or N below 64: the narrow operand takes a 64-
    # or 32-byte swizzle, in the plain dot (stages 1) and in the cp.async
    # ring; ragged edges on every side. A B^T covers the K-major B.
    M, N, K = 200, 150, 232
    a = RNG.standard_normal((M, K)).astype(np.float16)
    b = RNG.standard_normal((K, N)).astype(np.float16)
    c = _dev(np.zeros((M, N), np.float16))
    tutorial_matmul[(tessel.cdiv(M, BM) * tessel.cdiv(N, BN),)](
        _dev(a), _dev(b), c, M, N, K, K, 1, N, 1, N, 1, BLOCK_SIZE_M=BM, BLOCK_SIZE_N=BN,
        BLOCK_SIZE_K=BK, GROUP_SIZE_M=4, num_warps=warps, num_stages=stages)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    _check(_host(c).astype(np.float64), ref, 2e-3)
    w = np.ascontiguousarray(b.T)
    ct = _dev(np.zeros((M, N), np.float32))
    matmul_nt_kernel[(tessel.cdiv(M, BM), tessel.cdiv(N, BN))](
        _dev(a), _dev(w), ct, M, N, K, K, K, N, BM=BM, BN=BN, BK=BK, num_warps=warps,
        num_stages=stages)
    _check(_host(ct), ref, 1e-6)


@pytest.mark.parametrize("BM, BN, BK, warps, stages", NARROW_BLOCKS)
def test_narrow_blocks_take_wgmma_and_the_ring(monkeypatch, BM, BN, BK, warps,
                                               stages) -> None:
    # Compile only (no GPU needed): every narrow block runs on wgmma with the
    # operands' swizzle, through cp.async copies into shared memory (a ring
    # copied ahead with num_stages >= 2, one stage copied in the iteration
    # that reads it with 1).
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    # Unit strides are compiled in, as they are at launch.
    k = tutorial_matmul.warmup("*fp16:16", "*fp16:16", "*fp16:16", *(["i32:16"] * 4), 1,
                               "i32:16", 1, "i32:16", 1,
                               BLOCK_SIZE_M=BM, BLOCK_SIZE_N=BN, BLOCK_SIZE_K=BK,
                               GROUP_SIZE_M=4, num_warps=warps, num_stages=stages)
    ptx = k.asm["ptx"]
    assert f"wgmma.mma_async.sync.aligned.m64n{BN}k16" in ptx and "mma.sync" not in ptx
    assert "cp.async.cg" in ptx
    assert ("tilegpu.shared_dot" in k.asm["tilegpu"]) == (stages >= 2)
    assert k.n_spills == 0


SM80_RING_BLOCKS = [
    # BM, BN, BK, warps, stages: the sm_80 probe's configs (bench/probe/
    # sm80_matmul.py), whose register prefetch spilled or fell back to 32
    # registers before the ring.
    (128, 128, 32, 4, 3), (128, 256, 32, 8, 3), (64, 128, 64, 4, 3), (64, 64, 32, 4, 2),
]


@pytest.mark.parametrize("BM, BN, BK, warps, stages", SM80_RING_BLOCKS)
def test_sm80_dots_read_a_cp_async_ring(monkeypatch, BM, BN, BK, warps, stages) -> None:
    # Compile only (no GPU needed): on sm_80 the operands travel by cp.async
    # into shared-memory stages and reach mma.sync through ldmatrix, no
    # proxy fence (sm_90 only) and no spills; num_stages 1 keeps the
    # conversion through shared memory (no cp.async).
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_80")
    for num_stages in (stages, 1):
        k = tutorial_matmul.warmup("*fp16:16", "*fp16:16", "*fp16:16", *(["i32:16"] * 4), 1,
                                   "i32:16", 1, "i32:16", 1,
                                   BLOCK_SIZE_M=BM, BLOCK_SIZE_N=BN, BLOCK_SIZE_K=BK,
                                   GROUP_SIZE_M=4, num_warps=warps, num_stages=num_stages)
        ptx = k.asm["ptx"]
        assert "mma.sync.aligned.m16n8k16" in ptx and "wgmma" not in ptx
        assert "fence.proxy.async" not in ptx
        assert ("cp.async.cg" in ptx) == (num_stages >= 2)
        assert "ldmatrix.sync.aligned.m8n8.x4.trans" in ptx
        if num_stages >= 2:
            # The ring: stages * (A + B) bytes of shared memory.
            assert k.metadata.shared >= stages * (BM * BK + BK * BN) * 2
            assert k.n_spills == 0


@pytest.mark.parametrize("BM, BN, warps, stages", [(128, 128, 4, 3), (128, 256, 8, 3)])
def test_sm80_a_bt_dots_read_a_cp_async_ring(monkeypatch, BM, BN, warps, stages) -> None:
    # Compile only: A B^T (B loaded N x K, through tl.trans) on sm_80 takes
    # the ring too, B's K-contiguous rows read by the plain ldmatrix; these
    # configs spilled 1-8 KB per thread with register prefetching.
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_80")
    k = matmul_nt_kernel.warmup("*fp16:16", "*fp16:16", "*fp32:16", *(["i32:16"] * 6),
                                BM=BM, BN=BN, BK=64, grid=(1,), num_warps=warps,
                                num_stages=stages)
    ptx = k.asm["ptx"]
    assert "cp.async.cg" in ptx and "ldmatrix.sync.aligned.m8n8.x4.shared.b16" in ptx
    assert "ldmatrix.sync.aligned.m8n8.x4.trans" not in ptx
    assert k.n_spills == 0


INT8_BLOCKS = [
    # BM, BN, BK, warps, stages, through cp.async copies: Triton's int8
    # tutorial shapes, N = 16 and 32, K = 32 bytes; stages 1 copies one stage
    # in the iteration that reads it.
    (128, 256, 128, 8, 3, True), (64, 64, 64, 4, 3, True), (128, 128, 64, 8, 4, True),
    (64, 16, 32, 4, 3, True), (64, 32, 64, 4, 1, True),
]


@pytest.mark.skipif(DEVICE == "cpu", reason="tiles of 4096+ elements compile slowly on the "
                    "CPU backend; the CPU covers int8 dot in test_int8_dot_is_exact")
@pytest.mark.parametrize("BM, BN, BK, warps, stages, ring", INT8_BLOCKS)
def test_int8_warpgroup_tiles(BM, BN, BK, warps, stages, ring) -> None:
    # Exact on every element, with ragged M and N and a K that is not a
    # multiple of BK (masked, zero-filled K steps).
    M, N, K = 200, 150, 336
    a = RNG.integers(-128, 128, (M, K), dtype=np.int8)
    w = RNG.integers(-128, 128, (N, K), dtype=np.int8)
    c = _dev(np.zeros((M, N), np.int32))
    matmul_nt_kernel[(tessel.cdiv(M, BM), tessel.cdiv(N, BN))](
        _dev(a), _dev(w), c, M, N, K, K, K, N, BM=BM, BN=BN, BK=BK, ACC=tl.int32,
        num_warps=warps, num_stages=stages)
    np.testing.assert_array_equal(_host(c), a.astype(np.int64) @ w.T.astype(np.int64))


@pytest.mark.parametrize("BM, BN, BK, warps, stages, ring", INT8_BLOCKS)
def test_int8_takes_wgmma(monkeypatch, BM, BN, BK, warps, stages, ring) -> None:
    # Compile only: int8 A B^T runs on 8-bit wgmma (k32, s32 accumulators),
    # through the ring where a thread's loads are 16-byte runs, with no spills
    # there.
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    k = matmul_nt_kernel.warmup("*i8:16", "*i8:16", "*i32:16", *(["i32:16"] * 6),
                                BM=BM, BN=BN, BK=BK, ACC=tl.int32, num_warps=warps,
                                num_stages=stages)
    ptx = k.asm["ptx"]
    assert f"wgmma.mma_async.sync.aligned.m64n{BN}k32.s32.s8.s8" in ptx
    assert "mma.sync" not in ptx
    assert ("cp.async.cg" in ptx) == ring
    if ring:
        assert k.n_spills == 0


def test_int8_a_b_stays_on_mma_sync(monkeypatch) -> None:
    # wgmma reads 8-bit B only K-major: an int8 B loaded K x N (N
    # contiguous) takes mma.sync (m16n8k32) instead.
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    k = matmul_kernel.warmup("*i8:16", "*i8:16", "*i32:16", *(["i32:16"] * 3), "i32:16", 1,
                             "i32:16", 1, "i32:16", 1, BM=64, BN=64, BK=64, IN=None,
                             OUT=tl.int32, PRECISION=None, ACC_INIT=False)
    ptx = k.asm["ptx"]
    assert "mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32" in ptx
    assert "wgmma" not in ptx


@pytest.mark.parametrize("fmt", ["float8e4nv", "float8e5"])
def test_float8_dot_decodes_every_code(fmt: str) -> None:
    # Each of the 256 codes once (NaN and, for float8e5, infinities and
    # subnormals included) times the identity: the dot's result is every
    # code's value, as float64 decodes it (NaN rows where NaN or inf meets a
    # zero, in the reference as well).
    name = {"float8e4nv": "fp8e4nv", "float8e5": "fp8e5"}[fmt]
    values = code_values(name)
    a = np.arange(256, dtype=np.uint8).reshape(16, 16)
    one = int(np.flatnonzero(values == 1.0)[0])
    b = np.where(np.eye(16, dtype=bool), one, 0).astype(np.uint8)
    got = _run_matmul(a, b, np.float32, block=(16, 16, 16), fp8=fmt)
    with np.errstate(invalid="ignore"):
        ref = (values[a] @ values[b]).astype(np.float32)
    np.testing.assert_array_equal(got, ref)


FLOAT8_BLOCKS = [
    # A format, B format, BM, BN, BK, warps, stages, through the ring.
    ("float8e4nv", "float8e4nv", 128, 256, 128, 8, 3, True),
    ("float8e5", "float8e5", 64, 64, 64, 4, 3, True),
    ("float8e4nv", "float8e5", 128, 128, 64, 8, 4, True),
    ("float8e5", "float8e4nv", 64, 32, 64, 4, 1, True),
]


@pytest.mark.skipif(DEVICE == "cpu", reason="tiles of 4096+ elements compile slowly on the "
                    "CPU backend; the CPU covers float8 dot in test_float8_dot*")
@pytest.mark.parametrize("afmt, bfmt, BM, BN, BK, warps, stages, ring", FLOAT8_BLOCKS)
def test_float8_warpgroup_tiles(afmt, bfmt, BM, BN, BK, warps, stages, ring) -> None:
    # The products are exact; wgmma sums them with the tensor cores' own
    # (narrower than float32) accumulation, as Triton's default on Hopper,
    # hence the tolerance.
    M, N, K = 200, 150, 336
    names = {"float8e4nv": "fp8e4nv", "float8e5": "fp8e5"}
    a = encode(RNG.standard_normal((M, K)).astype(np.float32), names[afmt])
    w = encode(RNG.standard_normal((N, K)).astype(np.float32), names[bfmt])
    c = _dev(np.zeros((M, N), np.float32))
    matmul_nt_kernel[(tessel.cdiv(M, BM), tessel.cdiv(N, BN))](
        _dev(a), _dev(w), c, M, N, K, K, K, N, A_FMT=getattr(tl, afmt),
        B_FMT=getattr(tl, bfmt), BM=BM, BN=BN, BK=BK, num_warps=warps, num_stages=stages)
    ref = code_values(names[afmt])[a] @ code_values(names[bfmt])[w].T
    _check(_host(c), ref, 1e-3)


@pytest.mark.parametrize("afmt, bfmt, BM, BN, BK, warps, stages, ring", FLOAT8_BLOCKS)
def test_float8_takes_wgmma(monkeypatch, afmt, bfmt, BM, BN, BK, warps, stages, ring) -> None:
    # Compile only: float8 A B^T multiplies the codes on wgmma (k32, f32
    # accumulators, each operand's own format), through the ring where the
    # loads allow, with no spills there.
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    k = matmul_nt_kernel.warmup("*u8:16", "*u8:16", "*fp32:16", *(["i32:16"] * 6),
                                A_FMT=getattr(tl, afmt), B_FMT=getattr(tl, bfmt), BM=BM,
                                BN=BN, BK=BK, num_warps=warps, num_stages=stages)
    ptx = k.asm["ptx"]
    ptx_name = {"float8e4nv": "e4m3", "float8e5": "e5m2"}
    assert (f"wgmma.mma_async.sync.aligned.m64n{BN}k32.f32.{ptx_name[afmt]}.{ptx_name[bfmt]}"
            in ptx)
    assert "mma.sync" not in ptx and "f16.f16" not in ptx
    assert ("cp.async.cg" in ptx) == ring
    if ring:
        assert k.n_spills == 0


def test_float8_widens_where_wgmma_cannot_take_it(monkeypatch) -> None:
    # float8 B loaded K x N (N contiguous: not K-major), a bound on the
    # imprecise accumulation, or sm_80: the codes are widened to float16 and
    # multiplied there (exact in float32).
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    sig = ("*u8:16", "*u8:16", "*fp32:16", *(["i32:16"] * 3), "i32:16", 1, "i32:16", 1,
           "i32:16", 1)
    k = matmul_kernel.warmup(*sig, BM=64, BN=64, BK=64, IN=tl.float8e4nv, OUT=tl.float32,
                             PRECISION=None, ACC_INIT=False)
    assert "e4m3" not in k.asm["ptx"] and "f16.f16" in k.asm["ptx"]
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_80")
    k = matmul_nt_kernel.warmup("*u8:16", "*u8:16", "*fp32:16", *(["i32:16"] * 6),
                                A_FMT=tl.float8e4nv, B_FMT=tl.float8e4nv, BM=64, BN=64, BK=64)
    assert "e4m3" not in k.asm["ptx"] and "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16" in (
        k.asm["ptx"])


MFMA_CASES = [
    # (pointer type, IN, OUT, block, gfx942 instruction, gfx90a instruction)
    ("*fp16:16", None, tl.float32, (64, 64, 32), "v_mfma_f32_32x32x8_f16", "v_mfma_f32_32x32x8f16"),
    ("*bf16:16", None, tl.float32, (64, 64, 32), "v_mfma_f32_32x32x8_bf16",
     "v_mfma_f32_32x32x8bf16_1k"),
    ("*i8:16", None, tl.int32, (64, 64, 32), "v_mfma_i32_32x32x16_i8", "v_mfma_i32_32x32x8i8"),
    ("*u8:16", tl.float8e4nv, tl.float32, (64, 64, 32), "v_mfma_f32_32x32x8_f16",
     "v_mfma_f32_32x32x8f16"),
    ("*fp16:16", None, tl.float32, (16, 64, 32), "v_mfma_f32_16x16x16_f16",
     "v_mfma_f32_16x16x16f16"),
    ("*fp16:16", None, tl.float32, (128, 128, 32), "v_mfma_f32_32x32x8_f16",
     "v_mfma_f32_32x32x8f16"),
    ("*fp32:16", None, tl.float32, (64, 64, 32), "v_mfma_f32_32x32x2_f32",
     "v_mfma_f32_32x32x2f32"),
]


@pytest.mark.parametrize("target", ["amd:gfx942", "amd:gfx90a"])
@pytest.mark.parametrize("ptr, fmt, out, block, gfx942, gfx90a", MFMA_CASES)
def test_amd_dots_take_mfma(monkeypatch, target, ptr, fmt, out, block, gfx942, gfx90a) -> None:
    # AMD's matrix cores (compile-verified: no AMD GPU here); float8 codes
    # arrive widened to f16. 128x128 float32 results store from the MFMA
    # layout (its conversion would not fit 64 KiB of LDS).
    monkeypatch.setenv("TESSEL_TARGET", target)
    BM, BN, BK = block
    c_ptr = "*i32:16" if out == tl.int32 else "*fp32:16"
    k = matmul_kernel.warmup(ptr, ptr, c_ptr, *(["i32:16"] * 3), "i32:16", 1, "i32:16", 1,
                             "i32:16", 1, BM=BM, BN=BN, BK=BK, IN=fmt, OUT=out,
                             PRECISION=None, ACC_INIT=False)
    asm = k.asm["amdgcn"]
    instr = gfx942 if target == "amd:gfx942" else gfx90a
    assert instr in asm
    assert ".vgpr_spill_count: 0" in asm and ".sgpr_spill_count: 0" in asm


def test_tf32_is_close() -> None:
    # tf32 may round inputs to 10 mantissa bits: a looser bound.
    a = RNG.standard_normal((32, 64)).astype(np.float32)
    b = RNG.standard_normal((64, 32)).astype(np.float32)
    got = _run_matmul(a, b, np.float32, precision="tf32")
    _check(got, a.astype(np.float64) @ b.astype(np.float64), 2e-3)


def test_batched_dot_and_matmul_operator() -> None:
    @tessel.jit
    def bmm(a_ptr, b_ptr, c_ptr, d_ptr, B: tl.constexpr, M: tl.constexpr, N: tl.constexpr,
            K: tl.constexpr):
        rb = tl.arange(0, B)[:, None, None]
        a = tl.load(a_ptr + rb * M * K + tl.arange(0, M)[None, :, None] * K
                    + tl.arange(0, K)[None, None, :])
        b = tl.load(b_ptr + rb * K * N + tl.arange(0, K)[None, :, None] * N
                    + tl.arange(0, N)[None, None, :])
        offs = rb * M * N + tl.arange(0, M)[None, :, None] * N + tl.arange(0, N)[None, None, :]
        tl.store(c_ptr + offs, tl.dot(a, b))
        a0 = tl.load(a_ptr + tl.arange(0, M)[:, None] * K + tl.arange(0, K)[None, :])
        b0 = tl.load(b_ptr + tl.arange(0, K)[:, None] * N + tl.arange(0, N)[None, :])
        tl.store(d_ptr + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :], a0 @ b0)

    B, M, N, K = 2, 16, 32, 16
    a = RNG.standard_normal((B, M, K)).astype(np.float32)
    b = RNG.standard_normal((B, K, N)).astype(np.float32)
    c, d = _dev(np.zeros((B, M, N), np.float32)), _dev(np.zeros((M, N), np.float32))
    bmm[(1,)](_dev(a), _dev(b), c, d, B=B, M=M, N=N, K=K, )
    ref = np.einsum("bmk,bkn->bmn", a.astype(np.float64), b.astype(np.float64))
    _check(_host(c), ref, 1e-5)
    # A float32 dot defaults to tf32, which tensor cores round to.
    _check(_host(d), ref[0], 2e-3)


@tessel.jit
def tutorial_matmul(a_ptr, b_ptr, c_ptr, M, N, K,
                    stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
                    BLOCK_SIZE_M: tl.constexpr, BLOCK_SIZE_N: tl.constexpr,
                    BLOCK_SIZE_K: tl.constexpr, GROUP_SIZE_M: tl.constexpr):
    # Shaped like Triton's matmul tutorial: grouped program ordering, pointer
    # blocks advanced along K, masks on K.
    pid = tl.program_id(axis=0)
    num_pid_m = tl.cdiv(M, BLOCK_SIZE_M)
    num_pid_n = tl.cdiv(N, BLOCK_SIZE_N)
    num_pid_in_group = GROUP_SIZE_M * num_pid_n
    group_id = pid // num_pid_in_group
    first_pid_m = group_id * GROUP_SIZE_M
    group_size_m = min(num_pid_m - first_pid_m, GROUP_SIZE_M)
    pid_m = first_pid_m + ((pid % num_pid_in_group) % group_size_m)
    pid_n = (pid % num_pid_in_group) // group_size_m
    offs_am = (pid_m * BLOCK_SIZE_M + tl.arange(0, BLOCK_SIZE_M)) % M
    offs_bn = (pid_n * BLOCK_SIZE_N + tl.arange(0, BLOCK_SIZE_N)) % N
    offs_k = tl.arange(0, BLOCK_SIZE_K)
    a_ptrs = a_ptr + (offs_am[:, None] * stride_am + offs_k[None, :] * stride_ak)
    b_ptrs = b_ptr + (offs_k[:, None] * stride_bk + offs_bn[None, :] * stride_bn)
    accumulator = tl.zeros((BLOCK_SIZE_M, BLOCK_SIZE_N), dtype=tl.float32)
    for k in range(0, tl.cdiv(K, BLOCK_SIZE_K)):
        a = tl.load(a_ptrs, mask=offs_k[None, :] < K - k * BLOCK_SIZE_K, other=0.0)
        b = tl.load(b_ptrs, mask=offs_k[:, None] < K - k * BLOCK_SIZE_K, other=0.0)
        accumulator = tl.dot(a, b, accumulator)
        a_ptrs += BLOCK_SIZE_K * stride_ak
        b_ptrs += BLOCK_SIZE_K * stride_bk
    c = accumulator.to(tl.float16)
    offs_cm = pid_m * BLOCK_SIZE_M + tl.arange(0, BLOCK_SIZE_M)
    offs_cn = pid_n * BLOCK_SIZE_N + tl.arange(0, BLOCK_SIZE_N)
    c_ptrs = c_ptr + stride_cm * offs_cm[:, None] + stride_cn * offs_cn[None, :]
    c_mask = (offs_cm[:, None] < M) & (offs_cn[None, :] < N)
    tl.store(c_ptrs, c, mask=c_mask)


def test_tutorial_matmul() -> None:
    M, N, K = 96, 80, 72
    a = RNG.standard_normal((M, K)).astype(np.float16)
    b = RNG.standard_normal((K, N)).astype(np.float16)
    c = _dev(np.zeros((M, N), np.float16))
    BM, BN, BK = 32, 32, 32
    grid = (tessel.cdiv(M, BM) * tessel.cdiv(N, BN),)
    tutorial_matmul[grid](_dev(a), _dev(b), c, M, N, K, K, 1, N, 1, N, 1,
                          BLOCK_SIZE_M=BM, BLOCK_SIZE_N=BN, BLOCK_SIZE_K=BK, GROUP_SIZE_M=2)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    _check(_host(c).astype(np.float64), ref, 2e-3)


@pytest.mark.parametrize("target", TARGETS)
def test_compiles_for_gpus(target: str) -> None:
    ir = tutorial_matmul.ir("*fp16:16", "*fp16:16", "*fp16:16", "i32", "i32", "i32", "i32",
                            "i32", "i32", "i32", "i32", "i32", BLOCK_SIZE_M=64,
                            BLOCK_SIZE_N=64, BLOCK_SIZE_K=32, GROUP_SIZE_M=8)
    assert "tile.dot" in ir
    assert _C.compile(ir, target, 4)["binary"]


BAD = [
    (0, (16, 8), (8, 16), "M >= 16, N >= 16 and K >= 16"),
    (0, (16, 32), (16, 16), "are not compatible for matmul"),
    (1, (16, 16), (16, 16), "Both operands must be same dtype"),
    (2, (16, 16), (16, 16), "out_dtype=bfloat16 is unsupported"),
    (3, (16, 16), (16, 16), "input_precision must be one of"),
    (4, (16, 16), (16, 16), r"acc must be a fp32 block of shape \[16, 16\]"),
]


@tessel.jit
def bad_dot(a_ptr, b_ptr, c_ptr, AM: tl.constexpr, AK: tl.constexpr, BK: tl.constexpr,
            BN: tl.constexpr, CASE: tl.constexpr):
    a = tl.load(a_ptr + tl.arange(0, AM)[:, None] * AK + tl.arange(0, AK)[None, :])
    b = tl.load(b_ptr + tl.arange(0, BK)[:, None] * BN + tl.arange(0, BN)[None, :])
    if CASE == 0:
        c = tl.dot(a, b)
    elif CASE == 1:
        c = tl.dot(a, b.to(tl.bfloat16))
    elif CASE == 2:
        c = tl.dot(a, b, out_dtype=tl.bfloat16)
    elif CASE == 3:
        c = tl.dot(a, b, input_precision="fp64")
    else:
        c = tl.dot(a, b, tl.zeros((16, 8), tl.float32))
    tl.store(c_ptr + tl.arange(0, AM)[:, None] * BN + tl.arange(0, BN)[None, :], c)


@pytest.mark.parametrize("case, sa, sb, match", BAD)
def test_bad_dots_raise_located_errors(case, sa, sb, match) -> None:
    with pytest.raises(tessel.CompilationError, match=match) as info:
        bad_dot.ir("*fp16", "*fp16", "*fp32", AM=sa[0], AK=sa[1], BK=sb[0], BN=sb[1], CASE=case)
    assert "test_dot.py" in str(info.value)


@pytest.mark.parametrize("num_stages", [1, 2, 3])
def test_num_stages_prefetch(num_stages: int) -> None:
    # num_stages >= 2 prefetches the next K step's tiles (tessel-prefetch-
    # loads); the result is the same whatever the depth, ragged K included.
    M, N, K = 40, 48, 72
    a = RNG.standard_normal((M, K)).astype(np.float16)
    b = RNG.standard_normal((K, N)).astype(np.float16)
    c = _dev(np.zeros((M, N), np.float16))
    tutorial_matmul[(tessel.cdiv(M, 32) * tessel.cdiv(N, 32),)](
        _dev(a), _dev(b), c, M, N, K, K, 1, N, 1, N, 1, BLOCK_SIZE_M=32, BLOCK_SIZE_N=32,
        BLOCK_SIZE_K=16, GROUP_SIZE_M=2, num_stages=num_stages)
    _check(_host(c).astype(np.float64), a.astype(np.float64) @ b.astype(np.float64), 2e-3)


def test_num_stages_is_checked() -> None:
    a = np.zeros((16, 16), np.float16)
    with pytest.raises(ValueError, match="num_stages must be a positive int, got 0"):
        tutorial_matmul[(1,)](a, a, a, 16, 16, 16, 16, 1, 16, 1, 16, 1, BLOCK_SIZE_M=16,
                              BLOCK_SIZE_N=16, BLOCK_SIZE_K=16, GROUP_SIZE_M=1, num_stages=0)


@tessel.jit
def range_stages_matmul(a_ptr, b_ptr, c_ptr, K, BM: tl.constexpr, BN: tl.constexpr,
                        BK: tl.constexpr, STAGES: tl.constexpr):
    """A (BM x K) @ B (K x BN), the K loop with its own num_stages."""
    rm = tl.arange(0, BM)
    rn = tl.arange(0, BN)
    rk = tl.arange(0, BK)
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in tl.range(0, K, BK, num_stages=STAGES):
        a = tl.load(a_ptr + rm[:, None] * K + (k + rk)[None, :], mask=(k + rk)[None, :] < K,
                    other=0.0)
        b = tl.load(b_ptr + (k + rk)[:, None] * BN + rn[None, :], mask=(k + rk)[:, None] < K,
                    other=0.0)
        acc = tl.dot(a, b, acc)
    tl.store(c_ptr + rm[:, None] * BN + rn[None, :], acc)


@pytest.mark.parametrize("kernel_stages,loop_stages", [(1, 3), (3, 1), (2, 4)])
def test_num_stages_on_tl_range(kernel_stages: int, loop_stages: int) -> None:
    """tl.range(..., num_stages=N) overrides the launch's num_stages for its
    loop, as in Triton: same results whatever the two depths."""
    K = 200
    a = RNG.standard_normal((64, K)).astype(np.float16)
    b = RNG.standard_normal((K, 64)).astype(np.float16)
    c = _dev(np.zeros((64, 64), np.float32))
    range_stages_matmul[(1,)](_dev(a), _dev(b), c, K, 64, 64, 32, loop_stages,
                              num_stages=kernel_stages)
    _check(_host(c).astype(np.float64), a.astype(np.float64) @ b.astype(np.float64), 2e-3)


@pytest.mark.parametrize("kernel_stages,loop_stages,ring", [(1, 3, True), (3, 1, False)])
def test_num_stages_on_tl_range_picks_the_ring(kernel_stages: int, loop_stages: int,
                                               ring: bool) -> None:
    """On Hopper the loop's own depth decides whether its dot gets the
    cp.async ring copied ahead (its wgmma in flight across iterations), or
    one stage copied in the iteration that reads it, whatever the kernel's
    num_stages."""
    ir = range_stages_matmul.ir("*fp16:16", "*fp16:16", "*fp32:16", "i32:16", BM=64, BN=64,
                                BK=32, STAGES=loop_stages)
    assert f"tile.num_stages = {loop_stages} : i32" in ir
    res = _C.compile(ir, "nvidia:sm_90a", 4, num_stages=kernel_stages)
    assert ("tilegpu.shared_dot" in res["asm"]["tilegpu"]) is ring
    assert ("tilegpu.staged_dot" in res["asm"]["tilegpu"]) is not ring
    assert "cp.async.cg" in res["asm"]["ptx"]


def test_num_stages_on_tl_range_is_checked() -> None:
    with pytest.raises(tessel.CompilationError, match="num_stages must be a positive"):
        range_stages_matmul.ir("*fp16", "*fp16", "*fp32", "i32", BM=16, BN=16, BK=16, STAGES=0)
