"""tl.join, tl.split, tl.interleave and tl.cat on the CPU backend, against NumPy."""
from __future__ import annotations

import numpy as np
import pytest

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl


@tessel.jit
def join_split_kernel(a_ptr, b_ptr, joined_ptr, inter_ptr, first_ptr, second_ptr,
                      BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    a = tl.load(a_ptr + offs)
    b = tl.load(b_ptr + offs)
    j = tl.join(a, b)
    two = tl.arange(0, 2)
    tl.store(joined_ptr + offs[:, None] * 2 + two[None, :], j)
    tl.store(inter_ptr + tl.arange(0, 2 * BLOCK), tl.interleave(a, b))
    x, y = tl.split(j)
    tl.store(first_ptr + offs, y)
    tl.store(second_ptr + offs, x)


@tessel.jit
def cat_sum_kernel(a_ptr, b_ptr, out_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    c = tl.cat(tl.load(a_ptr + offs), tl.load(b_ptr + offs), can_reorder=True)
    tl.store(out_ptr, tl.sum(c, axis=0))


@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_join_split_interleave(dtype) -> None:
    rng = np.random.default_rng(7)
    n = 128
    a = (rng.standard_normal(n) * 100).astype(dtype)
    b = (rng.standard_normal(n) * 100).astype(dtype)
    joined = np.zeros((n, 2), dtype)
    inter = np.zeros(2 * n, dtype)
    first = np.zeros(n, dtype)
    second = np.zeros(n, dtype)
    join_split_kernel[(1,)](a, b, joined, inter, first, second, BLOCK=n)
    np.testing.assert_array_equal(joined, np.stack([a, b], axis=1))
    np.testing.assert_array_equal(inter, np.stack([a, b], axis=1).ravel())
    np.testing.assert_array_equal(first, b)
    np.testing.assert_array_equal(second, a)


def test_cat_with_reordering() -> None:
    rng = np.random.default_rng(8)
    a = rng.integers(-50, 50, 64).astype(np.int32)
    b = rng.integers(-50, 50, 64).astype(np.int32)
    out = np.zeros(1, np.int32)
    cat_sum_kernel[(1,)](a, b, out, BLOCK=64)
    assert out[0] == a.sum() + b.sum()


def test_cat_without_reordering_is_an_error() -> None:
    @tessel.jit
    def k(a_ptr, out_ptr, BLOCK: tl.constexpr):
        x = tl.load(a_ptr + tl.arange(0, BLOCK))
        tl.store(out_ptr + tl.arange(0, 2 * BLOCK), tl.cat(x, x))

    a = np.zeros(16, np.float32)
    with pytest.raises(tessel.CompilationError, match="can_reorder=True"):
        k[(1,)](a, np.zeros(32, np.float32), BLOCK=16)


def test_split_needs_a_last_dimension_of_two() -> None:
    @tessel.jit
    def k(a_ptr, BLOCK: tl.constexpr):
        x, y = tl.split(tl.load(a_ptr + tl.arange(0, BLOCK)))
        tl.store(a_ptr, x)

    with pytest.raises(tessel.CompilationError, match="last dimension is 2"):
        k[(1,)](np.zeros(16, np.float32), BLOCK=16)
