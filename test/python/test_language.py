"""Language semantics: promotion rules, specialization keys, control flow
(no extension needed; IR is verified by mlir-opt when available)."""

from __future__ import annotations

import re

import mlir_check
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tessel
import tessel.language as tl
from tessel.language.semantic import computation_type, integer_promote

MLIR_OPT = mlir_check.find_mlir_opt()
ALL = [
    tl.int1,
    tl.int8,
    tl.int16,
    tl.int32,
    tl.int64,
    tl.uint8,
    tl.uint16,
    tl.uint32,
    tl.uint64,
    tl.float16,
    tl.bfloat16,
    tl.float32,
    tl.float64,
]


def verified(ir: str) -> str:
    if MLIR_OPT:
        mlir_check.check(ir, MLIR_OPT)
    return ir


# ---------------------------------------------------------------------------
# promotion
# ---------------------------------------------------------------------------
@given(st.sampled_from(ALL), st.sampled_from(ALL), st.booleans(), st.booleans(), st.booleans())
def test_computation_type_is_symmetric(a, b, a_weak, b_weak, div) -> None:  # type: ignore[no-untyped-def]
    try:
        ab = computation_type(a, a_weak, b, b_weak, div)
    except TypeError:
        with pytest.raises(TypeError):
            computation_type(b, b_weak, a, a_weak, div)
        return
    assert ab == computation_type(b, b_weak, a, a_weak, div)
    if not a_weak and not b_weak and a.is_floating() == b.is_floating():
        assert ab.primitive_bitwidth >= max(a.primitive_bitwidth, b.primitive_bitwidth) or (
            ab.is_floating()
        )


@pytest.mark.parametrize(
    "a,b,expected",
    [
        (tl.int8, tl.int32, tl.int32),
        (tl.uint8, tl.int32, tl.int32),
        (tl.uint32, tl.int32, tl.uint32),
        (tl.uint32, tl.int64, tl.int64),
        (tl.uint64, tl.int8, tl.uint64),
        (tl.int1, tl.int8, tl.int8),
    ],
)
def test_integer_promote(a, b, expected) -> None:  # type: ignore[no-untyped-def]
    assert integer_promote(a, b) == expected == integer_promote(b, a)


@pytest.mark.parametrize(
    "a,a_weak,b,b_weak,div,expected",
    [
        (tl.float16, False, tl.bfloat16, False, False, tl.float32),
        (tl.float16, False, tl.float16, False, False, tl.float16),
        (tl.float16, False, tl.float16, False, True, tl.float32),
        (tl.bfloat16, False, tl.int32, False, False, tl.float32),
        (tl.float16, False, tl.float32, True, False, tl.float16),  # weak float literal
        (tl.int8, False, tl.int32, True, False, tl.int8),  # weak int literal
        (tl.int8, False, tl.float32, True, False, tl.float32),  # float beats int
        (tl.int1, False, tl.int32, True, False, tl.int32),  # int beats bool
        (tl.int32, False, tl.float32, False, False, tl.float32),
        (tl.float64, False, tl.float32, True, False, tl.float64),
    ],
)
def test_computation_type(a, a_weak, b, b_weak, div, expected) -> None:  # type: ignore[no-untyped-def]
    assert computation_type(a, a_weak, b, b_weak, div) == expected


def test_mixed_signedness_division_is_an_error() -> None:
    with pytest.raises(TypeError, match="signedness"):
        computation_type(tl.int32, False, tl.uint32, False, True)


# ---------------------------------------------------------------------------
# specialization
# ---------------------------------------------------------------------------
@tessel.jit
def fill(out_ptr, V: tl.constexpr):
    tl.store(out_ptr + tl.arange(0, 4), V)


@tessel.jit
def add_v(out_ptr, V: tl.constexpr):
    tl.store(out_ptr + tl.arange(0, 4), tl.arange(0, 4) + V)


def test_constexpr_values_of_different_types_do_not_share_a_key() -> None:
    assert "arith.addi" in add_v.ir("*fp32", V=1)
    assert "arith.addf" in add_v.ir("*fp32", V=1.0)
    assert "arith.addi" in add_v.ir("*fp32", V=True)
    assert "dense<-0.0>" in fill.ir("*fp32", V=-0.0)
    assert "dense<0.0>" in fill.ir("*fp32", V=0.0)


def test_tensor_constexpr_argument_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'V'"):
        fill.ir("*fp32", V=np.zeros(3))


def test_divisibility_can_be_disabled() -> None:
    @tessel.jit(do_not_specialize=["n"])
    def k(x_ptr, n):
        tl.store(x_ptr, n)

    ir = k.ir(np.zeros(4, np.int32), 32)
    assert "%arg1: i32)" in ir and "%arg0: !tile.ptr<i32> {tile.divisibility" in ir


