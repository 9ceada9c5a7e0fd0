"""Triton's typing rules, implemented by emitting Tile IR text.

Every function takes the IR builder ``b`` first (see tessel.compiler.ir) and
returns ``tensor`` values.  Python numbers passed where a tensor is expected
are *weak*: they take the type of the tensor they are combined with unless
their kind (bool < integer < floating) is higher.
"""

from __future__ import annotations

import math
import re
import warnings
from typing import Any, Sequence

from .core import (
    TRITON_MAX_TENSOR_NUMEL,
    _unwrap,
    block_type,
    dtype,
    float16,
    float32,
    float64,
    int1,
    int32,
    int64,
    tensor,
)
from .literals import literal, scalar_dtype


# ---------------------------------------------------------------------------
# constants
# ---------------------------------------------------------------------------
def constant(b: Any, value: Any, ty: Any) -> tensor:
    """``arith.constant`` of type ``ty`` (scalar or block) filled with value."""
    sca = ty.scalar
    value = _unwrap(value)
    if sca.is_ptr():
        raise TypeError(f"cannot make a constant of pointer type {sca}")
    if not isinstance(value, (bool, int, float)):
        raise TypeError(f"expected a number, got {type(value).__name__} {value!r}")
    if sca.is_fp8():
        # float8 travels as its byte: the number is rounded to the format by
        # the same conversion as .to() (folded to a byte constant later).
        wide = block_type.make(float32, ty.shape) if ty.is_block() else float32
        return cast(b, constant(b, float(value), wide), sca)
    if sca.is_bool():
        value = bool(value)
    elif sca.is_int():
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f"cannot convert {value} to {sca}")
            value = int(value)
        w = sca.int_bitwidth
        if not -(1 << (w - 1)) <= int(value) < (1 << w):
            raise ValueError(f"constant {value} does not fit in {sca}")
    lit = literal(value, sca)
    if ty.is_block():
        return tensor(b.op(f"arith.constant dense<{lit}> : {ty.to_ir()}"), ty)
    if sca.is_bool():
        return tensor(b.op(f"arith.constant {lit}"), ty)
    return tensor(b.op(f"arith.constant {lit} : {sca.to_ir()}"), ty)


def to_tensor(b: Any, x: Any, ty: dtype | None = None) -> tensor:
    x = _unwrap(x)
    if isinstance(x, tensor):
        return x if ty is None else cast(b, x, ty)
    return constant(b, x, ty if ty is not None else scalar_dtype(x))


def _materialize(b: Any, x: Any, ty: dtype, shape: Sequence[int] = ()) -> tensor:
    """Converts ``x`` to scalar type ``ty``; a weak scalar becomes a constant
    of ``shape`` directly."""
    x = _unwrap(x)
    return cast(b, x, ty) if isinstance(x, tensor) else constant(b, x, block_type.make(ty, shape))


# ---------------------------------------------------------------------------
# op emission
# ---------------------------------------------------------------------------
def _with_scalar(ty: Any, sca: dtype) -> Any:
    return block_type(sca, ty.shape) if ty.is_block() else sca


def _emit(b: Any, text: str, ty: Any) -> tensor:
    return tensor(b.op(text), ty)


def _no_fp8_math(op: str, x: tensor) -> None:
    if x.dtype.is_fp8():
        raise TypeError(
            f"{op.split('.')[-1]} on {x.dtype} values is not supported: float8 is a "
            "storage format; convert with .to(tl.float16) or .to(tl.float32) first"
        )


def _binary(b: Any, op: str, x: tensor, y: tensor) -> tensor:
    _no_fp8_math(op, x)
    return _emit(b, f"{op} {x.handle}, {y.handle} : {x.type.to_ir()}", x.type)


def _unary(b: Any, op: str, x: tensor) -> tensor:
    _no_fp8_math(op, x)
    return _emit(b, f"{op} {x.handle} : {x.type.to_ir()}", x.type)


