"""The kernel examples/aot/main.c runs, compiled ahead of time by build.sh:
    python -m tessel compile kernels.py:scaled_add --signature ... --target T
"""
import tessel
import tessel.language as tl


@tessel.jit
def scaled_add(x_ptr, y_ptr, out_ptr, n, scale, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    y = tl.load(y_ptr + offs, mask=m)
    tl.store(out_ptr + offs, (x + y) * scale, mask=m)
