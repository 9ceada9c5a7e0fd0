"""End to end on the CPU target with NumPy arrays (needs the `_tessel` extension)."""

from __future__ import annotations

import numpy as np
import pytest

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from elementwise_kernels import (
    add_kernel,
    axpb,
    fused_kernel,
    int_ops,
    row_sum,
    scalar_loops,
    scale_2d,
)

RNG = np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _cpu_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "cpu")


def rand(
    n: int | tuple[int, ...], dtype: type | np.dtype, lo: float = -10, hi: float = 10
) -> np.ndarray:
    dt = np.dtype(dtype)
    if dt.kind == "f":
        return RNG.uniform(lo, hi, n).astype(dt)
    info = np.iinfo(dt)
    return RNG.integers(max(info.min, int(lo)), min(info.max, int(hi)), n, endpoint=True).astype(dt)


# ---------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("n", [1, 1000, 1024, 4097])
def test_vector_add_masked_tail(n: int) -> None:
    x, y = rand(n, np.float32), rand(n, np.float32)
    out = np.full(n + 7, -1.0, np.float32)
    add_kernel[(tessel.cdiv(n, 256),)](x, y, out, n, BLOCK=256)
    np.testing.assert_array_equal(out[:n], x + y)
    assert (out[n:] == -1).all()  # nothing past the end


def test_grid_callable_and_cache() -> None:
    n = 3000
    x, y = rand(n, np.float32), rand(n, np.float32)
    out = np.empty_like(x)
    add_kernel.cache.clear()
    for _ in range(2):
        add_kernel[lambda meta: (tessel.cdiv(meta["n_elements"], meta["BLOCK"]),)](
            x, y, out, n, BLOCK=512
        )
    np.testing.assert_array_equal(out, x + y)
    assert len(add_kernel.cache) == 1
    add_kernel[(tessel.cdiv(n, 512),)](x, y, out, 2048, BLOCK=512)  # divisible n: new key
    assert len(add_kernel.cache) == 2


