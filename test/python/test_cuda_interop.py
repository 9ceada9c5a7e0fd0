"""Tessel kernels inside PyTorch machinery on an NVIDIA GPU: CUDA graph
capture and replay, torch.library custom ops (also under torch.compile as
opaque ops), non-default streams. Skips without a usable CUDA device."""
from __future__ import annotations

import pytest

try:
    from tessel._ext import _C
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)
torch = pytest.importorskip("torch")
if not torch.cuda.is_available() or not _C.cuda_available():
    pytest.skip("no CUDA device", allow_module_level=True)

import tessel  # noqa: E402
import tessel.language as tl  # noqa: E402


@tessel.jit
def scale_shift(x_ptr, out_ptr, n, a, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=m) * a + 0.5, mask=m)


def launch(x: torch.Tensor, out: torch.Tensor, a: float) -> None:
    n = x.numel()
    scale_shift[(tessel.cdiv(n, 1024),)](x, out, n, a, BLOCK=1024)


def test_cuda_graph_capture_and_replay() -> None:
    x = torch.randn(10000, device="cuda")
    out = torch.empty_like(x)
    launch(x, out, 2.0)  # compiled and remembered before capture
    torch.cuda.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        launch(x, out, 3.0)
    out.zero_()
    for value in (torch.randn(10000, device="cuda"), torch.randn(10000, device="cuda")):
        x.copy_(value)
        graph.replay()
        torch.cuda.synchronize()
        torch.testing.assert_close(out, value * 3.0 + 0.5)


def test_launches_follow_the_current_stream() -> None:
    x = torch.randn(1 << 20, device="cuda")
    out = torch.zeros_like(x)
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        launch(x, out, -1.0)
    torch.cuda.current_stream().wait_stream(side)
    torch.testing.assert_close(out, -x + 0.5)


@torch.library.custom_op("tessel_test::scale_shift", mutates_args=())
def scale_shift_op(x: torch.Tensor, a: float) -> torch.Tensor:
    out = torch.empty_like(x)
    launch(x, out, a)
    return out


@scale_shift_op.register_fake
def _(x: torch.Tensor, a: float) -> torch.Tensor:
    return torch.empty_like(x)


def test_a_custom_op_runs_eagerly_and_under_torch_compile() -> None:
    x = torch.randn(4096, device="cuda")
    torch.testing.assert_close(scale_shift_op(x, 1.5), x * 1.5 + 0.5)

    def f(t: torch.Tensor) -> torch.Tensor:
        return torch.relu(scale_shift_op(t * 2, 0.25))

    compiled = torch.compile(f, fullgraph=True)
    torch.testing.assert_close(compiled(x), torch.relu(x * 2 * 0.25 + 0.5))
