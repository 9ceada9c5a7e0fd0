"""Element permutations along one axis: ``tl.flip``, ``tl.sort`` and
``tl.gather``.

``flip`` and every step of ``sort`` are one op, ``tile.xor_permute``: result
index ``i`` along the axis reads source index ``i ^ mask``.  The compiler keeps
it in registers when the mask's bits are register bits of the layout and moves
through shared memory otherwise.  ``sort`` is a bitonic network of
compare-exchange steps against such partners; ``gather`` is ``tile.gather``.
"""

from __future__ import annotations

from typing import Any

from . import semantic
from .core import _unwrap, block_type, builtin, current_builder, int1, int32, tensor
from .semantic import _emit
from .tileops import arange

__all__ = ["flip", "sort", "gather"]


def _axis(name: str, x: tensor, dim: Any) -> int:
    dim = _unwrap(dim)
    rank = len(x.shape)
    if rank == 0:
        raise ValueError(f"tl.{name} needs a block, got a scalar")
    if dim is None:
        return rank - 1
    if isinstance(dim, tensor) or not isinstance(dim, int) or isinstance(dim, bool):
        raise TypeError(f"tl.{name}'s dim must be a constexpr integer, got {dim!r}")
    if not -rank <= dim < rank:
        raise ValueError(f"tl.{name}: dim {dim} is out of range for shape {list(x.shape)}")
    return dim % rank


def _xor_permute(b: Any, x: tensor, axis: int, mask: int) -> tensor:
    return _emit(
        b,
        f"tile.xor_permute {x.handle} axis = {axis} mask = {mask} : {x.type.to_ir()}",
        x.type,
    )


def _position(b: Any, shape: tuple[int, ...], axis: int) -> tensor:
    """Each element's index along ``axis``, as an int32 block of ``shape``."""
    pos = arange(b, 0, shape[axis])
    for d in range(len(shape)):
        if d != axis:
            pos = semantic.expand_dims(b, pos, d)
    return semantic.broadcast_to(b, pos, shape)


@builtin
def flip(x: Any, dim: Any = None) -> tensor:
    """Reverses ``x`` along ``dim`` (the last one by default); the size along
    it must be a power of two."""
    b = current_builder()
    x = semantic.to_tensor(b, x)
    axis = _axis("flip", x, dim)
    n = x.shape[axis]
    if n & (n - 1):
        raise ValueError(f"tl.flip needs a power-of-two size along dim {axis}, got {n}")
    return x if n == 1 else _xor_permute(b, x, axis, n - 1)


@builtin
def sort(x: Any, dim: Any = None, descending: Any = False) -> tensor:
    """Sorts ``x`` along ``dim`` (the last one by default), ascending unless
    ``descending``.  Integers compare by their signedness; NaNs stay where a
    comparison leaves them, as in Triton."""
    b = current_builder()
    x = semantic.to_tensor(b, x)
    axis = _axis("sort", x, dim)
    desc = _unwrap(descending)
    if isinstance(desc, tensor):
        raise TypeError("tl.sort's descending must be a constexpr bool")
    n = x.shape[axis]
    if n & (n - 1):
        raise ValueError(f"tl.sort needs a power-of-two size along dim {axis}, got {n}")
    if n == 1:
        return x
    if x.dtype.is_ptr():
        raise TypeError("tl.sort cannot sort pointers")
    shape = tuple(x.shape)
    pos = _position(b, shape, axis)
    stages = n.bit_length() - 1
    for stage in range(1, stages + 1):
        # Blocks of 2**stage elements are merged; within the last stage the
        # direction is the requested one, before it blocks alternate.
        if stage == stages:
            block_desc = semantic.constant(b, bool(desc), int1)
        else:
            bit = semantic.bitwise(b, "and", pos, 1 << stage)
            block_desc = semantic.compare(b, "ne", bit, 0)
        for step in reversed(range(stage)):
            partner = _xor_permute(b, x, axis, 1 << step)
            lower = semantic.compare(
                b, "eq", semantic.bitwise(b, "and", pos, 1 << step), 0
            )
            # The lower element of a pair keeps the smaller value in an
            # ascending block; comparisons that fail (NaN) keep x.
            keep_small = semantic.bitwise(b, "xor", lower, block_desc)
            smaller = semantic.where(b, semantic.compare(b, "lt", partner, x), partner, x)
            larger = semantic.where(b, semantic.compare(b, "gt", partner, x), partner, x)
            x = semantic.where(b, keep_small, smaller, larger)
    return x


@builtin
def gather(src: Any, index: Any, axis: Any) -> tensor:
    """``out[..., i, ...] = src[..., index[..., i, ...], ...]`` along ``axis``.
    ``index`` has ``src``'s rank and shape except along ``axis``; indices out
    of range are undefined behaviour, as in Triton."""
    b = current_builder()
    src = semantic.to_tensor(b, src)
    index = semantic.to_tensor(b, index)
    if not index.dtype.is_int() or index.dtype.is_bool():
        raise TypeError(f"tl.gather's index must be integers, got {index.dtype}")
    if len(src.shape) == 0 or len(src.shape) != len(index.shape):
        raise ValueError(
            f"tl.gather: source and index must be blocks of the same rank, got shapes "
            f"{list(src.shape)} and {list(index.shape)}"
        )
    ax = _axis("gather", src, axis)
    for d, (s, i) in enumerate(zip(src.shape, index.shape)):
        if d != ax and s != i:
            raise ValueError(
                f"tl.gather: source and index must agree on every dimension but "
                f"axis {ax}, got shapes {list(src.shape)} and {list(index.shape)}"
            )
    ty = block_type(src.dtype, index.shape)
    return _emit(
        b,
        f"tile.gather {src.handle}[{index.handle}] axis = {ax} : {src.type.to_ir()}, "
        f"{index.type.to_ir()} -> {ty.to_ir()}",
        ty,
    )


tensor.sort = sort  # type: ignore[attr-defined]
tensor.flip = flip  # type: ignore[attr-defined]
