"""tl.device_print (and print), tl.device_assert (and assert) on the CPU
backend, and what they compile to on NVIDIA and AMD."""
from __future__ import annotations

import re

import numpy as np
import pytest

try:
    from tessel._ext import _C
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from gpu_targets import skip_without_device_libs
from tessel import CompilationError
from debug_kernels import assert_kernel, print_kernel, python_assert_kernel


def test_device_print_every_element(capfd: pytest.CaptureFixture[str]) -> None:
    x = np.array([1.5, -2.0, 3.25, 4.0, 0.5, 6.0, 7.0, -8.0], np.float32)
    print_kernel[(2,)](x, 42, HEX=False, N=8)
    out = capfd.readouterr().out.splitlines()
    lines = [l for l in out if " idx (" in l]
    assert len(lines) == 16  # 8 elements x 2 programs
    for pid in (0, 1):
        for i, v in enumerate(x):
            assert f"pid ({pid}, 0, 0) idx ({i}) x {v:f}, {i}" in lines
    assert out.count("pid (0, 0, 0) n is 42") == 1
    assert out.count("pid (1, 0, 0) n is 42") == 1


def test_device_print_hex_and_integers(capfd: pytest.CaptureFixture[str]) -> None:
    x = np.array([-1, 2, 255, -256], np.int32)
    print_kernel[(1,)](x, -7, HEX=True, N=4)
    out = capfd.readouterr().out
    assert "idx (0) x 0xffffffff, 0x0" in out
    assert "idx (2) x 0xff, 0x2" in out
    x64 = np.array([-(2**40), 5], np.int64)
    u8 = np.array([200, 7], np.uint8)

    @tessel.jit
    def k(a_ptr, b_ptr):
        offs = tl.arange(0, 2)
        tl.device_print("v: ", tl.load(a_ptr + offs), tl.load(b_ptr + offs))

    k[(1,)](x64, u8)
    out = capfd.readouterr().out
    assert "idx (0) v: -1099511627776, 200" in out
    assert "idx (1) v: 5, 7" in out


def test_device_assert_needs_debug() -> None:
    x = np.array([1, 2, 300, 4], np.int32)
    assert_kernel[(1,)](x, 100, N=4)  # compiled out: no error
    np.testing.assert_array_equal(x, [2, 3, 301, 5])
    assert "tile.assert" not in assert_kernel.ir("*i32", "i32", N=4)
    assert "tile.assert" in assert_kernel.ir("*i32", "i32", N=4, debug=True)


def test_device_assert_raises_with_location() -> None:
    x = np.array([1, 2, 300, 4], np.int32)
    with pytest.raises(AssertionError, match=r"debug_kernels\.py:\d+: assert_kernel: .*"
                       r"x must stay below the limit"):
        assert_kernel[(1,)](x, 100, N=4, debug=True)
    # A passing launch afterwards reports nothing.
    y = np.array([1, 2, 3, 4], np.int32)
    assert_kernel[(1,)](y, 100, N=4, debug=True)
    np.testing.assert_array_equal(y, [2, 3, 4, 5])


def test_python_assert_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    x = np.array([1.0, -1.0], np.float32)
    with pytest.raises(AssertionError, match="negative input"):
        python_assert_kernel[(1,)](x, N=2)
    monkeypatch.setenv("TESSEL_DEBUG", "1")
    assert "tile.assert" in assert_kernel.ir("*i32", "i32", N=4)


def test_bad_arguments() -> None:
    @tessel.jit
    def k(x_ptr):
        tl.device_print("p", x_ptr)

    with pytest.raises(CompilationError, match="cannot print pointers"):
        k.ir("*fp32")

    @tessel.jit
    def m(x_ptr):
        tl.device_assert(tl.load(x_ptr) > 0, 3)

    with pytest.raises(CompilationError, match="message must be a string"):
        m.ir("*fp32", debug=True)


@pytest.mark.parametrize("target", ["nvidia:sm_90a", "amd:gfx942"])
def test_compiles_for_gpu_targets(target: str) -> None:
    skip_without_device_libs(target)
    for ir in (
        print_kernel.ir("*fp32:16", "i32", HEX=False, N=256),
        print_kernel.ir("*i64:16", "i32", HEX=True, N=256),
        assert_kernel.ir("*i32:16", "i32", N=256, debug=True),
    ):
        res = _C.compile(ir, target, 4)
        assert res["binary"]
    if target.startswith("nvidia"):
        ptx = _C.compile(assert_kernel.ir("*i32:16", "i32", N=256, debug=True), target, 4)
        assert "__assertfail" in ptx["asm"]["ptx"]
        ptx = _C.compile(print_kernel.ir("*fp32:16", "i32", HEX=False, N=256), target, 4)
        assert re.search(r"call.*vprintf", ptx["asm"]["ptx"])
