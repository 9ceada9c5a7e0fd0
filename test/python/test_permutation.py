"""tl.flip, tl.sort and tl.gather on the CPU backend against NumPy, and
compiled for NVIDIA and AMD."""
from __future__ import annotations

import os

import numpy as np
import pytest

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from tessel import CompilationError
from shape_kernels import flip_kernel, gather_kernel, sort_kernel

SHAPES = [(1, 2), (4, 8), (8, 32), (2, 256), (32, 16)]


def _random(shape: tuple[int, ...], dtype: type, rng: np.random.Generator) -> np.ndarray:
    if np.issubdtype(dtype, np.floating):
        return rng.standard_normal(shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(max(info.min, -1000), min(info.max, 1000), shape, endpoint=True).astype(dtype)


@pytest.mark.parametrize("M,N", SHAPES)
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_flip(M: int, N: int, dim: int) -> None:
    rng = np.random.default_rng(M * 100 + N)
    x = _random((M, N), np.float32, rng)
    out = np.zeros_like(x)
    flip_kernel[(1,)](x, out, M=M, N=N, DIM=dim)
    np.testing.assert_array_equal(out, np.flip(x, axis=dim))


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32, np.uint32, np.int8, np.int64])
@pytest.mark.parametrize("M,N", SHAPES)
@pytest.mark.parametrize("descending", [False, True])
def test_sort_rows(dtype: type, M: int, N: int, descending: bool) -> None:
    rng = np.random.default_rng(N)
    x = _random((M, N), dtype, rng)
    if dtype == np.uint32:
        x = rng.integers(0, 2**32 - 1, (M, N), dtype=np.uint64).astype(np.uint32)
    out = np.zeros_like(x)
    sort_kernel[(1,)](x, out, M=M, N=N, DIM=1, DESC=descending)
    ref = np.sort(x, axis=1)
    np.testing.assert_array_equal(out, ref[:, ::-1] if descending else ref)


@pytest.mark.parametrize("M,N", [(8, 4), (64, 2), (16, 16)])
def test_sort_columns_with_duplicates(M: int, N: int) -> None:
    rng = np.random.default_rng(3)
    x = rng.integers(-3, 3, (M, N)).astype(np.int32)  # many ties
    out = np.zeros_like(x)
    sort_kernel[(1,)](x, out, M=M, N=N, DIM=0, DESC=False)
    np.testing.assert_array_equal(out, np.sort(x, axis=0))


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("index_dtype", [np.int32, np.int64, np.int16])
@pytest.mark.parametrize("dtype", [np.float32, np.int8])
def test_gather(axis: int, index_dtype: type, dtype: type) -> None:
    rng = np.random.default_rng(axis)
    M, N = 16, 32
    src = _random((M, N), dtype, rng)
    # The index block differs from the source along the gathered axis.
    ishape = (8, N) if axis == 0 else (M, 64)
    idx = rng.integers(0, src.shape[axis], ishape).astype(index_dtype)
    out = np.zeros(ishape, dtype)
    gather_kernel[(1,)](src, idx, out, M=M, N=N, IM=ishape[0], IN=ishape[1], AXIS=axis)
    np.testing.assert_array_equal(out, np.take_along_axis(src, idx.astype(np.int64), axis))


def test_sort_and_flip_as_methods() -> None:
    @tessel.jit
    def k(x_ptr, o_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        x = tl.load(x_ptr + offs)
        tl.store(o_ptr + offs, x.sort().flip())

    x = np.random.default_rng(5).standard_normal(128).astype(np.float32)
    out = np.zeros_like(x)
    k[(1,)](x, out, N=128)
    np.testing.assert_array_equal(out, np.sort(x)[::-1])


def test_errors_name_the_problem() -> None:
    @tessel.jit
    def bad_gather(x_ptr, i_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        x = tl.load(x_ptr + offs[:, None] * N + offs[None, :])
        i = tl.load(i_ptr + offs)
        tl.store(x_ptr + offs, tl.gather(x, i, 0))

    with pytest.raises(CompilationError, match="same rank"):
        bad_gather.ir("*fp32", "*i32", N=16)

    @tessel.jit
    def bad_index(x_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        x = tl.load(x_ptr + offs)
        tl.store(x_ptr + offs, tl.gather(x, x, 0))

    with pytest.raises(CompilationError, match="index must be integers"):
        bad_index.ir("*fp32", N=16)

    @tessel.jit
    def bad_dim(x_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        tl.store(x_ptr + offs, tl.flip(tl.load(x_ptr + offs), 1))

    with pytest.raises(CompilationError, match="out of range"):
        bad_dim.ir("*fp32", N=16)


@pytest.mark.parametrize("target", ["nvidia:sm_90a", "amd:gfx942"])
@pytest.mark.parametrize("num_warps", [1, 4, 8])
def test_compiles_for_gpu_targets(target: str, num_warps: int) -> None:
    from tessel._ext import _C

    irs = [
        flip_kernel.ir("*fp32", "*fp32", M=32, N=64, DIM=1),
        sort_kernel.ir("*fp32", "*fp32", M=4, N=256, DIM=1, DESC=True),
        sort_kernel.ir("*i64", "*i64", M=64, N=8, DIM=0, DESC=False),
        gather_kernel.ir("*fp16", "*i32", "*fp16", M=32, N=32, IM=32, IN=64, AXIS=1),
    ]
    for ir in irs:
        res = _C.compile(ir, target, num_warps)
        assert res["binary"]
