"""Where a CUDA launch's host time goes: the fast path as a whole, the
driver launch alone (through _C.CudaKernel.launch with plain ints), the torch
attribute calls the fast path makes per tensor, and the stream query."""
import time

import torch

import tessel
import tessel.language as tl


@tessel.jit
def copy(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    tl.store(y_ptr + offs, tl.load(x_ptr + offs, mask=m), mask=m)


def per(fn, iters=20000):
    fn()
    torch.cuda.synchronize()
    best = 1e9
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(iters):
            fn()
        torch.cuda.synchronize()
        best = min(best, (time.perf_counter() - t) / iters)
    return best * 1e6


x = torch.randn(128, device="cuda")
y = torch.empty_like(x)
k = copy[(1,)](x, y, 128, BLOCK=128)
launcher = k._launcher or k._cuda_launcher()
xp, yp = x.data_ptr(), y.data_ptr()
stream = torch.cuda.current_stream().cuda_stream
print(f"fast path launch:            {per(lambda: copy[(1,)](x, y, 128, BLOCK=128)):.2f} us")
print(f"_C launch, plain ints:       {per(lambda: launcher.launch(1, 1, 1, stream, [xp, yp, 128])):.2f} us")
print(f"x.data_ptr():                {per(lambda: x.data_ptr()):.3f} us")
print(f"x.dtype:                     {per(lambda: x.dtype):.3f} us")
print(f"x.is_cuda:                   {per(lambda: x.is_cuda):.3f} us")
print(f"x.get_device():              {per(lambda: x.get_device()):.3f} us")
getter = torch._C._cuda_getCurrentRawStream
print(f"current raw stream:          {per(lambda: getter(0)):.3f} us")
print(f"torch.empty (for scale):     {per(lambda: torch.empty(0, device='cuda')):.2f} us")
