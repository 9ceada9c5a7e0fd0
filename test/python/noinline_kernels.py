"""Kernels calling ``noinline`` functions (test_noinline on the CPU, test_cuda)."""

from __future__ import annotations

import tessel
import tessel.language as tl


@tessel.jit(noinline=True)
def scale_and_sum(x, y, SCALE: tl.constexpr):
    s = x * SCALE + y
    return s, tl.sum(s, axis=0)


@tessel.jit(noinline=True)
def store_block(p, v, N: tl.constexpr):
    tl.store(p + tl.arange(0, N), v)


@tessel.jit(noinline=True)
def clamp_low(v, lo):
    if lo > 0:
        return tl.maximum(v, lo)
    return v


@tessel.jit
def calls_kernel(x_ptr, y_ptr, out_ptr, total_ptr, lo, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    y = tl.load(y_ptr + offs)
    a, t1 = scale_and_sum(x, y, 2.0)
    b, t2 = scale_and_sum(a, y, 2.0)  # same specialization: one function
    c, t3 = scale_and_sum(b, y, 0.5)  # another constexpr: another function
    store_block(out_ptr, clamp_low(c, lo), N)
    tl.store(total_ptr, t1 + t2 + t3)
