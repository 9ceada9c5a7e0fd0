"""Triton's block pointers (``tl.make_block_ptr``, ``tl.advance``, ``load`` and
``store`` with ``boundary_check``) and in-kernel tensor descriptors
(``tl.make_tensor_descriptor``, ``desc.load``/``desc.store``).

Both describe a block of a strided N-d tensor: a base pointer, the tensor's
shape and strides, and the block's offsets and (constexpr) shape. Tessel
lowers them in the frontend to what Triton code without them would write:
``base + sum_d (offset_d + arange(block_d)) * stride_d`` with a mask of the
bounds, then an ordinary ``tile.load``/``tile.store``. A constexpr stride of
1 keeps the accesses contiguous for the axis analysis (16-byte vectors and,
on Hopper, the cp.async rings), as Triton's descriptors require of the last
dimension. A host descriptor TMA can read also brings its tensor map
(``runtime/tensormap.py``): its loads name it and their block's coordinates,
so that Hopper's ring copies the block with TMA instead.
"""

from __future__ import annotations

from typing import Any, Sequence

from . import semantic, tileops
from .core import _unwrap, builtin, current_builder, int32, tensor

__all__ = [
    "advance",
    "block_pointer",
    "load_block",
    "load_tensor_descriptor",
    "make_block_ptr",
    "make_tensor_descriptor",
    "store_block",
    "store_tensor_descriptor",
    "tensor_descriptor",
]

PADDINGS = ("", "zero", "nan")


class _TensorMapType:
    """The type of a host descriptor's tensor map parameter (no values are
    computed from it)."""

    name = "tensormap"

    def to_ir(self) -> str:
        return "!tile.tensormap"

    def __repr__(self) -> str:
        return "tensormap"


TENSORMAP_TYPE = _TensorMapType()


def _ints(name: str, values: Any) -> tuple[int, ...]:
    values = _unwrap(values)
    if not isinstance(values, (tuple, list)):
        values = (values,)
    out = tuple(_unwrap(v) for v in values)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in out):
        raise TypeError(f"{name} must be compile-time ints, got {list(out)}")
    return out


def _values(name: str, values: Any, rank: int) -> tuple[Any, ...]:
    values = _unwrap(values)
    if not isinstance(values, (tuple, list)):
        values = (values,)
    out = tuple(_unwrap(v) for v in values)
    if len(out) != rank:
        raise ValueError(f"{name} has {len(out)} entries; the block has {rank} dimensions")
    for v in out:
        if not (isinstance(v, tensor) and v.dtype.is_int() and not v.type.is_block()) and not (
            isinstance(v, int) and not isinstance(v, bool)
        ):
            raise TypeError(f"{name} must be integers (scalars), got {v!r}")
    return out


def _check_base(base: Any) -> tensor:
    base = _unwrap(base)
    if not isinstance(base, tensor) or not base.dtype.is_ptr() or base.type.is_block():
        raise TypeError(f"the base must be a scalar pointer, got {base!r}")
    return base


def _block_access(
    base: tensor,
    shape: Sequence[Any],
    strides: Sequence[Any],
    offsets: Sequence[Any],
    block_shape: Sequence[int],
    checked: Sequence[int],
) -> tuple[tensor, tensor | None]:
    """(pointers, mask) of a block: dimension d's indices are offsets[d] +
    arange(block_shape[d]); the mask keeps 0 <= index < shape[d] along the
    ``checked`` dimensions (None when none is checked)."""
    b = current_builder()
    rank = len(block_shape)
    ptrs: Any = base
    mask: Any = None
    for d, n in enumerate(block_shape):
        idx = semantic.add(b, tileops.arange(b, 0, n), offsets[d])
        for axis in range(rank):  # idx along d: shape [1, .., n, .., 1]
            if axis != d:
                idx = semantic.expand_dims(b, idx, axis)
        ptrs = semantic.add(b, ptrs, semantic.mul(b, idx, strides[d]))
        if d in checked:
            inside = semantic.bitwise(
                b, "and", semantic.compare(b, "ge", idx, 0), semantic.compare(b, "lt", idx, shape[d])
            )
            mask = inside if mask is None else semantic.bitwise(b, "and", mask, inside)
    ptrs = semantic.broadcast_to(b, ptrs, tuple(block_shape))
    if mask is not None:
        mask = semantic.broadcast_to(b, mask, tuple(block_shape))
    return ptrs, mask


