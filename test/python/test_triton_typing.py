"""Triton's typing errors and shift semantics: the messages carry Triton's key
phrases (so code that matches on them keeps working) and still point at the
kernel line with a caret; shifts of mixed signedness follow Triton (the left
operand decides arithmetic or logical ``>>``). Against NumPy on the CPU
backend and, when a CUDA device is usable, on CUDA (device_cases.py)."""

from __future__ import annotations

import warnings

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

KERNEL_FILE = __file__
RNG = np.random.default_rng(1010)
SIGNED = ["int8", "int16", "int32", "int64"]
UNSIGNED = ["uint8", "uint16", "uint32", "uint64"]
IR_NAME = {"int8": "i8", "int16": "i16", "int32": "i32", "int64": "i64", "uint8": "u8",
           "uint16": "u16", "uint32": "u32", "uint64": "u64", "float16": "fp16",
           "float32": "fp32", "float64": "fp64", "bfloat16": "bf16"}


def _located(kernel, *args, **kwargs) -> tessel.CompilationError:  # type: ignore[no-untyped-def]
    with pytest.raises(tessel.CompilationError) as info:
        kernel.ir(*args, **kwargs)
    err = info.value
    text = str(err)
    assert f"{KERNEL_FILE}:{err.lineno}:" in text
    assert err.source_line.strip() in text and "^" in text
    return err


@tessel.jit
def _and_kernel(z_ptr, x_ptr, y_ptr):
    tl.store(z_ptr, tl.load(x_ptr) & tl.load(y_ptr))


@tessel.jit
def _shl_kernel(z_ptr, x_ptr, y_ptr):
    tl.store(z_ptr, tl.load(x_ptr) << tl.load(y_ptr))


@pytest.mark.parametrize("tx,ty", [("float32", "int32"), ("int8", "float16"),
                                   ("bfloat16", "bfloat16"), ("float64", "uint64")])
def test_bitwise_on_floats_is_invalid_operands(tx: str, ty: str) -> None:
    for kernel in (_and_kernel, _shl_kernel):
        err = _located(kernel, "*i32", "*" + IR_NAME[tx], "*" + IR_NAME[ty])
        assert "invalid operands of type" in err.message
        assert err.source_line.strip().startswith("tl.store(")


