"""The ``tl.*`` functions kernels call (besides math, see math.py)."""

from __future__ import annotations

import builtins as _py
import enum
from typing import Any

from . import blocks, reduction, semantic, tileops
from .core import _unwrap, builtin, current_builder, dtype, int1, tensor

__all__ = [
    "program_id",
    "num_programs",
    "arange",
    "load",
    "store",
    "zeros",
    "zeros_like",
    "full",
    "full_like",
    "where",
    "minimum",
    "maximum",
    "clamp",
    "cdiv",
    "cast",
    "broadcast_to",
    "broadcast",
    "expand_dims",
    "reshape",
    "join",
    "split",
    "interleave",
    "cat",
    "view",
    "ravel",
    "multiple_of",
    "max_contiguous",
    "max_constancy",
    "assume",
    "static_assert",
    "static_print",
    "static_range",
    "range",
    "PropagateNan",
    "sigmoid",
    "UNSUPPORTED",
]


class PropagateNan(enum.Enum):
    NONE = 0x0000
    ALL = 0xFFFF


def _constexpr_int(name: str, value: Any) -> int:
    value = _unwrap(value)
    if isinstance(value, tensor):
        raise TypeError(
            f"{name} must be a compile-time constant (tl.constexpr), "
            f"got a runtime {value.dtype} value"
        )
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    return value


def _dtype(value: Any, what: str) -> dtype:
    value = _unwrap(value)
    if not isinstance(value, dtype):
        raise TypeError(f"{what} must be a tl.dtype, got {value!r}")
    return value


@builtin
def program_id(axis: Any) -> tensor:
    """Index of this program along grid ``axis`` (0, 1 or 2)."""
    return tileops.program_id(current_builder(), _constexpr_int("program_id's axis", axis))


@builtin
def num_programs(axis: Any) -> tensor:
    """Number of programs along grid ``axis``."""
    return tileops.program_id(
        current_builder(), _constexpr_int("num_programs' axis", axis), "num_programs"
    )


#: Triton's bound on the elements of one tensor (2^20).
TRITON_MAX_TENSOR_NUMEL = 1048576


@builtin
def to_tensor(x: Any) -> tensor:
    """A Python number as a 0-d tensor (a tensor is returned as it is), of
    Triton's type for it: int1 for bools, int32 for ints that fit (int64 or
    uint64 otherwise), float32 (float64 past its range)."""
    return semantic.to_tensor(current_builder(), x)


@builtin
def arange(start: Any, end: Any = None) -> tensor:
    """``[start, end)`` as an int32 block; the bounds are constexpr and
    ``end - start`` is a power of two."""
    start, end = _unwrap(start), _unwrap(end)
    if end is None:
        start, end = 0, start
    return tileops.arange(current_builder(), start, end)


@builtin
def load(
    pointer: Any,
    mask: Any = None,
    other: Any = None,
    boundary_check: Any = (),
    padding_option: Any = "",
    cache_modifier: Any = "",
    eviction_policy: Any = "",
    volatile: Any = False,
) -> tensor:
    """Loads ``*pointer`` where ``mask`` holds, ``other`` elsewhere.
    ``cache_modifier`` (".ca", ".cg", ".cv") and ``eviction_policy``
    ("evict_first", "evict_last") become PTX qualifiers on NVIDIA (hints other
    targets ignore); ``volatile`` reads memory every time."""
    hints = tileops.memory_hints(cache_modifier, eviction_policy, False, volatile)
    if isinstance(_unwrap(pointer), blocks.block_pointer):
        if mask is not None or other is not None:
            raise ValueError("`mask` and `other` cannot be used with block pointers: use "
                             "boundary_check and padding_option")
        return blocks.load_block(_unwrap(pointer), boundary_check, padding_option, hints)
    if _unwrap(boundary_check) or _unwrap(padding_option):
        raise ValueError("boundary_check and padding_option need a block pointer "
                         "(tl.make_block_ptr)")
    return tileops.load(current_builder(), pointer, mask, other, hints)


@builtin
def store(
    pointer: Any,
    value: Any,
    mask: Any = None,
    boundary_check: Any = (),
    cache_modifier: Any = "",
    eviction_policy: Any = "",
) -> None:
    """Stores ``value`` (converted to the pointee type) where ``mask`` holds;
    ``cache_modifier`` (".wb", ".cg", ".cs", ".wt") and ``eviction_policy``
    as for ``load``."""
    hints = tileops.memory_hints(cache_modifier, eviction_policy, True)
    if isinstance(_unwrap(pointer), blocks.block_pointer):
        if mask is not None:
            raise ValueError("`mask` cannot be used with block pointers: use boundary_check")
        blocks.store_block(_unwrap(pointer), value, boundary_check, hints)
        return
    if _unwrap(boundary_check):
        raise ValueError("boundary_check needs a block pointer (tl.make_block_ptr)")
    tileops.store(current_builder(), pointer, value, mask, hints)