def _padding(padding: str, elt: Any) -> Any:
    if padding == "nan":
        if not elt.is_floating():
            raise ValueError(f"padding_option 'nan' needs a floating-point block, not {elt}")
        return float("nan")
    return 0


def _check_padding(padding: Any) -> str:
    padding = _unwrap(padding) or ""
    if padding not in PADDINGS:
        raise ValueError(f"padding_option must be 'zero' or 'nan', got {padding!r}")
    return padding


# ---------------------------------------------------------------------------
# block pointers
# ---------------------------------------------------------------------------
class block_pointer:
    """What ``tl.make_block_ptr`` returns: a compile-time description whose
    offsets are runtime int32 scalars (``tl.advance`` moves them; loops may
    carry the pointer, which carries the offsets)."""

    def __init__(self, base: tensor, shape: tuple, strides: tuple, offsets: tuple,
                 block_shape: tuple[int, ...], order: tuple[int, ...]) -> None:
        self.base, self.shape, self.strides = base, shape, strides
        self.offsets, self.block_shape, self.order = offsets, block_shape, order

    @property
    def dtype(self) -> Any:
        return self.base.dtype

    # Loop-carrying (compiler.control): only the offsets change.
    def _leaves(self) -> list[tensor]:
        return list(self.offsets)

    def _with_leaves(self, leaves: Sequence[tensor]) -> "block_pointer":
        return block_pointer(self.base, self.shape, self.strides, tuple(leaves),
                             self.block_shape, self.order)

    def _same_frame(self, other: Any) -> bool:
        return (isinstance(other, block_pointer) and other.base is self.base
                and other.shape == self.shape and other.strides == self.strides
                and other.block_shape == self.block_shape)

    @builtin
    def advance(self, offsets: Any) -> "block_pointer":
        """``ptr.advance(offsets)``, Triton's member form of ``tl.advance``."""
        return advance(self, offsets)

    def __repr__(self) -> str:
        return f"block_pointer<{self.base.dtype.element_ty}, {list(self.block_shape)}>"


@builtin
def make_block_ptr(base: Any, shape: Any, strides: Any, offsets: Any, block_shape: Any,
                   order: Any) -> block_pointer:
    """A pointer to the block of ``block_shape`` at ``offsets`` in the tensor
    of ``shape`` and ``strides`` at ``base`` (Triton's signature). ``order``
    (the dimensions from fastest to slowest) is checked and otherwise a hint."""
    b = current_builder()
    base = _check_base(base)
    block = _ints("block_shape", block_shape)
    rank = len(block)
    order_ = _ints("order", order)
    if sorted(order_) != list(range(rank)):
        raise ValueError(f"order must be a permutation of 0..{rank - 1}, got {list(order_)}")
    shape_ = _values("shape", shape, rank)
    strides_ = _values("strides", strides, rank)
    offs = tuple(semantic.to_tensor(b, v) if isinstance(v, tensor) else semantic.constant(b, v, int32)
                 for v in _values("offsets", offsets, rank))
    for n in block:
        if n <= 0 or n & (n - 1):
            raise ValueError(f"block_shape entries must be powers of two, got {list(block)}")
    return block_pointer(base, shape_, strides_, offs, block, order_)


@builtin
def advance(base: Any, offsets: Any) -> block_pointer:
    """The block pointer moved by ``offsets`` (one integer per dimension)."""
    base = _unwrap(base)
    if not isinstance(base, block_pointer):
        raise TypeError(f"tl.advance needs a block pointer (tl.make_block_ptr), got {base!r}")
    b = current_builder()
    deltas = _values("offsets", offsets, len(base.block_shape))
    moved = tuple(semantic.add(b, o, d) for o, d in zip(base.offsets, deltas))
    return base._with_leaves(moved)


def _checked_dims(boundary_check: Any, rank: int) -> tuple[int, ...]:
    dims = _ints("boundary_check", boundary_check or ())
    for d in dims:
        if not 0 <= d < rank:
            raise ValueError(f"boundary_check dimension {d} is out of range for a {rank}-d block")
    return dims


def load_block(ptr: block_pointer, boundary_check: Any, padding_option: Any, hints: str) -> tensor:
    """``tl.load`` of a block pointer: elements outside the tensor along the
    ``boundary_check`` dimensions read ``padding_option`` (zero, or NaN)."""
    checked = _checked_dims(boundary_check, len(ptr.block_shape))
    padding = _check_padding(padding_option)
    ptrs, mask = _block_access(ptr.base, ptr.shape, ptr.strides, ptr.offsets, ptr.block_shape,
                               checked)
    other = None if mask is None else _padding(padding, ptr.base.dtype.element_ty)
    return tileops.load(current_builder(), ptrs, mask, other, hints)


