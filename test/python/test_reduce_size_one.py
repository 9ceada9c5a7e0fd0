"""Reductions over dimensions of size 1 (with and without ``keep_dims``), and
combine functions with a side effect (``tl.device_assert``) in ``tl.reduce``
and ``tl.associative_scan``, as Triton accepts them. Against NumPy on the CPU
backend and, when a CUDA device is usable, on CUDA (device_cases.py); the GPU
targets also compile without a device."""

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
from device_cases import device  # noqa: F401 (a fixture)
from device_cases import dev as _dev
from device_cases import fails_in_child
from device_cases import host as _host
from gpu_targets import skip_without_device_libs

RNG = np.random.default_rng(77)


@tessel.jit
def _max_combine(a, b):
    return tl.maximum(a, b)


@tessel.jit
def reduce_2d_kernel(x_ptr, out_ptr, M: tl.constexpr, N: tl.constexpr, OP: tl.constexpr,
                     AXIS: tl.constexpr, KEEP: tl.constexpr):
    rows = tl.arange(0, M)
    cols = tl.arange(0, N)
    x = tl.load(x_ptr + rows[:, None] * N + cols[None, :])
    if OP == "sum":
        r = tl.sum(x, axis=AXIS, keep_dims=KEEP)
    elif OP == "max":
        r = tl.max(x, axis=AXIS, keep_dims=KEEP)
    elif OP == "min":
        r = x.min(axis=AXIS, keep_dims=KEEP)
    elif OP == "argmax":
        r = tl.argmax(x, axis=AXIS, keep_dims=KEEP)
    elif OP == "argmin":
        r = tl.argmin(x, axis=AXIS, keep_dims=KEEP)
    elif OP == "xor_sum":
        r = tl.xor_sum(x, axis=AXIS, keep_dims=KEEP)
    else:
        r = tl.reduce(x, AXIS, _max_combine, keep_dims=KEEP)
    if KEEP:
        tl.static_assert(len(r.shape) == 2)
        RM: tl.constexpr = 1 if AXIS is None or AXIS == 0 else M
        RN: tl.constexpr = 1 if AXIS is None or AXIS == 1 else N
        tl.static_assert(r.shape == [RM, RN])
        tl.store(out_ptr + tl.arange(0, RM)[:, None] * RN + tl.arange(0, RN)[None, :], r)
    elif AXIS is None:
        tl.static_assert(len(r.shape) == 0)
        tl.store(out_ptr, r)
    else:
        R: tl.constexpr = N if AXIS == 0 else M
        tl.static_assert(r.shape == [R])
        tl.store(out_ptr + tl.arange(0, R), r)


_NUMPY = {
    "sum": np.sum,
    "max": np.max,
    "min": np.min,
    "argmax": np.argmax,
    "argmin": np.argmin,
    "reduce": np.max,
    "xor_sum": lambda x, axis: np.bitwise_xor.reduce(x, axis=axis),
}


def _reference(op: str, x: np.ndarray, axis: int | None, keep: bool) -> np.ndarray:
    if op.startswith("arg") and axis is None:
        ref = np.asarray(_NUMPY[op](x))
        return ref.reshape(1, 1) if keep else ref
    if axis is None:
        ref = np.asarray(_NUMPY[op](x, axis=None)) if op != "xor_sum" else np.asarray(
            np.bitwise_xor.reduce(x.ravel()))
        return ref.reshape(1, 1) if keep else ref
    ref = np.asarray(_NUMPY[op](x, axis=axis))
    return np.expand_dims(ref, axis) if keep else ref


@pytest.mark.parametrize("shape", [(1, 16), (16, 1), (1, 1), (1, 2)])
@pytest.mark.parametrize("axis", [0, 1, None])
@pytest.mark.parametrize("keep", [False, True])
@pytest.mark.parametrize("op", ["sum", "max", "min", "argmax", "argmin", "xor_sum", "reduce"])
def test_reduce_size_one_dims(device: str, shape: tuple[int, int], axis: int | None,
                              keep: bool, op: str) -> None:
    m, n = shape
    if op == "xor_sum":
        x = RNG.integers(-1000, 1000, size=shape).astype(np.int32)
    else:
        x = RNG.standard_normal(shape).astype(np.float32)
    ref = _reference(op, x, axis, keep)
    out_dtype = np.int32 if op.startswith("arg") else x.dtype
    out = _dev(np.zeros(max(ref.size, 1), out_dtype), device)
    reduce_2d_kernel[(1,)](_dev(x, device), out, M=m, N=n, OP=op, AXIS=axis, KEEP=keep)
    out = _host(out)
    if op == "sum":
        np.testing.assert_allclose(out.reshape(ref.shape), ref, rtol=1e-6, atol=1e-6)
    else:
        np.testing.assert_array_equal(out.reshape(ref.shape), ref)


@tessel.jit
def reduce_3d_middle_kernel(x_ptr, out_ptr, A: tl.constexpr, C: tl.constexpr):
    i = tl.arange(0, A)[:, None, None]
    k = tl.arange(0, C)[None, None, :]
    x = tl.load(x_ptr + i * C + k + tl.arange(0, 1)[None, :, None])
    s = tl.sum(x, axis=1, keep_dims=True)
    tl.static_assert(s.shape == [A, 1, C])
    m = tl.max(s, axis=1)  # a second size-1 reduction, without keep_dims
    tl.static_assert(m.shape == [A, C])
    tl.store(out_ptr + tl.arange(0, A)[:, None] * C + tl.arange(0, C)[None, :], m)


