"""tl.reshape/view/ravel (tile.reshape) and tl.histogram.

The IR and error tests run without the compiled extension; the end-to-end
tests run on the CPU target with NumPy arrays (and skip without `_tessel`).
"""

from __future__ import annotations

import numpy as np
import pytest

import tessel
import tessel.language as tl
from shape_kernels import hist_kernel, reshape_3d, reshape_kernel

try:
    import tessel._ext  # noqa: F401

    HAVE_EXT = True
except ImportError:
    HAVE_EXT = False

needs_ext = pytest.mark.skipif(not HAVE_EXT, reason="tessel extension not built")
RNG = np.random.default_rng(1357)


@pytest.fixture(autouse=True)
def _cpu_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "cpu")


# ---------------------------------------------------------------------------
# IR and errors (no extension needed)
# ---------------------------------------------------------------------------
def test_reshape_ir() -> None:
    ir = reshape_kernel.ir("*fp32", "*fp32", M=16, N=32, P=512, Q=0, METHOD="reshape")
    assert "tile.reshape %" in ir
    assert ": tensor<16x32xf32> -> tensor<512xf32>" in ir
    ir = reshape_kernel.ir("*fp32", "*fp32", M=16, N=32, P=32, Q=16, METHOD="method")
    assert ": tensor<16x32xf32> -> tensor<32x16xf32>" in ir
    ir = reshape_kernel.ir("*fp32", "*fp32", M=16, N=32, P=16, Q=32, METHOD="reshape")
    assert "tile.reshape" not in ir  # same shape: no op


def test_ravel_view_ir() -> None:
    for method in ("ravel", "ravel_method", "view"):
        ir = reshape_kernel.ir("*i32", "*i32", M=4, N=8, P=32, Q=0, METHOD=method)
        assert ir.count("tile.reshape") == 1, method
        assert ": tensor<4x8xi32> -> tensor<32xi32>" in ir


def test_histogram_ir() -> None:
    ir = hist_kernel.ir("*i32", "*i32", "i32", NBINS=16, BLOCK=64, MASKED=True, METHOD="fn")
    assert "arith.cmpi eq" in ir
    assert "tile.reduce(" in ir and "axis = 0" in ir
    assert "tensor<64x16xi1>" in ir
    assert "-> tensor<16xi32>" in ir


