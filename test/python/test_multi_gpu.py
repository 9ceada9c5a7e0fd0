"""Several CUDA devices: a launch runs on its arguments' device (whatever
the current device is), each device gets its own loaded module, the fast
path follows the device, and mixing devices in one launch is an error
naming both. Skips without two CUDA devices."""
from __future__ import annotations

import pytest

try:
    from tessel._ext import _C
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)
torch = pytest.importorskip("torch")
if not torch.cuda.is_available() or not _C.cuda_available() or torch.cuda.device_count() < 2:
    pytest.skip("fewer than two CUDA devices", allow_module_level=True)

import tessel  # noqa: E402
import tessel.language as tl  # noqa: E402


@tessel.jit
def axpb(x_ptr, out_ptr, n, a, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=m) * a + 1.0, mask=m)


def run(x: torch.Tensor, out: torch.Tensor, a: float) -> None:
    n = x.numel()
    axpb[(tessel.cdiv(n, 512),)](x, out, n, a, BLOCK=512)


def test_each_launch_runs_on_its_arguments_device() -> None:
    assert torch.cuda.current_device() == 0
    for _ in range(3):  # the first launch per device compiles; the rest take the fast path
        for device in ("cuda:1", "cuda:0"):
            x = torch.randn(5000, device=device)
            out = torch.empty_like(x)
            run(x, out, 3.0)
            torch.testing.assert_close(out, x * 3.0 + 1.0)
    assert torch.cuda.current_device() == 0  # the launch did not move it


def test_launches_under_another_current_device() -> None:
    x = torch.randn(3000, device="cuda:0")
    out = torch.empty_like(x)
    with torch.cuda.device(1):
        run(x, out, -2.0)
        y = torch.randn(3000, device="cuda:1")
        out1 = torch.empty_like(y)
        run(y, out1, 0.5)
    torch.testing.assert_close(out, x * -2.0 + 1.0)
    torch.testing.assert_close(out1, y * 0.5 + 1.0)


def test_streams_of_the_arguments_device() -> None:
    y = torch.randn(1 << 18, device="cuda:1")
    out = torch.zeros_like(y)
    side = torch.cuda.Stream(device=1)
    side.wait_stream(torch.cuda.current_stream(1))
    with torch.cuda.device(1), torch.cuda.stream(side):
        run(y, out, 4.0)
    torch.cuda.current_stream(1).wait_stream(side)
    torch.testing.assert_close(out, y * 4.0 + 1.0)


def test_mixing_devices_raises_naming_both() -> None:
    x = torch.randn(100, device="cuda:0")
    out = torch.empty(100, device="cuda:1")
    with pytest.raises((ValueError, RuntimeError, TypeError)) as info:
        run(x, out, 1.0)
    text = str(info.value)
    assert "cuda:0" in text and "cuda:1" in text, text
