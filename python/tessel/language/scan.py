"""Scans: ``tl.cumsum``, ``tl.cumprod`` and ``tl.associative_scan`` with a
``@tessel.jit`` combine function.  All of them emit ``tile.scan``::

    %r = tile.scan(%x) axis = 0 reverse = false : (tensor<1024xf32>) -> tensor<1024xf32> {
      ^bb0(%acc0: f32, %elem1: f32):
        %2 = arith.addf %acc0, %elem1 : f32
        tile.reduce.return %2 : f32
    }

The scan is inclusive; ``reverse=True`` scans from the end.  The combine
region is built as for ``tile.reduce`` (see reduction.py).

Types follow Triton: ``cumsum`` of integers narrower than 32 bits
accumulates in ``int32``/``uint32``, bfloat16 becomes float32 (``cumsum``
and ``cumprod``).  float16 is scanned in float32 and rounded back.
"""

from __future__ import annotations

from typing import Any, Sequence

from . import semantic
from .core import _unwrap, builtin, current_builder, float32, tensor
from .reduction import (
    Combine,
    _numeric,
    _sum_dtype,
    combiner_inputs,
    emit_combiner_op,
    normalize_axis,
    user_combiner,
)

__all__ = ["cumsum", "cumprod", "associative_scan"]


def scan_axis(
    b: Any, inputs: list[tensor], axis: int, reverse: bool, combine: Combine
) -> list[tensor]:
    """One ``tile.scan`` of ``inputs`` (blocks of one shape) along ``axis``."""
    attrs = f"axis = {axis} reverse = {'true' if reverse else 'false'}"
    return emit_combiner_op(b, "tile.scan", inputs, attrs, [x.type for x in inputs], combine)


def scan_values(
    b: Any, inputs: Sequence[Any], axis: Any, reverse: Any, combine: Combine
) -> list[tensor]:
    xs = combiner_inputs(b, inputs, "scanned")
    shape = xs[0].shape
    for x in xs:
        if not x.type.is_block():
            raise ValueError("a scan needs a block, got a scalar")
    if _unwrap(axis) is None:
        raise ValueError("a scan needs an axis (None is not allowed)")
    ax = normalize_axis(axis, len(shape))
    rev = _unwrap(reverse)
    if isinstance(rev, tensor):
        raise TypeError("reverse must be a compile-time constant (tl.constexpr)")
    return scan_axis(b, xs, ax, bool(rev), combine)


def _float_scan(b: Any, x: tensor) -> tuple[tensor, Any]:
    """bf16 -> f32 (kept, as Triton); f16 computed in f32, rounded back."""
    if x.dtype.is_bf16():
        x = semantic.cast(b, x, float32)
    result_ty = x.dtype
    if x.dtype.is_fp16():
        x = semantic.cast(b, x, float32)
    return x, result_ty


@builtin
def cumsum(input: Any, axis: Any = 0, reverse: Any = False, dtype: Any = None) -> tensor:
    """Inclusive prefix sum along ``axis``.  Integers narrower than 32 bits
    are summed as int32/uint32; ``dtype`` converts the input first."""
    b = current_builder()
    x = _numeric(b, "cumsum", input)
    if x.dtype.is_bf16():
        x = semantic.cast(b, x, float32)
    out_ty = _sum_dtype(x.dtype, dtype)
    if out_ty is not None:
        x = semantic.cast(b, x, out_ty)
    x, result_ty = _float_scan(b, x)

    def combine(args: list[tensor]) -> list[tensor]:
        return [semantic.add(b, args[0], args[1])]

    r = scan_values(b, [x], axis, reverse, combine)[0]
    return semantic.cast(b, r, result_ty)


@builtin
def cumprod(input: Any, axis: Any = 0, reverse: Any = False) -> tensor:
    """Inclusive prefix product along ``axis`` (in the input's type)."""
    b = current_builder()
    x = _numeric(b, "cumprod", input)
    x, result_ty = _float_scan(b, x)

    def combine(args: list[tensor]) -> list[tensor]:
        return [semantic.mul(b, args[0], args[1])]

    r = scan_values(b, [x], axis, reverse, combine)[0]
    return semantic.cast(b, r, result_ty)


@builtin
def associative_scan(input: Any, axis: Any, combine_fn: Any, reverse: Any = False) -> Any:
    """Inclusive scan of ``input`` (a tensor, or a tuple of tensors of one
    shape) along ``axis`` with ``combine_fn``, a ``@tessel.jit`` function of
    2N scalars (N accumulators, then N elements) returning N scalars.  It
    should be associative."""
    b = current_builder()
    inputs, single, combine = user_combiner(b, "tl.associative_scan", input, combine_fn)
    results = scan_values(b, inputs, axis, reverse, combine)
    return results[0] if single else tuple(results)


for _fn in (cumsum, cumprod, associative_scan):
    setattr(tensor, _fn.__name__, _fn)
del _fn
