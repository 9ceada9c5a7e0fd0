"""Bad launches raise clear Python errors naming what is wrong: grids that are
not ints or exceed the launch limits, arrays a kernel cannot index safely;
TESSEL_DUMP_IR directories never overwrite each other."""
from __future__ import annotations

import numpy as np
import pytest

try:
    from tessel._ext import _C  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl


@tessel.jit
def copy_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=mask), mask=mask)


@pytest.fixture(autouse=True)
def _cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "cpu")


def _arrays(n: int = 64) -> tuple[np.ndarray, np.ndarray]:
    x = np.random.default_rng(0).standard_normal(n).astype(np.float32)
    return x, np.zeros_like(x)


@pytest.mark.parametrize(
    "grid, error, match",
    [
        ((1.9,), TypeError, r"grid\[0\] must be an int, got float 1.9"),
        ("abc", TypeError, r"the grid must be a tuple of 1 to 3 ints"),
        ((1, "2"), TypeError, r"grid\[1\] must be an int, got str"),
        ((True,), TypeError, r"grid\[0\] must be an int, got bool"),
        ((), TypeError, r"the grid must be a tuple of 1 to 3 ints"),
        ((1, 1, 1, 1), TypeError, r"the grid must be a tuple of 1 to 3 ints"),
        ((2**32 + 1,), ValueError, r"grid\[0\] = 4294967297 is outside 0..2147483647"),
        ((1, 65536), ValueError, r"grid\[1\] = 65536 is outside 0..65535, .* along y"),
        ((-1,), ValueError, r"grid\[0\] = -1 is outside"),
    ],
)
def test_bad_grid(grid, error, match) -> None:
    x, out = _arrays()
    with pytest.raises(error, match=match):
        copy_kernel[grid](x, out, 64, BLOCK=64)


def test_grid_accepts_integer_like_values() -> None:
    x, out = _arrays(256)
    copy_kernel[(np.int64(4),)](x, out, 256, BLOCK=64)
    np.testing.assert_array_equal(out, x)
    copy_kernel[lambda meta: [tessel.cdiv(256, meta["BLOCK"])]](x, out, 256, BLOCK=32)
    np.testing.assert_array_equal(out, x)


def test_negative_strides_refused() -> None:
    x, out = _arrays(128)
    with pytest.raises(TypeError, match=r"argument 'x_ptr': an array with negative strides \(-4,\)"):
        copy_kernel[(2,)](x[::-1], out, 128, BLOCK=64)
    assert not out.any()


def test_positive_strides_pass_the_base_pointer() -> None:
    # As in Triton, a strided view passes its first element's address; the
    # kernel does its own indexing (here it reads the underlying buffer).
    base = np.random.default_rng(3).standard_normal(256).astype(np.float32)
    out = np.zeros(128, np.float32)
    copy_kernel[(2,)](base[::2], out, 128, BLOCK=64)
    np.testing.assert_array_equal(out, base[:128])
    copy_kernel[(2,)](base[64::2], out, 128, BLOCK=64)
    np.testing.assert_array_equal(out, base[64:192])


def test_dump_dirs_are_per_specialization_and_never_overwritten(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TESSEL_DUMP_IR", str(tmp_path))
    x, out = _arrays(256)

    @tessel.jit
    def dumped(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
        offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=offs < n) * 2, mask=offs < n)

    dumped[(4,)](x, out, 256, BLOCK=64)
    dumped[(2,)](x, out, 256, BLOCK=128)   # another specialization
    dumped.cache.clear()
    dumped[(2,)](x, out, 256, BLOCK=128)   # the same one, compiled again
    np.testing.assert_allclose(out, 2 * x)
    dirs = sorted(p.name for p in tmp_path.iterdir())
    assert len(dirs) == 3, dirs
    assert all(d.startswith("dumped-") for d in dirs)
    hashes = {d.split("-")[1] for d in dirs}
    assert len(hashes) == 2
    assert sum(d.endswith(".1") for d in dirs) == 1
    for d in dirs:
        assert (tmp_path / d / "input.mlir").read_text().count("tile.kernel") == 1
