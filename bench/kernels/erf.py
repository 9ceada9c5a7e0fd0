# Masked tl.math.erf, one libm-style call per element: the compile-time case of
# bench_cpu.py (its cost grew with BLOCK on the CPU backend). `jit` and `tl`
# are bound by kernels.load.
@jit  # noqa: F821
def erf(x_ptr, out_ptr, n, BLOCK: tl.constexpr):  # noqa: F821
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, tl.math.erf(x), mask=mask)
