"""The compiled-kernel object as Triton's: warmup(...) without launching,
asm stages, n_regs / n_spills from ptxas, metadata (the fused-softmax
tutorial sizes its grid from these)."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

import tessel
import tessel.language as tl


@tessel.jit
def softmax(x_ptr, out_ptr, n_cols, stride, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    offs = tl.arange(0, BLOCK)
    m = offs < n_cols
    x = tl.load(x_ptr + row * stride + offs, mask=m, other=-float("inf"))
    e = tl.exp(x - tl.max(x, axis=0))
    tl.store(out_ptr + row * stride + offs, e / tl.sum(e, axis=0), mask=m)


def test_warmup_compiles_for_arrays_without_launching() -> None:
    x = np.random.default_rng(3).standard_normal((8, 100)).astype(np.float32)
    out = np.full_like(x, 7.0)
    k = softmax.warmup(x, out, 100, 100, BLOCK=128, grid=(8,))
    assert np.all(out == 7.0)  # nothing ran
    k._init_handles()
    assert k.n_regs == 0 and k.n_spills == 0  # the CPU has no register report
    assert k.metadata.name == "softmax" and k.metadata.num_warps == 4
    assert k.metadata.target == "cpu" and k.metadata.shared == 0
    assert "tile.kernel" in k.asm["tile"] and "define" in k.asm["llvmir"]
    # The launch finds the same specialization.
    assert softmax[(8,)](x, out, 100, 100, BLOCK=128) is k
    e = np.exp(x - x.max(1, keepdims=True))
    np.testing.assert_allclose(out, e / e.sum(1, keepdims=True), rtol=1e-5, atol=1e-7)


@pytest.mark.skipif(shutil.which("ptxas") is None and not __import__("os").path.exists(
    "/usr/local/cuda/bin/ptxas"), reason="no ptxas: the register report comes from it")
def test_nvidia_kernels_report_registers_spills_and_shared_memory(monkeypatch) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    k = softmax.warmup("*fp32", "*fp32", "i32", "i32", BLOCK=1024, num_warps=8, grid=(1,))
    assert 8 <= k.n_regs <= 255, k.asm["ptxas"]
    assert k.n_spills == 0
    assert k.metadata.num_warps == 8 and k.metadata.shared > 0  # the cross-warp reductions
    assert "Used" in k.asm["ptxas"] and ".entry softmax" in k.asm["ptx"]
    assert k.binary[:4] == b"\x7fELF"  # a cubin


def test_repr_names_each_specialization() -> None:
    """Triton's ``jit(repr=...)``: the kernel's name comes from the
    specialization, where an int equal to 1 is a constant."""
    def name(spec) -> str:
        ones = "_".join(k for k, v in spec.constants.items() if isinstance(k, str) and v == 1)
        return f"kernel_{spec.signature['value1']}_{ones}"

    @tessel.jit(repr=name)
    def kernel(value1, is_one, X):
        tl.store(X, value1 + is_one)

    x = np.zeros(1, np.int32)
    k = kernel[(1,)](5, 1, x)
    assert k.name == "kernel_i32_is_one" and x[0] == 6
    k64 = kernel[(1,)](2**40, 1, np.zeros(1, np.int64))
    assert k64.name == "kernel_i64_is_one"

    @tessel.jit(repr=lambda spec: "no good")
    def bad(X):
        tl.store(X, 1)

    with pytest.raises(ValueError, match="repr must return an identifier"):
        bad[(1,)](x)