# ---------------------------------------------------------------------------
# control flow and calls
# ---------------------------------------------------------------------------
@tessel.jit
def pair(x):
    return x + 1, x * 2


@tessel.jit
def control(x_ptr, n, flag):
    offs = tl.arange(0, 16)
    x = tl.load(x_ptr + offs)
    a, b = pair(x)
    y = a if flag else b  # runtime conditional expression -> scf.if
    k = 3 if n > 0 else 4  # numbers merge into i32
    tl.static_assert(x.shape[0] == 16, "shape")
    for c in (1, 2):  # iteration over a constexpr tuple is unrolled
        y = y * c
    for i, w in enumerate([0.5, 0.25]):
        y = y + w * i
    tl.store(x_ptr + offs, y + k)


def test_control_flow_ir() -> None:
    ir = verified(control.ir("*fp32", "i32", "i1"))
    assert ir.count("scf.if") == 2
    assert re.search(r"scf.if %arg2 -> \(tensor<16xf32>\)", ir)
    assert re.search(r"scf.if %\d+ -> \(i32\)", ir)


def test_static_assert_failure() -> None:
    @tessel.jit
    def k(x_ptr, B: tl.constexpr):
        tl.static_assert(B % 16 == 0, "B must be a multiple of 16")
        tl.store(x_ptr, 1.0)

    with pytest.raises(tessel.CompilationError, match="multiple of 16"):
        k.ir("*fp32", B=24)
    verified(k.ir("*fp32", B=32))


def test_names_out_of_scope_after_runtime_control_flow() -> None:
    @tessel.jit
    def k(x_ptr, n):
        if n > 0:
            y = 1.0
        tl.store(x_ptr, y)

    with pytest.raises(tessel.CompilationError, match="only one branch"):
        k.ir("*fp32", 3)


def test_nested_early_returns_in_helpers() -> None:
    @tessel.jit
    def sign(v):
        if v > 0:
            return 1.0
        if v < 0:
            return -1.0
        return 0.0

    @tessel.jit
    def k(x_ptr, v):
        tl.store(x_ptr, sign(v))

    ir = verified(k.ir("*fp32", "fp32"))
    assert ir.count("scf.if") == 2 and "scf.yield" in ir


def test_scalar_pointer_load_store_and_program_ids() -> None:
    @tessel.jit
    def k(x_ptr, y_ptr):
        pid = tl.program_id(2) + tl.num_programs(1)
        v = tl.load(x_ptr + pid)
        tl.store(y_ptr + pid, v.to(tl.float64) * 2)

    ir = verified(k.ir("*fp16", "*fp64"))
    assert "tile.program_id z : i32" in ir and "tile.num_programs y : i32" in ir
    assert re.search(r"tile.load %\d+ : !tile.ptr<f16>", ir)
    assert re.search(r"tile.store %\d+, %\d+ : !tile.ptr<f64>", ir)


def test_pointer_arithmetic_with_int64_and_unsigned_offsets() -> None:
    @tessel.jit
    def k(x_ptr, off, uoff):
        tl.store(x_ptr + off - 1 + uoff, 0.0)

    ir = verified(k.ir("*fp32", "i64", "u32"))
    assert "!tile.ptr<f32>, i64" in ir and "arith.extui" in ir and "arith.subi" in ir


@tessel.jit
def _factorial(x, N: tl.constexpr):
    if N <= 1:
        return x
    else:
        return _factorial(x * N, N - 1)


@tessel.jit(noinline=True)
def _power(x, N: tl.constexpr):
    if N == 0:
        return x * 0 + 1
    else:
        return x * _power(x, N - 1)


@tessel.jit
def _forever(x, N: tl.constexpr):
    return _forever(x + 1, N + 1)


@tessel.jit
def _same(x, N: tl.constexpr):
    return _same(x + 1, N)


def test_recursion_bounded_by_constexpr() -> None:
    # Each call is another specialization (as in Triton), inlined or not.
    @tessel.jit
    def kernel(out_ptr, x_ptr, N: tl.constexpr):
        offs = tl.arange(0, 16)
        x = tl.load(x_ptr + offs)
        tl.store(out_ptr + offs, _factorial(x, N) + _power(x, 3))

    x = np.random.default_rng(5).integers(-4, 5, 16).astype(np.int32)
    out = np.zeros_like(x)
    kernel[(1,)](out, x, N=5)
    np.testing.assert_array_equal(out, x * 120 + x**3)


@pytest.mark.parametrize("fn, match", [
    (_forever, "calls nested deeper than 64"),
    (_same, "with the same compile-time arguments would never end"),
])
def test_unbounded_recursion_is_an_error(fn, match) -> None:
    @tessel.jit
    def kernel(out_ptr):
        tl.store(out_ptr, fn(tl.load(out_ptr), 0))

    kernel.fn.__globals__["fn"] = fn
    with pytest.raises(tessel.CompilationError, match=match):
        kernel.ir("*i32")
