"""Kernels shared by the CPU (test_elementwise) and CUDA (test_cuda) tests."""

from __future__ import annotations

import tessel
import tessel.language as tl


# ---------------------------------------------------------------------------
# kernels
# ---------------------------------------------------------------------------
@tessel.jit
def add_kernel(x_ptr, y_ptr, out_ptr, n_elements, BLOCK: tl.constexpr):
    pid = tl.program_id(axis=0)
    offsets = pid * BLOCK + tl.arange(0, BLOCK)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    y = tl.load(y_ptr + offsets, mask=mask)
    tl.store(out_ptr + offsets, x + y, mask=mask)


@tessel.jit
def int_ops(x_ptr, y_ptr, out_ptr, n, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m, other=1)
    y = tl.load(y_ptr + offs, mask=m, other=1)
    if OP == "add":
        r = x + y
    elif OP == "sub":
        r = x - y
    elif OP == "mul":
        r = x * y
    elif OP == "floordiv":
        r = x // y
    else:
        r = x % y
    tl.store(out_ptr + offs, r, mask=m)


@tessel.jit
def _softplus_ish(x):
    return tl.log(1.0 + tl.exp(-tl.abs(x))) + tl.maximum(x, 0.0)


@tessel.jit
def fused_kernel(x_ptr, y_ptr, out_ptr, iout_ptr, n, alpha, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m, other=1.0)
    y = tl.load(y_ptr + offs, mask=m, other=1.0)
    s = tl.sigmoid(x) + tl.sqrt(tl.abs(y)) + tl.exp(x * 0.1) - tl.log(tl.abs(y) + 1.0)
    s = tl.where(x > y, s, tl.fma(x, y, alpha))
    s = tl.maximum(s, -5.0) + _softplus_ish(y)
    tl.store(out_ptr + offs, s, mask=m)
    tl.store(iout_ptr + offs, (x * 4.0).to(tl.int32) + (y > 0).to(tl.int32), mask=m)


@tessel.jit
def scale_2d(x_ptr, out_ptr, M, N, stride_xm, stride_om, scale, BM: tl.constexpr, BN: tl.constexpr):
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rn = tl.program_id(1) * BN + tl.arange(0, BN)
    mask = (rm[:, None] < M) & (rn[None, :] < N)
    x = tl.load(x_ptr + rm[:, None] * stride_xm + rn[None, :], mask=mask, other=0.0)
    y = x * scale + rn[None, :].to(tl.float32) - rm[:, None]
    tl.store(out_ptr + rm[:, None] * stride_om + rn[None, :], y, mask=mask)


@tessel.jit
def axpb(x_ptr, out_ptr, n, a, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    tl.store(out_ptr + offs, x * a + x, mask=m)


@tessel.jit
def row_sum(x_ptr, out_ptr, n_rows, n_cols, stride, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    if row >= n_rows:
        return
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for start in range(0, n_cols, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        acc += tl.load(x_ptr + row * stride + cols, mask=cols < n_cols, other=0.0)
    tl.store(out_ptr + row * BLOCK + tl.arange(0, BLOCK), acc)


@tessel.jit
def scalar_loops(out_ptr, n, flag):
    pid = tl.program_id(0)
    i = 0
    acc = 0.0
    while i < pid:
        acc += i
        i += 1
    v = acc if flag else -acc
    total = 0
    for j in range(pid, n, 3):
        total += j
    tl.store(out_ptr + pid, v + total)