def _compile_error(kernel, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(tessel.CompilationError) as info:
        kernel.ir(*args, **kwargs)
    return str(info.value)


def test_reshape_errors() -> None:
    @tessel.jit
    def bad_count(p, SHAPE: tl.constexpr):
        x = tl.load(p + tl.arange(0, 16)[:, None] * 32 + tl.arange(0, 32)[None, :])
        tl.store(p + tl.arange(0, 16), tl.sum(tl.reshape(x, SHAPE), axis=0))

    msg = _compile_error(bad_count, "*fp32", SHAPE=(32, 32))
    assert "element counts differ" in msg and "[16, 32]" in msg and "[32, 32]" in msg
    msg = _compile_error(bad_count, "*fp32", SHAPE=(3, 128))
    assert "power of 2" in msg

    @tessel.jit
    def bad_view(p):
        x = tl.load(p + tl.arange(0, 64))
        tl.store(p + tl.arange(0, 64), tl.ravel(tl.view(x, 4, 8)))

    assert "element counts differ" in _compile_error(bad_view, "*fp32")

    @tessel.jit
    def scalar(p):
        tl.store(p, tl.reshape(tl.load(p), (1,)))

    assert "cannot reshape a scalar" in _compile_error(scalar, "*fp32")

    @tessel.jit
    def runtime_shape(p, n):
        x = tl.load(p + tl.arange(0, 64))
        tl.store(p + tl.arange(0, 64), tl.reshape(x, (n,)))

    assert "compile-time constant" in _compile_error(runtime_shape, "*fp32", "i32")


def test_histogram_errors() -> None:
    @tessel.jit
    def bad_bins(p, out, NBINS: tl.constexpr):
        tl.store(out + tl.arange(0, 8), tl.histogram(tl.load(p + tl.arange(0, 64)), NBINS))

    assert "power of 2" in _compile_error(bad_bins, "*i32", "*i32", NBINS=12)

    @tessel.jit
    def float_input(p, out):
        tl.store(out + tl.arange(0, 8), tl.histogram(tl.load(p + tl.arange(0, 64)), 8))

    assert "integer" in _compile_error(float_input, "*fp32", "*i32")

    @tessel.jit
    def two_d(p, out):
        x = tl.load(p + tl.arange(0, 8)[:, None] + tl.arange(0, 8)[None, :])
        tl.store(out + tl.arange(0, 8), tl.histogram(x, 8))

    assert "1-D" in _compile_error(two_d, "*i32", "*i32")


# ---------------------------------------------------------------------------
# end to end on the CPU
# ---------------------------------------------------------------------------
@needs_ext
@pytest.mark.parametrize("method", ["reshape", "view", "method", "ravel", "ravel_method"])
def test_reshape_to_1d(method: str) -> None:
    M, N = 16, 32
    x = RNG.uniform(-1, 1, (M, N)).astype(np.float32)
    out = np.zeros(M * N, np.float32)
    reshape_kernel[(1,)](x, out, M=M, N=N, P=M * N, Q=0, METHOD=method)
    np.testing.assert_array_equal(out, x.reshape(-1))


@needs_ext
@pytest.mark.parametrize("method", ["reshape", "view", "method", "view_method", "roundtrip"])
@pytest.mark.parametrize("P,Q", [(32, 16), (8, 64), (64, 8)])
def test_reshape_2d(method: str, P: int, Q: int) -> None:
    M, N = 16, 32
    x = RNG.integers(-1000, 1000, (M, N)).astype(np.int32)
    out = np.zeros((P, Q), np.int32)
    reshape_kernel[(1,)](x, out, M=M, N=N, P=P, Q=Q, METHOD=method)
    np.testing.assert_array_equal(out, x.reshape(P, Q))


@needs_ext
def test_reshape_1d_to_2d() -> None:
    x = RNG.uniform(-1, 1, 512).astype(np.float32)
    out = np.zeros((16, 32), np.float32)
    reshape_kernel[(1,)](x, out, M=1, N=512, P=16, Q=32, METHOD="reshape")
    np.testing.assert_array_equal(out, x.reshape(16, 32))


@needs_ext
def test_reshape_3d() -> None:
    A, B, C = 4, 8, 16
    x = RNG.integers(-100, 100, A * B * C).astype(np.int32)
    out = np.zeros(A * C, np.int32)
    reshape_3d[(1,)](x, out, BLOCK=A * B * C, A=A, B=B, C=C)
    np.testing.assert_array_equal(out, x.reshape(A, B, C).sum(axis=1).reshape(-1))


def np_hist(x: np.ndarray, nbins: int) -> np.ndarray:
    inside = x[(x >= 0) & (x < nbins)]
    return np.bincount(inside, minlength=nbins).astype(np.int32)


@needs_ext
@pytest.mark.parametrize("method", ["fn", "method"])
def test_histogram(method: str) -> None:
    NBINS, BLOCK, P = 32, 256, 3
    x = RNG.integers(-8, NBINS + 8, P * BLOCK).astype(np.int32)  # some out of range
    out = np.full((P, NBINS), -1, np.int32)
    hist_kernel[(P,)](x, out, P * BLOCK, NBINS=NBINS, BLOCK=BLOCK, MASKED=False, METHOD=method)
    for p in range(P):
        np.testing.assert_array_equal(out[p], np_hist(x[p * BLOCK:(p + 1) * BLOCK], NBINS))


@needs_ext
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8, np.int16])
@pytest.mark.parametrize("method", ["fn", "method"])
def test_histogram_masked(dtype: type, method: str) -> None:
    NBINS, BLOCK, n = 16, 128, 300  # 3 programs, the last one partly masked
    lo = 0 if dtype == np.uint8 else -5
    x = RNG.integers(lo, 40, n).astype(dtype)
    P = tessel.cdiv(n, BLOCK)
    out = np.full((P, NBINS), -1, np.int32)
    hist_kernel[(P,)](x, out, n, NBINS=NBINS, BLOCK=BLOCK, MASKED=True, METHOD=method)
    for p in range(P):
        chunk = x[p * BLOCK:min(n, (p + 1) * BLOCK)].astype(np.int64)
        np.testing.assert_array_equal(out[p], np_hist(chunk, NBINS))
    np.testing.assert_array_equal(out.sum(0), np_hist(x.astype(np.int64), NBINS))