def store_block(ptr: block_pointer, value: Any, boundary_check: Any, hints: str) -> None:
    """``tl.store`` through a block pointer: elements outside the tensor along
    the ``boundary_check`` dimensions are not written."""
    checked = _checked_dims(boundary_check, len(ptr.block_shape))
    ptrs, mask = _block_access(ptr.base, ptr.shape, ptr.strides, ptr.offsets, ptr.block_shape,
                               checked)
    value = _unwrap(value)
    if isinstance(value, tensor) and value.type.is_block() and value.shape != ptr.block_shape:
        raise ValueError(
            f"the value's shape {list(value.shape)} is not the block's {list(ptr.block_shape)}"
        )
    tileops.store(current_builder(), ptrs, value, mask, hints)


# ---------------------------------------------------------------------------
# tensor descriptors
# ---------------------------------------------------------------------------
class tensor_descriptor:
    """What ``tl.make_tensor_descriptor`` returns: blocks of ``block_shape``
    loaded or stored at runtime offsets, bounds-checked along every
    dimension (out-of-bounds elements read the padding, zero or NaN, and
    are not written)."""

    def __init__(self, base: tensor, shape: tuple, strides: tuple, block_shape: tuple[int, ...],
                 padding: str, tensormap: tensor | None = None) -> None:
        self.base, self.shape, self.strides = base, shape, strides
        self.block_shape, self.padding = block_shape, padding
        self.tensormap = tensormap

    @property
    def dtype(self) -> Any:
        return self.base.dtype.element_ty

    @property
    def block_type(self) -> Any:
        from .core import block_type
        return block_type(self.dtype, self.block_shape)

    @builtin
    def load(self, offsets: Any) -> tensor:
        offs = _values("offsets", offsets, len(self.block_shape))
        b = current_builder()
        ptrs, mask = _block_access(self.base, self.shape, self.strides, offs, self.block_shape,
                                   range(len(self.block_shape)))
        tma = None
        if self.tensormap is not None:
            tma = (self.tensormap, [semantic.to_tensor(b, o, int32) for o in offs])
        return tileops.load(b, ptrs, mask, _padding(self.padding, self.dtype), tensormap=tma)

    @builtin
    def store(self, offsets: Any, value: Any) -> None:
        offs = _values("offsets", offsets, len(self.block_shape))
        ptrs, mask = _block_access(self.base, self.shape, self.strides, offs, self.block_shape,
                                   range(len(self.block_shape)))
        value = _unwrap(value)
        if isinstance(value, tensor) and value.shape != self.block_shape:
            raise ValueError(
                f"the value's shape {list(value.shape)} is not the block's "
                f"{list(self.block_shape)}"
            )
        tileops.store(current_builder(), ptrs, value, mask)

    def __repr__(self) -> str:
        return f"tensor_descriptor<{self.dtype}, {list(self.block_shape)}>"


@builtin
def make_tensor_descriptor(base: Any, shape: Any, strides: Any, block_shape: Any,
                           padding_option: Any = "zero") -> tensor_descriptor:
    """A descriptor of the tensor of ``shape`` and ``strides`` at ``base``,
    for blocks of ``block_shape`` (Triton's signature; the last stride must
    be the constant 1, as Triton requires)."""
    base = _check_base(base)
    block = _ints("block_shape", block_shape)
    rank = len(block)
    shape_ = _values("shape", shape, rank)
    strides_ = _values("strides", strides, rank)
    if not (isinstance(strides_[-1], int) and strides_[-1] == 1):
        raise ValueError(f"Tensor descriptor last dim must be 1 but got {strides_[-1]!r}")
    for n in block:
        if n <= 0 or n & (n - 1):
            raise ValueError(f"block_shape entries must be powers of two, got {list(block)}")
    padding = _check_padding(padding_option) or "zero"
    return tensor_descriptor(base, shape_, strides_, block, padding)


@builtin
def load_tensor_descriptor(desc: Any, offsets: Any) -> tensor:
    return _unwrap(desc).load(offsets)


@builtin
def store_tensor_descriptor(desc: Any, offsets: Any, value: Any) -> None:
    _unwrap(desc).store(offsets, value)

