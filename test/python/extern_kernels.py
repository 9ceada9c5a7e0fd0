"""Kernels calling libdevice, tl.extern_elementwise and inline assembly,
shared by the CPU (test_extern) and CUDA (test_cuda) tests."""

from __future__ import annotations

import tessel
import tessel.language as tl
from tessel.language.extra import libdevice


@tessel.jit
def unary_kernel(x_ptr, out_ptr, FN: tl.constexpr, N: tl.constexpr):
    offs = tl.arange(0, N)
    tl.store(out_ptr + offs, getattr(libdevice, FN)(tl.load(x_ptr + offs)))


@tessel.jit
def binary_kernel(x_ptr, y_ptr, out_ptr, FN: tl.constexpr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    y = tl.load(y_ptr + offs)
    tl.store(out_ptr + offs, getattr(libdevice, FN)(x, y))


@tessel.jit
def predicates_kernel(x_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    bits = libdevice.isnan(x) + 2 * libdevice.isinf(x) + 4 * libdevice.isfinite(x)
    tl.store(out_ptr + offs, bits + 8 * libdevice.signbit(x))


@tessel.jit
def asm_kernel(x_ptr, b_ptr, out_ptr, bytes_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    shifted, doubled = tl.inline_asm_elementwise(
        "shl.b32 $0, $2, 3;\n\tadd.f32 $1, $3, $3;",
        "=r,=f,r,f",
        [x, x.to(tl.float32)],
        dtype=(tl.int32, tl.float32),
        is_pure=True,
        pack=1,
    )
    tl.store(out_ptr + offs, shifted + doubled.to(tl.int32))
    # Four bytes per 32-bit register: one xor flips the low nibble of each.
    flipped = tl.inline_asm_elementwise(
        "xor.b32 $0, $1, 0x0F0F0F0F;", "=r,r", [tl.load(b_ptr + offs)],
        dtype=tl.uint8, is_pure=True, pack=4,
    )
    tl.store(bytes_ptr + offs, flipped)
