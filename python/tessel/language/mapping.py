"""``tl.map_elementwise``: a scalar ``@jit`` function mapped over blocks.

Triton builds a region that runs the function once per element (or per
``pack`` elements).  Tessel inlines the function on whole blocks instead:
arithmetic is elementwise already, and an ``if`` (or conditional expression)
on a per-element value runs both branches and selects with ``where``, so the
function may branch and return early per element.  Loops whose trip count
depends on an element, and side effects inside such branches, are not
supported.  With ``pack = p`` the function receives, for each argument, ``p``
neighbouring elements along the last dimension (``a0 .. a{p-1}, b0 ..``) and
returns ``p`` values per result, in the same grouping.
"""

from __future__ import annotations

from typing import Any

from . import semantic
from .core import _unwrap, builtin, current_builder, tensor

__all__ = ["map_elementwise"]


def _unpack(b: Any, x: tensor, bits: int) -> list[tensor]:
    """The ``2**bits`` slices of ``x`` (whose last ``bits`` dimensions are 2)
    by the index they spell, the last dimension being the lowest bit."""
    if bits == 0:
        return [x]
    even, odd = semantic.split(b, x)
    lo, hi = _unpack(b, even, bits - 1), _unpack(b, odd, bits - 1)
    return [(hi if j & 1 else lo)[j >> 1] for j in range(1 << bits)]


def _pack(b: Any, parts: list[tensor]) -> tensor:
    """The inverse of ``_unpack``."""
    if len(parts) == 1:
        return parts[0]
    return semantic.join(b, _pack(b, parts[0::2]), _pack(b, parts[1::2]))


@builtin
def map_elementwise(scalar_fn: Any, *args: Any, pack: Any = 1) -> Any:
    """Applies ``scalar_fn`` (a ``@tessel.jit`` function of scalars) to the
    elements of ``args`` (broadcast to one shape); returns a tensor, or a
    tuple when the function returns a tuple."""
    b = current_builder()
    pack = _unwrap(pack)
    if not getattr(scalar_fn, "__tessel_jit__", False):
        raise TypeError("tl.map_elementwise's scalar_fn must be a @tessel.jit function")
    if isinstance(pack, tensor) or not isinstance(pack, int) or pack < 1 or pack & (pack - 1):
        raise ValueError(f"tl.map_elementwise's pack must be a power of two, got {pack!r}")
    if not args:
        raise TypeError("tl.map_elementwise needs at least one argument")
    xs = [semantic.to_tensor(b, _unwrap(a)) for a in args]
    shape = semantic.broadcast_shapes(*(x.shape for x in xs))
    xs = [semantic.broadcast_to(b, x, shape) for x in xs]
    bits = pack.bit_length() - 1
    if bits:
        if not shape or shape[-1] % pack:
            raise ValueError(
                f"tl.map_elementwise with pack={pack} needs a last dimension divisible by "
                f"{pack}, got shape {list(shape)}"
            )
        grouped = shape[:-1] + (shape[-1] // pack,) + (2,) * bits
        fn_args = [p for x in xs for p in _unpack(b, semantic.reshape(b, x, grouped), bits)]
    else:
        fn_args = xs
    if b.inline is None:
        raise RuntimeError("tl.map_elementwise can only be called from a kernel")
    b.select_branches += 1
    try:
        result = _unwrap(b.inline(scalar_fn, fn_args))
    finally:
        b.select_branches -= 1
    values = list(result) if isinstance(result, tuple) else [result]
    if result is None or len(values) % pack:
        raise TypeError(
            f"tl.map_elementwise: with pack={pack} the function must return a multiple of "
            f"{pack} values, got {result!r}"
        )
    part_shape = fn_args[0].shape
    values = [semantic.broadcast_to(b, semantic.to_tensor(b, _unwrap(v)), part_shape)
              for v in values]
    if bits:
        values = [semantic.reshape(b, _pack(b, values[i:i + pack]), shape)
                  for i in range(0, len(values), pack)]
    return tuple(values) if isinstance(result, tuple) else values[0]
