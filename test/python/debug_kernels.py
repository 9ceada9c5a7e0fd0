"""device_print / device_assert kernels shared by test_debug_ops (CPU) and
test_cuda."""

from __future__ import annotations

import tessel
import tessel.language as tl


@tessel.jit
def print_kernel(x_ptr, n, HEX: tl.constexpr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    tl.device_print("x", x, offs, hex=HEX)
    print("n is", n)


@tessel.jit
def assert_kernel(x_ptr, limit, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    tl.device_assert(x < limit, "x must stay below the limit")
    tl.store(x_ptr + offs, x + 1)


@tessel.jit(debug=True)
def python_assert_kernel(x_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    assert x >= 0, "negative input"
    tl.store(x_ptr + offs, x * 2)