def _convert(b: Any, op: str, x: tensor, sca: dtype) -> tensor:
    ty = _with_scalar(x.type, sca)
    return _emit(b, f"{op} {x.handle} : {x.type.to_ir()} to {ty.to_ir()}", ty)


# ---------------------------------------------------------------------------
# shapes
# ---------------------------------------------------------------------------
def validate_block_shape(shape: Sequence[int]) -> None:
    numel = 1
    for i, d in enumerate(shape):
        if d <= 0 or d & (d - 1):
            raise ValueError(
                f"shape element {i} must be a power of 2, got {d} (shape {list(shape)})"
            )
        numel *= d
    if numel > TRITON_MAX_TENSOR_NUMEL:
        raise ValueError(
            f"tensor has {numel} elements, more than the maximum {TRITON_MAX_TENSOR_NUMEL}"
        )


def as_shape(shape: Any) -> tuple[int, ...]:
    shape = _unwrap(shape)
    if not isinstance(shape, (tuple, list)):
        shape = (shape,)
    out = []
    for d in shape:
        d = _unwrap(d)
        if isinstance(d, tensor):
            raise TypeError(
                "shapes must be compile-time constants (tl.constexpr), "
                f"got a runtime {d.dtype} value"
            )
        if not isinstance(d, int) or isinstance(d, bool):
            raise TypeError(f"shape dimensions must be integers, got {d!r}")
        out.append(d)
    validate_block_shape(out)
    return tuple(out)


def splat(b: Any, x: tensor, shape: Sequence[int]) -> tensor:
    ty = block_type(x.dtype, shape)
    return _emit(b, f"tile.splat {x.handle} : {ty.to_ir()}", ty)


def expand_dims(b: Any, x: Any, axis: int) -> tensor:
    x = to_tensor(b, x)
    if not x.type.is_block():
        if axis not in (0, -1):
            raise ValueError(f"invalid axis {axis} for a scalar")
        return splat(b, x, (1,))
    rank = len(x.shape)
    if not isinstance(axis, int) or not -rank - 1 <= axis <= rank:
        raise ValueError(f"invalid axis {axis} for a tensor of rank {rank}")
    if axis < 0:
        axis += rank + 1
    shape = list(x.shape)
    shape.insert(axis, 1)
    ty = block_type(x.dtype, shape)
    return _emit(
        b,
        f"tile.expand_dims {x.handle} {{axis = {axis} : i32}} : {x.type.to_ir()} -> {ty.to_ir()}",
        ty,
    )


def broadcast_shapes(*shapes: Sequence[int]) -> tuple[int, ...]:
    rank = max(len(s) for s in shapes)
    out = [1] * rank
    for s in shapes:
        for i, d in enumerate(s, start=rank - len(s)):
            if out[i] == 1:
                out[i] = d
            elif d != 1 and d != out[i]:
                raise ValueError(
                    "cannot broadcast shapes " + ", ".join(str(list(t)) for t in shapes)
                )
    return tuple(out)


def broadcast_to(b: Any, x: Any, shape: Sequence[int]) -> tensor:
    x = to_tensor(b, x)
    shape = tuple(shape)
    if x.shape == shape:
        return x
    if not shape:
        raise ValueError(f"cannot broadcast a tensor of shape {list(x.shape)} to a scalar")
    if not x.type.is_block():
        return splat(b, x, shape)
    if len(x.shape) > len(shape) or broadcast_shapes(x.shape, shape) != shape:
        raise ValueError(f"cannot broadcast shape {list(x.shape)} to {list(shape)}")
    while len(x.shape) < len(shape):
        x = expand_dims(b, x, 0)
    ty = block_type(x.dtype, shape)
    return _emit(b, f"tile.broadcast {x.handle} : {x.type.to_ir()} -> {ty.to_ir()}", ty)


def broadcast_values(b: Any, *xs: tensor) -> list[tensor]:
    shape = broadcast_shapes(*(x.shape for x in xs))
    return [broadcast_to(b, x, shape) for x in xs]


