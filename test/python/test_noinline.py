"""@jit(noinline=True): real calls, one function per specialization."""
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
from tessel import CompilationError
from noinline_kernels import calls_kernel

SIG = ("*fp32:16", "*fp32:16", "*fp32:16", "*fp32:16", "fp32")


def _reference(x: np.ndarray, y: np.ndarray, lo: float) -> tuple[np.ndarray, float]:
    a = x * 2 + y
    b = a * 2 + y
    c = b * 0.5 + y
    out = np.maximum(c, lo) if lo > 0 else c
    return out, float(a.sum() + b.sum() + c.sum())


def test_ir_has_one_function_per_specialization() -> None:
    ir = calls_kernel.ir(*SIG, N=64)
    defs = re.findall(r"func\.func private @(\w+)\(.*\{tile\.noinline\}", ir)
    assert sorted(defs) == sorted(
        ["scale_and_sum__0", "scale_and_sum__1", "clamp_low__2", "store_block__3"]
    )
    assert ir.count("func.call @scale_and_sum__0") == 2
    assert "-> (tensor<64xf32>, f32)" in ir


@pytest.mark.parametrize("lo", [0.0, 3.0])
def test_results_match_inlined_semantics(lo: float) -> None:
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal(64).astype(np.float32), rng.standard_normal(64).astype(np.float32)
    out, total = np.zeros(64, np.float32), np.zeros(1, np.float32)
    calls_kernel[(1,)](x, y, out, total, lo, N=64)
    ref, ref_total = _reference(x, y, lo)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(total[0], ref_total, rtol=1e-5, atol=1e-4)


def test_calls_survive_to_ptx_and_amdgcn() -> None:
    ir = calls_kernel.ir(*SIG, N=256)
    ptx = _C.compile(ir, "nvidia:sm_90a", 4)["asm"]["ptx"]
    assert re.search(r"\.func .*scale_and_sum__0", ptx)
    assert re.search(r"call\.uni .*scale_and_sum__0", ptx)
    amd = _C.compile(ir, "amd:gfx942", 4)
    assert amd["binary"]


def test_noinline_errors() -> None:
    @tessel.jit(noinline=True)
    def gives_constant(x):
        return 3

    @tessel.jit
    def k(x_ptr):
        tl.store(x_ptr, gives_constant(tl.load(x_ptr)))

    with pytest.raises(CompilationError, match="must return tensors"):
        k.ir("*fp32")
