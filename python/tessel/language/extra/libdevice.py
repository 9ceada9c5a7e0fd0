"""Triton's ``libdevice`` functions (``from tessel.language.extra import
libdevice``).

Each is ``tl.extern_elementwise`` on the libdevice symbol (``__nv_powf`` for
float32, ``__nv_pow`` for float64); the compiler maps the name to OCML on AMD
and to libm on the CPU.  Predicates (``isnan``, ``isinf``, ``isfinite``,
``signbit``) and bit counts (``popc``, ``clz``) are built from MLIR ops, so
they work on every target without a library.
"""

from __future__ import annotations

from typing import Any

from .. import semantic
from ..core import (
    builtin,
    current_builder,
    float32,
    dtype,
    float64,
    int32,
    tensor,
)
from ..extern import extern_elementwise

# name -> number of float arguments.  Every function here exists in
# libdevice, OCML and glibc's libm, except where _NOT_ON_CPU says otherwise.
_FLOAT_FUNCTIONS = {
    1: (
        "acos acosh asin asinh atan atanh cbrt ceil cos cosh erf erfc erfcinv "
        "erfinv exp exp10 exp2 expm1 fabs floor j0 j1 lgamma log log10 log1p "
        "log2 logb nearbyint rcbrt rint round rsqrt sin sinh sinpi cospi sqrt "
        "tan tanh tgamma trunc y0 y1 normcdf normcdfinv"
    ).split(),
    2: "atan2 copysign fdim fmax fmin fmod hypot nextafter pow remainder".split(),
    3: ["fma"],
}
#: Functions glibc lacks; on the CPU target the kernel fails to link.
_NOT_ON_CPU = {"erfcinv", "erfinv", "rcbrt", "rsqrt", "sinpi", "cospi", "normcdf", "normcdfinv"}


def _float_function(name: str, arity: int) -> Any:
    table = {
        tuple([float32] * arity): (f"__nv_{name}f", float32),
        tuple([float64] * arity): (f"__nv_{name}", float64),
    }

    @builtin
    def fn(*args: Any) -> tensor:
        if len(args) != arity:
            raise TypeError(f"libdevice.{name} takes {arity} argument(s), got {len(args)}")
        return extern_elementwise("libdevice", "", list(args), table, True)

    fn.__name__ = fn.__qualname__ = name
    note = " (not in glibc: NVIDIA and AMD only)" if name in _NOT_ON_CPU else ""
    fn.__doc__ = f"libdevice's {name} on float32/float64{note}."
    return fn


for _arity, _names in _FLOAT_FUNCTIONS.items():
    for _name in _names:
        globals()[_name] = _float_function(_name, _arity)

# Triton's aliases.
abs = globals()["fabs"]  # noqa: A001 - Triton's name
del _arity, _names, _name


def _fast(name: str, base: str, arity: int) -> Any:
    table = {tuple([float32] * arity): (f"__nv_fast_{base}f", float32)}

    @builtin
    def fn(*args: Any) -> tensor:
        return extern_elementwise("libdevice", "", list(args), table, True)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"NVIDIA's fast float32 {base} (the plain function elsewhere)."
    return fn


fast_expf = _fast("fast_expf", "exp", 1)
fast_exp10f = _fast("fast_exp10f", "exp10", 1)
fast_logf = _fast("fast_logf", "log", 1)
fast_log2f = _fast("fast_log2f", "log2", 1)
fast_log10f = _fast("fast_log10f", "log10", 1)
fast_sinf = _fast("fast_sinf", "sin", 1)
fast_cosf = _fast("fast_cosf", "cos", 1)
fast_tanf = _fast("fast_tanf", "tan", 1)
fast_powf = _fast("fast_powf", "pow", 2)


@builtin
def fast_dividef(x: Any, y: Any) -> tensor:
    """x / y, fast (``/`` already is on float32)."""
    return semantic.truediv(current_builder(), x, y)


@builtin
def div_rn(x: Any, y: Any) -> tensor:
    """IEEE round-to-nearest division."""
    return semantic.truediv(current_builder(), x, y, ieee_rounding=True)


@builtin
def pow_int(x: Any, y: Any) -> tensor:
    """x ** y for a float x and an integer y (``__nv_powif``)."""
    b = current_builder()
    x = semantic.to_tensor(b, x)
    return extern_elementwise(
        "libdevice", "", [x, semantic.cast(b, semantic.to_tensor(b, y), int32)],
        {(float32, int32): ("__nv_powif", float32), (float64, int32): ("__nv_powi", float64)},
        True,
    )


powi = pow_int


def _float_operand(name: str, x: Any) -> tensor:
    b = current_builder()
    x = semantic.to_tensor(b, x)
    if not x.dtype.is_floating():
        raise TypeError(f"libdevice.{name} expects floats, got {x.dtype}")
    return x


def _as_int32(b: Any, cond: tensor) -> tensor:
    return semantic.cast(b, cond, int32)


@builtin
def isnan(x: Any) -> tensor:
    """1 where x is NaN, else 0 (int32, as libdevice)."""
    x = _float_operand("isnan", x)
    b = current_builder()
    return _as_int32(b, semantic.compare(b, "ne", x, x))


@builtin
def isinf(x: Any) -> tensor:
    """1 where x is +-inf, else 0 (int32)."""
    x = _float_operand("isinf", x)
    b = current_builder()
    ax = semantic.abs_(b, x)
    return _as_int32(b, semantic.compare(b, "eq", ax, float("inf")))


@builtin
def isfinite(x: Any) -> tensor:
    """1 where x is neither NaN nor +-inf, else 0 (int32)."""
    x = _float_operand("isfinite", x)
    b = current_builder()
    ax = semantic.abs_(b, x)
    return _as_int32(b, semantic.compare(b, "lt", ax, float("inf")))


finitef = isfinite


@builtin
def signbit(x: Any) -> tensor:
    """1 where x's sign bit is set (also -0.0 and negative NaNs), else 0."""
    x = _float_operand("signbit", x)
    b = current_builder()
    bits = x.dtype.primitive_bitwidth
    as_int = semantic.cast(b, x, dtype(f"int{bits}"), bitcast=True)
    return _as_int32(b, semantic.compare(b, "lt", as_int, 0))


def _bit_count(name: str, op: str) -> Any:
    @builtin
    def fn(x: Any) -> tensor:
        b = current_builder()
        x = semantic.to_tensor(b, x)
        if not x.dtype.is_int() or x.dtype.primitive_bitwidth not in (32, 64):
            raise TypeError(f"libdevice.{name} expects 32- or 64-bit integers, got {x.dtype}")
        r = semantic._emit(b, f"{op} {x.handle} : {x.type.to_ir()}", x.type)
        return semantic.cast(b, r, int32)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"{name} of 32/64-bit integers (int32 result, as libdevice)."
    return fn


popc = _bit_count("popc", "math.ctpop")
popcll = popc
clz = _bit_count("clz", "math.ctlz")
clzll = clz

__all__ = sorted(
    n for n, v in globals().items() if getattr(v, "__tessel_builtin__", False)
)
