"""Reductions end to end on the CPU target with NumPy arrays (needs the `_tessel` extension)."""

from __future__ import annotations


import numpy as np
import pytest

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from gpu_targets import skip_without_device_libs
from reduce_kernels import (
    custom_reduce,
    custom_reduce_2d,
    layer_norm_fwd,
    layer_norm_fwd_loop,
    max_with_indices,
    reduce_1d,
    reduce_2d,
    softmax_2d_kernel,
    softmax_kernel,
)

RNG = np.random.default_rng(4321)
INF = float("inf")


@pytest.fixture(autouse=True)
def _cpu_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "cpu")


def rand(
    shape: int | tuple[int, ...], dtype: type | np.dtype, lo: float = -10, hi: float = 10
) -> np.ndarray:
    dt = np.dtype(dtype)
    if dt.kind == "f":
        return RNG.uniform(lo, hi, shape).astype(dt)
    info = np.iinfo(dt)
    return RNG.integers(
        max(info.min, int(lo)), min(info.max, int(hi)), shape, endpoint=True
    ).astype(dt)


#: the masked-lane value that does not change the result
def identity(op: str, dtype: type) -> int | float:
    dt = np.dtype(dtype)
    if op in ("sum", "xor_sum", "method_sum"):
        return 0
    big = INF if dt.kind == "f" else np.iinfo(dt).max
    small = -INF if dt.kind == "f" else np.iinfo(dt).min
    return small if op in ("max", "argmax", "method_max") else big


def numpy_reduce(op: str, x: np.ndarray, axis: int | None) -> np.ndarray:
    if op in ("sum", "method_sum"):
        if x.dtype.kind == "f":
            return x.astype(np.float64).sum(axis=axis)
        return x.astype(np.int64).sum(axis=axis)
    if op in ("max", "method_max"):
        return x.max(axis=axis)
    if op == "min":
        return x.min(axis=axis)
    if op == "xor_sum":
        return (
            np.bitwise_xor.reduce(x, axis=axis)
            if axis is not None
            else np.bitwise_xor.reduce(x.ravel())
        )
    if op == "argmax":
        return x.argmax(axis=axis)
    if op == "argmin":
        return x.argmin(axis=axis)
    raise ValueError(op)


#: (input dtype, output dtype of sum, of max/min): Triton's promotions
RESULT_DTYPES = {
    np.float32: (np.float32, np.float32),
    np.float16: (np.float16, np.float32),
    np.int32: (np.int32, np.int32),
    np.int8: (np.int32, np.int32),
    np.uint8: (np.uint32, np.int32),
}


def out_dtype(op: str, dtype: type) -> type:
    if op in ("argmax", "argmin"):
        return np.int32
    if op == "xor_sum":
        return dtype
    sum_t, max_t = RESULT_DTYPES[dtype]
    return sum_t if op in ("sum", "method_sum") else max_t


def check(got: np.ndarray, expected: np.ndarray, op: str, dtype: type, n: int) -> None:
    if np.dtype(dtype).kind == "f" and op in ("sum", "method_sum"):
        tol = 2e-3 if dtype == np.float16 else 1e-5
        np.testing.assert_allclose(
            got.astype(np.float64), expected, rtol=tol, atol=tol * np.sqrt(n) * 10
        )
    else:
        np.testing.assert_array_equal(got, expected.astype(got.dtype))


# ---------------------------------------------------------------------------
# 1-D
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32, np.int8, np.uint8])
@pytest.mark.parametrize("op", ["sum", "max", "min"])
@pytest.mark.parametrize("n", [1000, 1024, 5000])
def test_reduce_1d(op: str, dtype: type, n: int) -> None:
    BLOCK = 1024
    x = rand(n, dtype, -100, 100)
    progs = tessel.cdiv(n, BLOCK)
    out = np.zeros(progs, out_dtype(op, dtype))
    reduce_1d[(progs,)](x, out, n, OP=op, OTHER=identity(op, dtype), BLOCK=BLOCK)
    padded = np.full(progs * BLOCK, identity(op, dtype), dtype)
    padded[:n] = x
    expected = numpy_reduce(op, padded.reshape(progs, BLOCK), 1)
    check(out, expected, op, dtype, BLOCK)


def test_int8_sum_does_not_wrap() -> None:
    x = np.full(1024, 100, np.int8)
    out = np.zeros(1, np.int32)
    reduce_1d[(1,)](x, out, 1024, OP="sum", OTHER=0, BLOCK=1024)
    assert out[0] == 102400
    x = np.full(1024, 250, np.uint8)
    out = np.zeros(1, np.uint32)
    reduce_1d[(1,)](x, out, 1024, OP="sum", OTHER=0, BLOCK=1024)
    assert out[0] == 256000


