"""cache_modifier, eviction_policy and volatile on loads and stores: Triton's
names and errors, PTX qualifiers on NVIDIA, the same results everywhere."""
from __future__ import annotations

import numpy as np
import pytest

try:
    from tessel._ext import _C
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl


@tessel.jit
def copy_hinted(x_ptr, out_ptr, n, BLOCK: tl.constexpr, LOAD_CACHE: tl.constexpr,
                STORE_CACHE: tl.constexpr, EVICT: tl.constexpr, VOLATILE: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, cache_modifier=LOAD_CACHE, eviction_policy=EVICT,
                volatile=VOLATILE)
    tl.store(out_ptr + offs, x * 2, mask=mask, cache_modifier=STORE_CACHE,
             eviction_policy=EVICT)


HINTS = [(".cg", ".wt", "evict_first", False), (".ca", ".cs", "evict_last", False),
         (".cv", ".wb", "", False), ("", ".cg", "", True)]


@pytest.mark.parametrize("load_cache, store_cache, evict, volatile", HINTS)
def test_hinted_copy_cpu(monkeypatch, load_cache, store_cache, evict, volatile) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "cpu")
    x = np.random.default_rng(3).standard_normal(300).astype(np.float32)
    out = np.zeros_like(x)
    copy_hinted[(3,)](x, out, 300, BLOCK=128, LOAD_CACHE=load_cache, STORE_CACHE=store_cache,
                      EVICT=evict, VOLATILE=volatile)
    np.testing.assert_array_equal(out, 2 * x)


def test_hints_reach_ptx() -> None:
    def ptx(**hints) -> str:
        ir = copy_hinted.ir("*fp32:16", "*fp32:16", "i32:16", BLOCK=512, **hints)
        return _C.compile(ir, "nvidia:sm_90a", 4)["asm"]["ptx"]

    text = ptx(LOAD_CACHE=".cg", STORE_CACHE=".wt", EVICT="", VOLATILE=False)
    assert "ld.global.cg.v4.b32" in text and "st.global.wt.v4.b32" in text
    text = ptx(LOAD_CACHE="", STORE_CACHE="", EVICT="evict_first", VOLATILE=False)
    assert "ld.global.L1::evict_first.v4.b32" in text
    assert "st.global.L1::evict_first.v4.b32" in text
    # PTX has no cache operator with an eviction priority: the operator wins.
    text = ptx(LOAD_CACHE=".cg", STORE_CACHE=".cs", EVICT="evict_last",
               VOLATILE=False)
    assert "ld.global.cg.v4.b32" in text and "st.global.cs.v4.b32" in text
    ir = copy_hinted.ir("*fp32:16", "*fp32:16", "i32:16", BLOCK=512, LOAD_CACHE="",
                        STORE_CACHE="", EVICT="", VOLATILE=True)
    assert "ld.volatile.global" in _C.compile(ir, "nvidia:sm_90a", 4)["asm"]["ptx"]


def test_hints_reach_amdgcn() -> None:
    """AMD: streaming and evict_first accesses are non-temporal (`nt`), .cv
    loads bypass the caches (`sc0 sc1` on gfx942)."""
    def amdgcn(**hints) -> str:
        ir = copy_hinted.ir("*fp32:16", "*fp32:16", "i32:16", BLOCK=512, VOLATILE=False, **hints)
        return _C.compile(ir, "amd:gfx942", 4)["asm"]["amdgcn"]

    plain = amdgcn(LOAD_CACHE="", STORE_CACHE="", EVICT="")
    assert " nt" not in plain and "sc0 sc1" not in plain
    text = amdgcn(LOAD_CACHE=".cv", STORE_CACHE=".cs", EVICT="")
    loads = [l for l in text.splitlines() if "global_load" in l]
    stores = [l for l in text.splitlines() if "global_store" in l]
    assert loads and all("sc0 sc1" in l for l in loads), loads
    assert stores and all(l.rstrip().endswith("nt") for l in stores), stores
    text = amdgcn(LOAD_CACHE="", STORE_CACHE="", EVICT="evict_first")
    assert all(l.rstrip().endswith("nt") for l in text.splitlines()
               if "global_load" in l or "global_store" in l)


@pytest.mark.parametrize("load_cache, store_cache, evict, match", [
    (".wt", "", "", "Cache modifier .wt not supported"),
    ("", ".ca", "", "Cache modifier .ca not supported"),
    ("", "", "evict_sometimes", "Eviction policy evict_sometimes not supported"),
])
def test_bad_hints(load_cache, store_cache, evict, match) -> None:
    with pytest.raises(tessel.CompilationError, match=match):
        copy_hinted.ir("*fp32", "*fp32", "i32", BLOCK=128, LOAD_CACHE=load_cache,
                       STORE_CACHE=store_cache, EVICT=evict, VOLATILE=False)
