"""Kernels for test_autotune.py, as plain functions: each test wraps them in a
fresh ``tessel.jit`` (and ``tessel.autotune``), so that the in-memory caches
(compiled kernels, tuning results) start empty and compiles can be counted."""

from __future__ import annotations

import tessel.language as tl


def add(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    y = tl.load(y_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, x + y, mask=mask)


def atomic_sum(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    """out[0] += sum(x): each program adds its block's sum atomically."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs, mask=offs < n, other=0)
    tl.atomic_add(out_ptr, tl.sum(x, axis=0))


def scale_in_place(x_ptr, n, BLOCK: tl.constexpr):
    """x = 2 * x + 1, in place."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    tl.store(x_ptr + offs, 2 * x + 1, mask=mask)


def add_checked(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    """add, but BLOCK == 32 fails at run time (a device assertion: compile
    with debug=True)."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    if BLOCK == 32:
        tl.device_assert(offs < 0, "BLOCK 32 is refused")
    mask = offs < n
    tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=mask) + tl.load(y_ptr + offs, mask=mask),
             mask=mask)


def add_even(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr, EVEN: tl.constexpr):
    """add without a mask when EVEN (n a multiple of BLOCK)."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    if EVEN:
        tl.store(out_ptr + offs, tl.load(x_ptr + offs) + tl.load(y_ptr + offs))
    else:
        mask = offs < n
        tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=mask) + tl.load(y_ptr + offs, mask=mask),
                 mask=mask)
