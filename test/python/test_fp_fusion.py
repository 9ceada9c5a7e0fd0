"""Triton's ``enable_fp_fusion`` (on by default: GPUs contract ``a * b + c``
into one fused multiply-add) and ``maxnreg`` (PTX ``.maxnreg``), as launch
options, in ``warmup``, in the compiled kernel's metadata and in the cache
key; the CPU never contracts."""
from __future__ import annotations

import numpy as np
import pytest

import tessel
import tessel.language as tl
from tessel.runtime.driver import cuda_available


@tessel.jit
def axpy(x_ptr, y_ptr, out_ptr, a, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    y = tl.load(y_ptr + offs, mask=m)
    tl.store(out_ptr + offs, a * x + y, mask=m)


SIG = ("*fp32", "*fp32", "*fp32", "fp32", "i32")


@pytest.mark.parametrize("target", ["nvidia:sm_90a", "amd:gfx942"])
def test_fusion_is_on_by_default_and_can_be_turned_off(monkeypatch, target: str) -> None:
    monkeypatch.setenv("TESSEL_TARGET", target)
    code = "ptx" if target.startswith("nvidia") else "amdgcn"
    fused = axpy.warmup(*SIG, BLOCK=256)
    plain = axpy.warmup(*SIG, BLOCK=256, enable_fp_fusion=False)
    assert fused is not plain  # a specialization of its own
    assert fused.metadata.enable_fp_fusion and not plain.metadata.enable_fp_fusion
    if code == "ptx":
        assert "fma.rn.f32" in fused.asm["ptx"] and "mul.rn.f32" not in fused.asm["ptx"]
        assert "fma.rn.f32" not in plain.asm["ptx"]
        assert "mul.rn.f32" in plain.asm["ptx"] and "add.rn.f32" in plain.asm["ptx"]
    else:
        assert "fma_f32" in fused.asm["amdgcn"]
        assert "fma_f32" not in plain.asm["amdgcn"] and "mul_f32" in plain.asm["amdgcn"]
    assert axpy.warmup(*SIG, BLOCK=256, enable_fp_fusion=True) is fused


def test_maxnreg_reaches_the_ptx(monkeypatch) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    k = axpy.warmup(*SIG, BLOCK=256, maxnreg=64)
    assert ".maxnreg 64" in k.asm["ptx"] and k.metadata.maxnreg == 64
    assert ".maxnreg" not in axpy.warmup(*SIG, BLOCK=256).asm["ptx"]
    assert axpy.warmup(*SIG, BLOCK=256).metadata.maxnreg is None


@pytest.mark.parametrize("bad", [{"enable_fp_fusion": "yes"}, {"maxnreg": 0}, {"maxnreg": 2.5}])
def test_bad_values_name_the_option(monkeypatch, bad: dict) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "cpu")
    name = next(iter(bad))
    with pytest.raises(ValueError, match=name):
        axpy.warmup(*SIG, BLOCK=256, **bad)


def _inputs(n: int):
    # a * x rounds away 2^-46 that a fused multiply-add keeps:
    # (1 + 2^-23)^2 - 1 = 2^-22 + 2^-46 exactly, 2^-22 after rounding a * x.
    x = np.full(n, 1 + 2.0**-23, dtype=np.float32)
    rng = np.random.default_rng(0)
    x[1::2] = rng.standard_normal(n // 2).astype(np.float32)
    y = np.full(n, -1.0, dtype=np.float32)
    y[1::2] = rng.standard_normal(n // 2).astype(np.float32)
    a = float(np.float32(1 + 2.0**-23))
    return x, y, a


def test_cpu_does_not_contract() -> None:
    n = 1024
    x, y, a = _inputs(n)
    out = np.zeros(n, dtype=np.float32)
    for fusion in (True, False):
        axpy[(n // 256,)](x, y, out, a, n, BLOCK=256, enable_fp_fusion=fusion)
        np.testing.assert_array_equal(out, np.float32(a) * x + y)
    assert out[0] == np.float32(2.0**-22)


@pytest.mark.skipif(not cuda_available(), reason="needs a CUDA device")
def test_gpu_results_with_and_without_fusion() -> None:
    torch = pytest.importorskip("torch")
    n = 1024
    x, y, a = _inputs(n)
    xs, ys = torch.from_numpy(x).cuda(), torch.from_numpy(y).cuda()
    out = torch.zeros(n, device="cuda")
    axpy[(n // 256,)](xs, ys, out, a, n, BLOCK=256)
    fused = out.cpu().numpy()
    exact = (np.float64(a) * x.astype(np.float64) + y).astype(np.float32)  # one rounding
    assert fused[0] == np.float32(2.0**-22 + 2.0**-46)
    np.testing.assert_allclose(fused, exact, rtol=1e-6, atol=1e-7)
    axpy[(n // 256,)](xs, ys, out, a, n, BLOCK=256, enable_fp_fusion=False)
    np.testing.assert_array_equal(out.cpu().numpy(), np.float32(a) * x + y)


def test_arch_picks_the_compile_target(monkeypatch) -> None:
    """Triton's ``arch`` option: without a GPU argument it alone picks the
    target; the PTX and the cubin are for it."""
    monkeypatch.delenv("TESSEL_TARGET", raising=False)
    k80 = axpy.warmup(*SIG, BLOCK=256, arch="sm80")
    assert k80.target == "nvidia:sm_80" and ".target sm_80" in k80.asm["ptx"]
    k90 = axpy.warmup(*SIG, BLOCK=256, arch="sm_90a")
    assert k90.target == "nvidia:sm_90a" and k90 is not k80
    amd = axpy.warmup(*SIG, BLOCK=256, arch="gfx942")
    assert amd.target == "amd:gfx942" and "amdgcn" in amd.asm


def test_arch_rules() -> None:
    from tessel.jit import _with_arch

    # Older code runs on a newer device; newer code is refused.
    assert _with_arch("nvidia:sm_90a", "sm80") == "nvidia:sm_80"
    with pytest.raises(ValueError, match="newer than the device"):
        _with_arch("nvidia:sm_80", "sm90a")
    with pytest.raises(ValueError, match="does not match the target"):
        _with_arch("nvidia:sm_90a", "gfx942")
    with pytest.raises(ValueError, match="'smXX' or AMD 'gfxXXX'"):
        _with_arch("cpu", "hopper")
    with pytest.raises(ValueError, match="must be a string"):
        _with_arch("cpu", 90)
    assert _with_arch("cpu", None) == "cpu"
