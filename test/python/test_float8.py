"""float8e4nv / float8e5 / float8e4b15 conversions (and rtz float downcasts) on the CPU
backend, bit-exact against the format definitions (fp8_reference.py)."""
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
from fp8_reference import code_values, decode, encode, max_finite_code

FP8 = {"fp8e4nv": tl.float8e4nv, "fp8e5": tl.float8e5, "fp8e4b15": tl.float8e4b15}


@tessel.jit
def encode_kernel(x_ptr, bits_ptr, back_ptr, FMT: tl.constexpr, RND: tl.constexpr,
                  N: tl.constexpr):
    offs = tl.arange(0, N)
    f8 = tl.load(x_ptr + offs).to(FMT, fp_downcast_rounding=RND)
    tl.store(bits_ptr + offs, f8.to(tl.uint8, bitcast=True))
    tl.store(back_ptr + offs, f8.to(tl.float32))


@tessel.jit
def decode_kernel(bits_ptr, out_ptr, h_ptr, FMT: tl.constexpr, N: tl.constexpr):
    offs = tl.arange(0, N)
    f8 = tl.load(bits_ptr + offs).to(FMT, bitcast=True)
    tl.store(out_ptr + offs, f8.to(tl.float32))
    tl.store(h_ptr + offs, f8.to(tl.float16))


def _inputs(name: str) -> np.ndarray:
    """Random magnitudes over the format's range and beyond, every code's
    value, every midpoint between neighbours (the ties), and specials."""
    rng = np.random.default_rng(len(name))
    values = code_values(name)
    finite = values[np.isfinite(values)]
    pos = np.sort(np.unique(np.abs(finite)))
    mids = (pos[:-1] + pos[1:]) / 2
    rand = rng.standard_normal(1000) * np.exp2(rng.integers(-24, 20, 1000))
    specials = [0.0, -0.0, np.inf, -np.inf, np.nan, pos[-1] * 1.01, 1e30, -1e30, 1e-30]
    x = np.concatenate([rand, finite, mids, -mids, specials]).astype(np.float32)
    n = 1 << int(np.ceil(np.log2(len(x))))
    return np.concatenate([x, np.zeros(n - len(x), np.float32)])


@pytest.mark.parametrize("rnd", ["rtne", "rtz"])
@pytest.mark.parametrize("name", sorted(FP8))
def test_encode_matches_reference(name: str, rnd: str) -> None:
    x = _inputs(name)
    bits = np.zeros(len(x), np.uint8)
    back = np.zeros(len(x), np.float32)
    encode_kernel[(1,)](x, bits, back, FMT=FP8[name], RND=rnd, N=len(x))
    ref = encode(x, name, rnd)
    bad = np.nonzero(bits != ref)[0]
    assert len(bad) == 0, (x[bad[:5]], bits[bad[:5]], ref[bad[:5]])
    np.testing.assert_array_equal(back, decode(ref, name))
    # Saturation: nothing finite encodes to a NaN or infinity.
    top = max_finite_code(name)
    assert ((bits & 0x7F) <= top)[np.isfinite(x)].all()


@pytest.mark.parametrize("name", sorted(FP8))
def test_decode_every_code(name: str) -> None:
    codes = np.arange(256, dtype=np.uint8)
    out = np.zeros(256, np.float32)
    half = np.zeros(256, np.float16)
    decode_kernel[(1,)](codes, out, half, FMT=FP8[name], N=256)
    ref = code_values(name).astype(np.float32)
    np.testing.assert_array_equal(out, ref)
    np.testing.assert_array_equal(np.signbit(out), np.signbit(ref))
    np.testing.assert_array_equal(half, ref.astype(np.float16))