@pytest.mark.parametrize("dtype", [np.int32, np.uint8])
def test_xor_sum(dtype: type) -> None:
    n = 777
    x = rand(n, dtype, 0, 255)
    out = np.zeros(1, dtype)
    reduce_1d[(1,)](x, out, n, OP="xor_sum", OTHER=0, BLOCK=1024)
    assert out[0] == np.bitwise_xor.reduce(x)


def test_tensor_methods() -> None:
    n = 300
    x = rand(n, np.float32)
    out = np.zeros(1, np.float32)
    reduce_1d[(1,)](x, out, n, OP="method_sum", OTHER=0, BLOCK=512)
    np.testing.assert_allclose(out[0], x.astype(np.float64).sum(), rtol=1e-5, atol=1e-4)
    reduce_1d[(1,)](x, out, n, OP="method_max", OTHER=-INF, BLOCK=512)
    assert out[0] == x.max()


def test_max_ignores_nan() -> None:
    x = rand(100, np.float32)
    x[[3, 50]] = np.nan
    out = np.zeros(1, np.float32)
    reduce_1d[(1,)](x, out, 100, OP="max", OTHER=-INF, BLOCK=128)
    assert out[0] == np.nanmax(x)  # maxnumf, as Triton's tl.max


# ---------------------------------------------------------------------------
# 2-D
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32, np.int8, np.uint8])
@pytest.mark.parametrize("op", ["sum", "max", "min"])
@pytest.mark.parametrize("axis", [0, 1, None])
def test_reduce_2d_masked(op: str, dtype: type, axis: int | None) -> None:
    # a 37 x 50 matrix in a 64 x 64 tile (float32; a smaller tile for the
    # other types keeps the CPU compile time down)
    M, N, B = (37, 50, 64) if dtype == np.float32 else (20, 30, 32)
    x = rand((M, N), dtype, -100, 100)
    n_out = {0: N, 1: M, None: 1}[axis]
    out = np.zeros(n_out, out_dtype(op, dtype))
    ident = identity(op, dtype)
    reduce_2d[(1,)](x, out, M, N, N, OP=op, AXIS=axis, KEEP=False, OTHER=ident, BM=B, BN=B)
    check(out, np.atleast_1d(numpy_reduce(op, x, axis)), op, dtype, M * N)


@pytest.mark.parametrize("op", ["sum", "max", "argmax", "argmin", "xor_sum"])
@pytest.mark.parametrize("axis", [0, 1, None])
@pytest.mark.parametrize("keep", [False, True])
def test_reduce_2d_row_blocks(op: str, axis: int | None, keep: bool) -> None:
    """BM = 32 rows per program (16 for argmax/argmin, which the CPU backend
    is slow to compile); axis=0 gives per-program partials."""
    M, N, BM, BN = 100, 50, 32, 64
    dtype = np.int32 if op == "xor_sum" else np.float32
    x = rand((M, N), dtype, -100, 100)
    if op.startswith("arg"):
        M, N, BM, BN = 50, 30, 16, 32
        x = RNG.integers(0, 4, (M, N)).astype(np.float32)  # many ties
    progs = tessel.cdiv(M, BM)
    n_out = {0: progs * N, 1: M, None: progs}[axis]
    ident = identity(op, dtype)
    out = np.zeros(n_out, out_dtype(op, dtype))
    reduce_2d[(progs,)](x, out, M, N, N, OP=op, AXIS=axis, KEEP=keep, OTHER=ident, BM=BM, BN=BN)
    padded = np.full((progs * BM, BN), ident, dtype)
    padded[:M, :N] = x
    tiles = padded.reshape(progs, BM, BN)
    if axis == 1:
        expected = numpy_reduce(op, padded, 1)[:M]
    elif axis == 0:
        expected = np.stack([numpy_reduce(op, t, 0)[:N] for t in tiles]).ravel()
    else:
        expected = np.array([numpy_reduce(op, t, None) for t in tiles])
    check(out, expected, op, dtype, BN)