def reshape(b: Any, x: Any, shape: Any) -> tensor:
    """``tile.reshape``: the same elements in row-major order, a new shape
    (constexpr, powers of two, the same element count)."""
    x = to_tensor(b, x)
    if not x.type.is_block():
        raise ValueError("cannot reshape a scalar")
    shape = as_shape(shape)
    if not shape:
        raise ValueError(
            f"cannot reshape a tensor of shape {list(x.shape)} to shape (): "
            "reshaping to a scalar is not supported"
        )
    numel = 1
    for d in shape:
        numel *= d
    if numel != x.numel:
        raise ValueError(
            f"cannot reshape a tensor of shape {list(x.shape)} ({x.numel} elements) to "
            f"shape {list(shape)} ({numel} elements): the element counts differ"
        )
    if shape == x.shape:
        return x
    ty = block_type(x.dtype, shape)
    return _emit(b, f"tile.reshape {x.handle} : {x.type.to_ir()} -> {ty.to_ir()}", ty)


def join(b: Any, x: Any, y: Any) -> tensor:
    """``tile.join``: ``x`` and ``y`` (promoted and broadcast to one type)
    stacked along a new last dimension of size 2.  Two scalars give a block
    of shape ``(2,)``, as in Triton."""
    x, y = binary_operands(b, x, y)
    if not x.type.is_block():
        pair = join(b, splat(b, x, (1,)), splat(b, y, (1,)))
        return reshape(b, pair, (2,))
    ty = block_type(x.dtype, tuple(x.shape) + (2,))
    return _emit(b, f"tile.join {x.handle}, {y.handle} : {x.type.to_ir()} -> {ty.to_ir()}", ty)


def split(b: Any, x: Any) -> tuple[tensor, tensor]:
    """``tile.split``: the two halves of ``x`` along its last dimension (of
    size 2)."""
    x = to_tensor(b, x)
    if not x.type.is_block() or len(x.shape) < 2 or x.shape[-1] != 2:
        raise ValueError(
            f"tl.split needs a block whose last dimension is 2, got shape {list(x.shape)}"
        )
    ty = block_type(x.dtype, tuple(x.shape[:-1]))
    name = b.fresh()
    b.emit(f"{name}:2 = tile.split {x.handle} : {x.type.to_ir()} -> {ty.to_ir()}")
    return tensor(f"{name}#0", ty), tensor(f"{name}#1", ty)


def subscript(b: Any, x: tensor, slices: Any) -> tensor:
    """``x[:, None]``, as Triton: the ``i``-th index ``None`` inserts a
    dimension at position ``i`` of the result so far; ``:`` changes nothing
    (so ``scalar[None, None, :]`` has shape ``(1, 1)``)."""
    items = slices if isinstance(slices, tuple) else (slices,)
    for dim, s in enumerate(items):
        s = _unwrap(s)
        if s is None:
            x = expand_dims(b, x, dim)
        elif not (isinstance(s, slice) and s == slice(None, None, None)):
            raise IndexError(
                f"unsupported tensor index: {s} (only `:` and `None` are allowed)"
            )
    return x