@pytest.mark.parametrize("op", ["add", "sub", "mul", "floordiv", "mod"])
def test_int32_ops(op: str) -> None:
    n = 777
    x = rand(n, np.int32, -1000, 1000)
    y = rand(n, np.int32, -50, 50)
    y[y == 0] = 7
    out = np.zeros(n, np.int32)
    int_ops[(tessel.cdiv(n, 128),)](x, y, out, n, OP=op, BLOCK=128)
    if op == "floordiv":  # C semantics: truncation toward zero
        expected = (np.abs(x) // np.abs(y)) * np.sign(x) * np.sign(y)
    elif op == "mod":
        expected = np.fmod(x, y)
    else:
        expected = {"add": x + y, "sub": x - y, "mul": x * y}[op]
    np.testing.assert_array_equal(out, expected.astype(np.int32))


@pytest.mark.parametrize("op", ["floordiv", "mod"])
def test_uint32_div_mod(op: str) -> None:
    n = 300
    x = RNG.integers(2**31, 2**32 - 1, n, dtype=np.uint64).astype(np.uint32)
    y = RNG.integers(1, 1000, n, dtype=np.uint64).astype(np.uint32)
    out = np.zeros(n, np.uint32)
    int_ops[(tessel.cdiv(n, 128),)](x, y, out, n, OP=op, BLOCK=128)
    np.testing.assert_array_equal(out, x // y if op == "floordiv" else x % y)


def test_fused_math() -> None:
    n, alpha = 2000, 0.75
    x, y = rand(n, np.float32, -4, 4), rand(n, np.float32, -4, 4)
    out, iout = np.zeros(n, np.float32), np.zeros(n, np.int32)
    fused_kernel[(tessel.cdiv(n, 256),)](x, y, out, iout, n, alpha, BLOCK=256)
    xd, yd = x.astype(np.float64), y.astype(np.float64)
    s = 1 / (1 + np.exp(-xd)) + np.sqrt(np.abs(yd)) + np.exp(xd * 0.1) - np.log(np.abs(yd) + 1)
    s = np.where(xd > yd, s, xd * yd + alpha)
    s = np.maximum(s, -5.0) + np.log1p(np.exp(-np.abs(yd))) + np.maximum(yd, 0)
    np.testing.assert_allclose(out, s, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(iout, np.trunc(x * np.float32(4)).astype(np.int32) + (y > 0))


@pytest.mark.parametrize("M,N", [(37, 50), (64, 64), (100, 3)])
def test_2d_strided(M: int, N: int) -> None:
    big = rand((M, N + 13), np.float32)
    x = big[:, :N]  # rows are strided
    out = np.zeros((M, N), np.float32)
    BM, BN = 16, 32
    grid = (tessel.cdiv(M, BM), tessel.cdiv(N, BN))
    scale_2d[grid](x, out, M, N, big.strides[0] // 4, out.strides[0] // 4, 1.5, BM=BM, BN=BN)
    expected = (
        x * np.float32(1.5)
        + np.arange(N, dtype=np.float32)[None, :]
        - np.arange(M, dtype=np.float32)[:, None]
    )
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "dtype", [np.float16, np.float64, np.int8, np.uint8, np.int64, np.int16, np.uint32]
)
def test_dtypes(dtype: type) -> None:
    n = 1500
    x, y = rand(n, dtype, 0, 100), rand(n, dtype, 0, 100)
    out = np.zeros(n, dtype)
    add_kernel[(tessel.cdiv(n, 512),)](x, y, out, n, BLOCK=512)
    np.testing.assert_array_equal(out, x + y)  # integer types wrap like NumPy
    # `a` is a runtime scalar (i32 or fp32 argument), so it takes part in promotion
    integer = np.dtype(dtype).kind in "iu"
    a = 3 if integer else 0.5
    axpb[(tessel.cdiv(n, 512),)](x, out, n, a, BLOCK=512)
    if integer:
        np.testing.assert_array_equal(out, x * dtype(a) + x)  # same low bits
    else:
        expected = (x.astype(np.float64) * a + x).astype(dtype)
        np.testing.assert_allclose(out, expected, rtol=1e-3 if dtype == np.float16 else 1e-12)


def test_loop_and_early_return() -> None:
    rows, cols, BLOCK = 5, 1000, 128
    x = rand((rows, cols), np.float32)
    out = np.zeros((rows + 1) * BLOCK, np.float32)
    row_sum[(rows + 1,)](x, out, rows, cols, cols, BLOCK=BLOCK)
    got = out.reshape(rows + 1, BLOCK)
    padded = np.zeros((rows, tessel.cdiv(cols, BLOCK) * BLOCK), np.float32)
    padded[:, :cols] = x
    expected = padded.reshape(rows, -1, BLOCK).sum(axis=1)
    np.testing.assert_allclose(got[:rows], expected, rtol=1e-5, atol=1e-4)
    assert (got[rows] == 0).all()  # the extra program returned early


@pytest.mark.parametrize("flag", [True, False])
def test_runtime_scalar_control_flow(flag: bool) -> None:
    programs, n = 12, 20
    out = np.zeros(programs, np.float32)
    scalar_loops[(programs,)](out, n, flag)
    p = np.arange(programs)
    acc = p * (p - 1) / 2
    total = np.array([sum(range(q, n, 3)) for q in p])
    np.testing.assert_array_equal(out, (acc if flag else -acc) + total)


def test_wrong_argument_count_is_a_type_error() -> None:
    x = rand(16, np.float32)
    with pytest.raises(TypeError, match="n_elements"):
        add_kernel[(1,)](x, x, x, BLOCK=16)
    with pytest.raises(TypeError):
        add_kernel[(1,)](x, x, x, 16, 16, 16, BLOCK=16)
    with pytest.raises(TypeError, match="'x_ptr'"):
        add_kernel[(1,)](object(), x, x, 16, BLOCK=16)


def test_compiled_kernel_metadata() -> None:
    x = rand(64, np.float32)
    k = add_kernel[(1,)](x, x, np.empty_like(x), 64, BLOCK=64)
    assert k is not None and k.target == "cpu" and k.name == "add_kernel"
    assert "tile.load" in k.ir and isinstance(k.asm, dict)
    assert k.arg_types == ["ptr", "ptr", "ptr", "i32"]


@tessel.jit
def remainder_kernel(x_ptr, y_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    tl.store(out_ptr + offs, tl.load(x_ptr + offs) % tl.load(y_ptr + offs))


@pytest.mark.parametrize("dtype", ["fp32", "fp16", "bf16"])
@pytest.mark.parametrize("target", ["nvidia:sm_90a", "amd:gfx942"])
def test_float_remainder_compiles_for_gpu_targets(target: str, dtype: str) -> None:
    """Float `%` compiles everywhere: on AMD it calls OCML's fmod (the
    backend's frem lowering stopped the process with "no libcall available
    for frem" for some forms; found by the fuzzer)."""
    from gpu_targets import skip_without_device_libs
    from tessel._ext import _C

    skip_without_device_libs(target)
    p = f"*{dtype}:16"
    ir = remainder_kernel.ir(p, p, p, N=128)
    assert _C.compile(ir, target, 4)["binary"]

