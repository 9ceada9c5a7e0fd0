"""Scans, atomics, trans and umulhi end to end against NumPy, on the CPU target
and, when a CUDA device is usable, on CUDA (device_cases.py); needs the
`_tessel` extension."""

from __future__ import annotations

import numpy as np
import pytest

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from device_cases import device  # noqa: F401 (a fixture)
from device_cases import dev as _dev
from device_cases import host as _host
from scan_kernels import (
    atomic_ops,
    cas_lock,
    cas_winners,
    counter_kernel,
    cumsum_1d,
    cumsum_2d,
    histogram,
    histogram_f,
    random_kernel,
    scan_custom,
    trans_kernel,
    umulhi_kernel,
    xchg_kernel,
)

RNG = np.random.default_rng(2468)


@pytest.fixture(autouse=True)
def _cpu_target(monkeypatch: pytest.MonkeyPatch) -> None:
    # The CPU, unless the test runs on a ``device`` (that fixture comes after
    # this one and picks the target).
    monkeypatch.setenv("TESSEL_TARGET", "cpu")


def np_scan(op: str, x: np.ndarray, axis: int, reverse: bool) -> np.ndarray:
    """In x's own dtype: NumPy would widen int32 to int64, where the kernel's
    int32 products wrap (only when a block's product overflows, so it
    depended on the random draw)."""
    f = np.cumprod if op == "cumprod" else np.cumsum
    if reverse:
        return np.flip(f(np.flip(x, axis), axis=axis, dtype=x.dtype), axis)
    return f(x, axis=axis, dtype=x.dtype)


# ---------------------------------------------------------------------------
# scans
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.int32])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("op", ["cumsum", "method_cumsum"])
def test_cumsum_1d(device: str, op: str, dtype: type, reverse: bool) -> None:
    n, BLOCK = 1000, 256  # 4 programs, a masked tail
    if dtype == np.float32:
        x = RNG.uniform(-10, 10, n).astype(dtype)
    else:
        x = RNG.integers(-1000, 1000, n).astype(dtype)
    out = _dev(np.zeros(n, dtype), device)
    cumsum_1d[(tessel.cdiv(n, BLOCK),)](_dev(x, device), out, n, OP=op, REVERSE=reverse,
                                        BLOCK=BLOCK)
    out = _host(out)
    padded = np.zeros(4 * BLOCK, np.float64 if dtype == np.float32 else np.int64)
    padded[:n] = x
    expected = np_scan("cumsum", padded.reshape(4, BLOCK), 1, reverse).ravel()[:n]
    if dtype == np.float32:
        np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-3)
    else:
        np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("reverse", [False, True])
def test_cumprod_1d(device: str, reverse: bool) -> None:
    n, BLOCK = 200, 64
    x = RNG.uniform(0.9, 1.1, n).astype(np.float32)
    out = _dev(np.zeros(n, np.float32), device)
    cumsum_1d[(tessel.cdiv(n, BLOCK),)](_dev(x, device), out, n, OP="cumprod", REVERSE=reverse,
                                        BLOCK=BLOCK)
    out = _host(out)
    padded = np.ones(4 * BLOCK, np.float64)
    padded[:n] = x
    expected = np_scan("cumprod", padded.reshape(4, BLOCK), 1, reverse).ravel()[:n]
    np.testing.assert_allclose(out, expected, rtol=1e-5)
    xi = RNG.integers(-3, 4, n).astype(np.int32)
    outi = _dev(np.zeros(n, np.int32), device)
    cumsum_1d[(tessel.cdiv(n, BLOCK),)](_dev(xi, device), outi, n, OP="cumprod",
                                        REVERSE=reverse, BLOCK=BLOCK)
    outi = _host(outi)
    paddedi = np.ones(4 * BLOCK, np.int32)
    paddedi[:n] = xi
    expectedi = np_scan("cumprod", paddedi.reshape(4, BLOCK), 1, reverse).ravel()[:n]
    np.testing.assert_array_equal(outi, expectedi)


