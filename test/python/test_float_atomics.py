"""Float atomic_max/atomic_min (Triton's integer trick) and pointer casts,
against NumPy on the CPU backend and, when a CUDA device is usable, on CUDA
(device_cases.py)."""
from __future__ import annotations

import numpy as np
import pytest

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from device_cases import device  # noqa: F401 (a fixture)
from device_cases import dev as _dev
from device_cases import host as _host


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
def test_float_atomic_max_min(device: str, dtype) -> None:
    rng = np.random.default_rng(11)
    n, bins = 3000, 7
    x = (rng.standard_normal(n) * 10).astype(dtype)   # both signs
    idx = rng.integers(0, bins, n).astype(np.int32)
    mx = np.full(bins, -np.inf, dtype)
    mn = np.full(bins, np.inf, dtype)
    old = np.zeros(n, dtype)
    # max and min do not depend on the order the atomics land in: exact on
    # every device.
    mx, mn, old = _dev(mx, device), _dev(mn, device), _dev(old, device)
    float_minmax_kernel[(tessel.cdiv(n, 256),)](_dev(x, device), _dev(idx, device), mx, mn, old,
                                                n, BLOCK=256)
    mx, mn, old = _host(mx), _host(mn), _host(old)
    for b in range(bins):
        assert mx[b] == x[idx == b].max()
        assert mn[b] == x[idx == b].min()
    # Every returned old value is one the bin held: -inf or an earlier input.
    for i in range(0, n, 97):
        assert old[i] == -np.inf or old[i] in x[idx == idx[i]]


@tessel.jit
def signed_zero_kernel(max_ptr, min_ptr, x_ptr, old_max_ptr, old_min_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    tl.store(old_max_ptr + offs, tl.atomic_max(max_ptr + offs, x))
    tl.store(old_min_ptr + offs, tl.atomic_min(min_ptr + offs, x))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_atomic_max_min_order_signed_zeros(device: str, dtype) -> None:
    # memory, operand: -0.0 sits between the negative values and +0.0
    held = np.array([-1.0, 1.0, 0.0, -0.0, -0.0, 0.0, -2.5, 3.0], dtype)
    vals = np.array([-0.0, -0.0, -0.0, 0.0, -1.0, -0.0, -0.0, 0.0], dtype)
    mx, mn = _dev(held.copy(), device), _dev(held.copy(), device)
    old_max, old_min = _dev(np.zeros_like(held), device), _dev(np.zeros_like(held), device)
    signed_zero_kernel[(1,)](mx, mn, _dev(vals, device), old_max, old_min, BLOCK=len(held))
    mx, mn, old_max, old_min = _host(mx), _host(mn), _host(old_max), _host(old_min)

    def order(v: np.ndarray) -> np.ndarray:  # -0.0 below +0.0
        return v.astype(np.float64) - np.where((v == 0) & np.signbit(v), 1e-300, 0.0)

    want_max = np.where(order(vals) > order(held), vals, held)
    want_min = np.where(order(vals) < order(held), vals, held)
    np.testing.assert_array_equal(mx.view(np.uint8), want_max.view(np.uint8))
    np.testing.assert_array_equal(mn.view(np.uint8), want_min.view(np.uint8))
    np.testing.assert_array_equal(old_max.view(np.uint8), held.view(np.uint8))
    np.testing.assert_array_equal(old_min.view(np.uint8), held.view(np.uint8))


@tessel.jit
def ptr_cast_kernel(x_ptr, out_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    bits = tl.load(x_ptr.to(tl.pointer_type(tl.int32)) + offs)
    tl.store(out_ptr + offs, bits)


def test_pointer_cast_reinterprets(device: str) -> None:
    x = np.random.default_rng(3).standard_normal(64).astype(np.float32)
    out = _dev(np.zeros(64, np.int32), device)
    ptr_cast_kernel[(1,)](_dev(x, device), out, BLOCK=64)
    np.testing.assert_array_equal(_host(out), x.view(np.int32))