def test_between_float8_formats_and_promotion() -> None:
    @tessel.jit
    def k(bits_ptr, out_ptr, sum_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        e4 = tl.load(bits_ptr + offs).to(tl.float8e4nv, bitcast=True)
        e5 = e4.to(tl.float8e5)
        tl.store(out_ptr + offs, e5.to(tl.uint8, bitcast=True))
        tl.store(sum_ptr + offs, e4 + e5)  # two formats meet in float16

    codes = np.arange(256, dtype=np.uint8)
    out = np.zeros(256, np.uint8)
    sums = np.zeros(256, np.float16)
    k[(1,)](codes, out, sums, N=256)
    v4 = code_values("fp8e4nv").astype(np.float32)
    np.testing.assert_array_equal(out, encode(v4, "fp8e5"))
    expected = (v4.astype(np.float16) + decode(out, "fp8e5").astype(np.float16))
    np.testing.assert_array_equal(sums, expected)


@pytest.mark.parametrize("dst", ["fp16", "bf16"])
def test_rtz_downcasts(dst: str) -> None:
    @tessel.jit
    def k(x_ptr, out_ptr, DST: tl.constexpr, N: tl.constexpr):
        offs = tl.arange(0, N)
        y = tl.load(x_ptr + offs).to(DST, fp_downcast_rounding="rtz")
        tl.store(out_ptr + offs, y.to(tl.uint16, bitcast=True))

    rng = np.random.default_rng(4)
    x = (rng.standard_normal(4096) * np.exp2(rng.integers(-30, 30, 4096))).astype(np.float32)
    x[:6] = [np.inf, -np.inf, np.nan, 1e38, -1e-40, 70000.0]
    out = np.zeros(4096, np.uint16)
    k[(1,)](x, out, DST=tl.float16 if dst == "fp16" else tl.bfloat16, N=4096)
    if dst == "bf16":
        u = x.view(np.uint32)
        ref = (u >> 16).astype(np.uint16)
        ref = np.where(np.isnan(x), np.uint16(0x7FC0) | (ref & 0x8000), ref)
    else:
        with np.errstate(over="ignore"):
            near = x.astype(np.float16)
        toward = np.where(np.abs(near.astype(np.float64)) > np.abs(x.astype(np.float64)),
                          np.nextafter(near, np.float16(0)), near)
        toward = np.where(np.isinf(near) & np.isfinite(x),
                          np.copysign(np.float16(65504), x).astype(np.float16), toward)
        ref = np.where(np.isnan(x), np.float16(np.nan), toward).view(np.uint16)
        ref = np.where(np.isnan(x), (ref & 0x8000) | np.uint16(0x7E00), ref)
    np.testing.assert_array_equal(out, ref)


def test_float8_arithmetic_is_refused() -> None:
    @tessel.jit
    def k(x_ptr):
        f = tl.load(x_ptr).to(tl.float8e4nv, bitcast=True)
        tl.store(x_ptr, (f * f).to(tl.uint8, bitcast=True))

    with pytest.raises(CompilationError, match="float8 is a storage format"):
        k.ir("*u8")


@pytest.mark.parametrize("target", ["nvidia:sm_90a", "amd:gfx942"])
def test_compiles_for_gpu_targets(target: str) -> None:
    for fmt in FP8.values():
        ir = encode_kernel.ir("*fp32:16", "*u8:16", "*fp32:16", FMT=fmt, RND="rtne", N=1024)
        assert _C.compile(ir, target, 4)["binary"]


def test_float8e4b15_is_triton_bias_15_e4m3() -> None:
    t = tl.float8e4b15
    assert (t.primitive_bitwidth, t.fp_mantissa_width, t.exponent_bias) == (8, 3, 15)
    assert t.is_fp8() and t.is_fp8e4b15() and not t.is_fp8e4nv() and repr(t) == "tl.float8e4b15"
    # every code is finite; the largest magnitude is 1.875 (code 0x7F)
    values = code_values("fp8e4b15")
    assert np.isfinite(values).all() and values[0x7F] == 1.875 and values[0xFF] == -1.875
    x = np.array([2.0, -2.0, np.inf, -np.inf, np.nan, 1.875, 2.0**-17, 2.0**-18], np.float32)
    x = np.concatenate([x, np.zeros(8, np.float32)])
    bits = np.zeros(16, np.uint8)
    back = np.zeros(16, np.float32)
    encode_kernel[(1,)](x, bits, back, FMT=tl.float8e4b15, RND="rtne", N=16)
    # saturation (NaN too, by its sign bit: the format has no NaN); the
    # smallest subnormal 2**-17 is exact, 2**-18 ties to even (zero)
    assert bits[:8].tolist() == [0x7F, 0xFF, 0x7F, 0xFF, 0x7F, 0x7F, 0x01, 0x00]


@tessel.jit
def e4b15_dot_kernel(a_ptr, b_ptr, c_ptr, sum_ptr, N: tl.constexpr):
    r = tl.arange(0, N)
    offs = r[:, None] * N + r[None, :]
    a = tl.load(a_ptr + offs).to(tl.float8e4b15, bitcast=True)
    b = tl.load(b_ptr + offs).to(tl.float8e4nv, bitcast=True)
    tl.store(c_ptr + offs, tl.dot(a, b))
    s = a + b  # two float8 formats meet in float16
    tl.static_assert(s.dtype == tl.float16)
    tl.store(sum_ptr + offs, s)


def test_float8e4b15_dot_and_promotion() -> None:
    n = 16
    rng = np.random.default_rng(15)
    finite4 = np.nonzero(np.isfinite(code_values("fp8e4nv")))[0]
    a = rng.integers(0, 256, (n, n)).astype(np.uint8)
    b = rng.choice(finite4, (n, n)).astype(np.uint8)
    c = np.zeros((n, n), np.float32)
    s = np.zeros((n, n), np.float16)
    e4b15_dot_kernel[(1,)](a, b, c, s, N=n)
    av, bv = decode(a, "fp8e4b15").astype(np.float64), decode(b, "fp8e4nv").astype(np.float64)
    np.testing.assert_allclose(c, av @ bv, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(s, av.astype(np.float16) + bv.astype(np.float16))


@pytest.mark.parametrize("name", ["fp8e4nv", "fp8e5"])
def test_number_constants_of_float8_type(name: str) -> None:
    """A Python number where a float8 value is wanted (`other=` of a float8
    load, `tl.full`) is rounded to the format like `.to()`: the constant is
    the format's byte (it was an invalid float literal of the i8 type)."""
    fmt = {"fp8e4nv": tl.float8e4nv, "fp8e5": tl.float8e5}[name]

    @tessel.jit
    def k(x_ptr, out_ptr, full_ptr, n, FMT: tl.constexpr):
        offs = tl.arange(0, 16)
        p = x_ptr.to(tl.pointer_type(FMT))
        x = tl.load(p + offs, mask=offs < n, other=-1.5)
        tl.store(out_ptr + offs, x.to(tl.float32))
        tl.store(full_ptr.to(tl.pointer_type(FMT)) + offs, tl.full((16,), 3.3, FMT))

    vals = np.linspace(-2, 2, 16).astype(np.float32)
    codes = encode(vals, name)
    out = np.zeros(16, np.float32)
    full = np.zeros(16, np.uint8)
    k[(1,)](codes, out, full, 10, FMT=fmt)
    np.testing.assert_array_equal(out[:10], decode(codes, name)[:10])
    np.testing.assert_array_equal(out[10:], np.full(6, -1.5, np.float32))
    np.testing.assert_array_equal(full, encode(np.full(16, 3.3, np.float32), name))


@pytest.mark.parametrize("name", ["fp8e4nv", "fp8e5"])
def test_encode_on_cuda_matches_reference(name: str) -> None:
    """On NVIDIA sm_89 and later the rounding is one cvt.rn.satfinite per
    pair of elements (tile.float8_encode), elsewhere integer arithmetic: the
    same codes, but for the sign of a NaN (the instruction's NaN is
    canonical)."""
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available() or not _C.cuda_available():
        pytest.skip("no CUDA device")
    x = _inputs(name)
    xs = torch.from_numpy(x).cuda()
    bits = torch.zeros(len(x), dtype=torch.uint8, device="cuda")
    back = torch.zeros(len(x), dtype=torch.float32, device="cuda")
    encode_kernel[(1,)](xs, bits, back, FMT=FP8[name], RND="rtne", N=len(x))
    got, ref = bits.cpu().numpy(), encode(x, name, "rtne")
    nan = np.isnan(x)
    np.testing.assert_array_equal(got[~nan], ref[~nan])
    assert ((got[nan] & 0x7F) == (ref[nan] & 0x7F)).all()


@tessel.jit
def widen_kernel(x_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    tl.store(out_ptr + offs, tl.load(x_ptr + offs).to(tl.float32))


@pytest.mark.parametrize("name", ["fp8e4nv", "fp8e5"])
def test_reinterpret_passes_codes_as_float8_pointers(name: str) -> None:
    """tessel.reinterpret (Triton's triton.reinterpret): a uint8 array of codes
    reaches the kernel as a float8 pointer; a wrapper of a wrapper keeps the
    array; widths must match and only arrays and tensors wrap."""
    codes = np.arange(256, dtype=np.uint8)
    out = np.zeros(256, np.float32)
    arg = tessel.reinterpret(tessel.reinterpret(codes, tl.int8), FP8[name])
    assert arg.base is codes and arg.dtype == FP8[name] and arg.shape == (256,)
    widen_kernel[(1,)](arg, out, N=256)
    np.testing.assert_array_equal(out, code_values(name).astype(np.float32))
    with pytest.raises(TypeError, match="8 bits, the array's are 32"):
        tessel.reinterpret(np.zeros(4, np.float32), FP8[name])
    with pytest.raises(TypeError, match="expected an array or tensor"):
        tessel.reinterpret(3, FP8[name])
    with pytest.raises(TypeError, match="expected an array or tensor"):
        tessel.reinterpret(np.int8(3), FP8[name])
    with pytest.raises(TypeError, match="element dtype"):
        tessel.reinterpret(codes, tl.pointer_type(FP8[name]))
    with pytest.raises(TypeError, match="negative strides"):
        tessel.reinterpret(codes[::-1], FP8[name])