# ---------------------------------------------------------------------------
# argmax / argmin
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32, np.int8, np.uint8])
@pytest.mark.parametrize("op", ["argmax", "argmin"])
def test_arg_reductions_first_index_wins(op: str, dtype: type) -> None:
    n = 200
    x = RNG.integers(0, 5, n).astype(dtype)  # values from a small set: ties everywhere
    out = np.zeros(1, np.int32)
    reduce_1d[(1,)](x, out, n, OP=op, OTHER=identity(op, dtype), BLOCK=256)
    assert out[0] == numpy_reduce(op, x, 0)  # NumPy returns the first occurrence
    assert out[0] == (np.flatnonzero(x == (x.max() if op == "argmax" else x.min()))[0])


@pytest.mark.parametrize("axis", [0, 1, None])
@pytest.mark.parametrize("op", ["argmax", "argmin"])
def test_arg_reductions_2d(op: str, axis: int | None) -> None:
    M, N, BM, BN = 13, 30, 16, 32
    x = RNG.integers(-3, 3, (M, N)).astype(np.float32)
    out = np.zeros({0: N, 1: M, None: 1}[axis], np.int32)
    ident = identity(op, np.float32)
    reduce_2d[(1,)](x, out, M, N, N, OP=op, AXIS=axis, KEEP=False, OTHER=ident, BM=BM, BN=BN)
    expected = numpy_reduce(op, x, axis)
    if axis is None:  # row-major flat index into the 16 x 32 tile
        r, c = divmod(int(expected), N)
        expected = np.array([r * BN + c])
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("op", ["argmax", "argmin"])
def test_arg_reductions_nan_wins(op: str) -> None:
    x = RNG.integers(0, 5, 200).astype(np.float32)
    x[[17, 90]] = np.nan
    out = np.zeros(1, np.int32)
    reduce_1d[(1,)](x, out, 200, OP=op, OTHER=identity(op, np.float32), BLOCK=256)
    assert out[0] == numpy_reduce(op, x, 0) == 17


@pytest.mark.parametrize("axis", [0, 1])
def test_max_with_indices(axis: int) -> None:
    M, N = 27, 30
    x = RNG.integers(0, 6, (M, N)).astype(np.float32)
    n = N if axis == 0 else M
    val, idx = np.zeros(n, np.float32), np.zeros(n, np.int32)
    max_with_indices[(1,)](x, val, idx, M, N, AXIS=axis, BM=32, BN=32)
    np.testing.assert_array_equal(val, x.max(axis=axis))
    np.testing.assert_array_equal(idx, x.argmax(axis=axis))


# ---------------------------------------------------------------------------
# tl.reduce with user combine functions
# ---------------------------------------------------------------------------
def test_reduce_absmax() -> None:
    n = 3000
    x = rand(n, np.float32, -50, 50)
    progs = tessel.cdiv(n, 1024)
    out = np.zeros(progs, np.float32)
    custom_reduce[(progs,)](x, out, out, n, OP="absmax", OTHER=0.0, BLOCK=1024)
    padded = np.zeros(progs * 1024, np.float32)
    padded[:n] = x
    np.testing.assert_array_equal(out, np.abs(padded.reshape(progs, -1)).max(axis=1))


def test_reduce_product() -> None:
    n = 500
    x = rand(n, np.float32, 0.99, 1.01)
    out = np.zeros(1, np.float32)
    custom_reduce[(1,)](x, out, out, n, OP="prod", OTHER=1.0, BLOCK=512)
    np.testing.assert_allclose(out[0], np.prod(x.astype(np.float64)), rtol=1e-4)


def test_reduce_tuple() -> None:
    n = 1000
    x = rand(n, np.float32)
    s, m = np.zeros(1, np.float32), np.zeros(1, np.float32)
    custom_reduce[(1,)](x, s, m, n, OP="tuple", OTHER=0.0, BLOCK=1024)
    np.testing.assert_allclose(s[0], x.astype(np.float64).sum(), rtol=1e-5, atol=1e-3)
    assert m[0] == max(x.max(), 0.0)  # masked lanes read 0


def test_reduce_2d_keep_dims() -> None:
    x = rand((16, 32), np.float32)
    out = np.zeros(16, np.float32)
    custom_reduce_2d[(1,)](x, out, BM=16, BN=32)
    np.testing.assert_array_equal(out, np.abs(x).max(axis=1))


