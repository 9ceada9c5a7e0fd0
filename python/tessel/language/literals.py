"""Python numbers as MLIR attributes: rounding to the target float type,
hex spellings for non-finite values, and the default type of a constant."""

from __future__ import annotations

import math
import struct
from typing import Any

from .core import _unwrap, dtype, float32, float64, int1, int32, int64, tensor, uint64

__all__ = ["literal", "scalar_dtype"]

_FLT_MAX = 3.4028234663852886e38


def _bf16_bits(value: float) -> int:
    bits = struct.unpack("<I", struct.pack("<f", _round_f32(value)))[0]
    if math.isnan(value):
        return 0x7FC0 | ((bits >> 16) & 0x8000)
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) & 0xFFFF


def _round_f32(value: float) -> float:
    try:
        return struct.unpack("<f", struct.pack("<f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)


def _round_float(value: float, ty: dtype) -> float:
    """``value`` rounded to the nearest ``ty`` value, as a Python float."""
    if ty.is_fp64():
        return value
    if ty.is_fp32():
        return _round_f32(value)
    if ty.is_fp16():
        try:
            return struct.unpack("<e", struct.pack("<e", value))[0]
        except OverflowError:
            return math.copysign(math.inf, value)
    return struct.unpack("<f", struct.pack("<I", _bf16_bits(value) << 16))[0]


def _float_hex(value: float, ty: dtype) -> str:
    if ty.is_fp64():
        return "0x%016X" % struct.unpack("<Q", struct.pack("<d", value))[0]
    if ty.is_fp32():
        return "0x%08X" % struct.unpack("<I", struct.pack("<f", value))[0]
    if ty.is_fp16():
        return "0x%04X" % struct.unpack("<H", struct.pack("<e", value))[0]
    return "0x%04X" % _bf16_bits(value)


def literal(value: Any, ty: dtype) -> str:
    """MLIR spelling of ``value`` as a ``ty`` attribute (without the type)."""
    if ty.is_bool():
        return "true" if value else "false"
    if ty.is_int():
        w = ty.int_bitwidth
        bits = int(value) & ((1 << w) - 1)
        return str(bits - (1 << w) if bits >= 1 << (w - 1) else bits)
    v = _round_float(float(value), ty)
    if not math.isfinite(v):
        return _float_hex(v, ty)
    s = repr(v)
    if "e" in s and "." not in s:
        mantissa, exp = s.split("e")
        s = f"{mantissa}.0e{exp}"
    return s


def scalar_dtype(value: Any) -> dtype:
    """The type a Python scalar takes on its own (Triton's ``to_tensor``)."""
    value = _unwrap(value)
    if isinstance(value, bool):
        return int1
    if isinstance(value, int):
        if -(2**31) <= value < 2**31:
            return int32
        if -(2**63) <= value < 2**63:
            return int64
        if 0 <= value < 2**64:
            return uint64
        raise ValueError(f"integer constant {value} does not fit in 64 bits")
    if isinstance(value, float):
        return float64 if math.isfinite(value) and abs(value) > _FLT_MAX else float32
    if isinstance(value, tensor):
        return value.dtype
    raise TypeError(f"expected a tensor or a number, got {type(value).__name__} {value!r}")
