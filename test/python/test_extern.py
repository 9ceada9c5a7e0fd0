"""libdevice (tessel.language.extra), tl.extern_elementwise and
tl.inline_asm_elementwise: CPU results against NumPy, NVIDIA/AMD compiles,
and the errors."""
from __future__ import annotations

import math

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
from tessel.language.extra import libdevice
from tessel.language.extra.cuda import libdevice as cuda_libdevice
from extern_kernels import asm_kernel, binary_kernel, predicates_kernel, unary_kernel

N = 128
_lgamma = np.vectorize(math.lgamma)
_erf = np.vectorize(math.erf)
UNARY = {
    "acos": (np.arccos, -0.9, 0.9),
    "asinh": (np.arcsinh, -5, 5),
    "atanh": (np.arctanh, -0.9, 0.9),
    "cbrt": (np.cbrt, -10, 10),
    "cosh": (np.cosh, -3, 3),
    "erf": (_erf, -3, 3),
    "exp10": (lambda x: np.power(10.0, x), -3, 3),
    "expm1": (np.expm1, -2, 2),
    "lgamma": (_lgamma, 0.5, 10),
    "log10": (np.log10, 0.1, 100),
    "rint": (np.rint, -10, 10),
    "round": (lambda x: np.sign(x) * np.floor(np.abs(x) + 0.5), -10, 10),
    "trunc": (np.trunc, -10, 10),
    "fabs": (np.abs, -10, 10),
    "abs": (np.abs, -10, 10),
}
BINARY = {
    "pow": (np.power, 0.1, 4),
    "atan2": (np.arctan2, -5, 5),
    "hypot": (np.hypot, -5, 5),
    "fmod": (np.fmod, 1, 9),
    "copysign": (np.copysign, -5, 5),
    "fmin": (np.fmin, -5, 5),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("fn", sorted(UNARY))
def test_unary_against_numpy(fn: str, dtype: type) -> None:
    ref, lo, hi = UNARY[fn]
    x = np.random.default_rng(len(fn)).uniform(lo, hi, N).astype(dtype)
    out = np.zeros_like(x)
    unary_kernel[(1,)](x, out, FN=fn, N=N)
    tol = 2e-6 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(out, ref(x.astype(np.float64)).astype(dtype), rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("fn", sorted(BINARY))
def test_binary_against_numpy(fn: str, dtype: type) -> None:
    ref, lo, hi = BINARY[fn]
    rng = np.random.default_rng(len(fn))
    x, y = (rng.uniform(lo, hi, N).astype(dtype) for _ in range(2))
    out = np.zeros_like(x)
    binary_kernel[(1,)](x, y, out, FN=fn, N=N)
    tol = 2e-6 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(out, ref(x, y), rtol=tol, atol=tol)


def test_predicates_and_bit_counts() -> None:
    x = np.array([0.0, -0.0, 1.5, -2.0, np.inf, -np.inf, np.nan, -np.nan] * 16, np.float32)
    out = np.zeros(N, np.int32)
    predicates_kernel[(1,)](x, out, N=N)
    ref = (np.isnan(x) + 2 * np.isinf(x) + 4 * np.isfinite(x) + 8 * np.signbit(x)).astype(np.int32)
    np.testing.assert_array_equal(out, ref)

    @tessel.jit
    def bits(x_ptr, out_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        v = tl.load(x_ptr + offs)
        tl.store(out_ptr + offs, libdevice.popc(v) * 100 + libdevice.clz(v))

    v = np.random.default_rng(1).integers(1, 2**31 - 1, N).astype(np.int32)
    out = np.zeros(N, np.int32)
    bits[(1,)](v, out, N=N)
    popc = np.array([bin(int(a)).count("1") for a in v])
    clz = np.array([32 - int(a).bit_length() for a in v])
    np.testing.assert_array_equal(out, popc * 100 + clz)


def test_extern_elementwise_dispatch_and_promotion() -> None:
    @tessel.jit
    def k(x_ptr, n_ptr, out_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        x = tl.load(x_ptr + offs)
        # An int32 exponent block against a float block: promoted to float32.
        e = tl.load(n_ptr + offs)
        y = tl.extern_elementwise(
            "libdevice", "", [x, e],
            {(tl.float32, tl.float32): ("__nv_powf", tl.float32),
             (tl.float64, tl.float64): ("__nv_pow", tl.float64)},
            is_pure=True,
        )
        # A Python scalar is broadcast.
        z = tl.extern_elementwise("libm", "", [x, 2.0],
                                  {(tl.float32, tl.float32): ("fmaxf", tl.float32)}, True)
        tl.store(out_ptr + offs, y + z)

    rng = np.random.default_rng(2)
    x = rng.uniform(0.5, 3, N).astype(np.float32)
    e = rng.integers(0, 4, N).astype(np.int32)
    out = np.zeros_like(x)
    k[(1,)](x, e, out, N=N)
    np.testing.assert_allclose(out, np.power(x, e) + np.maximum(x, 2.0), rtol=2e-6)
    assert cuda_libdevice is libdevice


def test_errors() -> None:
    @tessel.jit
    def wrong_types(x_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        tl.store(x_ptr + offs, libdevice.cbrt(tl.load(x_ptr + offs)))

    with pytest.raises(CompilationError, match=r"match no entry; expected one of \(fp32\)"):
        wrong_types.ir("*fp16", N=16)

    @tessel.jit
    def glibc_lacks(x_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        tl.store(x_ptr + offs, libdevice.erfinv(tl.load(x_ptr + offs)))

    with pytest.raises(CompilationError, match="calls 'erfinvf', which the CPU target cannot find"):
        glibc_lacks[(1,)](np.zeros(16, np.float32), N=16)

    @tessel.jit
    def bad_constraints(x_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        x = tl.load(x_ptr + offs)
        tl.store(x_ptr + offs, tl.inline_asm_elementwise("mov.b32 $0, $1;", "=r", [x],
                                                         dtype=tl.int32, is_pure=True, pack=1))

    with pytest.raises(CompilationError, match="constraints name 1 operands"):
        bad_constraints.ir("*i32", N=16)

    # Inline assembly is PTX: other targets refuse it with the kernel's location.
    with pytest.raises(CompilationError, match="supported on NVIDIA targets only") as e:
        asm_kernel[(1,)](np.zeros(16, np.int32), np.zeros(16, np.uint8),
                         np.zeros(16, np.int32), np.zeros(16, np.uint8), N=16)
    assert "extern_kernels.py" in str(e.value)


def test_inline_asm_ptx() -> None:
    ir = asm_kernel.ir("*i32:16", "*u8:16", "*i32:16", "*u8:16", N=512)
    assert 'tile.inline_asm "shl.b32 $0, $2, 3;\\0A' in ir
    ptx = _C.compile(ir, "nvidia:sm_90a", 4)["asm"]["ptx"]
    assert "shl.b32" in ptx and "add.f32" in ptx
    # pack=4 on bytes: one xor per 4 elements, 4 elements per thread here.
    assert ptx.count("xor.b32") == 1


@pytest.mark.parametrize("target", ["nvidia:sm_90a", "amd:gfx942"])
def test_every_libdevice_function_compiles(target: str) -> None:
    skip_without_device_libs(target)
    @tessel.jit
    def all_fns(x_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        x = tl.load(x_ptr + offs)
        acc = x
        for name in tl.static_range(0, len(UNARY_NAMES)):
            acc += getattr(libdevice, UNARY_NAMES[name])(x)
        for name in tl.static_range(0, len(BINARY_NAMES)):
            acc += getattr(libdevice, BINARY_NAMES[name])(x, acc)
        acc += libdevice.fma(x, x, acc) + libdevice.pow_int(x, 3)
        tl.store(x_ptr + offs, acc)

    for dt in ("*fp32", "*fp64"):
        res = _C.compile(all_fns.ir(dt, N=256), target, 4)
        assert res["binary"]


UNARY_NAMES = tuple(
    n for n in (
        "acos acosh asin asinh atan atanh cbrt ceil cos cosh erf erfc erfcinv erfinv exp "
        "exp10 exp2 expm1 fabs floor j0 j1 lgamma log log10 log1p log2 logb nearbyint rcbrt "
        "rint round rsqrt sin sinh sinpi cospi sqrt tan tanh tgamma trunc y0 y1 normcdf "
        "normcdfinv"
    ).split()
)
BINARY_NAMES = tuple("atan2 copysign fdim fmax fmin fmod hypot nextafter pow remainder".split())


@tessel.jit
def asm_load_shift(x_ptr, y_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    # The assembly loads through the address itself (an `l` register).
    y = tl.inline_asm_elementwise("ld.global.b8 $0, [$1]; shl.b32 $0, $0, 3;", "=r,l",
                                  [x_ptr + offs], dtype=tl.int8, is_pure=True, pack=1)
    tl.store(y_ptr + offs, y)


def test_inline_asm_takes_pointers(monkeypatch) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    ir = asm_load_shift.ir("*u8", "*u8", BLOCK=128)
    assert "tile.inline_asm" in ir and "tensor<128x!tile.ptr<i8>>" in ir
    ptx = _C.compile(ir, "nvidia:sm_90a", 4)["asm"]["ptx"]
    assert "ld.global.b8 %r" in ptx and "shl.b32" in ptx
    # The kernel may store through what it hands the assembly.
    assert asm_load_shift.warmup("*u8", "*u8", BLOCK=128).stored_args == ("x_ptr", "y_ptr")


@pytest.mark.skipif(not __import__("tessel.runtime.driver", fromlist=["x"]).cuda_available(),
                    reason="needs a CUDA device")
def test_inline_asm_with_pointers_runs_on_the_gpu() -> None:
    torch = pytest.importorskip("torch")
    x = torch.randint(0, 32, (128,), dtype=torch.uint8, device="cuda")
    y = torch.zeros_like(x)
    asm_load_shift[(1,)](x, y, BLOCK=128)
    assert torch.equal(y, (x.to(torch.int32) << 3).to(torch.uint8))
