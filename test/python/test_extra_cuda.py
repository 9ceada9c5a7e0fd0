"""``tl.extra.cuda``'s helpers as Triton ships them: ``num_warps()`` and
``num_threads()`` (compile-time, from the launch's ``num_warps``; every
target), ``globaltimer()`` and ``smid()`` (PTX special registers: NVIDIA
only, a located CompilationError on the CPU)."""

from __future__ import annotations

import numpy as np
import pytest

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from tessel.language.extra import cuda as tlc
from tessel.language.extra.cuda import num_threads, num_warps

KERNEL_FILE = __file__


@tessel.jit(noinline=True)
def _warps_in_a_callee(x):
    return x + num_warps()


@tessel.jit
def warps_kernel(out_ptr, n_ptr):
    tl.static_assert(tl.extra.cuda.num_threads() == num_warps() * 32)
    offs = tl.arange(0, num_threads())
    tl.store(out_ptr + offs, _warps_in_a_callee(offs * 10))
    tl.store(n_ptr, tlc.num_warps())


@pytest.mark.parametrize("warps", [1, 2, 4, 8])
def test_num_warps_and_num_threads_follow_the_launch(warps: int) -> None:
    threads = 32 * warps
    out = np.full(256, -1, np.int32)
    n = np.zeros(1, np.int32)
    warps_kernel[(1,)](out, n, num_warps=warps)
    np.testing.assert_array_equal(out[:threads], np.arange(threads) * 10 + warps)
    assert (out[threads:] == -1).all()
    assert n[0] == warps


def test_default_num_warps_is_four_and_ir_follows_the_option() -> None:
    assert "arith.constant 4 : i32" in warps_kernel.ir("*i32", "*i32")
    assert "arith.constant 8 : i32" in warps_kernel.ir("*i32", "*i32", num_warps=8)


@tessel.jit
def timer_kernel(t_ptr, sm_ptr):
    start = tlc.globaltimer()
    tl.store(sm_ptr, tlc.smid())
    tl.store(t_ptr, tlc.globaltimer() - start)


def test_globaltimer_and_smid_types_and_ptx() -> None:
    ir = timer_kernel.ir("*i64", "*i32")
    assert ir.count("%globaltimer") == 2  # not pure: both reads stay
    assert "%smid" in ir
    from tessel._ext import _C

    ptx = _C.compile(ir, "nvidia:sm_90a", 4)["asm"]["ptx"]
    assert "%globaltimer" in ptx and "%smid" in ptx


@tessel.jit
def typed_timer_kernel(t_ptr, sm_ptr):
    t = tlc.globaltimer()
    s = tlc.smid()
    tl.static_assert(t.dtype == tl.int64)
    tl.static_assert(s.dtype == tl.int32)
    tl.store(t_ptr, t)
    tl.store(sm_ptr, s)


def test_special_registers_are_a_located_error_on_the_cpu() -> None:
    with pytest.raises(tessel.CompilationError) as info:
        typed_timer_kernel[(1,)](np.zeros(1, np.int64), np.zeros(1, np.int32))
    err = info.value
    assert "NVIDIA" in err.message
    assert f"{KERNEL_FILE}:{err.lineno}:" in str(err)
    assert "tlc.globaltimer()" in err.source_line or "tlc.smid()" in err.source_line
