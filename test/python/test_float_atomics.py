"""Float atomic_max/atomic_min (Triton's integer trick) and pointer casts, on
the CPU backend against NumPy."""
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
def float_minmax_kernel(x_ptr, idx_ptr, max_ptr, min_ptr, old_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    bins = tl.load(idx_ptr + offs, mask=mask)
    old = tl.atomic_max(max_ptr + bins, x, mask=mask)
    tl.atomic_min(min_ptr + bins, x, mask=mask)
    tl.store(old_ptr + offs, old, mask=mask)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_atomic_max_min(dtype) -> None:
    rng = np.random.default_rng(11)
    n, bins = 3000, 7
    x = (rng.standard_normal(n) * 10).astype(dtype)   # both signs
    idx = rng.integers(0, bins, n).astype(np.int32)
    mx = np.full(bins, -np.inf, dtype)
    mn = np.full(bins, np.inf, dtype)
    old = np.zeros(n, dtype)
    float_minmax_kernel[(tessel.cdiv(n, 256),)](x, idx, mx, mn, old, n, BLOCK=256)
    for b in range(bins):
        assert mx[b] == x[idx == b].max()
        assert mn[b] == x[idx == b].min()
    # Every returned old value is one the bin held: -inf or an earlier input.
    for i in range(0, n, 97):
        assert old[i] == -np.inf or old[i] in x[idx == idx[i]]


@tessel.jit
def ptr_cast_kernel(x_ptr, out_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    bits = tl.load(x_ptr.to(tl.pointer_type(tl.int32)) + offs)
    tl.store(out_ptr + offs, bits)


def test_pointer_cast_reinterprets() -> None:
    x = np.random.default_rng(3).standard_normal(64).astype(np.float32)
    out = np.zeros(64, np.int32)
    ptr_cast_kernel[(1,)](x, out, BLOCK=64)
    np.testing.assert_array_equal(out, x.view(np.int32))