# ---------------------------------------------------------------------------
# casts
# ---------------------------------------------------------------------------
def cast(
    b: Any, x: Any, dst: Any, bitcast: bool = False, rounding: str | None = None
) -> tensor:
    """``x.to(dst)``; ``rounding`` ("rtne", "rtz") applies to float downcasts."""
    x = to_tensor(b, x)
    dst = _unwrap(dst)
    if not isinstance(dst, dtype):
        raise TypeError(f"cast target must be a tl.dtype, got {dst!r}")
    src = x.dtype
    if src == dst:
        return x
    if dst.is_void():
        raise TypeError("cannot cast to tl.void: it has no values")
    if not bitcast and (src.is_fp8() or dst.is_fp8() or rounding == "rtz"):
        converted = _software_float_cast(b, x, dst, rounding)
        if converted is not None:
            return converted
    if src.is_ptr() and dst.is_ptr():
        ty = _with_scalar(x.type, dst)
        if src.to_ir() == dst.to_ir():  # const and non-const pointers: one IR type
            return tensor(x.handle, ty)
        # Pointers are untyped underneath: a reinterpretation (tile.ptr_cast).
        return _emit(b, f"tile.ptr_cast {x.handle} : {x.type.to_ir()} -> {ty.to_ir()}", ty)
    if src.is_ptr() or dst.is_ptr():
        raise TypeError(f"casting {src} to {dst} is not supported")
    if src.to_ir() == dst.to_ir() and src.primitive_bitwidth == dst.primitive_bitwidth:
        return tensor(x.handle, _with_scalar(x.type, dst))  # int32 <-> uint32
    if bitcast:
        if src.primitive_bitwidth != dst.primitive_bitwidth:
            raise ValueError(f"cannot bitcast {src} to {dst}: bit widths differ")
        return _convert(b, "arith.bitcast", x, dst)
    if src.is_floating() and dst.is_floating():
        if src.primitive_bitwidth == dst.primitive_bitwidth:  # fp16 <-> bf16
            return _convert(b, "arith.truncf", _convert(b, "arith.extf", x, float32), dst)
        op = "arith.extf" if dst.primitive_bitwidth > src.primitive_bitwidth else "arith.truncf"
        return _convert(b, op, x, dst)
    if dst.is_bool():
        return compare(b, "ne", x, 0)
    if src.is_int() and dst.is_int():
        if dst.int_bitwidth > src.int_bitwidth:
            signed = src.is_int_signed() and not src.is_bool()
            return _convert(b, "arith.extsi" if signed else "arith.extui", x, dst)
        if dst.int_bitwidth < src.int_bitwidth:
            return _convert(b, "arith.trunci", x, dst)
        return tensor(x.handle, _with_scalar(x.type, dst))
    if src.is_floating() and dst.is_int():
        return _convert(b, "arith.fptosi" if dst.is_int_signed() else "arith.fptoui", x, dst)
    if src.is_int() and dst.is_floating():
        unsigned = src.is_int_unsigned() or src.is_bool()
        return _convert(b, "arith.uitofp" if unsigned else "arith.sitofp", x, dst)
    raise TypeError(f"cannot cast {src} to {dst}")


# The float8 formats tile.float8_encode rounds to (nearest even, saturating).
_FLOAT8_ENCODE_FORMATS = {"fp8e4nv": "e4m3", "fp8e5": "e5m2"}


def _software_float_cast(b: Any, x: tensor, dst: dtype, rounding: str | None) -> tensor | None:
    """Casts the targets have no op for (fp8.py): anything to or from
    float8, and round-toward-zero float downcasts to float16/bfloat16."""
    from . import fp8

    src = x.dtype
    if src.is_fp8():
        return cast(b, fp8.decode(b, x, src.name), dst, rounding=rounding)
    if dst.is_fp8():
        wide = x if src == float32 else cast(b, x, float32, rounding=rounding)
        fmt = _FLOAT8_ENCODE_FORMATS.get(dst.name)
        if fmt and (rounding or "rtne") == "rtne":
            # One op: a conversion instruction where the target has one,
            # else the compiler's integer arithmetic (tessel-expand-float8-encode).
            ty = _with_scalar(wide.type, dst)
            return _emit(b, f"tile.float8_encode {fmt} {wide.handle} : "
                            f"{wide.type.to_ir()} -> {ty.to_ir()}", ty)
        return fp8.encode(b, wide, dst.name, rounding or "rtne")
    narrower = src.is_floating() and dst.is_floating() and (
        dst.primitive_bitwidth < src.primitive_bitwidth
    )
    if not narrower:
        return None  # rounding only matters for float downcasts
    if dst.name not in ("fp16", "bf16"):
        raise TypeError(f"fp_downcast_rounding='rtz' from {src} to {dst} is not supported")
    wide = x if src == float32 else cast(b, x, float32, rounding="rtz")
    return fp8.encode(b, wide, dst.name, "rtz")


