"""Element permutations along one axis: ``tl.flip``, ``tl.sort``,
``tl.topk`` and ``tl.gather``.

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

__all__ = ["flip", "sort", "topk", "gather"]


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
    stages = n.bit_length() - 1
    for stage in range(1, stages + 1):
        # Blocks of 2**stage elements are merged; within the last stage the
        # direction is the requested one, before it blocks alternate.
        x = bitonic_merge(b, x, axis, stage, bool(desc) if stage == stages else None)
    return x


@builtin
def topk(x: Any, k: Any, dim: Any = None) -> tensor:
    """The ``k`` largest elements of ``x`` along ``dim`` (the last one by
    default), largest first: the shape is ``x``'s with ``k`` along ``dim``.

    Triton's bitonic top-k: runs of ``k`` are sorted (alternating
    directions), then, ``log2(n / k)`` times, neighbouring runs are reduced
    to their elementwise maximum (which holds the top ``k`` of both, as a
    bitonic run) and merged again; the last merge is descending.  ``k`` and
    the size along ``dim`` are powers of two, ``k`` at most that size."""
    from .reduction import reduce_values

    b = current_builder()
    x = semantic.to_tensor(b, x)
    axis = _axis("topk", x, dim)
    k = _unwrap(k)
    n = x.shape[axis]
    if isinstance(k, tensor) or not isinstance(k, int) or isinstance(k, bool):
        raise TypeError(f"tl.topk's k must be a constexpr integer, got {k!r}")
    if n & (n - 1) or k <= 0 or k & (k - 1) or k > n:
        raise ValueError(
            f"tl.topk needs powers of two k <= n, got k = {k} and n = {n} along dim {axis}"
        )
    if x.dtype.is_ptr():
        raise TypeError("tl.topk cannot order pointers")
    log_k, log_n = k.bit_length() - 1, n.bit_length() - 1
    for stage in range(1, log_k + 1):
        x = bitonic_merge(b, x, axis, stage, True if stage == log_n else None)

    def larger(args: list[tensor]) -> list[tensor]:
        return [semantic.minmax(b, "max", args[0], args[1], propagate_nan=False)]

    for level in range(log_k + 1, log_n + 1):
        m = x.shape[axis]
        pairs = x.shape[:axis] + (m // (2 * k), 2, k) + x.shape[axis + 1:]
        x = reduce_values(b, [semantic.reshape(b, x, pairs)], axis + 1, larger)[0]
        x = semantic.reshape(b, x, x.shape[:axis] + (m // 2,) + x.shape[axis + 2:])
        x = bitonic_merge(b, x, axis, log_k, True if level == log_n else None)
    return x


def bitonic_merge(b: Any, x: tensor, axis: int, stage: int, descending: bool | None) -> tensor:
    """Sorts each bitonic run of ``2**stage`` elements along ``axis`` with
    ``stage`` compare-exchange steps: all in one direction, or (``descending``
    None) alternating, run ``r`` descending when ``r`` is odd."""
    pos = _position(b, tuple(x.shape), axis)
    if descending is not None:
        block_desc = semantic.constant(b, descending, int1)
    else:
        bit = semantic.bitwise(b, "and", pos, 1 << stage)
        block_desc = semantic.compare(b, "ne", bit, 0)
    for step in reversed(range(stage)):
        partner = _xor_permute(b, x, axis, 1 << step)
        lower = semantic.compare(b, "eq", semantic.bitwise(b, "and", pos, 1 << step), 0)
        # The lower element of a pair keeps the smaller value in an
        # ascending block; comparisons that fail (NaN) keep x.
        keep_small = semantic.bitwise(b, "xor", lower, block_desc)
        x = semantic.where(b, keep_small, _pick(b, "lt", x, partner), _pick(b, "gt", x, partner))
    return x


def _pick(b: Any, kind: str, x: tensor, partner: tensor) -> tensor:
    """``partner`` where it compares ``kind`` against ``x``, else ``x``."""
    return semantic.where(b, semantic.compare(b, kind, partner, x), partner, x)


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
tensor.topk = topk  # type: ignore[attr-defined]
