"""Atomics (``tl.atomic_add`` ... ``tl.atomic_cas``) and a few tile ops
(``tl.trans``/``tl.permute``, ``tl.debug_barrier``, ``tl.umulhi``).

Atomics emit ``tile.atomic_rmw``/``tile.atomic_cas``::

    %old = tile.atomic_rmw fadd, acq_rel, gpu, %ptr, %val, %mask : tensor<256x!tile.ptr<f32>>

The value is converted to the pointee type and broadcast to the pointer's
shape (as in Triton); masked-out lanes touch no memory.  The result is the
value memory held before.
"""

from __future__ import annotations

from typing import Any

from . import semantic
from .core import (
    _unwrap,
    block_type,
    builtin,
    current_builder,
    int32,
    int64,
    pointer_type,
    tensor,
    uint32,
    uint64,
)
from .semantic import _emit, _materialize, broadcast_shapes, broadcast_to

__all__ = [
    "atomic_add",
    "atomic_max",
    "atomic_min",
    "atomic_and",
    "atomic_or",
    "atomic_xor",
    "atomic_xchg",
    "atomic_cas",
    "trans",
    "permute",
    "debug_barrier",
    "umulhi",
]

_SEMS = ("relaxed", "acquire", "release", "acq_rel")
_SCOPES = ("gpu", "cta", "sys")


def _sem_scope(name: str, sem: Any, scope: Any) -> tuple[str, str]:
    sem, scope = _unwrap(sem), _unwrap(scope)
    sem = "acq_rel" if sem is None else sem
    scope = "gpu" if scope is None else scope
    if sem not in _SEMS:
        raise ValueError(f"{name}: sem must be one of {', '.join(map(repr, _SEMS))}, got {sem!r}")
    if scope not in _SCOPES:
        raise ValueError(
            f"{name}: scope must be one of {', '.join(map(repr, _SCOPES))}, got {scope!r}"
        )
    return sem, scope


def _pointer(name: str, ptr: Any) -> tensor:
    ptr = _unwrap(ptr)
    if not isinstance(ptr, tensor) or not isinstance(ptr.dtype, pointer_type):
        what = ptr.dtype if isinstance(ptr, tensor) else repr(ptr)
        raise TypeError(f"{name} expects a pointer or a tensor of pointers, got {what}")
    if ptr.dtype.is_const():  # Triton's words (every atomic writes memory)
        raise ValueError(f"Cannot store to a constant pointer ({name} through a "
                         f"{ptr.dtype!r})")
    return ptr


def _operands(b: Any, name: str, ptr: Any, vals: list[Any], mask: Any) -> tuple:
    """(ptr, [values converted to the pointee type], mask), all of one shape."""
    ptr = _pointer(name, ptr)
    elt = ptr.dtype.element_ty
    vals = [_unwrap(v) for v in vals]
    mask = _unwrap(mask)
    shapes = [ptr.shape] + [v.shape for v in vals if isinstance(v, tensor)]
    if isinstance(mask, tensor):
        shapes.append(mask.shape)
    shape = broadcast_shapes(*shapes)
    ptr = broadcast_to(b, ptr, shape)
    vs = [broadcast_to(b, _materialize(b, v, elt, shape), shape) for v in vals]
    if mask is not None:
        mask = semantic.to_tensor(b, mask)
        if not mask.dtype.is_bool():
            raise TypeError(f"{name}: mask must be a boolean (int1) tensor, got {mask.dtype}")
        mask = broadcast_to(b, mask, shape)
    return ptr, vs, mask


def _check_type(name: str, elt: Any, kinds: str) -> None:
    """kinds: 'int' (i32/i64), 'float' (f16/bf16/f32/f64), 'xchg' (32/64-bit int or f32/f64)."""
    bits = elt.primitive_bitwidth
    ok_int = elt.is_int() and not elt.is_bool() and bits in (32, 64)
    if kinds == "int" and ok_int:
        return
    if kinds == "float" and elt.is_floating():
        return
    if kinds == "xchg" and (ok_int or (elt.is_floating() and bits in (32, 64))):
        return
    # Compare-and-swap also takes 16-bit values (Triton: float16, bfloat16).
    if kinds == "cas" and not elt.is_bool() and (elt.is_int() or elt.is_floating()) \
            and bits in (16, 32, 64):
        return
    allowed = {
        "int": "32- or 64-bit integers",
        "float": "floats",
        "xchg": "32- or 64-bit integers, float32 and float64",
        "cas": "16-, 32- or 64-bit integers and floats",
    }[kinds]
    # Triton's words first ("atomic_add does not support int16").
    op = name.removeprefix("tl.")
    triton = (f"{op} only supports elements with width {{16, 32, 64}}" if kinds == "cas"
              else f"{op} does not support {elt}")
    raise TypeError(f"{triton}: {name} is only supported on {allowed}, got a pointer to {elt}")


