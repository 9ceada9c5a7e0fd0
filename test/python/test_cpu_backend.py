"""Rules of the CPU loop lowering (lib/Conversion/TileToCPU) seen from
Python: tiles carried by while loops, in-place permutations that read the
whole source first, tiles too large for the stack, no traps on division."""
from __future__ import annotations

import numpy as np

from cpu_kernels import big_scan_sum, flip_in_place, halve_until, int_div, shift_in_place

RNG = np.random.default_rng(21)


def test_a_tile_carried_by_a_while_loop() -> None:
    x = RNG.uniform(0, 100, 256).astype(np.float32)
    out = np.zeros_like(x)
    halve_until[(1,)](x, out, 3.0, BLOCK=256)
    ref, i = x.copy(), 0
    while ref.max() > 3.0:
        ref = np.where(ref > 3.0, ref * np.float32(0.5), ref)
        i += 1
    np.testing.assert_allclose(out, ref + i)


def test_in_place_moves_read_the_whole_source_first() -> None:
    for n in (16, 1024, 65536):
        x = RNG.standard_normal(n).astype(np.float32)
        y = x.copy()
        flip_in_place[(1,)](y, BLOCK=n)
        np.testing.assert_array_equal(y, x[::-1])
    x = RNG.standard_normal(1025).astype(np.float32)
    y = x.copy()
    shift_in_place[(1,)](y, BLOCK=1024)
    np.testing.assert_array_equal(y[:1024], x[1:])


def test_tiles_larger_than_the_stack_budget() -> None:
    n = 1 << 18  # 1 MiB per f32 tile: heap buffers
    x = RNG.standard_normal(n).astype(np.float32)
    out = np.zeros_like(x)
    total = np.zeros(1, np.float32)
    big_scan_sum[(2,)](x, out, total, BLOCK=n)  # two programs, two threads
    ref = 3 * np.cumsum(x.astype(np.float64))
    np.testing.assert_allclose(out, ref, rtol=1e-3, atol=1e-2)
    np.testing.assert_allclose(total[0], ref.sum(), rtol=1e-3)


def test_integer_division_by_zero_does_not_trap() -> None:
    x = np.array([7, -8, -2**31, 5, 9, -9, 0, 3] * 2, np.int32)
    y = np.array([0, 0, -1, 2, 3, 0, 0, -2] * 2, np.int32)
    q, r = np.zeros_like(x), np.zeros_like(x)
    int_div[(1,)](x, y, q, r, BLOCK=16)  # the process survives
    ok = (y != 0) & ~((x == -2**31) & (y == -1))
    # C semantics elsewhere: truncating quotient, remainder with the dividend's sign.
    np.testing.assert_array_equal(q[ok], np.trunc(x[ok] / y[ok]).astype(np.int32))
    np.testing.assert_array_equal(r[ok], np.fmod(x[ok], y[ok]))
