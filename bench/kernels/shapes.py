# Kernels that move data between threads: a tiled transpose (tl.trans
# through shared memory), row sums of a 2-D tile stored as a 1-D block (the
# reduction result stays in its slice layout), and a row sort (tl.sort).
# `jit` and `tl` are bound by kernels.load.
# ruff: noqa: F821
@jit
def transpose(x_ptr, y_ptr, M, N, BM: tl.constexpr, BN: tl.constexpr):
    pm = tl.program_id(0)
    pn = tl.program_id(1)
    rows = pm * BM + tl.arange(0, BM)
    cols = pn * BN + tl.arange(0, BN)
    tile = tl.load(x_ptr + rows[:, None] * N + cols[None, :])
    tl.store(y_ptr + cols[:, None] * M + rows[None, :], tl.trans(tile))


@jit
def row_sums(x_ptr, out_ptr, M, N, BM: tl.constexpr, BN: tl.constexpr):
    rows = tl.program_id(0) * BM + tl.arange(0, BM)
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for start in range(0, N, BN):
        cols = start + tl.arange(0, BN)
        acc += tl.load(x_ptr + rows[:, None] * N + cols[None, :])
    tl.store(out_ptr + rows, tl.sum(acc, axis=1))


@jit
def sort_rows(x_ptr, y_ptr, N: tl.constexpr):
    row = tl.program_id(0)
    cols = tl.arange(0, N)
    tl.store(y_ptr + row * N + cols, tl.sort(tl.load(x_ptr + row * N + cols)))


@jit
def transpose_read(x_ptr, y_ptr, M, N, BM: tl.constexpr, BN: tl.constexpr):
    """y = x.T with the transpose in the load's addresses: the tile reads
    columns of x (contiguous along dim 0) and stores rows of y."""
    pn = tl.program_id(0)
    pm = tl.program_id(1)
    rows = pn * BN + tl.arange(0, BN)  # rows of y = columns of x
    cols = pm * BM + tl.arange(0, BM)  # columns of y = rows of x
    tile = tl.load(x_ptr + cols[None, :] * N + rows[:, None])
    tl.store(y_ptr + rows[:, None] * M + cols[None, :], tile)
