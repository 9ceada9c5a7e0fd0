"""Kernels written as Triton code is (its tutorials and unit tests), for
test_triton_compat.py."""

from __future__ import annotations

import tessel
import tessel.language as tl


@tessel.jit
def grouped_ordering_kernel(pid_m_ptr, pid_n_ptr, M, N, BLOCK_M: tl.constexpr,
                            BLOCK_N: tl.constexpr, GROUP_SIZE_M: tl.constexpr):
    """The program-to-tile mapping of Triton's matmul tutorial (L2-friendly
    grouped ordering), with Python's ``min`` on a runtime value."""
    pid = tl.program_id(axis=0)
    num_pid_m = tl.cdiv(M, BLOCK_M)
    num_pid_n = tl.cdiv(N, BLOCK_N)
    num_pid_in_group = GROUP_SIZE_M * num_pid_n
    group_id = pid // num_pid_in_group
    first_pid_m = group_id * GROUP_SIZE_M
    group_size_m = min(num_pid_m - first_pid_m, GROUP_SIZE_M)
    pid_m = first_pid_m + ((pid % num_pid_in_group) % group_size_m)
    pid_n = (pid % num_pid_in_group) // group_size_m
    tl.store(pid_m_ptr + pid, pid_m)
    tl.store(pid_n_ptr + pid, pid_n)


@tessel.jit
def python_minmax_kernel(x_ptr, y_ptr, out_ptr, lo, hi, BLOCK: tl.constexpr):
    """Python's min/max on blocks, runtime scalars, constexprs and ints;
    four results side by side in ``out`` (4 x BLOCK)."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    y = tl.load(y_ptr + offs)
    small: tl.constexpr = min(BLOCK, 8) // 4  # constexpr only: Python's min
    tl.static_assert(small == 2)
    tl.store(out_ptr + offs, min(x, y))
    tl.store(out_ptr + BLOCK + offs, max(x, y, hi))
    tl.store(out_ptr + 2 * BLOCK + offs, max(min(x, hi), lo))
    tl.store(out_ptr + 3 * BLOCK + offs, min((x, y, small, 1.5)))


@tessel.jit
def member_cast_kernel(x_ptr, bits_ptr, half_ptr, back_ptr, BLOCK: tl.constexpr):
    """``tensor.cast`` as Triton's ``tl.cast``: a bitcast, a rounded downcast
    and a plain conversion, all as member functions."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    bits = x.cast(tl.int32, bitcast=True)
    tl.store(bits_ptr + offs, bits)
    tl.store(half_ptr + offs, x.cast(tl.float16, fp_downcast_rounding="rtz"))
    tl.store(back_ptr + offs, bits.to(tl.float32, bitcast=True).cast(tl.int64))


@tessel.jit
def member_math_kernel(x_ptr, out_ptr, BLOCK: tl.constexpr):
    """Math functions and others called as tensor members (Triton's
    ``_tensor_member_fn``); five rows of BLOCK results."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    tl.store(out_ptr + offs, x.abs().sqrt())
    tl.store(out_ptr + BLOCK + offs, x.exp().log())
    tl.store(out_ptr + 2 * BLOCK + offs, x.sigmoid())
    tl.store(out_ptr + 3 * BLOCK + offs, x.fma(x, 1.0))
    tl.store(out_ptr + 4 * BLOCK + offs, x.softmax())


@tessel.jit
def descending_range_kernel(out_ptr, count_ptr, hi, lo, STEP: tl.constexpr):
    """Stores the values of ``range(hi, lo, STEP)`` (STEP a negative
    constexpr) in the order the loop visits them, and how many there were."""
    n = 0
    for i in range(hi, lo, STEP):
        tl.store(out_ptr + n, i)
        n += 1
    tl.store(count_ptr, n)


@tessel.jit
def descending_weights_kernel(x_ptr, out_ptr, N: tl.constexpr, BLOCK: tl.constexpr):
    """Horner's rule from the highest coefficient down, with constexpr bounds
    and ``.to()`` on the loop counter: out = sum_i x**i * (i + 1)."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    acc = tl.zeros([BLOCK], tl.float32)
    for i in tl.range(N - 1, -1, -1):
        acc = acc * x + (i + 1).to(tl.float32)
    tl.store(out_ptr + offs, acc)