@tessel.jit
def _div_kernel(z_ptr, x_ptr, y_ptr, OP: tl.constexpr):
    x = tl.load(x_ptr)
    y = tl.load(y_ptr)
    if OP == 0:
        tl.store(z_ptr, x / y)
    elif OP == 1:
        tl.store(z_ptr, x % y)
    else:
        tl.store(z_ptr, x // y)


@pytest.mark.parametrize("tx,ty", [("int8", "uint32"), ("uint64", "int16"), ("int32", "uint32"),
                                   ("uint8", "int64")])
@pytest.mark.parametrize("op", [0, 1, 2])
def test_division_of_mixed_signedness_names_both_types(tx: str, ty: str, op: int) -> None:
    err = _located(_div_kernel, "*i32", "*" + IR_NAME[tx], "*" + IR_NAME[ty], OP=op)
    assert "Cannot use" in err.message and "because they have different signedness" in err.message
    assert tx in err.message and ty in err.message


@tessel.jit
def _scalar_overflow_kernel(z_ptr):
    big: tl.constexpr = 0xFFFFFFFFFFFFFF
    x = tl.full((), 32, dtype=tl.int32)
    tl.store(z_ptr, x + big)


@tessel.jit
def _negative_with_unsigned_kernel(z_ptr, x_ptr):
    tl.store(z_ptr, tl.load(x_ptr) * -3)


@tessel.jit
def _shift_by_big_constant_kernel(z_ptr, x_ptr):
    tl.store(z_ptr, tl.load(x_ptr) << 300)


def test_scalar_out_of_range_of_the_tensor_type() -> None:
    err = _located(_scalar_overflow_kernel, "*i32")
    assert "out of range" in err.message and "int32" in err.message
    err = _located(_negative_with_unsigned_kernel, "*u32", "*u32")
    assert "unsigned tensor and a negative scalar" in err.message
    err = _located(_shift_by_big_constant_kernel, "*i8", "*i8")
    assert "Scalar 300 is out of range for type int8" in err.message


@tessel.jit
def _invert_float_kernel(z_ptr, x_ptr):
    tl.store(z_ptr, ~tl.load(x_ptr))


@tessel.jit
def _negate_pointer_kernel(z_ptr, x_ptr):
    tl.store(z_ptr, tl.load(-x_ptr))


def test_unary_type_errors() -> None:
    assert "wrong type argument to unary invert" in _located(
        _invert_float_kernel, "*fp32", "*fp32").message
    assert "wrong type argument to unary minus" in _located(
        _negate_pointer_kernel, "*fp32", "*fp32").message


# ---------------------------------------------------------------------------
# shifts on data (Triton's test_shift_op: any integer by an unsigned amount)
# ---------------------------------------------------------------------------
@tessel.jit
def _shift_kernel(shl_ptr, shr_ptr, x_ptr, y_ptr, SIZE: tl.constexpr):
    off = tl.arange(0, SIZE)
    x = tl.load(x_ptr + off)
    y = tl.load(y_ptr + off)
    tl.store(shl_ptr + off, x << y)
    tl.store(shr_ptr + off, x >> y)


def _random_ints(dt: str, n: int, low: int | None = None, high: int | None = None) -> np.ndarray:
    info = np.iinfo(dt)
    lo = info.min if low is None else low
    hi = info.max if high is None else high
    return RNG.integers(lo, hi, size=n, dtype=dt, endpoint=True)


@pytest.mark.parametrize("ty", UNSIGNED)
@pytest.mark.parametrize("tx", SIGNED + UNSIGNED)
def test_shift_by_unsigned_amounts(device: str, tx: str, ty: str) -> None:
    n = 128
    bits = max(np.dtype(tx).itemsize, np.dtype(ty).itemsize) * 8
    tz = ("int" if tx.startswith("int") else "uint") + str(bits)
    x = _random_ints(tx, n)
    y = _random_ints(ty, n, 0, bits - 1)
    shl, shr = _dev(np.zeros(n, tz), device), _dev(np.zeros(n, tz), device)
    _shift_kernel[(1,)](shl, shr, _dev(x, device), _dev(y, device), SIZE=n)
    shl, shr = _host(shl), _host(shr)
    xz, yz = x.astype(tz), y.astype(tz)
    np.testing.assert_array_equal(shl, xz << yz)
    np.testing.assert_array_equal(shr, xz >> yz)


@tessel.jit
def _number_shifted_kernel(z_ptr, x_ptr, SIZE: tl.constexpr):
    off = tl.arange(0, SIZE)
    tl.store(z_ptr + off, -100 >> (tl.load(x_ptr + off) & 7))


@pytest.mark.parametrize("tx", SIGNED)
def test_number_shifted_by_a_signed_tensor_is_arithmetic(device: str, tx: str) -> None:
    n = 64
    x = _random_ints(tx, n)
    z = _dev(np.zeros(n, tx), device)
    _number_shifted_kernel[(1,)](z, _dev(x, device), SIZE=n)
    np.testing.assert_array_equal(_host(z), np.array(-100, tx) >> (x & 7))


@tessel.jit
def _int64_by_uint64_kernel(z_ptr, x_ptr, y_ptr, SIZE: tl.constexpr):
    off = tl.arange(0, SIZE)
    z = tl.load(x_ptr + off) >> tl.load(y_ptr + off)
    tl.static_assert(z.dtype == tl.uint64)  # C's promotion ...
    tl.store(z_ptr + off, z)


def test_int64_shifted_right_by_uint64_keeps_the_sign(device: str) -> None:
    n = 64
    x = _random_ints("int64", n)
    x[:8] = [-1, -2, np.iinfo(np.int64).min, -12345, 7, 0, 1 << 62, -(1 << 40)]
    y = _random_ints("uint64", n, 0, 63)
    z = _dev(np.zeros(n, np.uint64), device)
    _int64_by_uint64_kernel[(1,)](z, _dev(x, device), _dev(y, device), SIZE=n)
    z = _host(z)
    # ... but the shift is arithmetic, as the left operand is signed
    np.testing.assert_array_equal(z.view(np.int64), x >> y.astype(np.int64))


@tessel.jit
def _wide_shift_kernel(z_ptr, x_ptr, AMOUNT: tl.constexpr):
    tl.store(z_ptr, tl.load(x_ptr) << AMOUNT)


def test_constant_shift_past_the_width_warns_at_the_kernel_line() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _wide_shift_kernel.ir("*i32", "*i32", AMOUNT=40)
    msgs = [w for w in caught if "exceeds the maximum bitwidth" in str(w.message)]
    assert len(msgs) == 1
    assert "out of range" in str(msgs[0].message) and "int32" in str(msgs[0].message)
    assert msgs[0].filename == KERNEL_FILE
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _wide_shift_kernel.ir("*i32", "*i32", AMOUNT=31)


def test_constexpr_type() -> None:
    """Triton's constexpr_type: the type of a compile-time value, equal when
    the values are."""
    import tessel.language as tl

    assert tl.constexpr(4).type == tl.constexpr_type(4)
    assert tl.constexpr(4).type != tl.constexpr_type(5)
    assert hash(tl.constexpr_type("a")) == hash("a")
    assert repr(tl.constexpr_type(4)) == "constexpr_type[4]"
    assert tl.constexpr_type(tl.constexpr(7)).value == 7