# ---------------------------------------------------------------------------
# promotion
# ---------------------------------------------------------------------------
def integer_promote(a: dtype, b_: dtype) -> dtype:
    """C's usual arithmetic conversions on two integer types."""
    if a.int_signedness == b_.int_signedness:
        return a if a.int_bitwidth > b_.int_bitwidth else b_
    if a.is_int_unsigned():
        return a if a.int_bitwidth >= b_.int_bitwidth else b_
    return b_ if b_.int_bitwidth >= a.int_bitwidth else a


def computation_type(a: dtype, a_weak: bool, b_: dtype, b_weak: bool, div_or_mod: bool) -> dtype:
    """The type both operands are converted to (Triton's computation_type_impl)."""
    if a_weak != b_weak:
        weak, strong = (a, b_) if a_weak else (b_, a)
        if weak.kind() <= strong.kind():
            if div_or_mod and (strong.is_fp16() or strong.is_bf16()):
                return float32
            return strong
    if a.is_fp64() or b_.is_fp64():
        return float64
    if a.is_fp32() or b_.is_fp32():
        return float32
    if (a.is_fp16() and b_.is_bf16()) or (a.is_bf16() and b_.is_fp16()):
        return float32
    if a.is_fp16() or b_.is_fp16():
        return float32 if div_or_mod else (a if a.is_fp16() else b_)
    if a.is_bf16() and b_.is_bf16():
        return float32 if div_or_mod else a
    if a.is_bf16() or b_.is_bf16():  # bf16 only survives with bf16 (as in Triton)
        return float32
    if a.is_fp8() and b_.is_fp8():  # two float8 formats meet in float16
        return a if a == b_ else float16
    if not a.is_int() or not b_.is_int():
        raise TypeError(f"unexpected operand types {a} and {b_}")
    if div_or_mod and a.int_signedness != b_.int_signedness:
        # Triton's wording ("Cannot use ... because they have different signedness").
        raise TypeError(
            f"Cannot use /, // or % with {a} and {b_} because they have different "
            "signedness: the result would rarely be meaningful; cast both to one signedness"
        )
    return integer_promote(a, b_)


def _check_ptr(a: dtype, b_: dtype, allow: bool) -> None:
    if not a.is_ptr():
        return
    if not allow or (b_.is_ptr() and a != b_) or b_.is_floating():
        raise TypeError(f"invalid operands of type {a} and {b_}")


def _check_weak_scalar(v: Any, ret: dtype) -> None:
    """A Python number meeting a tensor must fit the computation type (Triton's
    checks, with its key phrases)."""
    if not ret.is_int() or ret.is_bool() or isinstance(v, float):
        return
    if ret.is_int_unsigned() and v < 0:
        raise ValueError(
            f"Cannot perform a binary operation between an unsigned tensor and a negative "
            f"scalar: {v} does not fit {ret}; cast one of them explicitly"
        )
    if not ret.get_int_min_value() <= v <= ret.get_int_max_value():
        raise ValueError(
            f"Scalar {v} is out of range for type {ret} "
            f"([{ret.get_int_min_value()}, {ret.get_int_max_value()}])"
        )


def binary_operands(
    b: Any,
    x: Any,
    y: Any,
    *,
    allow_lhs_ptr: bool = False,
    allow_rhs_ptr: bool = False,
    arithmetic: bool = True,
    div_or_mod: bool = False,
) -> tuple[tensor, tensor]:
    """Converts both operands to their common type and shape."""
    x, y = _unwrap(x), _unwrap(y)
    x_weak, y_weak = not isinstance(x, tensor), not isinstance(y, tensor)
    x_ty, y_ty = scalar_dtype(x), scalar_dtype(y)
    _check_ptr(x_ty, y_ty, allow_lhs_ptr)
    _check_ptr(y_ty, x_ty, allow_rhs_ptr)
    shape = broadcast_shapes(*(v.shape for v in (x, y) if isinstance(v, tensor)), ())
    if arithmetic and not x_ty.is_ptr() and not y_ty.is_ptr():
        ret = computation_type(x_ty, x_weak, y_ty, y_weak, div_or_mod)
        for v, weak in ((x, x_weak), (y, y_weak)):
            if weak:
                _check_weak_scalar(v, ret)
        xt, yt = _materialize(b, x, ret, shape), _materialize(b, y, ret, shape)
    else:
        xt = _materialize(b, x, x_ty, shape)
        yt = _materialize(b, y, y_ty, shape)
    xt, yt = broadcast_values(b, xt, yt)
    return xt, yt


