"""reshape/view/ravel, histogram, flip, sort and gather kernels shared by the
CPU (test_reshape_histogram, test_permutation) and CUDA (test_cuda) tests."""

from __future__ import annotations

import tessel
import tessel.language as tl


@tessel.jit
def reshape_kernel(x_ptr, out_ptr, M: tl.constexpr, N: tl.constexpr, P: tl.constexpr,
                   Q: tl.constexpr, METHOD: tl.constexpr):
    """Loads the row-major M x N tile x and stores it reshaped to P x Q
    (row-major), or to the 1-D block of P elements when Q == 0."""
    x = tl.load(x_ptr + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    if Q == 0:
        if METHOD == "reshape":
            y = tl.reshape(x, P)
        elif METHOD == "view":
            y = tl.view(x, (P,))
        elif METHOD == "method":
            y = x.reshape(P)
        elif METHOD == "ravel":
            y = tl.ravel(x)
        else:
            y = x.ravel()
        tl.store(out_ptr + tl.arange(0, P), y)
    else:
        if METHOD == "reshape":
            y = tl.reshape(x, (P, Q))
        elif METHOD == "view":
            y = tl.view(x, P, Q)
        elif METHOD == "method":
            y = x.reshape(P, Q)
        elif METHOD == "roundtrip":
            # 2-D -> 1-D -> 2-D, with arithmetic on the 1-D block in between
            flat = tl.reshape(x, (M * N,), can_reorder=False)
            flat = flat + tl.arange(0, M * N).to(flat.dtype)
            y = tl.reshape(flat, (P, Q)) - tl.reshape(tl.arange(0, M * N), (P, Q)).to(flat.dtype)
        else:
            y = x.view((P, Q))
        tl.store(out_ptr + tl.arange(0, P)[:, None] * Q + tl.arange(0, Q)[None, :], y)


@tessel.jit
def reshape_3d(x_ptr, out_ptr, BLOCK: tl.constexpr, A: tl.constexpr, B: tl.constexpr,
               C: tl.constexpr):
    """1-D -> A x B x C -> sum over the middle axis: out[a, c] = sum_b x[a, b, c]."""
    x = tl.load(x_ptr + tl.arange(0, BLOCK))
    s = tl.sum(tl.reshape(x, (A, B, C)), axis=1)
    tl.store(out_ptr + tl.arange(0, A * C), tl.ravel(s))


@tessel.jit
def hist_kernel(x_ptr, out_ptr, n, NBINS: tl.constexpr, BLOCK: tl.constexpr,
                MASKED: tl.constexpr, METHOD: tl.constexpr):
    """out[pid, :] = histogram of x[pid * BLOCK:(pid + 1) * BLOCK] (offsets < n
    only when MASKED)."""
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    if MASKED:
        mask = offs < n
        x = tl.load(x_ptr + offs, mask=mask, other=0)
        if METHOD == "method":
            h = x.histogram(NBINS, mask=mask)
        else:
            h = tl.histogram(x, NBINS, mask)
    else:
        x = tl.load(x_ptr + offs)
        if METHOD == "method":
            h = x.histogram(NBINS)
        else:
            h = tl.histogram(x, NBINS)
    tl.store(out_ptr + pid * NBINS + tl.arange(0, NBINS), h)


@tessel.jit
def flip_kernel(x_ptr, out_ptr, M: tl.constexpr, N: tl.constexpr, DIM: tl.constexpr):
    offs = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    tl.store(out_ptr + offs, tl.flip(tl.load(x_ptr + offs), DIM))


@tessel.jit
def sort_kernel(x_ptr, out_ptr, M: tl.constexpr, N: tl.constexpr, DIM: tl.constexpr,
                DESC: tl.constexpr):
    offs = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    tl.store(out_ptr + offs, tl.sort(tl.load(x_ptr + offs), dim=DIM, descending=DESC))


@tessel.jit
def gather_kernel(src_ptr, idx_ptr, out_ptr, M: tl.constexpr, N: tl.constexpr,
                  IM: tl.constexpr, IN: tl.constexpr, AXIS: tl.constexpr):
    src = tl.load(src_ptr + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    ioffs = tl.arange(0, IM)[:, None] * IN + tl.arange(0, IN)[None, :]
    tl.store(out_ptr + ioffs, tl.gather(src, tl.load(idx_ptr + ioffs), AXIS))