@builtin
def full(shape: Any, value: Any, dtype: Any) -> tensor:
    """A block of ``shape`` (constexpr, powers of two) filled with ``value``."""
    shape = _unwrap(shape)
    dims = () if shape in ((), []) else semantic.as_shape(shape)
    return tileops.full(current_builder(), dims, value, _dtype(dtype, "full's dtype"))


@builtin
def zeros(shape: Any, dtype: Any) -> tensor:
    return full(shape, 0, dtype)


@builtin
def zeros_like(input: Any) -> tensor:
    input = semantic.to_tensor(current_builder(), input)
    return full(input.shape, 0, input.dtype)


@builtin
def full_like(input: Any, value: Any, dtype: Any = None) -> tensor:
    input = semantic.to_tensor(current_builder(), input)
    return full(input.shape, value, input.dtype if _unwrap(dtype) is None else dtype)


@builtin
def where(condition: Any, x: Any, y: Any) -> tensor:
    """``x`` where ``condition`` is true, ``y`` elsewhere (both evaluated)."""
    return semantic.where(current_builder(), _unwrap(condition), _unwrap(x), _unwrap(y))


def _propagate(propagate_nan: Any) -> bool:
    return _unwrap(propagate_nan) in (PropagateNan.ALL, True)


@builtin
def minimum(x: Any, y: Any, propagate_nan: Any = PropagateNan.NONE) -> tensor:
    return semantic.minmax(current_builder(), "min", x, y, _propagate(propagate_nan))


@builtin
def maximum(x: Any, y: Any, propagate_nan: Any = PropagateNan.NONE) -> tensor:
    return semantic.minmax(current_builder(), "max", x, y, _propagate(propagate_nan))


@builtin
def clamp(x: Any, min: Any, max: Any, propagate_nan: Any = PropagateNan.NONE) -> tensor:
    return minimum(maximum(x, min, propagate_nan), max, propagate_nan)


@builtin
def cdiv(x: Any, div: Any) -> Any:
    """``ceil(x / div)`` for integers; constexpr in, constexpr out."""
    x, div = _unwrap(x), _unwrap(div)
    return (x + div - 1) // div


@builtin
def sigmoid(x: Any) -> tensor:
    from .math import exp

    return 1 / (1 + exp(-semantic.to_tensor(current_builder(), x)))


@builtin
def cast(input: Any, dtype: Any, fp_downcast_rounding: Any = None, bitcast: Any = False) -> tensor:
    b = current_builder()
    return semantic.to_tensor(b, input).to(dtype, fp_downcast_rounding, bitcast)


@builtin
def broadcast_to(input: Any, *shape: Any) -> tensor:
    b = current_builder()
    if len(shape) == 1 and isinstance(_unwrap(shape[0]), (tuple, list)):
        shape = tuple(_unwrap(shape[0]))
    return semantic.broadcast_to(b, semantic.to_tensor(b, input), semantic.as_shape(shape))


@builtin
def broadcast(input: Any, other: Any) -> tuple[tensor, tensor]:
    b = current_builder()
    x, y = semantic.broadcast_values(b, semantic.to_tensor(b, input), semantic.to_tensor(b, other))
    return x, y


@builtin
def expand_dims(input: Any, axis: Any) -> tensor:
    b = current_builder()
    axes = _unwrap(axis)
    x = semantic.to_tensor(b, input)
    if isinstance(axes, (tuple, list)):
        # As Triton: each axis indexes the result (negative from its end).
        rank = len(x.shape) + len(axes)
        normalized = []
        for a in axes:
            a = _constexpr_int("expand_dims' axis", a)
            if not -rank <= a < rank:
                raise ValueError(f"invalid axis {a}: expected {-rank} <= axis < {rank} "
                                 f"for a result of rank {rank}")
            normalized.append(a % rank)
        if len(set(normalized)) != len(normalized):
            raise ValueError(f"expand_dims received duplicate axes, normalized axes = {normalized}")
        for a in sorted(normalized):
            x = semantic.expand_dims(b, x, a)
        return x
    return semantic.expand_dims(b, x, _constexpr_int("expand_dims' axis", axes))


