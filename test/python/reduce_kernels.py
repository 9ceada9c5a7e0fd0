"""Reduction kernels shared by the CPU (test_reduce) and CUDA (test_cuda) tests."""

from __future__ import annotations

import tessel
import tessel.language as tl


@tessel.jit
def _reduce_op(x, axis: tl.constexpr, OP: tl.constexpr, KEEP: tl.constexpr):
    if OP == "sum":
        r = tl.sum(x, axis=axis, keep_dims=KEEP)
    elif OP == "max":
        r = tl.max(x, axis=axis, keep_dims=KEEP)
    elif OP == "min":
        r = tl.min(x, axis=axis, keep_dims=KEEP)
    elif OP == "xor_sum":
        r = tl.xor_sum(x, axis=axis, keep_dims=KEEP)
    elif OP == "argmax":
        r = tl.argmax(x, axis=axis, keep_dims=KEEP)
    elif OP == "argmin":
        r = tl.argmin(x, axis=axis, keep_dims=KEEP)
    elif OP == "method_sum":
        r = x.sum(axis, keep_dims=KEEP)
    elif OP == "method_max":
        r = x.max(axis, keep_dims=KEEP)
    else:
        tl.static_assert(False, "unknown OP")
    return r


@tessel.jit
def reduce_1d(x_ptr, out_ptr, n, OP: tl.constexpr, OTHER: tl.constexpr, BLOCK: tl.constexpr):
    """out[pid] = OP(x[pid * BLOCK : (pid + 1) * BLOCK]); masked lanes read OTHER."""
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs, mask=offs < n, other=OTHER)
    tl.store(out_ptr + pid, _reduce_op(x, 0, OP, False))


@tessel.jit
def reduce_2d(
    x_ptr,
    out_ptr,
    M,
    N,
    stride_m,
    OP: tl.constexpr,
    AXIS: tl.constexpr,
    KEEP: tl.constexpr,
    OTHER: tl.constexpr,
    BM: tl.constexpr,
    BN: tl.constexpr,
):
    """Reduces the BM x BN tile of program pid (rows pid*BM..) along AXIS.

    AXIS=1: out[row]; AXIS=0: out[pid, col] (per-program partials, N columns);
    AXIS=None: out[pid].
    """
    pid = tl.program_id(0)
    rm = pid * BM + tl.arange(0, BM)
    rn = tl.arange(0, BN)
    mask = (rm[:, None] < M) & (rn[None, :] < N)
    x = tl.load(x_ptr + rm[:, None] * stride_m + rn[None, :], mask=mask, other=OTHER)
    r = _reduce_op(x, AXIS, OP, KEEP)
    if AXIS == 1:
        if KEEP:
            tl.static_assert(r.shape == (BM, 1))
            tl.store(out_ptr + rm[:, None], r, mask=rm[:, None] < M)
        else:
            tl.store(out_ptr + rm, r, mask=rm < M)
    elif AXIS == 0:
        if KEEP:
            tl.static_assert(r.shape == (1, BN))
            tl.store(out_ptr + pid * N + rn[None, :], r, mask=rn[None, :] < N)
        else:
            tl.store(out_ptr + pid * N + rn, r, mask=rn < N)
    else:
        if KEEP:
            tl.static_assert(r.shape == (1, 1))
            tl.store(out_ptr + pid + tl.zeros([1, 1], tl.int32), r)
        else:
            tl.static_assert(r.shape == ())
            tl.store(out_ptr + pid, r)


@tessel.jit
def max_with_indices(
    x_ptr, val_ptr, idx_ptr, M, N, AXIS: tl.constexpr, BM: tl.constexpr, BN: tl.constexpr
):
    """tl.max(..., return_indices=True) of one masked BM x BN tile."""
    rm = tl.arange(0, BM)
    rn = tl.arange(0, BN)
    mask = (rm[:, None] < M) & (rn[None, :] < N)
    x = tl.load(x_ptr + rm[:, None] * N + rn[None, :], mask=mask, other=-float("inf"))
    v, i = tl.max(x, axis=AXIS, return_indices=True)
    if AXIS == 1:
        tl.store(val_ptr + rm, v, mask=rm < M)
        tl.store(idx_ptr + rm, i, mask=rm < M)
    else:
        tl.store(val_ptr + rn, v, mask=rn < N)
        tl.store(idx_ptr + rn, i, mask=rn < N)


# ---------------------------------------------------------------------------
# tl.reduce with user combine functions
# ---------------------------------------------------------------------------
@tessel.jit
def _abs(v):
    return tl.where(v < 0, -v, v)


@tessel.jit
def absmax_combine(a, b):
    return tl.maximum(_abs(a), _abs(b))


@tessel.jit
def prod_combine(a, b):
    return a * b


@tessel.jit
def sum_and_max_combine(s0, m0, s1, m1):
    return s0 + s1, tl.maximum(m0, m1)


