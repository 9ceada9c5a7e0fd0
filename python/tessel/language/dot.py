"""``tl.dot`` and ``a @ b``: matrix products of 2-D blocks (or 3-D batched
ones), with Triton's type and shape rules.

The compiler multiplies in the accumulator's type (products of float16,
bfloat16 and float8 inputs are exact in float32, of int8 in int32), so every
target gets the same result up to the order of the sums.  float8e4nv and
float8e5 operands into a float32 result reach the compiler as their codes
(``a_float8``/``b_float8``): Hopper's wgmma multiplies them as they are,
other targets widen them to float16 (exact); float8e4b15, and float8 into a
float16 result, are widened here.
"""

from __future__ import annotations

from typing import Any

from . import semantic
from .core import (
    _unwrap,
    block_type,
    builtin,
    current_builder,
    dtype,
    float16,
    float32,
    int32,
    tensor,
)
from .semantic import _emit

__all__ = ["dot"]

#: tile::Float8Format's values for the float8 formats tensor cores take.
FLOAT8_FORMATS = {"fp8e4nv": 1, "fp8e5": 2}

#: Triton's smallest M, N and K for a dot (tensor-core tiles are 16 wide).
MIN_DOT_SIZE = 16
INPUT_PRECISIONS = ("tf32", "tf32x3", "ieee")


def _precision(input_precision: Any, allow_tf32: Any, a: dtype) -> str:
    input_precision = _unwrap(input_precision)
    allow_tf32 = _unwrap(allow_tf32)
    if input_precision is not None and allow_tf32 is not None:
        raise ValueError("only one of input_precision and allow_tf32 can be specified")
    if input_precision is None:
        input_precision = "tf32" if allow_tf32 in (None, True) else "ieee"
    if not isinstance(input_precision, str) or input_precision.lower() not in INPUT_PRECISIONS:
        raise ValueError(
            f"input_precision must be one of {', '.join(INPUT_PRECISIONS)}, got {input_precision!r}"
        )
    # Only float32 inputs have a choice; others multiply exactly.
    return input_precision.lower() if a.is_fp32() else "ieee"


def _result_dtype(a: dtype, out_dtype: dtype) -> dtype:
    if a.is_int():
        if a.name != "int8":
            raise TypeError(f"tl.dot on integers needs int8 operands, got {a}")
        return int32
    if out_dtype.is_bf16():
        raise ValueError(
            "out_dtype=bfloat16 is unsupported. Please use out_dtype=float32/float16 "
            "and cast with `.to(tl.bfloat16)`"
        )
    if a.is_fp32() or a.is_bf16():
        return float32
    if a.is_fp64():
        return a
    if not (out_dtype.is_fp32() or out_dtype.is_fp16()):
        raise ValueError(f"tl.dot's out_dtype must be float32 or float16, got {out_dtype}")
    return out_dtype


def _check_shapes(a: tensor, b: tensor) -> None:
    if not a.type.is_block() or not b.type.is_block():
        raise ValueError("tl.dot needs blocks, got a scalar")
    sa, sb = list(a.shape), list(b.shape)
    if len(sa) != len(sb) or len(sa) not in (2, 3):
        raise ValueError(f"Both inputs must be either 2D or 3D; (lhs: {sa} vs rhs: {sb})")
    if sa[-1] != sb[-2]:
        raise ValueError(
            f"First input shape ({sa}) and second input shape {sb} are not compatible for "
            f"matmul (second index of first shape ({sa[-1]}) must be equal to first index "
            f"of second shape ({sb[-2]})"
        )
    if len(sa) == 3 and sa[0] != sb[0]:
        raise ValueError(
            f"Batch dimensions of the inputs must agree (lhs: {sa} vs rhs: {sb})"
        )
    m, k, n = sa[-2], sa[-1], sb[-1]
    if min(m, n, k) < MIN_DOT_SIZE:
        raise ValueError(
            f"Input shapes should have M >= {MIN_DOT_SIZE}, N >= {MIN_DOT_SIZE} and "
            f"K >= {MIN_DOT_SIZE}, got M={m}, N={n}, K={k}"
        )


