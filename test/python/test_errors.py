"""Compilation errors point at the kernel source (no extension needed)."""

from __future__ import annotations

import re

import pytest

import tessel
import tessel.language as tl
from elementwise_kernels import add_kernel

KERNEL_FILE = __file__
NOT_CONSTEXPR = 7


def _error(kernel, *args, **kwargs) -> tessel.CompilationError:  # type: ignore[no-untyped-def]
    with pytest.raises(tessel.CompilationError) as info:
        kernel.ir(*args, **kwargs)
    err = info.value
    text = str(err)
    assert KERNEL_FILE in text
    assert f"{KERNEL_FILE}:{err.lineno}:" in text
    assert err.source_line.strip() and err.source_line.strip() in text
    assert "^" in text
    return err


def test_error_undefined_name() -> None:
    @tessel.jit
    def k(x_ptr):
        tl.store(x_ptr, undefined_thing + 1)  # noqa: F821

    err = _error(k, "*fp32")
    assert "undefined_thing" in err.message and "undefined_thing + 1" in str(err)


def test_error_non_power_of_two_arange() -> None:
    @tessel.jit
    def k(x_ptr, B: tl.constexpr):
        offs = tl.arange(0, B)
        tl.store(x_ptr + offs, 0.0)

    err = _error(k, "*fp32", B=100)
    assert "power of 2" in err.message and "tl.arange(0, B)" in str(err)


def test_error_runtime_arange_bound() -> None:
    @tessel.jit
    def k(x_ptr, n):
        tl.store(x_ptr + tl.arange(0, n), 0.0)

    err = _error(k, "*fp32", 16)
    assert "constexpr" in err.message


def test_error_runtime_shape() -> None:
    @tessel.jit
    def k(x_ptr, n):
        tl.store(x_ptr, tl.zeros([n], tl.float32))

    assert "constexpr" in _error(k, "*fp32", 16).message


@pytest.mark.parametrize("which", ["with", "lambda"])
def test_error_unsupported_syntax(which: str) -> None:
    @tessel.jit
    def with_kernel(x_ptr):
        with open("x"):
            pass

    @tessel.jit
    def lambda_kernel(x_ptr):
        f = lambda v: v  # noqa: E731
        tl.store(x_ptr, f(1.0))

    err = _error(with_kernel if which == "with" else lambda_kernel, "*fp32")
    assert which in err.message and "unsupported" in err.message


def test_error_type_mismatch() -> None:
    @tessel.jit
    def k(x_ptr):
        tl.store(x_ptr, x_ptr + 1.5)

    assert "invalid operands" in _error(k, "*fp32").message

    @tessel.jit
    def loop_type_change(x_ptr, n):
        acc = tl.zeros([16], tl.float16)
        for i in range(n):
            acc = acc + tl.load(x_ptr + tl.arange(0, 16))
        tl.store(x_ptr + tl.arange(0, 16), acc)

    assert "loop-carried" in _error(loop_type_change, "*fp32", 4).message


def test_error_bad_calls_and_globals() -> None:
    def plain(x):  # type: ignore[no-untyped-def]
        return x

    @tessel.jit
    def k(x_ptr):
        tl.store(x_ptr, plain(1.0))

    assert "cannot call" in _error(k, "*fp32").message

    @tessel.jit
    def g(x_ptr):
        tl.store(x_ptr, NOT_CONSTEXPR * 1.0)

    assert "tl.constexpr(7)" in _error(g, "*fp32").message


def test_error_in_inlined_function_points_at_callee() -> None:
    @tessel.jit
    def bad(x):
        return x // 2.0

    @tessel.jit
    def k(x_ptr):
        tl.store(x_ptr, bad(tl.load(x_ptr)))

    err = _error(k, "*fp32")
    assert "x // 2.0" in err.source_line and "inlined from" in str(err)


def test_compile_diagnostics_become_compilation_errors() -> None:
    ir = add_kernel.ir("*fp32", "*fp32", "*fp32", "i32", BLOCK=64)
    m = re.search(r'tile.store .* loc\("([^"]+)":(\d+):(\d+)\)', ir)
    assert m is not None
    diag = f"{m.group(1)}:{m.group(2)}:{m.group(3)}: error: 'tile.store' op something broke\n"
    err = tessel.CompilationError.from_diagnostics(diag)
    assert err.lineno == int(m.group(2)) and err.message == "'tile.store' op something broke"
    assert "tl.store(out_ptr + offsets, x + y, mask=mask)" in str(err)


def test_error_reduction_axis_out_of_range() -> None:
    @tessel.jit
    def k(x_ptr, AXIS: tl.constexpr):
        x = tl.load(x_ptr + tl.arange(0, 16)[:, None] * 16 + tl.arange(0, 16)[None, :])
        tl.store(x_ptr, tl.sum(x, axis=AXIS))

    err = _error(k, "*fp32", AXIS=2)
    assert "out of range" in err.message and "tl.sum(x, axis=AXIS)" in err.source_line
    assert "out of range" in _error(k, "*fp32", AXIS=-3).message


def _plain_combine(a, b):  # type: ignore[no-untyped-def]
    return a + b


@tessel.jit
def _jit_combine_returns_two(a, b):
    return a, b


@tessel.jit
def _jit_combine_with_if(a, b):
    if a > b:
        r = a
    else:
        r = b
    return r


def test_error_reduce_combine_fn() -> None:
    @tessel.jit
    def k(x_ptr, WHICH: tl.constexpr):
        x = tl.load(x_ptr + tl.arange(0, 16))
        if WHICH == 0:
            r = tl.reduce(x, 0, _plain_combine)
        elif WHICH == 1:
            r = tl.reduce(x, 0, _jit_combine_returns_two)
        else:
            r = tl.reduce(x, 0, _jit_combine_with_if)
        tl.store(x_ptr, r)

    err = _error(k, "*fp32", WHICH=0)
    assert "@tessel.jit" in err.message and "_plain_combine" in err.message
    assert "must return 1 value" in _error(k, "*fp32", WHICH=1).message
    assert "tl.where" in _error(k, "*fp32", WHICH=2).message


def test_error_xor_sum_of_floats() -> None:
    @tessel.jit
    def k(x_ptr):
        tl.store(x_ptr, tl.xor_sum(tl.load(x_ptr + tl.arange(0, 16))))

    assert "integers" in _error(k, "*fp32").message


@tessel.jit
def _loop_with_break(x_ptr, n):
    for i in range(n):
        if i > 3:
            break
        tl.store(x_ptr + i, 1.0)


@tessel.jit
def _narrow_atomic(x_ptr):
    tl.atomic_add(x_ptr, 1)


@pytest.mark.parametrize(
    "kernel, signature, message",
    [
        (_loop_with_break, ("*fp32", "i32"), "unsupported syntax in a tessel kernel: `break`"),
        (_narrow_atomic, ("*i8",), "only supported on 32- or 64-bit integers, got a pointer to int8"),
        (_narrow_atomic, ("*i16",), "got a pointer to int16"),
    ],
)
def test_unsupported_as_in_triton(kernel, signature, message) -> None:
    """What Triton rejects too is a located CompilationError, not a crash."""
    with pytest.raises(tessel.CompilationError, match=message) as e:
        kernel.ir(*signature)
    assert "test_errors.py:" in str(e.value)
