"""Triton's tensor member functions that forward to free functions:
``x.cast(tl.int32, bitcast=True)``, ``x.exp()``, ``ptr.atomic_add(v)``,
``a.split()``, ``x.gather(idx, 0)``, ...  (``x.to``, the reductions, scans,
``reshape``/``view``/``trans``/``permute``/``sort``/``flip`` are registered
beside their definitions.)"""

from __future__ import annotations

from typing import Any, Callable

from . import atomics, builtins, math, permutation, standard
from .core import tensor

__all__ = ["MEMBER_FUNCTIONS"]

#: the free functions that are also ``tl.tensor`` methods (the tensor is
#: their first argument), as Triton marks them with ``_tensor_member_fn``
MEMBER_FUNCTIONS: tuple[Callable[..., Any], ...] = (
    builtins.cast,
    builtins.expand_dims,
    builtins.split,
    builtins.join,
    builtins.interleave,
    builtins.zeros_like,
    builtins.cdiv,
    builtins.sigmoid,
    standard.softmax,
    permutation.gather,
    atomics.atomic_add,
    atomics.atomic_max,
    atomics.atomic_min,
    atomics.atomic_and,
    atomics.atomic_or,
    atomics.atomic_xor,
    atomics.atomic_xchg,
    atomics.atomic_cas,
    atomics.umulhi,
    math.exp,
    math.exp2,
    math.log,
    math.log2,
    math.log1p,
    math.expm1,
    math.sqrt,
    math.sqrt_rn,
    math.rsqrt,
    math.sin,
    math.cos,
    math.tan,
    math.erf,
    math.tanh,
    math.floor,
    math.ceil,
    math.abs,
    math.fma,
    math.div_rn,
    math.fdiv,
)

for _fn in MEMBER_FUNCTIONS:
    if not hasattr(tensor, _fn.__name__):
        setattr(tensor, _fn.__name__, _fn)
del _fn
