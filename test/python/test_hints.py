"""tl.multiple_of, tl.max_contiguous, tl.max_constancy and tl.assume: the IR
they emit, the vector accesses they allow, and that results do not change."""
from __future__ import annotations

import numpy as np
import pytest

try:
    from tessel._ext import _C
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from tessel import CompilationError


@tessel.jit
def indirect_copy(x_ptr, idx_ptr, out_ptr, HINT: tl.constexpr, BLOCK: tl.constexpr):
    """Copies x[idx] where idx holds runs of 4 consecutive values starting
    at multiples of 4: only the hints tell the compiler so."""
    offs = tl.arange(0, BLOCK)
    idx = tl.load(idx_ptr + offs)
    if HINT:
        idx = tl.max_contiguous(tl.multiple_of(idx, 4), 4)
    tl.store(out_ptr + offs, tl.load(x_ptr + idx))


@tessel.jit
def strided_rows(x_ptr, out_ptr, stride, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    tl.assume(stride > 0)
    start = tl.multiple_of(pid * stride, 16)
    offs = start + tl.arange(0, BLOCK)
    tl.store(out_ptr + pid * BLOCK + tl.arange(0, BLOCK), tl.load(x_ptr + offs) + 1.0)


def _ptx(kernel, *sig, **consts) -> str:
    return _C.compile(kernel.ir(*sig, **consts), "nvidia:sm_90a", 4)["asm"]["ptx"]


def test_hints_emit_tile_hint() -> None:
    ir = indirect_copy.ir("*fp32:16", "*i32:16", "*fp32:16", HINT=True, BLOCK=256)
    assert "tile.hint %" in ir and "{divisibility = array<i64: 4>}" in ir
    assert "{contiguity = array<i64: 4>}" in ir
    ir = strided_rows.ir("*fp32:16", "*fp32:16", "i32", BLOCK=128)
    assert "tile.assume" in ir


def test_hints_vectorize_indirect_loads() -> None:
    plain = _ptx(indirect_copy, "*fp32:16", "*i32:16", "*fp32:16", HINT=False, BLOCK=512)
    hinted = _ptx(indirect_copy, "*fp32:16", "*i32:16", "*fp32:16", HINT=True, BLOCK=512)
    # Without hints: one 16-byte idx load and four scalar x loads per thread.
    assert plain.count("ld.global.v4.b32") == 1
    assert plain.count("ld.global.b32") == 4
    # With them: one 16-byte x load; only the first index of each run is read.
    assert hinted.count("ld.global.v4.b32") == 1
    assert hinted.count("ld.global.b32") == 1


def test_hinted_kernels_compute_the_same() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal(4096).astype(np.float32)
    starts = rng.integers(0, 4096 // 4, 64) * 4
    idx = (starts[:, None] + np.arange(4)).ravel().astype(np.int32)
    for hint in (False, True):
        out = np.zeros(256, np.float32)
        indirect_copy[(1,)](x, idx, out, HINT=hint, BLOCK=256)
        np.testing.assert_array_equal(out, x[idx])
    out = np.zeros(4 * 128, np.float32)
    strided_rows[(4,)](x, out, 512, BLOCK=128)
    ref = np.concatenate([x[p * 512 : p * 512 + 128] for p in range(4)]) + 1.0
    np.testing.assert_array_equal(out, ref)


def test_hint_values_per_dimension() -> None:
    @tessel.jit
    def k(x_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)[:, None] * BLOCK + tl.arange(0, BLOCK)[None, :]
        offs = tl.multiple_of(offs, [BLOCK, 1])
        offs = tl.max_constancy(offs, 1)  # one value for every dimension
        tl.store(x_ptr + offs, 1.0)

    ir = k.ir("*fp32", BLOCK=16)
    assert "{divisibility = array<i64: 16, 1>}" in ir
    assert "{constancy = array<i64: 1, 1>}" in ir


def test_non_power_of_two_hints_keep_their_power_of_two_part() -> None:
    @tessel.jit
    def k(x_ptr, n):
        tl.store(x_ptr + tl.multiple_of(n, 48), 1.0)

    assert "{divisibility = array<i64: 16>}" in k.ir("*fp32", "i32")


@pytest.mark.parametrize(
    "body, message",
    [
        ("tl.multiple_of(offs, [4, 4])", "2 values for a value of rank 1"),
        ("tl.max_contiguous(offs, n)", "positive constexpr integers"),
        ("tl.max_constancy(offs, 0)", "positive constexpr integers"),
    ],
)
def test_bad_hints_are_compilation_errors(body: str, message: str, tmp_path) -> None:
    src = tmp_path / "bad_hint.py"
    src.write_text(
        "import tessel\nimport tessel.language as tl\n\n"
        "@tessel.jit\n"
        "def k(x_ptr, n, BLOCK: tl.constexpr):\n"
        "    offs = tl.arange(0, BLOCK)\n"
        f"    offs = {body}\n"
        "    tl.store(x_ptr + offs, 1.0)\n"
    )
    import importlib.util

    spec = importlib.util.spec_from_file_location("bad_hint", src)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with pytest.raises(CompilationError, match=message) as e:
        mod.k.ir("*fp32", "i32", BLOCK=64)
    assert "bad_hint.py:7" in str(e.value)