# ---------------------------------------------------------------------------
# arithmetic
# ---------------------------------------------------------------------------
def _offset(b: Any, off: tensor) -> tensor:
    sca = off.dtype
    if not sca.is_int():
        raise TypeError(f"pointer offsets must be integers, got {sca}")
    if sca.is_int_unsigned() and sca.int_bitwidth < 64:
        return cast(b, off, int64)
    if sca.int_bitwidth < 32:
        return cast(b, off, int32)
    return off


def addptr(b: Any, ptr: tensor, off: tensor) -> tensor:
    off = _offset(b, off)
    ptr, off = broadcast_values(b, ptr, off)
    return _emit(
        b,
        f"tile.addptr {ptr.handle}, {off.handle} : {ptr.type.to_ir()}, {off.type.to_ir()}",
        ptr.type,
    )


def add(b: Any, x: Any, y: Any) -> tensor:
    x, y = binary_operands(b, x, y, allow_lhs_ptr=True, allow_rhs_ptr=True)
    if x.dtype.is_ptr() and y.dtype.is_ptr():
        raise TypeError("cannot add two pointers")
    if y.dtype.is_ptr():
        x, y = y, x
    if x.dtype.is_ptr():
        return addptr(b, x, y)
    return _binary(b, "arith.addf" if x.dtype.is_floating() else "arith.addi", x, y)


def sub(b: Any, x: Any, y: Any) -> tensor:
    x, y = binary_operands(b, x, y, allow_lhs_ptr=True)
    if x.dtype.is_ptr():
        off = _offset(b, y)
        return addptr(b, x, _binary(b, "arith.subi", constant(b, 0, off.type), off))
    return _binary(b, "arith.subf" if x.dtype.is_floating() else "arith.subi", x, y)


def mul(b: Any, x: Any, y: Any) -> tensor:
    x, y = binary_operands(b, x, y)
    return _binary(b, "arith.mulf" if x.dtype.is_floating() else "arith.muli", x, y)


def truediv(b: Any, x: Any, y: Any, ieee_rounding: bool = False) -> tensor:
    """``/``: float32 division may be approximate (within 2 ulp, as Triton's
    ``div.full.f32``) unless ``ieee_rounding``; other types round exactly."""
    x, y = binary_operands(b, x, y, div_or_mod=True)
    if x.dtype.is_int():
        x, y = cast(b, x, float32), cast(b, y, float32)
    if x.dtype == float32 and not ieee_rounding:
        return _emit(b, f"arith.divf {x.handle}, {y.handle} fastmath<afn> : {x.type.to_ir()}",
                     x.type)
    return _binary(b, "arith.divf", x, y)


def floordiv(b: Any, x: Any, y: Any) -> tensor:
    x, y = binary_operands(b, x, y, div_or_mod=True)
    if not x.dtype.is_int():
        raise TypeError(f"`//` requires integer operands, got {x.dtype}; use `/` for floats")
    return _binary(b, "arith.divsi" if x.dtype.is_int_signed() else "arith.divui", x, y)


def mod(b: Any, x: Any, y: Any) -> tensor:
    x, y = binary_operands(b, x, y, div_or_mod=True)
    if x.dtype.is_floating():
        return _binary(b, "arith.remf", x, y)
    return _binary(b, "arith.remsi" if x.dtype.is_int_signed() else "arith.remui", x, y)


