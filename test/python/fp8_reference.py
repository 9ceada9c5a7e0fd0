"""A NumPy reference for float8e4nv (E4M3FN), float8e5 (E5M2) and float8e4b15
(E4M3 with bias 15, every code finite), built from
the formats' definitions: every code's value, and conversion by choosing the
nearest representable value (ties to the even code) with saturation."""

from __future__ import annotations

import numpy as np

FORMATS = {  # name: (mantissa bits, exponent bits, bias, has infinities)
    "fp8e4nv": (3, 4, 7, False),
    "fp8e5": (2, 5, 15, True),
    "fp8e4b15": (3, 4, 15, False),
}
#: formats without a NaN code (NaN and infinities saturate by their sign)
NO_NAN = {"fp8e4b15"}


def code_values(name: str) -> np.ndarray:
    """float64 value of each of the 256 codes (NaN for NaN codes)."""
    m_bits, e_bits, bias, has_inf = FORMATS[name]
    out = np.empty(256)
    top = (1 << e_bits) - 1
    for code in range(256):
        s = -1.0 if code >> 7 else 1.0
        e = (code >> m_bits) & top
        m = code & ((1 << m_bits) - 1)
        if has_inf and e == top:
            out[code] = s * np.inf if m == 0 else np.copysign(np.nan, s)
        elif not has_inf and name not in NO_NAN and e == top and m == (1 << m_bits) - 1:
            out[code] = np.copysign(np.nan, s)
        elif e == 0:
            out[code] = s * m * 2.0 ** (1 - bias - m_bits)
        else:
            out[code] = s * (1 + m / 2**m_bits) * 2.0 ** (e - bias)
    return out


def max_finite_code(name: str) -> int:
    return {"fp8e4nv": 0x7E, "fp8e5": 0x7B, "fp8e4b15": 0x7F}[name]


def encode(x: np.ndarray, name: str, rounding: str = "rtne") -> np.ndarray:
    """uint8 codes of float32 ``x``: nearest-even (or toward zero), magnitudes
    past the largest finite value saturate to it, NaN gives 0x7F (signed)."""
    values = code_values(name)
    top = max_finite_code(name)
    pos = values[: top + 1]  # increasing, codes 0..top
    a = np.abs(x.astype(np.float64))
    sign = np.signbit(x).astype(np.uint8) << 7
    clamped = np.minimum(np.nan_to_num(a, nan=0.0, posinf=pos[-1]), pos[-1])
    hi = np.clip(np.searchsorted(pos, clamped, side="left"), 0, top)
    lo = np.clip(hi - 1, 0, top)
    if rounding == "rtz":
        code = np.where(pos[hi] <= clamped, hi, lo)
    else:
        dlo, dhi = clamped - pos[lo], pos[hi] - clamped
        code = np.where(dhi < dlo, hi, lo)
        tie = (dhi == dlo) & (hi != lo)
        code = np.where(tie, np.where(hi % 2 == 0, hi, lo), code)
    code = code.astype(np.uint8) | sign
    return np.where(np.isnan(x), np.uint8(0x7F) | sign, code).astype(np.uint8)


def decode(codes: np.ndarray, name: str) -> np.ndarray:
    return code_values(name)[codes.astype(np.int64)].astype(np.float32)