@tessel.jit
def custom_reduce(
    x_ptr, out_ptr, out2_ptr, n, OP: tl.constexpr, OTHER: tl.constexpr, BLOCK: tl.constexpr
):
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs, mask=offs < n, other=OTHER)
    if OP == "absmax":
        tl.store(out_ptr + pid, tl.reduce(x, 0, absmax_combine))
    elif OP == "prod":
        tl.store(out_ptr + pid, x.reduce(0, prod_combine))
    else:
        s, m = tl.reduce((x, x), 0, sum_and_max_combine)
        tl.store(out_ptr + pid, s)
        tl.store(out2_ptr + pid, m)


@tessel.jit
def custom_reduce_2d(x_ptr, out_ptr, BM: tl.constexpr, BN: tl.constexpr):
    """Row-wise abs-max of a dense BM x BN matrix, keep_dims=True."""
    rm = tl.arange(0, BM)
    rn = tl.arange(0, BN)
    x = tl.load(x_ptr + rm[:, None] * BN + rn[None, :])
    r = tl.reduce(x, 1, absmax_combine, keep_dims=True)
    tl.store(out_ptr + rm[:, None], r)


# ---------------------------------------------------------------------------
# softmax and layer norm
# ---------------------------------------------------------------------------
@tessel.jit
def softmax_kernel(out_ptr, in_ptr, in_stride, out_stride, n_cols, BLOCK: tl.constexpr):
    """One row per program (Triton's fused-softmax tutorial); BLOCK >= n_cols."""
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK)
    mask = cols < n_cols
    x = tl.load(in_ptr + row * in_stride + cols, mask=mask, other=-float("inf"))
    z = x - tl.max(x, axis=0)
    num = tl.exp(z)
    den = tl.sum(num, axis=0)
    tl.store(out_ptr + row * out_stride + cols, num / den, mask=mask)


@tessel.jit
def softmax_2d_kernel(out_ptr, in_ptr, M, N, stride, BM: tl.constexpr, BN: tl.constexpr):
    """BM rows per program on a BM x BN tile; BN >= N."""
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rn = tl.arange(0, BN)
    mask = (rm[:, None] < M) & (rn[None, :] < N)
    offs = rm[:, None] * stride + rn[None, :]
    x = tl.load(in_ptr + offs, mask=mask, other=-float("inf"))
    num = tl.exp(x - tl.max(x, axis=1, keep_dims=True))
    den = tl.sum(num, axis=1)
    tl.store(out_ptr + offs, num / den[:, None], mask=mask)


@tessel.jit
def layer_norm_fwd(
    x_ptr, y_ptr, w_ptr, b_ptr, mean_ptr, rstd_ptr, stride, N, eps, BLOCK: tl.constexpr
):
    """One row per program, the whole row in one block (BLOCK >= N)."""
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(x_ptr + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
    mean = tl.sum(x, axis=0) / N
    xc = tl.where(mask, x - mean, 0.0)
    var = tl.sum(xc * xc, axis=0) / N
    rstd = 1 / tl.sqrt(var + eps)
    w = tl.load(w_ptr + cols, mask=mask)
    b = tl.load(b_ptr + cols, mask=mask)
    y = xc * rstd * w + b
    tl.store(y_ptr + row * stride + cols, y, mask=mask)
    tl.store(mean_ptr + row, mean)
    tl.store(rstd_ptr + row, rstd)


@tessel.jit
def layer_norm_fwd_loop(
    x_ptr, y_ptr, w_ptr, b_ptr, mean_ptr, rstd_ptr, stride, N, eps, BLOCK: tl.constexpr
):
    """Triton's layer-norm tutorial: rows longer than BLOCK, in chunks."""
    row = tl.program_id(0)
    x_ptr += row * stride
    y_ptr += row * stride
    _mean = tl.zeros([BLOCK], dtype=tl.float32)
    for off in range(0, N, BLOCK):
        cols = off + tl.arange(0, BLOCK)
        a = tl.load(x_ptr + cols, mask=cols < N, other=0.0).to(tl.float32)
        _mean += a
    mean = tl.sum(_mean, axis=0) / N
    _var = tl.zeros([BLOCK], dtype=tl.float32)
    for off in range(0, N, BLOCK):
        cols = off + tl.arange(0, BLOCK)
        x = tl.load(x_ptr + cols, mask=cols < N, other=0.0).to(tl.float32)
        x = tl.where(cols < N, x - mean, 0.0)
        _var += x * x
    var = tl.sum(_var, axis=0) / N
    rstd = 1 / tl.sqrt(var + eps)
    tl.store(mean_ptr + row, mean)
    tl.store(rstd_ptr + row, rstd)
    for off in range(0, N, BLOCK):
        cols = off + tl.arange(0, BLOCK)
        mask = cols < N
        w = tl.load(w_ptr + cols, mask=mask)
        b = tl.load(b_ptr + cols, mask=mask)
        x = tl.load(x_ptr + cols, mask=mask, other=0.0).to(tl.float32)
        y = (x - mean) * rstd * w + b
        tl.store(y_ptr + cols, y, mask=mask)
