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


@tessel.jit
def topk_kernel(x_ptr, out_ptr, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr,
                DIM: tl.constexpr):
    """``tl.topk`` of an M x N tile along DIM (1: the last, Triton's default;
    0: along the rows, a tessel extension); the result is stored row-major."""
    x = tl.load(x_ptr + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    if DIM == 1:
        y = tl.topk(x, K)
        tl.store(out_ptr + tl.arange(0, M)[:, None] * K + tl.arange(0, K)[None, :], y)
    else:
        y = x.topk(K, dim=0)
        tl.store(out_ptr + tl.arange(0, K)[:, None] * N + tl.arange(0, N)[None, :], y)


@tessel.jit
def join_scalars_kernel(x_ptr, y_ptr, joined_ptr, inter_ptr, mixed_ptr, a, b):
    """Triton's test_join_scalars / test_interleave_scalars: two scalars join
    into a block of shape (2,)."""
    x = tl.load(x_ptr)
    y = tl.load(y_ptr)
    z = tl.join(x, y)
    tl.static_assert(z.shape[0] == 2 and len(z.shape) == 1)
    tl.store(joined_ptr + tl.arange(0, 2), z)
    w = tl.interleave(a, b)
    tl.static_assert(w.shape == (2,))
    tl.store(inter_ptr + tl.arange(0, 2), w)
    tl.store(mixed_ptr + tl.arange(0, 2), tl.join(x, 7))


@tessel.jit
def _sign_of_difference(x, y):
    if x < y:
        return -1
    elif x == y:
        return 0
    else:
        return 1


@tessel.jit
def _selu(x, alpha):
    scale = 1.0507
    if x > 0:
        y = x
    else:
        y = alpha * (tl.exp(x) - 1)
    return scale * y


@tessel.jit
def _divmod_pack2(a0, a1, b0, b1):
    return a0 // b0, a1 // b1, a0 % b0, a1 % b1


@tessel.jit
def _clamp_bits_pack4(x0, x1, x2, x3):
    return (x0 & 1 if x0 > 0 else 0, x1 & 3 if x1 > 0 else 0,
            x2 & 7 if x2 > 0 else 0, x3 & 15 if x3 > 0 else 0)


@tessel.jit
def map_elementwise_kernel(x_ptr, y_ptr, f_ptr, cmp_ptr, selu_ptr, q_ptr, r_ptr, bits_ptr,
                           M: tl.constexpr, N: tl.constexpr):
    """Triton's test_map_elementwise (``compare``), a SELU with a variable
    assigned in both branches, ``pack=2`` with two results and ``pack=4``
    with one (a tuple of one), on M x N tiles (y broadcast from a row)."""
    offs = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    x = tl.load(x_ptr + offs)
    y = tl.load(y_ptr + tl.arange(0, N))[None, :]
    f = tl.load(f_ptr + offs)
    tl.store(cmp_ptr + offs, tl.map_elementwise(_sign_of_difference, x, y))
    tl.store(selu_ptr + offs, tl.map_elementwise(_selu, f, 1.6733))
    q, r = tl.map_elementwise(_divmod_pack2, x, y, pack=2)
    tl.store(q_ptr + offs, q)
    tl.store(r_ptr + offs, r)
    tl.store(bits_ptr + offs, tl.map_elementwise(_clamp_bits_pack4, x, pack=4)[0])


@tessel.jit
def dtype_attributes_kernel(x_ptr, out_ptr, BLOCK: tl.constexpr):
    """Triton's dtype attributes read in a kernel: the exponent of each
    float32 value from its bits, with the bias and mantissa width taken from
    ``x.dtype``; stored beside some constexpr facts about types."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    ty: tl.constexpr = x.dtype
    tl.static_assert(ty.is_floating() and ty.is_standard_floating() and not ty.is_int())
    tl.static_assert(ty.primitive_bitwidth == 32 and ty.fp_mantissa_width == 23)
    tl.static_assert(tl.float16.exponent_bias == 15 and tl.bfloat16.exponent_bias == 127)
    tl.static_assert(tl.float8e4nv.exponent_bias == 7 and tl.float8e5.fp_mantissa_width == 2)
    int_ty: tl.constexpr = tl.core.get_int_dtype(ty.primitive_bitwidth, True)
    tl.static_assert(int_ty == tl.int32 and int_ty.is_int32() and not int_ty.is_uint32())
    tl.static_assert(int_ty.int_signedness == tl.dtype.SIGNEDNESS.SIGNED)
    bits = x.to(int_ty, bitcast=True)
    mask: tl.constexpr = (1 << (ty.primitive_bitwidth - 1 - ty.fp_mantissa_width)) - 1
    exponent = ((bits >> ty.fp_mantissa_width) & mask) - ty.exponent_bias
    tl.store(out_ptr + offs, exponent)
    tl.store(out_ptr + BLOCK, tl.int8.get_int_max_value() + tl.uint16.get_int_max_value())
    tl.store(out_ptr + BLOCK + 1, tl.int64.get_int_min_value() // (1 << 40))


@tessel.jit
def shape_expressions_kernel(out_ptr, half_ptr, small_ptr, B: tl.constexpr):
    """``tl.full`` and ``tl.static_assert`` on shape expressions, shapes
    compared with lists (as Triton code writes them), Python scalars stored
    through pointers of other types."""
    x = tl.full((B * 2,), 3, tl.int32)
    tl.static_assert(x.shape[0] == B * 2 and len(x.shape) == 1 and x.numel == 2 * B)
    tl.static_assert(x.shape == [2 * B] and x.shape == (tl.constexpr(2 * B),))
    y = tl.full(x.shape[:-1] + [B, 2], 5, tl.int32)
    tl.static_assert(y.shape == [B, 2] and y.shape != [2, B] or B == 2)
    z = tl.full([y.shape[0] * 2], 1, tl.int32) + tl.reshape(y, [2 * B])
    tl.store(out_ptr + tl.arange(0, 2 * B), x + z)
    tl.store(half_ptr + tl.arange(0, B), 3)  # int scalar -> float16 from the pointer
    tl.store(half_ptr + B, 2.5)
    tl.store(small_ptr, 300)  # wraps into int8, as Triton's truncation
    tl.store(small_ptr + 1, 1.75)  # float -> int8 truncates toward zero
