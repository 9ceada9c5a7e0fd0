"""Conversions of float formats the targets lack native ops for, in integer
arithmetic: float8e4nv (E4M3, no infinities, one NaN), float8e5 (E5M2),
float8e4b15 (E4M3 with bias 15: every code finite, largest 1.875), and
round-toward-zero to float16/bfloat16.

A float8 value lives in the IR as its byte (``i8``).  Decoding is exact;
encoding rounds to nearest-even (or toward zero) with saturation to the
largest finite value, NaN staying NaN, as PTX's ``cvt.rn.satfinite`` does.
Everything here is ``arith`` on int32/float32 blocks, so it is exact and the
same on every target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .core import dtype, float32, int32, uint32, tensor


@dataclass(frozen=True)
class Format:
    bits: int  # total width
    mantissa: int  # stored mantissa bits
    bias: int
    max_finite: int  # encoding of the largest finite magnitude
    nan: int | None  # encoding of the canonical NaN (sign bit clear); None: no NaN
    inf: int | None  # encoding of +inf, if the format has one
    saturate: bool  # overflow (and inf, under rtne) gives max_finite


FORMATS = {
    "fp8e4nv": Format(8, 3, 7, 0x7E, 0x7F, None, True),
    "fp8e5": Format(8, 2, 15, 0x7B, 0x7F, 0x7C, True),
    # Triton's float8e4b15: no NaN and no infinities; NaN and +-inf saturate.
    "fp8e4b15": Format(8, 3, 15, 0x7F, None, None, True),
    "fp16": Format(16, 10, 15, 0x7BFF, 0x7E00, 0x7C00, False),
    "bf16": Format(16, 7, 127, 0x7F7F, 0x7FC0, 0x7F80, False),
}


class _Ops:
    """Small arith emitter over blocks (or scalars) of one shape."""

    def __init__(self, b: Any, like: tensor) -> None:
        from . import semantic

        self.s = semantic
        self.b = b
        self.like = like

    def const(self, v: int, ty: dtype = int32) -> tensor:
        return self.s.constant(self.b, v, ty)

    def bin(self, kind: str, x: Any, y: Any) -> tensor:
        return self.s.bitwise(self.b, kind, x, y)

    def add(self, x: Any, y: Any) -> tensor:
        return self.s.add(self.b, x, y)

    def sub(self, x: Any, y: Any) -> tensor:
        return self.s.sub(self.b, x, y)

    def cmp(self, kind: str, x: Any, y: Any) -> tensor:
        return self.s.compare(self.b, kind, x, y)

    def select(self, c: tensor, x: Any, y: Any) -> tensor:
        return self.s.where(self.b, c, x, y)

    def cast(self, x: tensor, ty: dtype, bitcast: bool = False) -> tensor:
        return self.s.cast(self.b, x, ty, bitcast=bitcast)


def decode(b: Any, x: tensor, fmt_name: str) -> tensor:
    """The float32 value of each float8 (or other listed format) element."""
    f = FORMATS[fmt_name]
    o = _Ops(b, x)
    exp_bits = f.bits - 1 - f.mantissa
    raw = o.cast(o.cast(x, dtype(f"uint{f.bits}"), bitcast=True), uint32)
    raw = o.cast(raw, int32, bitcast=True)
    sign = o.bin("shl", o.bin("shr", raw, f.bits - 1), 31)
    exp = o.bin("and", o.bin("shr", raw, f.mantissa), (1 << exp_bits) - 1)
    mant = o.bin("and", raw, (1 << f.mantissa) - 1)
    normal = o.bin(
        "or",
        o.bin("or", sign, o.bin("shl", o.add(exp, 127 - f.bias), 23)),
        o.bin("shl", mant, 23 - f.mantissa),
    )
    # Subnormals: mant * 2**(1 - bias - mantissa), exact in float32.
    scale = 2.0 ** (1 - f.bias - f.mantissa)
    sub_mag = o.s.mul(b, o.cast(mant, float32), o.s.constant(b, scale, float32))
    sub = o.bin("or", o.cast(sub_mag, int32, bitcast=True), sign)
    result = o.select(o.cmp("eq", exp, 0), sub, normal)
    top = (1 << exp_bits) - 1
    nan = o.bin("or", sign, 0x7FC00000)
    if f.nan is not None and f.inf is None:  # E4M3FN: only s.1111.111 is special (NaN)
        special = o.s.logical(
            b, "and", o.cmp("eq", exp, top), o.cmp("eq", mant, (1 << f.mantissa) - 1)
        )
        result = o.select(special, nan, result)
    elif f.inf is not None:  # E5M2, fp16, bf16 (float8e4b15 has no special codes)
        inf = o.bin("or", sign, 0x7F800000)
        result = o.select(o.cmp("eq", exp, top), o.select(o.cmp("eq", mant, 0), inf, nan), result)
    return o.cast(result, float32, bitcast=True)


def encode(b: Any, x: tensor, fmt_name: str, rounding: str) -> tensor:
    """float32 elements rounded into the format (``rtne`` or ``rtz``); the
    result has the format's dtype (float8) or its bits in a float16/bfloat16."""
    f = FORMATS[fmt_name]
    o = _Ops(b, x)
    u = o.cast(x, int32, bitcast=True)
    sign = o.bin("and", o.bin("shr", o.cast(u, uint32, bitcast=True), 31), 1)
    sign = o.cast(sign, int32, bitcast=True)
    a = o.bin("and", u, 0x7FFFFFFF)
    is_nan = o.cmp("gt", a, 0x7F800000)
    is_inf = o.cmp("eq", a, 0x7F800000)
    fexp = o.bin("shr", a, 23)
    # value = m * 2**(e - 23); float32 subnormals have no implicit bit and the
    # exponent of the smallest normals (bfloat16 keeps them).
    is_sub = o.cmp("eq", fexp, 0)
    e = o.sub(o.s.minmax(b, "max", fexp, 1, False), 127)
    frac = o.bin("and", a, 0x7FFFFF)
    m = o.select(is_sub, frac, o.bin("or", frac, 0x800000))
    emin = 1 - f.bias
    below = o.s.minmax(b, "max", o.sub(emin, e), 0, False)
    shift = o.s.minmax(b, "min", o.add(below, 23 - f.mantissa), 31, False)
    r = o.bin("shr", m, shift)
    if rounding == "rtne":
        rem = o.bin("and", m, o.sub(o.bin("shl", 1, shift), 1))
        half = o.bin("shl", 1, o.sub(shift, 1))
        up = o.s.logical(
            b,
            "or",
            o.cmp("gt", rem, half),
            o.s.logical(b, "and", o.cmp("eq", rem, half), o.cmp("ne", o.bin("and", r, 1), 0)),
        )
        r = o.add(r, o.cast(up, int32))
    normal = o.sub(o.add(o.bin("shl", o.add(e, f.bias), f.mantissa), r), 1 << f.mantissa)
    bits = o.select(o.cmp("ge", e, emin), normal, r)
    bits = o.s.minmax(b, "min", bits, f.max_finite, False)
    if f.inf is not None and not f.saturate:
        # Without saturation inf stays inf; rtne overflow rounds to inf.
        if rounding == "rtne":
            bits = o.select(o.cmp("ge", normal, f.inf), f.inf, bits)
        bits = o.select(is_inf, f.inf, bits)
    if f.nan is not None:  # else NaN saturates by its sign bit, as infinities
        bits = o.select(is_nan, f.nan, bits)
    bits = o.bin("or", bits, o.bin("shl", sign, f.bits - 1))
    narrow = o.cast(bits, dtype(f"int{f.bits}"))
    return o.cast(narrow, dtype(fmt_name), bitcast=True)
