"""Arrays from other libraries: objects with __cuda_array_interface__ (CuPy,
Numba) are classified like torch CUDA tensors; CuPy arrays launch on the GPU."""
from __future__ import annotations

import numpy as np
import pytest

import tessel
import tessel.language as tl
from tessel.runtime.driver import handler_for


class FakeDeviceArray:
    """The interface as CuPy exposes it, over no real memory."""

    def __init__(self, typestr: str, address: int, strides=None, device_id: int = 0) -> None:
        self._iface = {"shape": (16,), "typestr": typestr, "data": (address, False),
                       "strides": strides, "version": 3}
        self.device = type("Device", (), {"id": device_id})()

    @property
    def __cuda_array_interface__(self) -> dict:
        return self._iface


@pytest.mark.parametrize("typestr,dtype", [("<f4", "*fp32"), ("<f2", "*fp16"), ("<i8", "*int64"),
                                           ("|u1", "*uint8"), ("|b1", "*int1")])
def test_cuda_array_interface_objects_are_device_pointers(typestr: str, dtype: str) -> None:
    arr = FakeDeviceArray(typestr, 0x7F0000001000, device_id=1)
    (key, value, device) = handler_for(type(arr))(arr)
    assert key == (dtype, True) and value == 0x7F0000001000 and device == ("cuda", 1)
    unaligned = FakeDeviceArray(typestr, 0x7F0000001004)
    assert handler_for(type(unaligned))(unaligned)[0] == (dtype, False)


def test_cuda_array_interface_errors_name_the_problem() -> None:
    with pytest.raises(TypeError, match="unsupported array type '<c8'"):
        handler_for(FakeDeviceArray)(FakeDeviceArray("<c8", 0x1000))
    with pytest.raises(TypeError, match="negative strides"):
        handler_for(FakeDeviceArray)(FakeDeviceArray("<f4", 0x1000, strides=(-4,)))


@tessel.jit
def axpb(x_ptr, out_ptr, n, a, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=m) * a + 1.0, mask=m)


def test_cupy_arrays_run_on_the_gpu() -> None:
    cupy = pytest.importorskip("cupy")
    try:
        if cupy.cuda.runtime.getDeviceCount() == 0:
            pytest.skip("no CUDA device")
    except Exception:  # noqa: BLE001 - no driver
        pytest.skip("no CUDA driver")
    x = cupy.asarray(np.random.default_rng(5).standard_normal(5000).astype(np.float32))
    out = cupy.zeros_like(x)
    for _ in range(2):  # the second launch takes the fast path
        axpb[(tessel.cdiv(5000, 1024),)](x, out, 5000, 1.5, BLOCK=1024)
    cupy.cuda.Stream.null.synchronize()
    # One fused multiply-add on the GPU (enable_fp_fusion): one rounding.
    np.testing.assert_allclose(cupy.asnumpy(out), cupy.asnumpy(x).astype(np.float64) * 1.5 + 1.0,
                               rtol=1e-6, atol=1e-7)


class DLPackOnly:
    """An array known only through the DLPack protocol (as JAX or MLX arrays)."""

    def __init__(self, array: np.ndarray) -> None:
        self._array = array

    def __dlpack__(self, stream=None):
        return self._array.__dlpack__()

    def __dlpack_device__(self):
        return self._array.__dlpack_device__()


def test_dlpack_arrays_are_read_in_place() -> None:
    rng = np.random.default_rng(9)
    x = rng.standard_normal(3000).astype(np.float32)
    out = np.zeros_like(x)
    xs, outs = DLPackOnly(x), DLPackOnly(out)
    key, value, device = handler_for(DLPackOnly)(xs)
    assert key == ("*fp32", x.ctypes.data % 16 == 0) and value == x.ctypes.data and device == "cpu"
    axpb[(tessel.cdiv(3000, 1024),)](xs, outs, 3000, 2.0, BLOCK=1024)
    np.testing.assert_allclose(out, x * 2.0 + 1.0, rtol=1e-6)
    view = DLPackOnly(x[10:])  # a byte offset into the buffer
    assert handler_for(DLPackOnly)(view)[1] == x[10:].ctypes.data
    with pytest.raises(TypeError, match="unsupported DLPack dtype"):
        handler_for(DLPackOnly)(DLPackOnly(np.zeros(4, np.complex64)))