def test_cumsum_int8_accumulates_in_int32(device: str) -> None:
    x = np.full(256, 100, np.int8)
    out = _dev(np.zeros(256, np.int32), device)
    cumsum_1d[(1,)](_dev(x, device), out, 256, OP="cumsum", REVERSE=False, BLOCK=256)
    np.testing.assert_array_equal(_host(out), np.arange(1, 257) * 100)


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("reverse", [False, True])
def test_cumsum_2d(device: str, axis: int, reverse: bool) -> None:
    M, N = 13, 30  # masked in both directions
    x = RNG.integers(-100, 100, (M, N)).astype(np.int32)
    out = _dev(np.zeros((M, N), np.int32), device)
    cumsum_2d[(1,)](_dev(x, device), out, M, N, AXIS=axis, REVERSE=reverse, BM=16, BN=32)
    np.testing.assert_array_equal(_host(out), np_scan("cumsum", x, axis, reverse))
    xf = RNG.uniform(-1, 1, (M, N)).astype(np.float32)
    outf = _dev(np.zeros((M, N), np.float32), device)
    cumsum_2d[(1,)](_dev(xf, device), outf, M, N, AXIS=axis, REVERSE=reverse, BM=16, BN=32)
    np.testing.assert_allclose(_host(outf), np_scan("cumsum", xf.astype(np.float64), axis, reverse),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan(device: str, reverse: bool) -> None:
    x = RNG.integers(-1000, 1000, 128).astype(np.int32)
    s, m = _dev(np.zeros(128, np.int32), device), _dev(np.zeros(128, np.int32), device)
    scan_custom[(1,)](_dev(x, device), s, m, BLOCK=128, REVERSE=reverse)
    s, m = _host(s), _host(m)
    np.testing.assert_array_equal(s, np_scan("cumsum", x, 0, reverse))
    acc = np.maximum.accumulate(x[::-1])[::-1] if reverse else np.maximum.accumulate(x)
    np.testing.assert_array_equal(m, acc)


def test_scan_ir_and_errors() -> None:
    x = np.zeros(64, np.float32)
    ir = cumsum_1d.ir(x, x, 64, OP="cumsum", REVERSE=True, BLOCK=64)
    assert "tile.scan(" in ir and "axis = 0 reverse = true" in ir

    @tessel.jit
    def bad_axis(x_ptr):
        x = tl.load(x_ptr + tl.arange(0, 16))
        tl.store(x_ptr + tl.arange(0, 16), tl.cumsum(x, axis=1))

    with pytest.raises(tessel.CompilationError, match="axis 1 is out of range"):
        bad_axis[(1,)](np.zeros(16, np.float32))

    @tessel.jit
    def not_jit(x_ptr):
        x = tl.load(x_ptr + tl.arange(0, 16))
        tl.store(x_ptr + tl.arange(0, 16), tl.associative_scan(x, 0, max))

    with pytest.raises(tessel.CompilationError, match="must be a @tessel.jit function"):
        not_jit[(1,)](np.zeros(16, np.float32))


# ---------------------------------------------------------------------------
# atomics
# ---------------------------------------------------------------------------
def test_atomic_add_histogram_int(device: str) -> None:
    n, bins = 3000, 64
    x = RNG.integers(0, bins, n).astype(np.int32)
    hist = _dev(np.zeros(bins, np.int32), device)
    histogram[(tessel.cdiv(n, 256),)](_dev(x, device), hist, n, BLOCK=256)
    np.testing.assert_array_equal(_host(hist), np.bincount(x, minlength=bins))


def test_atomic_add_histogram_float(device: str) -> None:
    n, bins = 2000, 16
    x = RNG.integers(0, bins, n).astype(np.int32)
    w = RNG.uniform(0, 1, n).astype(np.float32)
    hist = _dev(np.zeros(bins, np.float32), device)
    histogram_f[(tessel.cdiv(n, 256),)](_dev(x, device), hist, _dev(w, device), n, BLOCK=256)
    # Float atomic adds land in no fixed order (on a GPU they race), and each
    # order rounds differently: a tolerance, on every device.
    np.testing.assert_allclose(_host(hist), np.bincount(x, weights=w, minlength=bins),
                               rtol=1e-4)


@pytest.mark.parametrize("op", ["max", "min", "and", "or", "xor"])
@pytest.mark.parametrize("dtype", [np.int32, np.uint32, np.int64])
def test_atomic_int_ops(device: str, op: str, dtype: type) -> None:
    n = 1000
    info = np.iinfo(dtype)
    if op in ("max", "min"):
        x = RNG.integers(max(info.min, -(10**6)), min(info.max, 10**6), n).astype(dtype)
        if dtype == np.uint32:
            x[::7] |= np.uint32(0x80000000)  # unsigned comparison matters
        init = {"max": info.min, "min": info.max}[op]
    else:
        x = RNG.integers(0, 1 << 20, n).astype(dtype)
        init = {"and": (1 << 20) - 1, "or": 0, "xor": 0}[op]
    out = _dev(np.full(16, init, dtype), device)
    old = _dev(np.zeros(n, dtype), device)
    atomic_ops[(tessel.cdiv(n, 128),)](_dev(x, device), out, old, n, OP=op, BLOCK=128)
    out = _host(out)
    fn = {"max": np.maximum, "min": np.minimum, "and": np.bitwise_and,
          "or": np.bitwise_or, "xor": np.bitwise_xor}[op]
    expected = np.full(16, init, dtype)
    for i in range(16):
        expected[i] = fn.reduce(np.concatenate([[init], x[i::16]]).astype(dtype))
    np.testing.assert_array_equal(out, expected)


def test_atomic_xchg(device: str) -> None:
    before = RNG.uniform(-1, 1, 64).astype(np.float32)
    mem = _dev(before.copy(), device)
    vals = RNG.uniform(-1, 1, 64).astype(np.float32)
    old = _dev(np.zeros(64, np.float32), device)
    xchg_kernel[(1,)](mem, _dev(vals, device), old, BLOCK=64)
    np.testing.assert_array_equal(_host(old), before)
    np.testing.assert_array_equal(_host(mem), vals)


def test_scalar_counter_old_values(device: str) -> None:
    P = 100
    counter = _dev(np.zeros(1, np.int32), device)
    old = _dev(np.full(P, -1, np.int32), device)
    counter_kernel[(P,)](counter, old)
    counter, old = _host(counter), _host(old)
    assert counter[0] == P
    assert sorted(old.tolist()) == list(range(P))


def test_atomic_cas_winners(device: str) -> None:
    P, F = 20, 32
    flags = _dev(np.zeros(F, np.int32), device)
    wins = _dev(np.zeros(P, np.int32), device)
    cas_winners[(P,)](flags, wins, NFLAGS=F)
    flags, wins = _host(flags), _host(wins)
    assert wins.sum() == F  # each flag is won once
    assert ((flags >= 1) & (flags <= P)).all()
    for p in range(P):
        assert wins[p] == (flags == p + 1).sum()


def test_serialized_add_under_lock(device: str) -> None:
    from scan_kernels import serialized_add

    # Random starting values; adding 1.0 to them 64 times is exact (they are
    # multiples of 2**-8 well below 2**15), in whatever order the programs
    # take the lock.
    start = (np.random.default_rng(5).integers(-4096, 4096, 128) / 256).astype(np.float32)
    data = _dev(start.copy(), device)
    lock = _dev(np.zeros(1, np.int32), device)
    serialized_add[(64,)](data, lock, N=128)
    data, lock = _host(data), _host(lock)
    np.testing.assert_array_equal(data, start + 64)
    assert lock[0] == 0


def test_atomic_cas_lock(device: str) -> None:
    P = 64
    lock = _dev(np.zeros(1, np.int32), device)
    start = int(np.random.default_rng(6).integers(-1000, 1000))
    counter = _dev(np.array([start], np.int32), device)
    cas_lock[(P,)](lock, counter)
    counter, lock = _host(counter), _host(lock)
    assert counter[0] == start + P and lock[0] == 0


def test_atomic_ir_and_errors() -> None:
    x = np.zeros(16, np.int32)
    ir = histogram.ir(x, x, 16, BLOCK=16)
    assert "tile.atomic_rmw add, acq_rel, gpu," in ir

    @tessel.jit
    def half_max(p):
        tl.atomic_max(p + tl.arange(0, 16), 1.0)

    with pytest.raises(tessel.CompilationError, match="float32 or float64"):
        half_max[(1,)](np.zeros(16, np.float16))

    @tessel.jit
    def bad_sem(p):
        tl.atomic_add(p, 1, sem="seq_cst")

    with pytest.raises(tessel.CompilationError, match="sem must be one of"):
        bad_sem[(1,)](np.zeros(1, np.int32))

    @tessel.jit
    def small_int(p):
        tl.atomic_add(p, 1)

    with pytest.raises(tessel.CompilationError, match="32- or 64-bit integers"):
        small_int[(1,)](np.zeros(1, np.int16))


# ---------------------------------------------------------------------------
# trans, umulhi, debug_barrier
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["trans", "permute", "T"])
def test_trans(device: str, method: str) -> None:
    M, N = 16, 32
    x = RNG.uniform(-1, 1, (M, N)).astype(np.float32)
    out = _dev(np.zeros((N, M), np.float32), device)
    trans_kernel[(1,)](_dev(x, device), out, M=M, N=N, METHOD=method)
    np.testing.assert_array_equal(_host(out), x.T)