def neg(b: Any, x: Any) -> tensor:
    x = to_tensor(b, x)
    if x.dtype.is_ptr():
        raise TypeError(f"wrong type argument to unary minus ({x.dtype}): cannot negate a pointer")
    if x.dtype.is_floating():
        return _unary(b, "arith.negf", x)
    return _binary(b, "arith.subi", constant(b, 0, x.type), x)


def invert(b: Any, x: Any) -> tensor:
    x = to_tensor(b, x)
    if not x.dtype.is_int():
        raise TypeError(
            f"wrong type argument to unary invert ({x.dtype}): `~` needs an integer operand"
        )
    return _binary(b, "arith.xori", x, constant(b, -1 if not x.dtype.is_bool() else True, x.type))


def logical_not(b: Any, x: Any) -> tensor:
    x = cast(b, to_tensor(b, x), int1)
    return _binary(b, "arith.xori", x, constant(b, True, x.type))


def logical(b: Any, kind: str, x: Any, y: Any) -> tensor:
    """``and``/``or`` of truth values (non-zero is true)."""
    x, y = cast(b, to_tensor(b, x), int1), cast(b, to_tensor(b, y), int1)
    x, y = broadcast_values(b, x, y)
    return _binary(b, "arith.andi" if kind == "and" else "arith.ori", x, y)


def abs_(b: Any, x: Any) -> tensor:
    x = to_tensor(b, x)
    if x.dtype.is_floating():
        return _unary(b, "math.absf", x)
    if x.dtype.is_int_signed() and not x.dtype.is_bool():
        return _unary(b, "math.absi", x)
    if x.dtype.is_int():
        return x
    raise TypeError(f"abs is not defined for {x.dtype}")


_BITWISE = {"and": "arith.andi", "or": "arith.ori", "xor": "arith.xori", "shl": "arith.shli"}
_SYMBOL = {"and": "&", "or": "|", "xor": "^", "shl": "<<", "shr": ">>"}


def bitwise(b: Any, kind: str, x: Any, y: Any) -> tensor:
    """``& | ^ << >>`` with Triton's typing: the operands are promoted as for
    arithmetic (C's rules); ``>>`` is arithmetic when the left operand (or,
    for ``number >> tensor``, the tensor) is a signed integer, whatever the
    promoted type (``int64 >> uint64`` shifts in sign bits, as in Triton)."""
    x, y = _unwrap(x), _unwrap(y)
    x_ty, y_ty = scalar_dtype(x), scalar_dtype(y)
    sym = _SYMBOL[kind]
    if not (x_ty.is_int() and y_ty.is_int()):
        raise TypeError(
            f"invalid operands of type {x_ty} and {y_ty} for `{sym}`: "
            "bitwise operators and shifts need integer operands"
        )
    signed_lhs = (x_ty if isinstance(x, tensor) or not isinstance(y, tensor) else y_ty)
    xt, yt = binary_operands(b, x, y)
    if kind in ("shl", "shr"):
        _warn_wide_shift(b, x, y)
    if kind == "shr":
        arith = signed_lhs.is_int_signed() and not signed_lhs.is_bool()
        return _binary(b, "arith.shrsi" if arith else "arith.shrui", xt, yt)
    return _binary(b, _BITWISE[kind], xt, yt)


def _warn_wide_shift(b: Any, x: Any, y: Any) -> None:
    """Triton warns when a compile-time shift amount is at least the bit width
    of the shifted value: the result is undefined (LLVM gives poison)."""
    if not isinstance(x, tensor) or isinstance(y, tensor) or isinstance(y, bool):
        return
    width = x.dtype.primitive_bitwidth
    if isinstance(y, int) and y >= width:
        text = (
            f"shift amount {y} is out of range: it exceeds the maximum bitwidth ({width}) "
            f"for type '{x.dtype}', so the result is undefined"
        )
        where = _LOC.fullmatch(str(getattr(b, "loc", "")))
        if where is None:
            warnings.warn(text, UserWarning, stacklevel=2)
        else:
            filename = where.group(1).replace('\\"', '"').replace("\\\\", "\\")
            text = f"{filename}:{where.group(2)}:{where.group(3)}: {text}"
            warnings.warn_explicit(text, UserWarning, filename, int(where.group(2)))


