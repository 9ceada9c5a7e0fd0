"""Tile ops: program ids, ranges, filled blocks, masked loads and stores."""

from __future__ import annotations

from typing import Any

from .core import _unwrap, block_type, dtype, int8, int32, pointer_type, tensor
from .semantic import (
    _emit,
    _materialize,
    _with_scalar,
    broadcast_shapes,
    broadcast_to,
    broadcast_values,
    cast,
    compare,
    constant,
    splat,
    to_tensor,
    validate_block_shape,
)

__all__ = ["program_id", "arange", "full", "load", "store"]


_AXES = ("x", "y", "z")


def program_id(b: Any, axis: int, op: str = "program_id") -> tensor:
    if axis not in (0, 1, 2):
        raise ValueError(f"{op} axis must be 0, 1, or 2 but got {axis!r}")
    return _emit(b, f"tile.{op} {_AXES[axis]} : i32", int32)


def arange(b: Any, start: int, end: int) -> tensor:
    for v in (start, end):
        if isinstance(v, tensor):
            raise TypeError(
                "arange's arguments must be compile-time constants (tl.constexpr), "
                f"got a runtime {v.dtype} value"
            )
        if not isinstance(v, int) or isinstance(v, bool):
            raise TypeError(f"arange's arguments must be integers, got {v!r}")
    if end <= start:
        raise ValueError(f"arange's end ({end}) must be greater than its start ({start})")
    n = end - start
    if n & (n - 1):
        raise ValueError(f"arange's range must be a power of 2, got {n} ({start} to {end})")
    validate_block_shape((n,))
    ty = block_type(int32, (n,))
    return _emit(b, f"tile.make_range {start} to {end} : {ty.to_ir()}", ty)


def full(b: Any, shape: tuple[int, ...], value: Any, ty: dtype) -> tensor:
    value = _unwrap(value)
    if isinstance(value, tensor):
        if value.type.is_block():
            raise ValueError("full's value must be a scalar")
        v = cast(b, value, ty)
        return splat(b, v, shape) if shape else v
    return constant(b, value, block_type.make(ty, shape))


def _memory_type(ptr: tensor) -> tuple[dtype, dtype]:
    """(element type, type in memory: bytes for booleans) of ``ptr``."""
    ptr_ty = ptr.dtype if isinstance(ptr, tensor) else None
    if not isinstance(ptr_ty, pointer_type):
        what = ptr_ty if ptr_ty is not None else repr(ptr)
        raise TypeError(f"expected a pointer or a tensor of pointers, got {what}")
    elt = ptr_ty.element_ty
    return elt, (int8 if elt.is_bool() else elt)


def _mask(b: Any, mask: Any) -> tensor | None:
    if mask is None:
        return None
    mask = to_tensor(b, mask)
    if not mask.dtype.is_bool():
        raise TypeError(f"mask must be a boolean (int1) tensor, got {mask.dtype}")
    return mask


#: Triton's cache modifiers (tile::CacheModifier codes) and eviction policies.
LOAD_CACHE_MODIFIERS = {"": 0, ".ca": 1, ".cg": 2, ".cv": 4}
STORE_CACHE_MODIFIERS = {"": 0, ".wb": 5, ".cg": 2, ".cs": 3, ".wt": 6}
EVICTION_POLICIES = {"": 0, "evict_normal": 0, "evict_first": 1, "evict_last": 2}


def memory_hints(cache_modifier: Any, eviction_policy: Any, is_store: bool,
                 volatile: Any = False) -> str:
    """The attribute dictionary text of a load's or store's hints (Triton's
    names and errors); empty when there are none."""
    cache_modifier, eviction_policy = _unwrap(cache_modifier), _unwrap(eviction_policy)
    table = STORE_CACHE_MODIFIERS if is_store else LOAD_CACHE_MODIFIERS
    if cache_modifier not in table:
        raise ValueError(f"Cache modifier {cache_modifier} not supported")
    if eviction_policy not in EVICTION_POLICIES:
        raise ValueError(f"Eviction policy {eviction_policy} not supported")
    attrs = []
    if table[cache_modifier]:
        attrs.append(f"cache = {table[cache_modifier]} : i32")
    if EVICTION_POLICIES[eviction_policy]:
        attrs.append(f"evict = {EVICTION_POLICIES[eviction_policy]} : i32")
    if _unwrap(volatile):
        attrs.append("isVolatile")
    return f" {{{', '.join(attrs)}}}" if attrs else ""


def load(b: Any, ptr: Any, mask: Any = None, other: Any = None, hints: str = "",
         tensormap: tuple[Any, list[Any]] | None = None) -> tensor:
    """``tensormap``: (a host descriptor's tensor map, the block's i32
    coordinates) when ``ptr`` and ``mask`` are exactly that block."""
    ptr, mask, other = _unwrap(ptr), _unwrap(mask), _unwrap(other)
    elt, mem = _memory_type(ptr)
    if mask is None and other is not None:
        raise ValueError("load: `other` requires `mask`")
    operands = [ptr]
    if mask is not None:
        operands.append(_mask(b, mask))
        if other is not None:
            shape = broadcast_shapes(ptr.shape, operands[1].shape)
            operands.append(cast(b, _materialize(b, other, elt, shape), mem))
    operands = broadcast_values(b, *operands)
    ptr = operands[0]
    ty = _with_scalar(ptr.type, mem)
    handles = ", ".join(o.handle for o in operands)
    if tensormap is not None:
        tmap, coords = tensormap
        handles += f" tensormap {tmap.handle}[{', '.join(c.handle for c in coords)}]"
    result = _emit(b, f"tile.load {handles}{hints} : {ptr.type.to_ir()}", ty)
    return compare(b, "ne", result, 0) if elt.is_bool() else result


def store(b: Any, ptr: Any, value: Any, mask: Any = None, hints: str = "") -> None:
    ptr, value, mask = _unwrap(ptr), _unwrap(value), _unwrap(mask)
    elt, mem = _memory_type(ptr)
    if ptr.dtype.is_const():  # a tl.const parameter, or a pointer made from one
        raise ValueError(f"Cannot store to a constant pointer (a {ptr.dtype!r}, from a "
                         "tl.const parameter)")
    if isinstance(value, int) and not isinstance(value, bool) and elt.is_int() \
            and not elt.is_bool():
        # A Python int takes the pointee type; one that does not fit wraps,
        # as Triton's int32/int64 constant truncated to the pointee does.
        value &= (1 << elt.int_bitwidth) - 1
    value = cast(b, _materialize(b, value, elt, ptr.shape), mem)
    mask = _mask(b, mask)
    extra = [m for m in (mask,) if m is not None]
    if ptr.type.is_block():
        value = broadcast_to(b, value, ptr.shape)
        extra = [broadcast_to(b, m, ptr.shape) for m in extra]
    elif value.type.is_block() or any(m.type.is_block() for m in extra):
        raise ValueError(
            "store: the value and the mask cannot be blocks when the pointer is a scalar"
        )
    handles = ", ".join(o.handle for o in [ptr, value, *extra])
    b.emit(f"tile.store {handles}{hints} : {ptr.type.to_ir()}")