def test_umulhi(device: str) -> None:
    x = RNG.integers(0, 1 << 32, 256, dtype=np.uint64).astype(np.uint32)
    y = RNG.integers(0, 1 << 32, 256, dtype=np.uint64).astype(np.uint32)
    out = _dev(np.zeros(256, np.uint32), device)
    umulhi_kernel[(1,)](_dev(x, device), _dev(y, device), out, BLOCK=256)
    expected = ((x.astype(np.uint64) * y.astype(np.uint64)) >> 32).astype(np.uint32)
    np.testing.assert_array_equal(_host(out), expected)


def test_debug_barrier(device: str) -> None:
    @tessel.jit
    def k(p, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        tl.store(p + offs, offs)
        tl.debug_barrier()
        tl.store(p + offs, tl.load(p + offs) + 1)

    x = np.random.default_rng(7).integers(-1000, 1000, 64).astype(np.int32)  # overwritten
    assert "tile.barrier" in k.ir(x, BLOCK=64)
    x = _dev(x, device)
    k[(1,)](x, BLOCK=64)
    np.testing.assert_array_equal(_host(x), np.arange(64) + 1)


# ---------------------------------------------------------------------------
# random (Philox-4x32, as Triton)
# ---------------------------------------------------------------------------
def np_philox(seed: int, offsets: np.ndarray, n_rounds: int = 10) -> tuple[np.ndarray, ...]:
    M = np.uint64(0xFFFFFFFF)
    seed = np.uint64(seed & 0xFFFFFFFFFFFFFFFF)
    k0 = np.full(offsets.shape, seed & M, np.uint64)
    k1 = np.full(offsets.shape, (seed >> np.uint64(32)) & M, np.uint64)
    wide = offsets.astype(np.int64).view(np.uint64)
    c0 = wide & M
    c1 = (wide >> np.uint64(32)) if offsets.dtype.itemsize == 8 else np.zeros_like(c0)
    c2 = np.zeros_like(c0)
    c3 = np.zeros_like(c0)
    A, B = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
    for _ in range(n_rounds):
        p0, p2 = A * c0, B * c2  # < 2**64: exact
        c0, c1, c2, c3 = (
            ((p2 >> np.uint64(32)) ^ c1 ^ k0) & M,
            p2 & M,
            ((p0 >> np.uint64(32)) ^ c3 ^ k1) & M,
            p0 & M,
        )
        k0 = (k0 + np.uint64(0x9E3779B9)) & M
        k1 = (k1 + np.uint64(0xBB67AE85)) & M
    return tuple(c.astype(np.uint32) for c in (c0, c1, c2, c3))


def np_uniform(x: np.ndarray) -> np.ndarray:
    i = x.view(np.int32).astype(np.int64)
    i = np.where(i < 0, -i - 1, i)
    return i.astype(np.float32) * np.float32(4.6566127342e-10)


@pytest.mark.parametrize("seed", [0, 1234, 2**40 + 17])
def test_randint(device: str, seed: int) -> None:
    n = 1000
    out = _dev(np.zeros(n, np.uint32), device)
    random_kernel[(tessel.cdiv(n, 256),)](seed, out, n, KIND="randint", BLOCK=256)
    np.testing.assert_array_equal(_host(out), np_philox(seed, np.arange(n))[0])
    out4 = _dev(np.zeros(n, np.uint32), device)
    random_kernel[(tessel.cdiv(n, 256),)](seed, out4, n, KIND="randint4x", BLOCK=256)
    a, b, c, d = np_philox(seed, np.arange(n), 7)
    np.testing.assert_array_equal(_host(out4), a ^ b ^ c ^ d)


@tessel.jit
def random_offset64_kernel(seed, base, out_ptr, BLOCK: tl.constexpr):
    offs = base + tl.arange(0, BLOCK).to(tl.int64) * 3
    tl.store(out_ptr + tl.arange(0, BLOCK), tl.randint(seed, offs))


def test_randint_64bit_offsets(device: str) -> None:
    """Offsets past 2**32 use their high word as the second counter (Triton's
    randint4x), so they do not wrap onto low offsets."""
    base = 2**33 + 5
    out = _dev(np.zeros(256, np.uint32), device)
    random_offset64_kernel[(1,)](7, base, out, BLOCK=256)
    out = _host(out)
    offs = base + np.arange(256, dtype=np.int64) * 3
    np.testing.assert_array_equal(out, np_philox(7, offs)[0])
    assert not np.array_equal(out, np_philox(7, (offs & 0xFFFFFFFF).astype(np.int32))[0])


def test_rand_randn(device: str) -> None:
    n, seed = 4096, 42
    u = _dev(np.zeros(n, np.float32), device)
    random_kernel[(tessel.cdiv(n, 1024),)](seed, u, n, KIND="rand", BLOCK=1024)
    u = _host(u)
    assert (u >= 0).all() and (u < 1).all()
    np.testing.assert_allclose(u, np_uniform(np_philox(seed, np.arange(n))[0]), rtol=1e-6)
    assert abs(u.mean() - 0.5) < 0.03
    z = _dev(np.zeros(n, np.float32), device)
    random_kernel[(tessel.cdiv(n, 1024),)](seed, z, n, KIND="randn", BLOCK=1024)
    z = _host(z)
    i1, i2, _, _ = np_philox(seed, np.arange(n))
    u1 = np.maximum(np.float32(1e-7), np_uniform(i1)).astype(np.float64)
    u2 = np_uniform(i2).astype(np.float64)
    expected = np.sqrt(-2.0 * np.log(u1)) * np.cos(2 * np.pi * u2)
    np.testing.assert_allclose(z, expected, rtol=1e-4, atol=1e-4)
    assert abs(z.mean()) < 0.1 and abs(z.std() - 1) < 0.1


@pytest.mark.parametrize("dtype", [np.float16, np.int16, np.uint16])
def test_atomic_cas_16_bit(device: str, dtype) -> None:
    # Triton accepts 16-bit compare-and-swap (float16, bfloat16): PTX
    # atom.cas.b16 on NVIDIA, LLVM's cmpxchg elsewhere.
    @tessel.jit
    def cas16(ptr, cmp_ptr, val_ptr, old_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        old = tl.atomic_cas(ptr + offs, tl.load(cmp_ptr + offs), tl.load(val_ptr + offs))
        tl.store(old_ptr + offs, old)

    rng = np.random.default_rng(11)
    n = 64
    mem = rng.integers(0, 100, n).astype(dtype)
    cmp = np.where(rng.random(n) < 0.5, mem, mem + 1).astype(dtype)
    val = rng.integers(100, 200, n).astype(dtype)
    expected = np.where(mem == cmp, val, mem)
    old = _dev(np.zeros_like(mem), device)
    before = mem.copy()
    mem = _dev(mem, device)
    cas16[(1,)](mem, _dev(cmp, device), _dev(val, device), old, N=n)
    np.testing.assert_array_equal(_host(old), before)
    np.testing.assert_array_equal(_host(mem), expected)
    from tessel._ext import _C

    ptr = {np.float16: "*fp16", np.int16: "*i16", np.uint16: "*u16"}[dtype]
    ir = cas16.ir(ptr, ptr, ptr, ptr, N=n)
    assert "atom.global.acq_rel.gpu.cas.b16" in _C.compile(ir, "nvidia:sm_90a", 4)["asm"]["ptx"]
