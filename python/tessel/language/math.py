"""``tl.math``: elementwise math.  Arguments must be floating point (16-bit
floats are computed in fp32 and rounded back), except for ``abs``."""

from __future__ import annotations

from typing import Any, Callable

from . import semantic
from .builtins import cdiv, maximum, minimum, sigmoid
from .core import builtin, current_builder, tensor

__all__ = [
    "exp",
    "exp2",
    "log",
    "log2",
    "sqrt",
    "rsqrt",
    "sin",
    "cos",
    "tan",
    "erf",
    "tanh",
    "floor",
    "ceil",
    "abs",
    "fma",
    "cdiv",
    "sigmoid",
    "maximum",
    "minimum",
    "log1p",
    "expm1",
    "div_rn",
    "fdiv",
]


def _unary(name: str, doc: str) -> Callable[[Any], tensor]:
    @builtin
    def fn(x: Any) -> tensor:
        return semantic.math_unary(current_builder(), name, x)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise {doc} (``math.{name}``)."
    return fn


exp = _unary("exp", "e**x")
exp2 = _unary("exp2", "2**x")
log = _unary("log", "natural logarithm")
log2 = _unary("log2", "base-2 logarithm")
log1p = _unary("log1p", "log(1 + x)")
expm1 = _unary("expm1", "exp(x) - 1")
sqrt = _unary("sqrt", "square root")
rsqrt = _unary("rsqrt", "1 / sqrt(x)")
sin = _unary("sin", "sine")
cos = _unary("cos", "cosine")
tan = _unary("tan", "tangent")
erf = _unary("erf", "error function")
tanh = _unary("tanh", "hyperbolic tangent")
floor = _unary("floor", "floor")
ceil = _unary("ceil", "ceiling")


@builtin
def abs(x: Any) -> tensor:
    """Elementwise absolute value (floats and integers)."""
    return semantic.abs_(current_builder(), x)


@builtin
def fma(x: Any, y: Any, z: Any) -> tensor:
    """Elementwise ``x * y + z`` with a single rounding."""
    return semantic.fma(current_builder(), x, y, z)


@builtin
def div_rn(x: Any, y: Any) -> tensor:
    """Floating-point division rounded to nearest (IEEE)."""
    return semantic.truediv(current_builder(), x, y, ieee_rounding=True)


@builtin
def fdiv(x: Any, y: Any, ieee_rounding: Any = False) -> tensor:
    """Floating-point division; approximate for float32 unless
    ``ieee_rounding``."""
    return semantic.truediv(current_builder(), x, y,
                            ieee_rounding=bool(getattr(ieee_rounding, "value", ieee_rounding)))


@builtin
def sqrt_rn(x: Any) -> tensor:
    """Square root rounded to nearest (IEEE); ``sqrt`` already is on every
    target, so the two agree."""
    return sqrt(x)
