"""Counter-based random numbers: ``tl.randint``, ``tl.randint4x``,
``tl.rand``, ``tl.rand4x``, ``tl.randn``, ``tl.randn4x``, and the
generator itself, ``tl.philox`` and ``tl.philox_impl``.

The same Philox generator as Triton's ``triton.language.random``
(``philox_impl``, 10 rounds by default: Philox-4x32 on ``uint32`` counters,
Philox-4x64 on ``uint64`` ones), so a kernel ported from Triton draws the
same numbers for the same seed and offsets.  The functions emit plain
integer/float arithmetic through the tensor operators.
"""

from __future__ import annotations

from typing import Any

from . import semantic
from .atomics import umulhi
from .core import _unwrap, builtin, current_builder, int32, int64, tensor, uint32, uint64

__all__ = [
    "randint",
    "randint4x",
    "rand",
    "rand4x",
    "randn",
    "randn4x",
    "uint_to_uniform_float",
    "pair_uniform_to_normal",
    "philox",
    "philox_impl",
]

PHILOX_KEY_A = 0x9E3779B9
PHILOX_KEY_B = 0xBB67AE85
PHILOX_ROUND_A = 0xD2511F53
PHILOX_ROUND_B = 0xCD9E8D57
#: Philox-4x64's key increments and round multipliers (Triton's, for
#: uint64 counters)
PHILOX_KEY_A_64 = 0x9E3779B97F4A7C15
PHILOX_KEY_B_64 = 0xBB67AE8584CAA73B
PHILOX_ROUND_A_64 = 0xD2E7470EE14C6C93
PHILOX_ROUND_B_64 = 0xCA5A826395121157
N_ROUNDS_DEFAULT = 10


def _n_rounds(n: Any) -> int:
    n = _unwrap(n)
    if isinstance(n, tensor) or not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise TypeError(f"n_rounds must be a non-negative constexpr integer, got {n!r}")
    return n


def _philox_impl(c0: Any, c1: Any, c2: Any, c3: Any, k0: Any, k1: Any, n_rounds: int,
                 wide: bool = False):
    key_a, key_b = (PHILOX_KEY_A_64, PHILOX_KEY_B_64) if wide else (PHILOX_KEY_A, PHILOX_KEY_B)
    round_a, round_b = ((PHILOX_ROUND_A_64, PHILOX_ROUND_B_64) if wide
                        else (PHILOX_ROUND_A, PHILOX_ROUND_B))
    for _ in range(n_rounds):
        _c0, _c2 = c0, c2
        c0 = umulhi(round_b, _c2) ^ c1 ^ k0
        c2 = umulhi(round_a, _c0) ^ c3 ^ k1
        c1 = round_b * _c2
        c3 = round_a * _c0
        k0 = k0 + key_a
        k1 = k1 + key_b
    return c0, c1, c2, c3


@builtin
def philox_impl(c0: Any, c1: Any, c2: Any, c3: Any, k0: Any, k1: Any,
                n_rounds: Any = N_ROUNDS_DEFAULT):
    """``n_rounds`` rounds of Philox on the state (c0, c1, c2, c3) with the
    key (k0, k1), as Triton's ``tl.philox_impl``: Philox-4x32 when ``c0`` is
    a ``uint32`` tensor, Philox-4x64 when it is ``uint64`` (any other type is
    Triton's "dtype not supported in philox_impl"). Returns the four new
    state words; the other arguments combine with them by Triton's
    promotion rules (give them ``c0``'s type)."""
    c0 = _unwrap(c0)
    if not isinstance(c0, tensor) or c0.dtype not in (uint32, uint64):
        what = c0.dtype if isinstance(c0, tensor) else repr(c0)
        raise TypeError(f"dtype not supported in philox_impl: c0 must be a uint32 or uint64 "
                        f"tensor, got {what}")
    return tuple(_philox_impl(c0, c1, c2, c3, k0, k1, _n_rounds(n_rounds),
                              wide=c0.dtype == uint64))


