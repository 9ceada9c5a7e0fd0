"""The Tessel kernel language (``import tessel.language as tl``).

Mirrors the elementwise slice of ``triton.language``: dtypes, constexpr,
program_id/num_programs, arange, load/store, zeros/full, where, minimum/
maximum, cdiv, math (also under ``tl.math``), casts with ``.to``, and
indexing with ``x[:, None]``.

Loops: ``tl.static_range`` unrolls at compile time (constexpr bounds);
``range``/``tl.range`` become ``scf.for`` (runtime bounds allowed, positive
step).  ``if`` on a constexpr is resolved at compile time, on a runtime
scalar it becomes ``scf.if``.
"""
from . import math
from .builtins import (UNSUPPORTED, PropagateNan, arange, broadcast, broadcast_to, cast, cdiv,
                       clamp, expand_dims, full, full_like, load, max_constancy, max_contiguous,
                       maximum, minimum, multiple_of, num_programs, program_id, range, sigmoid,
                       static_assert, static_print, static_range, store, where, zeros,
                       zeros_like)
from .core import (bfloat16, block_type, builtin, constexpr, dtype, float16, float32, float64,
                   int1, int8, int16, int32, int64, pointer_type, tensor, uint8, uint16, uint32,
                   uint64)
from .math import (abs, ceil, cos, div_rn, erf, exp, exp2, expm1, fdiv, floor, fma, log, log1p,
                   log2, rsqrt, sin, sqrt, tan, tanh)

# aliases
fp16, bf16, fp32, fp64 = float16, bfloat16, float32, float64
half, double = float16, float64
pi32_t = pointer_type(int32)

globals().update(UNSUPPORTED)

__all__ = [
    "math", "PropagateNan", "arange", "broadcast", "broadcast_to", "cast", "cdiv", "clamp",
    "expand_dims", "full", "full_like", "load", "max_constancy", "max_contiguous", "maximum",
    "minimum", "multiple_of", "num_programs", "program_id", "range", "sigmoid", "static_assert",
    "static_print", "static_range", "store", "where", "zeros", "zeros_like", "bfloat16",
    "block_type", "builtin", "constexpr", "dtype", "float16", "float32", "float64", "int1",
    "int8", "int16", "int32", "int64", "pointer_type", "tensor", "uint8", "uint16", "uint32",
    "uint64", "abs", "ceil", "cos", "div_rn", "erf", "exp", "exp2", "expm1", "fdiv", "floor",
    "fma", "log", "log1p", "log2", "rsqrt", "sin", "sqrt", "tan", "tanh", "fp16", "bf16",
    "fp32", "fp64", "half", "double", "pi32_t",
]