_LOC = re.compile(r'loc\("((?:[^"\\]|\\.)*)":(\d+):(\d+)\)')


_FCMP = {"lt": "olt", "le": "ole", "gt": "ogt", "ge": "oge", "eq": "oeq", "ne": "une"}
_SCMP = {"lt": "slt", "le": "sle", "gt": "sgt", "ge": "sge", "eq": "eq", "ne": "ne"}
_UCMP = {"lt": "ult", "le": "ule", "gt": "ugt", "ge": "uge", "eq": "eq", "ne": "ne"}


def compare(b: Any, kind: str, x: Any, y: Any) -> tensor:
    x, y = binary_operands(b, x, y)
    _no_fp8_math("comparison", x)
    sca = x.dtype
    if sca.is_floating():
        op, pred = "arith.cmpf", _FCMP[kind]
    else:
        op, pred = "arith.cmpi", (_UCMP if sca.is_int_unsigned() else _SCMP)[kind]
    ty = _with_scalar(x.type, int1)
    return _emit(b, f"{op} {pred}, {x.handle}, {y.handle} : {x.type.to_ir()}", ty)


def minmax(b: Any, kind: str, x: Any, y: Any, propagate_nan: bool) -> tensor:
    x, y = binary_operands(b, x, y)
    sca = x.dtype
    if sca.is_floating():
        op = f"arith.{kind}imumf" if propagate_nan else f"arith.{kind}numf"
    elif sca.is_int_signed() and not sca.is_bool():
        op = f"arith.{kind}si"
    else:
        op = f"arith.{kind}ui"
    return _binary(b, op, x, y)


def where(b: Any, cond: Any, x: Any, y: Any) -> tensor:
    cond = cast(b, to_tensor(b, cond), int1)
    x, y = binary_operands(b, x, y, allow_lhs_ptr=True, allow_rhs_ptr=True)
    if x.dtype != y.dtype:
        raise TypeError(f"where: incompatible value types {x.dtype} and {y.dtype}")
    cond, x, y = broadcast_values(b, cond, x, y)
    return _emit(
        b,
        f"arith.select {cond.handle}, {x.handle}, {y.handle} : "
        f"{cond.type.to_ir()}, {x.type.to_ir()}",
        x.type,
    )


# ---------------------------------------------------------------------------
# math
# ---------------------------------------------------------------------------
def _float_operand(b: Any, name: str, x: Any) -> tensor:
    x = to_tensor(b, x)
    if not x.dtype.is_floating():
        raise TypeError(
            f"{name} expects a floating-point argument, got {x.dtype}; "
            "convert it with .to(tl.float32)"
        )
    return x


def math_unary(b: Any, name: str, x: Any) -> tensor:
    """``math.<name>``; 16-bit floats are computed in fp32."""
    x = _float_operand(b, f"tl.{name}", x)
    if x.dtype.primitive_bitwidth == 16:
        return cast(b, math_unary(b, name, cast(b, x, float32)), x.dtype)
    if name == "exp" and x.dtype == float32:
        # Triton's tl.exp is the fast exp2-based one (ex2.approx on NVIDIA).
        return _emit(b, f"math.exp {x.handle} fastmath<afn> : {x.type.to_ir()}", x.type)
    return _unary(b, f"math.{name}", x)


def fma(b: Any, x: Any, y: Any, z: Any) -> tensor:
    x, y = binary_operands(b, x, y)
    z, x = binary_operands(b, z, x)
    z, y = binary_operands(b, z, y)
    x = _float_operand(b, "tl.fma", x)
    orig = x.dtype
    if orig.primitive_bitwidth == 16:
        x, y, z = (cast(b, v, float32) for v in (x, y, z))
    r = _emit(b, f"math.fma {x.handle}, {y.handle}, {z.handle} : {x.type.to_ir()}", x.type)
    return cast(b, r, orig)