def _rmw(b: Any, kind: str, ptr: tensor, val: tensor, mask: tensor | None, sem: str, scope: str):
    extra = f", {mask.handle}" if mask is not None else ""
    return _emit(
        b,
        f"tile.atomic_rmw {kind}, {sem}, {scope}, {ptr.handle}, {val.handle}{extra} : "
        f"{ptr.type.to_ir()}",
        val.type,
    )


def _float_max_min(b: Any, name: str, op: str, ptr: tensor, v: tensor, m: Any,
                   sem: str, scope: str) -> tensor:
    """Triton's integer trick for float atomic max/min (f32, f64): as signed
    integers, non-negative floats order like the floats; negative floats order
    in reverse as unsigned integers. Values with a clear sign bit use a signed
    max (min), those with the sign bit set (-0.0 included) an unsigned min
    (max), each under its part of the mask."""
    elt = ptr.dtype.element_ty
    bits = elt.primitive_bitwidth
    if bits not in (32, 64):
        raise TypeError(f"{name} does not support {elt}: tl.{name} on floats takes float32 "
                        f"or float64, got {elt}")
    sint, uint = (int32, uint32) if bits == 32 else (int64, uint64)
    iv = semantic.cast(b, v, sint, bitcast=True)
    uv = semantic.cast(b, v, uint, bitcast=True)
    iptr = semantic.cast(b, ptr, pointer_type(sint))
    uptr = semantic.cast(b, ptr, pointer_type(uint))
    # Split on the sign bit, as Triton does: -0.0 goes with the negative values
    # (so max(-1.0, -0.0) is -0.0), NaNs with their sign bit.
    is_non_negative = semantic.compare(b, "ge", iv, 0)
    non_negative = is_non_negative
    negative = semantic.logical_not(b, is_non_negative)
    if m is not None:
        non_negative = semantic.logical(b, "and", m, non_negative)
        negative = semantic.logical(b, "and", m, negative)
    signed_kind, unsigned_kind = ("max", "umin") if op == "max" else ("min", "umax")
    old_pos = _rmw(b, signed_kind, iptr, iv, non_negative, sem, scope)
    old_neg = _rmw(b, unsigned_kind, uptr, uv, negative, sem, scope)
    old = semantic.where(b, is_non_negative, old_pos,
                         semantic.cast(b, old_neg, sint, bitcast=True))
    return semantic.cast(b, old, elt, bitcast=True)


def _atomic(name: str, pointer: Any, val: Any, mask: Any, sem: Any, scope: Any) -> tensor:
    b = current_builder()
    sem_, scope_ = _sem_scope(f"tl.{name}", sem, scope)
    ptr, (v,), m = _operands(b, f"tl.{name}", pointer, [val], mask)
    elt = ptr.dtype.element_ty
    op = name[len("atomic_") :]
    if op == "add":
        if elt.is_floating():
            kind = "fadd"
        else:
            _check_type(f"tl.{name}", elt, "int")
            kind = "add"
    elif op in ("max", "min"):
        if elt.is_floating():
            return _float_max_min(b, name, op, ptr, v, m, sem_, scope_)
        _check_type(f"tl.{name}", elt, "int")
        kind = ("u" + op) if elt.is_int_unsigned() else op
    elif op in ("and", "or", "xor"):
        _check_type(f"tl.{name}", elt, "int")
        kind = op
    else:
        _check_type(f"tl.{name}", elt, "xchg")
        kind = "xchg"
    return _rmw(b, kind, ptr, v, m, sem_, scope_)


@builtin
def atomic_add(pointer: Any, val: Any, mask: Any = None, sem: Any = None, scope: Any = None):
    """Atomically adds ``val`` to ``*pointer``; returns the old values."""
    return _atomic("atomic_add", pointer, val, mask, sem, scope)


@builtin
def atomic_max(pointer: Any, val: Any, mask: Any = None, sem: Any = None, scope: Any = None):
    """Atomic maximum (unsigned for unsigned pointees); returns the old values."""
    return _atomic("atomic_max", pointer, val, mask, sem, scope)


@builtin
def atomic_min(pointer: Any, val: Any, mask: Any = None, sem: Any = None, scope: Any = None):
    """Atomic minimum (unsigned for unsigned pointees); returns the old values."""
    return _atomic("atomic_min", pointer, val, mask, sem, scope)


