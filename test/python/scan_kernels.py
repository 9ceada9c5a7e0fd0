"""Scan, atomic, trans and umulhi kernels shared by the CPU
(test_scan_atomics) and CUDA (test_cuda) tests."""

from __future__ import annotations

import tessel
import tessel.language as tl


@tessel.jit
def cumsum_1d(x_ptr, out_ptr, n, OP: tl.constexpr, REVERSE: tl.constexpr, BLOCK: tl.constexpr):
    """out[block] = OP(x[block]) per program; masked lanes read 0 (1 for cumprod)."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    if OP == "cumsum":
        x = tl.load(x_ptr + offs, mask=mask, other=0)
        r = tl.cumsum(x, 0, reverse=REVERSE)
    elif OP == "cumprod":
        x = tl.load(x_ptr + offs, mask=mask, other=1)
        r = tl.cumprod(x, 0, reverse=REVERSE)
    else:
        x = tl.load(x_ptr + offs, mask=mask, other=0)
        r = x.cumsum(0, reverse=REVERSE)
    tl.store(out_ptr + offs, r, mask=mask)


@tessel.jit
def cumsum_2d(x_ptr, out_ptr, M, N, AXIS: tl.constexpr, REVERSE: tl.constexpr,
              BM: tl.constexpr, BN: tl.constexpr):
    """One BM x BN tile (program 0), row-major with stride N."""
    rows = tl.arange(0, BM)[:, None]
    cols = tl.arange(0, BN)[None, :]
    mask = (rows < M) & (cols < N)
    x = tl.load(x_ptr + rows * N + cols, mask=mask, other=0)
    tl.store(out_ptr + rows * N + cols, tl.cumsum(x, axis=AXIS, reverse=REVERSE), mask=mask)


@tessel.jit
def _max_combine(a, b):
    return tl.maximum(a, b)


@tessel.jit
def _pair_combine(a0, a1, b0, b1):
    # (running sum, running max)
    return a0 + b0, tl.maximum(a1, b1)


@tessel.jit
def scan_custom(x_ptr, sum_ptr, max_ptr, BLOCK: tl.constexpr, REVERSE: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    m = tl.associative_scan(x, 0, _max_combine, reverse=REVERSE)
    s, m2 = tl.associative_scan((x, x), 0, _pair_combine, reverse=REVERSE)
    tl.store(max_ptr + offs, m + m2 - m2)
    tl.store(sum_ptr + offs, s)


@tessel.jit
def histogram(x_ptr, hist_ptr, n, BLOCK: tl.constexpr):
    """hist[x[i]] += 1 (and += 0.5 in the float histogram hist_ptr + NBINS)."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    bins = tl.load(x_ptr + offs, mask=mask, other=0)
    tl.atomic_add(hist_ptr + bins, 1, mask=mask)


@tessel.jit
def histogram_f(x_ptr, hist_ptr, w_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    bins = tl.load(x_ptr + offs, mask=mask, other=0)
    w = tl.load(w_ptr + offs, mask=mask, other=0.0)
    tl.atomic_add(hist_ptr + bins, w, mask=mask, sem="relaxed")


@tessel.jit
def atomic_ops(x_ptr, out_ptr, old_ptr, n, OP: tl.constexpr, BLOCK: tl.constexpr):
    """out[i % 16] OP= x[i] for every i; old values of each lane in old_ptr."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=0)
    p = out_ptr + offs % 16
    if OP == "max":
        old = tl.atomic_max(p, x, mask=mask)
    elif OP == "min":
        old = tl.atomic_min(p, x, mask=mask)
    elif OP == "and":
        old = tl.atomic_and(p, x, mask=mask)
    elif OP == "or":
        old = tl.atomic_or(p, x, mask=mask)
    elif OP == "xor":
        old = tl.atomic_xor(p, x, mask=mask)
    else:
        tl.static_assert(False, "unknown OP")
    tl.store(old_ptr + offs, old, mask=mask)


@tessel.jit
def xchg_kernel(ptr, vals_ptr, old_ptr, BLOCK: tl.constexpr):
    """Swaps a block of values in; the old contents go to old_ptr."""
    offs = tl.arange(0, BLOCK)
    old = tl.atomic_xchg(ptr + offs, tl.load(vals_ptr + offs))
    tl.store(old_ptr + offs, old)


@tessel.jit
def counter_kernel(counter_ptr, old_ptr):
    """Each program increments the scalar counter; old_ptr[pid] = its old value."""
    old = tl.atomic_add(counter_ptr, 1)
    tl.store(old_ptr + tl.program_id(0), old)


@tessel.jit
def cas_winners(flags_ptr, wins_ptr, NFLAGS: tl.constexpr):
    """Each program tries cas(0 -> pid + 1) on every flag; wins counts successes."""
    pid = tl.program_id(0)
    offs = tl.arange(0, NFLAGS)
    old = tl.atomic_cas(flags_ptr + offs, 0, pid + 1)
    won = tl.where(old == 0, 1, 0)
    tl.atomic_add(wins_ptr + pid, tl.sum(won, axis=0))


@tessel.jit
def cas_lock(lock_ptr, counter_ptr):
    """A spin lock around a non-atomic read-modify-write of *counter_ptr."""
    while tl.atomic_cas(lock_ptr, 0, 1) == 1:
        pass
    c = tl.load(counter_ptr, volatile=True)
    tl.store(counter_ptr, c + 1)
    tl.atomic_xchg(lock_ptr, 0)


@tessel.jit
def trans_kernel(x_ptr, out_ptr, M: tl.constexpr, N: tl.constexpr, METHOD: tl.constexpr):
    """out (N x M) = x (M x N)^T."""
    rows = tl.arange(0, M)[:, None]
    cols = tl.arange(0, N)[None, :]
    x = tl.load(x_ptr + rows * N + cols)
    if METHOD == "trans":
        t = tl.trans(x)
    elif METHOD == "permute":
        t = tl.permute(x, (1, 0))
    else:
        t = x.T
    r = tl.arange(0, N)[:, None]
    c = tl.arange(0, M)[None, :]
    tl.store(out_ptr + r * M + c, t)


@tessel.jit
def umulhi_kernel(x_ptr, y_ptr, out_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    tl.store(out_ptr + offs, tl.umulhi(tl.load(x_ptr + offs), tl.load(y_ptr + offs)))


@tessel.jit
def random_kernel(seed, out_ptr, n, KIND: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    if KIND == "randint":
        r = tl.randint(seed, offs)
    elif KIND == "rand":
        r = tl.rand(seed, offs)
    elif KIND == "randn":
        r = tl.randn(seed, offs)
    else:
        a, b, c, d = tl.randint4x(seed, offs, 7)
        r = a ^ b ^ c ^ d
    tl.store(out_ptr + offs, r, mask=mask)


@tessel.jit
def serialized_add(data_ptr, lock_ptr, N: tl.constexpr):
    """Every program adds 1 to a block under a lock taken with an acquire
    compare-and-swap and released with a release exchange: the plain loads
    and stores in between must see each other (they are not volatile)."""
    offs = tl.arange(0, N)
    while tl.atomic_cas(lock_ptr, 0, 1, sem="acquire") == 1:
        pass
    tl.store(data_ptr + offs, tl.load(data_ptr + offs) + 1.0)
    tl.debug_barrier()  # every thread's store precedes the release
    tl.atomic_xchg(lock_ptr, 0, sem="release")
