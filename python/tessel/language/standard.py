"""Triton's ``tl.standard`` functions built from other builtins:
``softmax`` and ``swizzle2d``."""

from __future__ import annotations

from typing import Any

from . import semantic
from .core import _unwrap, builtin, current_builder, tensor

__all__ = ["softmax", "swizzle2d"]


@builtin
def softmax(x: Any, dim: Any = None, keep_dims: Any = False, ieee_rounding: Any = False) -> tensor:
    """exp(x - max) / sum(exp(x - max)) along ``dim`` (the last by default)."""
    from .math import exp
    from .reduction import max as tl_max
    from .reduction import sum as tl_sum

    b = current_builder()
    x = semantic.to_tensor(b, x)
    if not x.shape:
        raise ValueError("tl.softmax needs a block")
    d = _unwrap(dim)
    axis = len(x.shape) - 1 if d is None else d
    z = semantic.sub(b, x, tl_max(x, axis, keep_dims=True))
    num = exp(z)
    den = tl_sum(num, axis, keep_dims=True)
    return semantic.truediv(b, num, den, ieee_rounding=bool(_unwrap(ieee_rounding)))


@builtin
def swizzle2d(i: Any, j: Any, size_i: Any, size_j: Any, size_g: Any) -> tuple[tensor, tensor]:
    """Maps a row-major (i, j) grid position to one that walks groups of
    ``size_g`` rows column by column (better L2 reuse), as Triton's."""
    b = current_builder()
    s = semantic
    ij = s.add(b, s.mul(b, i, size_j), j)
    size_gj = s.mul(b, size_g, size_j)
    group_id = s.floordiv(b, ij, size_gj)
    off_i = s.mul(b, group_id, size_g)
    size_g = s.minmax(b, "min", s.sub(b, size_i, off_i), size_g, False)
    ij = s.mod(b, ij, size_gj)
    new_i = s.add(b, off_i, s.mod(b, ij, size_g))
    new_j = s.floordiv(b, ij, size_g)
    return new_i, new_j