@builtin
def atomic_and(pointer: Any, val: Any, mask: Any = None, sem: Any = None, scope: Any = None):
    return _atomic("atomic_and", pointer, val, mask, sem, scope)


@builtin
def atomic_or(pointer: Any, val: Any, mask: Any = None, sem: Any = None, scope: Any = None):
    return _atomic("atomic_or", pointer, val, mask, sem, scope)


@builtin
def atomic_xor(pointer: Any, val: Any, mask: Any = None, sem: Any = None, scope: Any = None):
    return _atomic("atomic_xor", pointer, val, mask, sem, scope)


@builtin
def atomic_xchg(pointer: Any, val: Any, mask: Any = None, sem: Any = None, scope: Any = None):
    """Atomically stores ``val``; returns the old values."""
    return _atomic("atomic_xchg", pointer, val, mask, sem, scope)


@builtin
def atomic_cas(pointer: Any, cmp: Any, val: Any, sem: Any = None, scope: Any = None) -> tensor:
    """Atomically stores ``val`` where memory holds ``cmp``; returns the old values."""
    b = current_builder()
    sem_, scope_ = _sem_scope("tl.atomic_cas", sem, scope)
    ptr, (c, v), _ = _operands(b, "tl.atomic_cas", pointer, [cmp, val], None)
    _check_type("tl.atomic_cas", ptr.dtype.element_ty, "cas")
    return _emit(
        b,
        f"tile.atomic_cas {sem_}, {scope_}, {ptr.handle}, {c.handle}, {v.handle} : "
        f"{ptr.type.to_ir()}",
        v.type,
    )


# ---------------------------------------------------------------------------
# trans / permute
# ---------------------------------------------------------------------------
def _permute(b: Any, x: Any, dims: Any) -> tensor:
    x = semantic.to_tensor(b, x)
    rank = len(x.shape)
    if rank == 0:
        raise ValueError("cannot transpose a scalar")
    order = []
    for d in dims:
        d = _unwrap(d)
        if isinstance(d, tensor) or not isinstance(d, int) or isinstance(d, bool):
            raise TypeError(f"permutation dims must be constexpr integers, got {d!r}")
        order.append(d)
    if sorted(order) != list(range(rank)):
        raise ValueError(
            f"dims {order} are not a permutation of the {rank} dimensions of a tensor "
            f"of shape {list(x.shape)}"
        )
    if order == list(range(rank)):
        return x
    ty = block_type(x.dtype, [x.shape[d] for d in order])
    return _emit(
        b,
        f"tile.trans {x.handle}, [{', '.join(map(str, order))}] : "
        f"{x.type.to_ir()} -> {ty.to_ir()}",
        ty,
    )


def _dims(dims: tuple) -> list:
    if len(dims) == 1 and isinstance(_unwrap(dims[0]), (tuple, list)):
        return list(_unwrap(dims[0]))
    return list(dims)


@builtin
def trans(input: Any, *dims: Any) -> tensor:
    """Transposes a 2-D block; with ``dims``, permutes (as ``tl.permute``)."""
    b = current_builder()
    x = semantic.to_tensor(b, input)
    d = _dims(dims)
    if not d:
        if len(x.shape) != 2:
            raise ValueError(
                f"tl.trans without dims needs a 2-D block, got shape {list(x.shape)}"
            )
        d = [1, 0]
    return _permute(b, x, d)


@builtin
def permute(input: Any, *dims: Any) -> tensor:
    """Permutes the dimensions of ``input``: result dim i is input dim dims[i]."""
    return _permute(current_builder(), input, _dims(dims))


# ---------------------------------------------------------------------------
# misc
# ---------------------------------------------------------------------------
@builtin
def debug_barrier() -> None:
    """Synchronizes the threads of a program (``tile.barrier``)."""
    current_builder().emit("tile.barrier")


@builtin
def umulhi(x: Any, y: Any) -> tensor:
    """The high N bits of the unsigned 2N-bit product of N-bit integers
    (N = 32 or 64, as Triton's)."""
    b = current_builder()
    x, y = semantic.binary_operands(b, x, y)
    if not x.dtype.is_int() or x.dtype.int_bitwidth not in (32, 64):
        raise TypeError(f"tl.umulhi expects 32- or 64-bit integers, got {x.dtype}")
    name = b.fresh()
    b.emit(
        f"{name}:2 = arith.mului_extended {x.handle}, {y.handle} : {x.type.to_ir()}"
    )
    return tensor(f"{name}#1", x.type)


tensor.T = property(lambda self: trans(self))  # type: ignore[attr-defined]
tensor.trans = trans  # type: ignore[attr-defined]
tensor.permute = permute  # type: ignore[attr-defined]