@builtin
def dot(
    input: Any,
    other: Any,
    acc: Any = None,
    input_precision: Any = None,
    allow_tf32: Any = None,
    max_num_imprecise_acc: Any = None,
    out_dtype: Any = float32,
) -> tensor:
    """The matrix product of ``input`` (M x K) and ``other`` (K x N), plus
    ``acc`` when given; 3-D operands multiply batch by batch.

    float16, bfloat16, float32 (``input_precision`` "tf32", "tf32x3" or
    "ieee"), float64, float8e4nv/float8e5 and int8 (int32 result) operands;
    ``out_dtype`` float32, or float16 for 16- and 8-bit float inputs."""
    b = current_builder()
    a = semantic.to_tensor(b, input)
    o = semantic.to_tensor(b, other)
    _check_shapes(a, o)
    out = _unwrap(out_dtype)
    if not isinstance(out, dtype):
        raise TypeError(f"tl.dot's out_dtype must be a tl.dtype, got {out!r}")
    float8_formats: list[int] = []
    if a.dtype.is_fp8() and o.dtype.is_fp8():
        if a.dtype.name in FLOAT8_FORMATS and o.dtype.name in FLOAT8_FORMATS and out.is_fp32():
            float8_formats = [FLOAT8_FORMATS[a.dtype.name], FLOAT8_FORMATS[o.dtype.name]]
        else:
            # Mixed float8 formats are allowed, as in Triton; float16 holds both.
            a, o = semantic.cast(b, a, float16), semantic.cast(b, o, float16)
    if a.dtype != o.dtype and not float8_formats:
        raise TypeError(f"Both operands must be same dtype. Got {a.dtype} and {o.dtype}")
    if not (a.dtype.is_floating() or a.dtype.is_int()) or a.dtype.is_bool():
        raise TypeError(f"tl.dot does not multiply {a.dtype}")
    precision = _precision(input_precision, allow_tf32, a.dtype)
    result = float32 if float8_formats else _result_dtype(a.dtype, out)
    shape = (*a.shape[:-1], o.shape[-1])
    ty = block_type(result, shape)
    acc = _unwrap(acc)
    if acc is None:
        acc_t = semantic.constant(b, 0, ty)
    else:
        acc_t = semantic.to_tensor(b, acc)
        if list(acc_t.shape) != list(shape) or acc_t.dtype != result:
            raise ValueError(
                f"acc must be a {result} block of shape {list(shape)} (the dot's result), "
                f"got {acc_t.dtype} of shape {list(acc_t.shape)}"
            )
    imprecise = _unwrap(max_num_imprecise_acc)
    # tile::InputPrecision's values: ieee 0, tf32 1, tf32x3 2.
    code = INPUT_PRECISIONS.index(precision)
    attrs = [f"input_precision = {(1, 2, 0)[code]} : i32"] if precision != "ieee" else []
    if imprecise:
        attrs.append(f"max_num_imprecise_acc = {int(imprecise)} : i32")
    if float8_formats:
        attrs += [f"a_float8 = {float8_formats[0]} : i32", f"b_float8 = {float8_formats[1]} : i32"]
    attr_text = f" {{{', '.join(attrs)}}}" if attrs else ""
    return _emit(
        b,
        f"tile.dot {a.handle}, {o.handle}, {acc_t.handle}{attr_text} : "
        f"{a.type.to_ir()}, {o.type.to_ir()} -> {ty.to_ir()}",
        ty,
    )


def _matmul(self: tensor, other: Any) -> tensor:
    return dot(self, other)


def _rmatmul(self: tensor, other: Any) -> tensor:
    return dot(other, self)


tensor.__matmul__ = _matmul  # type: ignore[attr-defined]
tensor.__rmatmul__ = _rmatmul  # type: ignore[attr-defined]
