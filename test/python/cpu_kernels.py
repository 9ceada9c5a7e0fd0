"""Kernels exercising the CPU loop lowering's rules (test_cpu_backend.py)."""
import tessel
import tessel.language as tl


@tessel.jit
def halve_until(x_ptr, out_ptr, limit, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    i = 0
    while tl.max(x, axis=0) > limit:  # a tile carried by a while loop
        x = tl.where(x > limit, x * 0.5, x)
        i += 1
    tl.store(out_ptr + offs, x + i)


@tessel.jit
def flip_in_place(x_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    tl.store(x_ptr + offs, tl.flip(tl.load(x_ptr + offs), 0))


@tessel.jit
def shift_in_place(x_ptr, BLOCK: tl.constexpr):
    # Every element reads its right neighbour, then all are written: the
    # whole tile is read before any of it is overwritten.
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs + 1)
    tl.store(x_ptr + offs, x)


@tessel.jit
def big_scan_sum(x_ptr, out_ptr, total_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for _ in range(3):  # a heap-sized tile carried by a loop
        acc += tl.cumsum(x, 0)
    tl.store(out_ptr + offs, acc)
    tl.store(total_ptr, tl.sum(acc, axis=0))


@tessel.jit
def int_div(x_ptr, y_ptr, q_ptr, r_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    y = tl.load(y_ptr + offs)
    tl.store(q_ptr + offs, x // y)
    tl.store(r_ptr + offs, x % y)