def _shape_args(shape: tuple) -> Any:
    """``f(x, (2, 3))`` or ``f(x, 2, 3)``."""
    if len(shape) == 1 and isinstance(_unwrap(shape[0]), (tuple, list)):
        return tuple(_unwrap(shape[0]))
    return shape


@builtin
def reshape(input: Any, *shape: Any, can_reorder: Any = False) -> tensor:
    """``input`` with a new shape (constexpr, powers of two, the same element
    count); elements keep their row-major order.  ``can_reorder`` is accepted
    and ignored: the order is always kept."""
    b = current_builder()
    return semantic.reshape(b, semantic.to_tensor(b, input), _shape_args(shape))


@builtin
def view(input: Any, *shape: Any) -> tensor:
    """As ``reshape`` (Triton's ``view`` may reorder elements; tessel never does)."""
    b = current_builder()
    return semantic.reshape(b, semantic.to_tensor(b, input), _shape_args(shape))


@builtin
def ravel(x: Any, can_reorder: Any = False) -> tensor:
    """``x`` as a 1-D block, in row-major order."""
    b = current_builder()
    x = semantic.to_tensor(b, x)
    return semantic.reshape(b, x, (x.numel,))


@builtin
def join(a: Any, b: Any) -> tensor:
    """``a`` and ``b`` stacked along a new last dimension of size 2."""
    return semantic.join(current_builder(), a, b)


@builtin
def split(a: Any) -> tuple[tensor, tensor]:
    """The two halves of ``a`` along its last dimension, which must be 2; a
    block of shape ``(2,)`` gives two scalars, as in Triton."""
    b = current_builder()
    x = semantic.to_tensor(b, a)
    if tuple(x.shape) != (2,):
        return semantic.split(b, x)
    # tile.split makes blocks: split a (1, 2) block, then take each (1,)
    # half's only element with a reduction (as Triton does).
    halves = semantic.split(b, semantic.expand_dims(b, x, 0))
    return tuple(reduction.only_element(b, h) for h in halves)  # type: ignore[return-value]


@builtin
def interleave(a: Any, b: Any) -> tensor:
    """``a`` and ``b`` interleaved along their last dimension (two scalars
    give the block ``[a, b]``, as in Triton)."""
    bld = current_builder()
    j = semantic.join(bld, a, b)
    if len(j.shape) == 1:  # two scalars
        return j
    shape = tuple(j.shape[:-2]) + (j.shape[-2] * 2,)
    return semantic.reshape(bld, j, shape)


@builtin
def cat(input: Any, other: Any, can_reorder: Any = False) -> tensor:
    """Concatenation along the first dimension in some order: like Triton,
    only ``can_reorder=True`` is supported (the elements come interleaved)."""
    if not bool(getattr(can_reorder, "value", can_reorder)):
        raise ValueError(
            "tl.cat needs can_reorder=True (the order of the result is unspecified, "
            "as in Triton); use tl.join/tl.interleave for a defined order")
    bld = current_builder()
    j = semantic.join(bld, input, other)
    shape = (j.shape[0] * 2,) + tuple(j.shape[1:-1])
    return semantic.reshape(bld, j, shape)


def _hint(name: str, attr: str, input: Any, values: Any) -> Any:
    """Emits ``tile.hint`` with one power of two per dimension of ``input``."""
    b = current_builder()
    x = semantic.to_tensor(b, input)
    values = _unwrap(values)
    vals = list(values) if isinstance(values, (list, tuple)) else [values]
    rank = max(1, len(x.shape))
    if len(vals) == 1 and rank > 1:
        vals = vals * rank
    if len(vals) != rank:
        raise ValueError(
            f"tl.{name}: {len(vals)} values for a value of rank {rank} (shape {list(x.shape)})"
        )
    powers = []
    for d, v in enumerate(_unwrap(v) for v in vals):
        if isinstance(v, tensor) or not isinstance(v, int) or isinstance(v, bool) or v < 1:
            raise TypeError(f"tl.{name}'s values must be positive constexpr integers, got {v!r}")
        p = v & -v  # a multiple of 48 is a multiple of 16; runs of 12 hold runs of 4
        if attr != "divisibility" and x.shape:
            p = _py.min(p, x.shape[d])
        powers.append(p)
    return semantic._emit(
        b,
        f"tile.hint {x.handle} {{{attr} = array<i64: {', '.join(map(str, powers))}>}} : "
        f"{x.type.to_ir()}",
        x.type,
    )


