"""Kernels that need more shared memory than the target has fail at compile
time with tessel.OutOfResources (Triton's class and wording), located at the
kernel, naming the bytes required and the hardware limit."""
from __future__ import annotations

import pytest

import tessel
import tessel.language as tl
from tessel.runtime.errors import OutOfResources


@tessel.jit
def big_transpose(x_ptr, out_ptr, N: tl.constexpr):
    r = tl.arange(0, N)[:, None] * N + tl.arange(0, N)[None, :]
    tl.store(out_ptr + r, tl.trans(tl.load(x_ptr + r)))


@pytest.mark.parametrize("target,n,limit", [("nvidia:sm_90a", 256, 232448),
                                            ("nvidia:sm_80", 256, 166912),
                                            ("amd:gfx942", 128, 65536)])
def test_too_much_shared_memory_is_out_of_resources(monkeypatch, target, n, limit) -> None:
    monkeypatch.setenv("TESSEL_TARGET", target)
    monkeypatch.setenv("TESSEL_CACHE_DIR", "0")
    with pytest.raises(OutOfResources) as info:
        big_transpose.warmup("*fp32", "*fp32", N=n)
    err = info.value
    assert err.name == "shared memory" and err.limit == limit and err.required > limit
    assert isinstance(err, tessel.CompilationError) and tessel.OutOfResources is OutOfResources
    text = str(err)
    assert f"out of resource: shared memory, Required: {err.required}, Hardware limit: {limit}" in text
    assert "test_out_of_resources.py" in text and "def big_transpose" in text


def test_a_tile_that_fits_compiles(monkeypatch) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    k = big_transpose.warmup("*fp32", "*fp32", N=128)
    assert 0 < k.metadata.shared <= 232448