@builtin
def philox(seed: Any, c0: Any, c1: Any, c2: Any, c3: Any, n_rounds: Any = N_ROUNDS_DEFAULT):
    """Philox of the counters (c0, c1, c2, c3) under ``seed``, as Triton's:
    Philox-4x32 on 32-bit counters (the seed's low and high words are the
    key), Philox-4x64 on 64-bit ones (the seed and 0 are the key)."""
    b = current_builder()
    seed = semantic.to_tensor(b, seed)
    if seed.type.is_block():
        raise ValueError("the random seed must be a scalar")
    if not seed.dtype.is_int():
        raise TypeError(f"the random seed must be an integer, got {seed.dtype}")
    seed = semantic.cast(b, seed, uint64)
    cs = [semantic.to_tensor(b, c) for c in (c0, c1, c2, c3)]
    bits = cs[0].dtype.primitive_bitwidth
    for c in cs:
        if not c.dtype.is_int() or c.dtype.primitive_bitwidth not in (32, 64) \
                or c.dtype.primitive_bitwidth != bits:
            raise TypeError(
                f"philox's counters must be integers of one width, 32 or 64 bits, got "
                f"{', '.join(str(x.dtype) for x in cs)}"
            )
    if bits == 64:
        cs = [semantic.cast(b, c, uint64, bitcast=True) for c in cs]
        return _philox_impl(*cs, seed, semantic.to_tensor(b, 0, uint64),
                            _n_rounds(n_rounds), wide=True)
    seed_hi = semantic.cast(b, (seed >> 32) & 0xFFFFFFFF, uint32)
    seed_lo = semantic.cast(b, seed & 0xFFFFFFFF, uint32)
    cs = [semantic.cast(b, c, uint32, bitcast=True) for c in cs]
    return _philox_impl(*cs, seed_lo, seed_hi, _n_rounds(n_rounds))


@builtin
def randint4x(seed: Any, offset: Any, n_rounds: Any = N_ROUNDS_DEFAULT):
    """Four blocks of random uint32 for each (seed, offset)."""
    b = current_builder()
    offset = semantic.to_tensor(b, offset)
    if not offset.dtype.is_int():
        raise TypeError(f"random offsets must be integers, got {offset.dtype}")
    # As Triton: the low 32 bits are the first counter, the high 32 bits of
    # a 64-bit offset the second.
    lo = semantic.cast(b, offset, uint32)
    zero = lo * 0
    hi = zero
    if offset.dtype.primitive_bitwidth > 32:
        hi = semantic.cast(b, offset >> 32, uint32)
    return philox(seed, lo, hi, zero, zero, n_rounds)


@builtin
def randint(seed: Any, offset: Any, n_rounds: Any = N_ROUNDS_DEFAULT) -> tensor:
    """A block of random uint32 (the first of ``randint4x``)."""
    return randint4x(seed, offset, n_rounds)[0]


@builtin
def uint_to_uniform_float(x: Any) -> tensor:
    """Random 32-bit integers to float32 in [0, 1) (Triton's mapping)."""
    b = current_builder()
    x = semantic.to_tensor(b, x)
    if x.dtype.primitive_bitwidth == 32:
        x = semantic.cast(b, x, int32, bitcast=True)
        scale = 4.6566127342e-10
    else:
        x = semantic.cast(b, x, int64, bitcast=True)
        scale = 1.0842020432385337e-19
    x = semantic.where(b, x < 0, -x - 1, x)
    return x * scale


@builtin
def rand(seed: Any, offset: Any, n_rounds: Any = N_ROUNDS_DEFAULT) -> tensor:
    """Uniform float32 in [0, 1) for each (seed, offset)."""
    return uint_to_uniform_float(randint(seed, offset, n_rounds))


@builtin
def rand4x(seed: Any, offset: Any, n_rounds: Any = N_ROUNDS_DEFAULT):
    return tuple(uint_to_uniform_float(i) for i in randint4x(seed, offset, n_rounds))


@builtin
def pair_uniform_to_normal(u1: Any, u2: Any):
    """Box-Muller: two uniform blocks to two standard normal blocks."""
    b = current_builder()
    u1 = semantic.minmax(b, "max", 1.0e-7, u1, False)
    th = 6.283185307179586 * semantic.to_tensor(b, u2)
    r = semantic.math_unary(b, "sqrt", -2.0 * semantic.math_unary(b, "log", u1))
    return r * semantic.math_unary(b, "cos", th), r * semantic.math_unary(b, "sin", th)


@builtin
def randn(seed: Any, offset: Any, n_rounds: Any = N_ROUNDS_DEFAULT) -> tensor:
    """Standard normal float32 for each (seed, offset)."""
    i1, i2, _, _ = randint4x(seed, offset, n_rounds)
    n1, _ = pair_uniform_to_normal(uint_to_uniform_float(i1), uint_to_uniform_float(i2))
    return n1


@builtin
def randn4x(seed: Any, offset: Any, n_rounds: Any = N_ROUNDS_DEFAULT):
    u1, u2, u3, u4 = rand4x(seed, offset, n_rounds)
    n1, n2 = pair_uniform_to_normal(u1, u2)
    n3, n4 = pair_uniform_to_normal(u3, u4)
    return n1, n2, n3, n4