@builtin
def multiple_of(input: Any, values: Any) -> Any:
    """Asserts that ``input`` (or the first value of each contiguous run) is
    a multiple of ``values`` (one per dimension, or one for all)."""
    return _hint("multiple_of", "divisibility", input, values)


@builtin
def max_contiguous(input: Any, values: Any) -> Any:
    """Asserts that ``input`` holds runs of ``values`` consecutive integers."""
    return _hint("max_contiguous", "contiguity", input, values)


@builtin
def max_constancy(input: Any, values: Any) -> Any:
    """Asserts that ``input`` holds runs of ``values`` equal values."""
    return _hint("max_constancy", "constancy", input, values)


@builtin
def assume(cond: Any) -> None:
    """Lets the optimizer take ``cond`` (every element) as true."""
    b = current_builder()
    c = _unwrap(cond)
    if not isinstance(c, tensor):
        if not c:
            raise AssertionError("tl.assume of a constant false condition")
        return
    c = semantic.cast(b, c, int1)
    b.emit(f"tile.assume {c.handle} : {c.type.to_ir()}")


@builtin
def static_assert(cond: Any, msg: Any = "") -> None:
    """Fails compilation when the constexpr ``cond`` is false."""
    cond = _unwrap(cond)
    if isinstance(cond, tensor):
        raise TypeError("static_assert's condition must be a compile-time constant")
    if not cond:
        raise AssertionError(
            f"static_assert failed: {_unwrap(msg)}" if msg else "static_assert failed"
        )


@builtin
def static_print(*values: Any, sep: str = " ", end: str = "\n") -> None:
    """Prints at compile time."""
    print(*(_unwrap(v) for v in values), sep=sep, end=end)


class static_range:
    """``for i in tl.static_range(...)``: the loop is unrolled at compile time;
    the bounds must be constexpr and ``i`` is a constexpr in each copy."""

    def __init__(self, arg1: Any, arg2: Any = None, step: Any = None) -> None:
        args = [arg1] if _unwrap(arg2) is None else [arg1, arg2]
        if _unwrap(step) is not None:
            args.append(step)
        self.values = _py.range(*(_constexpr_int("static_range's bounds", a) for a in args))

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.values)


class range:
    """``for i in tl.range(...)`` (or Python's ``range``): an ``scf.for`` loop.
    Bounds may be runtime scalars; a runtime step must be positive, a
    constexpr step may be negative (counts down, as in Triton).
    ``num_stages=N`` is the loop's own pipelining depth (the kernel's
    ``num_stages`` elsewhere; 1 turns pipelining off for the loop);
    ``warp_specialize=True`` asks for a producer warp that issues the loop's
    TMA copies (Hopper rings of host tensor descriptors' blocks; elsewhere
    no effect); ``loop_unroll_factor`` and other options are accepted and
    ignored."""

    def __init__(
        self,
        arg1: Any,
        arg2: Any = None,
        step: Any = None,
        num_stages: Any = None,
        loop_unroll_factor: Any = None,
        warp_specialize: Any = False,
        **_ignored: Any,
    ) -> None:
        if _unwrap(arg2) is None:
            arg1, arg2 = 0, arg1
        self.start, self.end = _unwrap(arg1), _unwrap(arg2)
        self.step = 1 if _unwrap(step) is None else _unwrap(step)
        warp_specialize = _unwrap(warp_specialize)
        if not isinstance(warp_specialize, bool):
            raise TypeError(f"warp_specialize must be a constexpr bool, got {warp_specialize!r}")
        self.warp_specialize = warp_specialize
        num_stages = _unwrap(num_stages)
        if num_stages is not None and (isinstance(num_stages, bool)
                                       or not isinstance(num_stages, int) or num_stages < 1):
            raise ValueError(f"num_stages must be a positive constexpr int, got {num_stages!r}")
        self.num_stages: int | None = num_stages


def _unsupported(name: str) -> Any:
    @builtin
    def stub(*args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(f"tl.{name} is not supported by tessel yet")

    stub.__name__ = name
    stub.__qualname__ = name
    return stub


# Triton's tensor member functions: x.reshape(...), x.view(...), x.ravel().
tensor.reshape = reshape  # type: ignore[attr-defined]
tensor.view = view  # type: ignore[attr-defined]
tensor.ravel = ravel  # type: ignore[attr-defined]


#: Triton functions outside this slice; calling them reports a clear error.
UNSUPPORTED = {
    name: _unsupported(name)
    for name in (
        "dot_scaled",
    )
}