# ---------------------------------------------------------------------------
# softmax, layer norm
# ---------------------------------------------------------------------------
def softmax_ref(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(
    "M,N,BLOCK", [(7, 1000, 1024), (5, 1024, 1024), (3, 3000, 4096), (4, 1, 16)]
)
def test_softmax(M: int, N: int, BLOCK: int) -> None:
    big = rand((M, N + 5), np.float32, -5, 5)
    x = big[:, :N]
    out = np.full((M, N), -1.0, np.float32)
    softmax_kernel[(M,)](out, x, big.strides[0] // 4, out.strides[0] // 4, N, BLOCK=BLOCK)
    np.testing.assert_allclose(out, softmax_ref(x), rtol=1e-5, atol=1e-6)


def test_softmax_2d_tiles() -> None:
    M, N, BM, BN = 37, 50, 8, 64
    x = rand((M, N), np.float32, -5, 5)
    out = np.zeros((M, N), np.float32)
    softmax_2d_kernel[(tessel.cdiv(M, BM),)](out, x, M, N, N, BM=BM, BN=BN)
    np.testing.assert_allclose(out, softmax_ref(x), rtol=1e-5, atol=1e-6)


def layer_norm_ref(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float):  # type: ignore[no-untyped-def]
    x = x.astype(np.float64)
    mean = x.mean(axis=1)
    var = ((x - mean[:, None]) ** 2).mean(axis=1)
    rstd = 1 / np.sqrt(var + eps)
    return (x - mean[:, None]) * rstd[:, None] * w + b, mean, rstd


@pytest.mark.parametrize("loop", [False, True])
@pytest.mark.parametrize("M,N", [(9, 1000), (4, 3000)])
def test_layer_norm(M: int, N: int, loop: bool) -> None:
    x = rand((M, N), np.float32, -3, 3)
    w, b = rand(N, np.float32, 0.5, 1.5), rand(N, np.float32, -1, 1)
    y = np.zeros_like(x)
    mean, rstd = np.zeros(M, np.float32), np.zeros(M, np.float32)
    eps = 1e-5
    if loop:
        layer_norm_fwd_loop[(M,)](x, y, w, b, mean, rstd, N, N, eps, BLOCK=256)
    else:
        layer_norm_fwd[(M,)](x, y, w, b, mean, rstd, N, N, eps, BLOCK=tessel.next_power_of_2(N))
    y_ref, mean_ref, rstd_ref = layer_norm_ref(x, w, b, eps)
    np.testing.assert_allclose(mean, mean_ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(rstd, rstd_ref, rtol=1e-4)
    np.testing.assert_allclose(y, y_ref, rtol=1e-4, atol=1e-4)


def test_sum_fp16_accumulates_in_fp32() -> None:
    n = 4096
    x = rand(n, np.float16, 0, 1)
    out = np.zeros(1, np.float16)
    reduce_1d[(1,)](x, out, n, OP="sum", OTHER=0, BLOCK=n)
    exact = x.astype(np.float64).sum()
    ulp = float(np.spacing(np.float16(exact)))
    assert abs(float(out[0]) - exact) <= ulp  # one rounding at the end


def test_sum_dtype_argument() -> None:
    @tessel.jit
    def k(x_ptr, out_ptr, BLOCK: tl.constexpr):
        x = tl.load(x_ptr + tl.arange(0, BLOCK))
        tl.store(out_ptr, tl.sum(x, dtype=tl.float64))

    x = rand(256, np.int32, -1000, 1000)
    out = np.zeros(1, np.float64)
    k[(1,)](x, out, BLOCK=256)
    assert out[0] == float(x.astype(np.int64).sum())


# ---------------------------------------------------------------------------
# GPU targets, compile only (runs without a GPU)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["nvidia:sm_90a", "amd:gfx942"])
@pytest.mark.parametrize("num_warps", [4, 8])
def test_compiles_for_gpu_targets(target: str, num_warps: int) -> None:
    from tessel._ext import _C

    skip_without_device_libs(target)

    irs = [
        softmax_kernel.ir("*fp32", "*fp32", "i32", "i32", "i32", BLOCK=4096),
        layer_norm_fwd.ir(*["*fp32"] * 6, "i32", "i32", "fp32", BLOCK=1024),
        reduce_2d.ir(
            "*fp32",
            "*i32",
            "i32",
            "i32",
            "i32",
            OP="argmax",
            AXIS=0,
            KEEP=False,
            OTHER=0.0,
            BM=32,
            BN=64,
        ),
        custom_reduce.ir("*fp32", "*fp32", "*fp32", "i32", OP="tuple", OTHER=0.0, BLOCK=1024),
    ]
    for ir in irs:
        res = _C.compile(ir, target, num_warps)
        assert res["binary"]
        if target.startswith("nvidia"):
            assert "shfl.sync" in res["asm"]["ptx"]  # lanes combine through shuffles