def test_reduce_size_one_middle_axis_of_3d_block(device: str) -> None:
    x = RNG.standard_normal((4, 1, 8)).astype(np.float32)
    out = _dev(np.zeros(32, np.float32), device)
    reduce_3d_middle_kernel[(1,)](_dev(x, device), out, A=4, C=8)
    np.testing.assert_array_equal(_host(out).reshape(4, 8), x[:, 0, :])


# ---------------------------------------------------------------------------
# side-effecting combine functions
# ---------------------------------------------------------------------------
@tessel.jit
def checked_add(a, b):
    wide = a.to(tl.int64) + b.to(tl.int64)
    tl.device_assert((wide >= -2**31) & (wide <= 2**31 - 1), "int32 overflow in a combine")
    return a + b


@tessel.jit(debug=True)
def checked_sum_kernel(out_ptr, x_ptr, M: tl.constexpr, N: tl.constexpr, AXIS: tl.constexpr):
    rows = tl.arange(0, M)
    cols = tl.arange(0, N)
    x = tl.load(x_ptr + rows[:, None] * N + cols[None, :])
    if AXIS == 0:
        tl.store(out_ptr + cols, tl.reduce(x, 0, checked_add))
    elif AXIS == 1:
        tl.store(out_ptr + rows, tl.reduce(x, 1, checked_add))
    else:
        tl.store(out_ptr, tl.reduce(x, None, checked_add))


@tessel.jit(debug=True)
def checked_cumsum_kernel(out_ptr, x_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    tl.store(out_ptr + offs, tl.associative_scan(tl.load(x_ptr + offs), 0, checked_add))


def _overflowing_launch(axis: int | str | None, put) -> None:  # type: ignore[no-untyped-def]
    """A checked launch on data whose every partial sum overflows int32, so
    that the assertion inside the combiner fires: the scan (``axis="scan"``)
    or the reduction along ``axis``; ``put`` moves a NumPy array to the
    device."""
    m, n = 8, 32
    big = np.full((m, n), 2**30, np.int32)
    if axis == "scan":
        checked_cumsum_kernel[(1,)](put(np.zeros(n, np.int32)), put(big[0]), N=n)
    else:
        checked_sum_kernel[(1,)](put(np.zeros(max(m, n), np.int32)), put(big), M=m, N=n,
                                 AXIS=axis)


def _assert_fires(device: str, axis: int | str | None) -> None:
    """``_overflowing_launch(axis)`` fails with the combiner's message: an
    AssertionError on the CPU; on CUDA, where a failed device assertion
    poisons the context, in a child process (as in test_cuda.py)."""
    if device == "cpu":
        with pytest.raises(AssertionError, match="int32 overflow in a combine"):
            _overflowing_launch(axis, lambda a: a)
        return
    module = os.path.splitext(os.path.basename(__file__))[0]
    code = ("import torch\n"
            f"from {module} import _overflowing_launch\n"
            f"_overflowing_launch({axis!r}, lambda a: torch.from_numpy(a).cuda())\n"
            "torch.cuda.synchronize()\n")
    assert "int32 overflow in a combine" in fails_in_child(code)


@pytest.mark.parametrize("axis", [0, 1, None])
def test_reduce_with_device_assert_in_the_combiner(device: str, axis: int | None) -> None:
    m, n = 8, 32
    x = RNG.integers(-10**6, 10**6, size=(m, n)).astype(np.int32)
    ref = np.asarray(x.sum(axis=axis, dtype=np.int64)).astype(np.int32)
    out = _dev(np.zeros(max(ref.size, 1), np.int32), device)
    checked_sum_kernel[(1,)](out, _dev(x, device), M=m, N=n, AXIS=axis)
    np.testing.assert_array_equal(_host(out).reshape(ref.shape), ref)
    _assert_fires(device, axis)


def test_scan_with_device_assert_in_the_combiner(device: str) -> None:
    n = 128
    x = RNG.integers(-10**6, 10**6, size=n).astype(np.int32)
    out = _dev(np.zeros(n, np.int32), device)
    checked_cumsum_kernel[(1,)](out, _dev(x, device), N=n)
    np.testing.assert_array_equal(_host(out), np.cumsum(x, dtype=np.int64).astype(np.int32))
    _assert_fires(device, "scan")


def test_side_effect_is_compiled_out_without_debug() -> None:
    ir = checked_sum_kernel.ir("*i32", "*i32", M=8, N=32, AXIS=0, debug=False)
    assert "tile.assert" not in ir
    ir = checked_sum_kernel.ir("*i32", "*i32", M=8, N=32, AXIS=0)
    assert "tile.assert" in ir


@tessel.jit
def _print_combine(a, b):
    tl.device_print("pair", a)
    return a + b


@tessel.jit
def printing_reduce_kernel(out_ptr, x_ptr, N: tl.constexpr):
    tl.store(out_ptr, tl.reduce(tl.load(x_ptr + tl.arange(0, N)), 0, _print_combine))


def test_other_side_effects_in_a_combiner_are_located_errors() -> None:
    with pytest.raises(tessel.CompilationError) as info:
        printing_reduce_kernel.ir("*i32", "*i32", N=16)
    assert "is not allowed" in info.value.message
    assert "tl.reduce(" in str(info.value) and "^" in str(info.value)


@pytest.mark.parametrize("target", ["nvidia:sm_90a", "amd:gfx942"])
def test_checked_combiners_compile_for_gpu_targets(target: str) -> None:
    from tessel._ext import _C

    skip_without_device_libs(target)
    for ir in (checked_sum_kernel.ir("*i32", "*i32", M=8, N=32, AXIS=1),
               checked_cumsum_kernel.ir("*i32", "*i32", N=128)):
        assert "tile.assert" in ir
        assert _C.compile(ir, target, 4)["binary"]
