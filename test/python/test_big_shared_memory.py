"""Kernels whose scratch shared memory goes past the 48 KiB a CUDA block gets
without opting in (issue 10): a 5-D block permuted and summed three times
(132 KiB on sm_90a), linear-recurrence scans down the rows of tall 2-D blocks
(32 KiB for 1024 x 2 with 4 warps, 128 KiB for 2048 x 4), and a 128 x 128
tl.trans (64.5 KiB). Each is checked against NumPy on random data.

Every launch test runs on the CPU backend, and once more on CUDA when a CUDA
device is usable (torch with CUDA and the driver Tessel loads, as in
test_cuda.py; the ``device`` fixture of device_cases.py): the GPU suite
(scripts/gpu_check.sh) launches them on the GPU with no extra setting.
``TESSEL_CONFORMANCE_DEVICE=cuda`` makes the CUDA cases mandatory (they fail
instead of skipping without a device); ``TESSEL_CONFORMANCE_DEVICE=cpu``
leaves them out.

Compile-only checks for sm_90a (no GPU needed) pin the sizes: the big kernels
need more than 48 KiB, so they only launch because the runtime raises the
dynamic shared-memory limit, and a kernel past the 227 KiB limit fails at
compile time with OutOfResources naming the bytes required and the limit.
"""
from __future__ import annotations

import numpy as np
import pytest

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from device_cases import CUDA_SKIP, device  # noqa: F401 (device is a fixture)
from device_cases import dev as _dev
from device_cases import host as _host
from tessel.runtime.errors import OutOfResources

DEFAULT_SHARED = 48 * 1024  # what a CUDA block gets without the opt-in
SM90_SHARED = 232448  # 227 KiB, the opt-in limit on Hopper


def _check_shared(k, device: str, least: int) -> None:
    """On CUDA the launched kernel really asked for at least ``least`` bytes
    (and no more than Hopper allows); the CPU keeps its tiles elsewhere."""
    if device == "cuda":
        assert least <= k.metadata.shared <= SM90_SHARED, k.metadata.shared


# ---------------------------------------------------------------------------
# Kernels
# ---------------------------------------------------------------------------

@tessel.jit
def permuted_triple_sum(src, dst,
                        S0: tl.constexpr, S1: tl.constexpr, S2: tl.constexpr,
                        S3: tl.constexpr, S4: tl.constexpr,
                        P0: tl.constexpr, P1: tl.constexpr, P2: tl.constexpr,
                        P3: tl.constexpr, P4: tl.constexpr,
                        A0: tl.constexpr, A1: tl.constexpr, A2: tl.constexpr):
    """Loads a contiguous S0 x .. x S4 block, reorders its axes by P, then
    sums away axis A0, then A1 of what is left, then A2; the 2-D remainder is
    stored row-major."""
    offsets = tl.reshape(tl.arange(0, S0 * S1 * S2 * S3 * S4), (S0, S1, S2, S3, S4))
    block = tl.permute(tl.load(src + offsets), (P0, P1, P2, P3, P4))
    total = tl.sum(tl.sum(tl.sum(block, A0), A1), A2)
    out = (tl.arange(0, total.shape[0])[:, None] * total.shape[1]
           + tl.arange(0, total.shape[1])[None, :])
    tl.store(dst + out, total)


@tessel.jit
def _affine_compose(a_first, b_first, a_then, b_then):
    # x -> a_first * x + b_first followed by x -> a_then * x + b_then.
    return a_first * a_then, b_first * a_then + b_then


@tessel.jit
def recurrence_down_rows(a_ptr, b_ptr, out_ptr, M: tl.constexpr, N: tl.constexpr,
                         REVERSE: tl.constexpr):
    """h[i] = a[i] * h[i-1] + b[i] down each column (h[-1] = 0), through an
    associative scan over (a, b) pairs along axis 0; REVERSE runs from the
    last row up."""
    grid = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    a = tl.load(a_ptr + grid)
    b = tl.load(b_ptr + grid)
    _, h = tl.associative_scan((a, b), 0, _affine_compose, reverse=REVERSE)
    tl.store(out_ptr + grid, h)


@tessel.jit
def transpose_tile(src, dst, M: tl.constexpr, N: tl.constexpr):
    """dst (N x M) = src (M x N) transposed, in one tile."""
    tile = tl.load(src + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    tl.store(dst + tl.arange(0, N)[:, None] * M + tl.arange(0, M)[None, :], tl.trans(tile))


# ---------------------------------------------------------------------------
# NumPy references
# ---------------------------------------------------------------------------

def _triple_sum_ref(x: np.ndarray, perm, axes) -> np.ndarray:
    r = x.transpose(perm)
    for ax in axes:
        r = r.sum(axis=ax, dtype=x.dtype)
    return r


def _recurrence_ref(a: np.ndarray, b: np.ndarray, reverse: bool) -> np.ndarray:
    """Row by row, in the inputs' type for ints (wrapping, as the GPU does:
    the wrapped result does not depend on the scan's grouping), in float64
    for floats."""
    wide = np.float64 if a.dtype.kind == "f" else a.dtype
    a, b = a.astype(wide), b.astype(wide)
    order = range(a.shape[0] - 1, -1, -1) if reverse else range(a.shape[0])
    h = np.zeros_like(b)
    acc = np.zeros(a.shape[1], wide)
    with np.errstate(over="ignore"):
        for i in order:
            acc = a[i] * acc + b[i]
            h[i] = acc
    return h


# ---------------------------------------------------------------------------
# Launches, checked against NumPy
# ---------------------------------------------------------------------------

# (shape, permutation, axes summed in turn, shared bytes at least on CUDA).
# The first two are the shapes of Triton's chained-reduction test (a 32768
# element block: 132 KiB of scratch); the last is a small one. The first
# takes ~5 s to compile for NVIDIA here (14.5K lines of PTX, mostly ptxas).
TRIPLE_SUMS = [
    ((4, 32, 32, 4, 2), (2, 1, 0, 3, 4), (3, 1, 0), DEFAULT_SHARED + 1),
    ((8, 2, 32, 4, 16), (4, 0, 1, 3, 2), (0, 2, 0), DEFAULT_SHARED + 1),
    ((2, 4, 8, 4, 2), (1, 3, 4, 0, 2), (2, 0, 1), 0),
]


@pytest.mark.parametrize("shape, perm, axes, least", TRIPLE_SUMS,
                         ids=["x".join(map(str, c[0])) for c in TRIPLE_SUMS])
def test_permuted_triple_sum(device: str, shape, perm, axes, least) -> None:
    rng = np.random.default_rng(sum(shape))
    x = rng.integers(-1000, 1000, size=shape, dtype=np.int32)
    ref = _triple_sum_ref(x, perm, axes)
    assert ref.ndim == 2 and np.any(ref != 0)
    dst = _dev(np.zeros(ref.size, np.int32), device)
    k = permuted_triple_sum[(1,)](
        _dev(x.ravel(), device), dst, *shape, *perm, *axes)
    np.testing.assert_array_equal(_host(dst).reshape(ref.shape), ref)
    _check_shared(k, device, least)


# (M, N, reverse, shared bytes at least on CUDA). 1024 x 2 is the shape of
# Triton's 2-D scan test that failed on the H200 (32 KiB); 2048 x 4 needs
# 128 KiB, past the default 48 KiB.
RECURRENCES = [
    (1024, 2, False, 16 * 1024),
    (1024, 2, True, 16 * 1024),
    (2048, 4, False, DEFAULT_SHARED + 1),
    (32, 4, False, 0),
]


@pytest.mark.parametrize("dtype", ["float32", "int32"])
@pytest.mark.parametrize("M, N, reverse, least", RECURRENCES,
                         ids=[f"{m}x{n}{'-rev' if r else ''}" for m, n, r, _ in RECURRENCES])
def test_linear_recurrence_scan(device: str, dtype: str, M: int, N: int, reverse: bool,
                                least: int) -> None:
    rng = np.random.default_rng(M * 7 + N)
    if dtype == "float32":
        # |a| < 1 keeps h bounded; h mixes many terms, so compare on its scale.
        a = rng.uniform(-0.99, 0.99, (M, N)).astype(np.float32)
        b = rng.standard_normal((M, N)).astype(np.float32)
    else:
        a = rng.integers(-9, 10, (M, N), dtype=np.int32)
        b = rng.integers(-1000, 1000, (M, N), dtype=np.int32)
    ref = _recurrence_ref(a, b, reverse)
    out = _dev(np.zeros((M, N), a.dtype), device)
    k = recurrence_down_rows[(1,)](_dev(a, device), _dev(b, device), out,
                                   M=M, N=N, REVERSE=reverse, num_warps=4)
    got = _host(out)
    if dtype == "float32":
        np.testing.assert_allclose(got, ref, rtol=0, atol=2e-5 * (np.abs(ref).max() + 1))
    else:
        np.testing.assert_array_equal(got, ref)
    _check_shared(k, device, least)


TRANSPOSES = [
    (128, 128, np.float32, DEFAULT_SHARED + 1),  # 64.5 KiB on sm_90a
    (128, 64, np.float64, DEFAULT_SHARED + 1),  # 65 KiB
    (16, 8, np.float32, 0),
]


@pytest.mark.parametrize("M, N, dtype, least", TRANSPOSES,
                         ids=[f"{m}x{n}-{np.dtype(t).name}" for m, n, t, _ in TRANSPOSES])
def test_big_transpose(device: str, M: int, N: int, dtype, least: int) -> None:
    rng = np.random.default_rng(M + N)
    x = rng.standard_normal((M, N)).astype(dtype)
    dst = _dev(np.zeros((N, M), dtype), device)
    k = transpose_tile[(1,)](_dev(x, device), dst, M=M, N=N)
    np.testing.assert_array_equal(_host(dst), x.T)
    _check_shared(k, device, least)


# ---------------------------------------------------------------------------
# Compile only, for sm_90a
# ---------------------------------------------------------------------------

def _compile_sm90(kernel, signature, monkeypatch: pytest.MonkeyPatch, **constexprs):
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    return kernel.warmup(*signature, **constexprs)


def _triple_sum_constexprs(shape, perm, axes) -> dict:
    names = [f"S{i}" for i in range(5)] + [f"P{i}" for i in range(5)] + ["A0", "A1", "A2"]
    return dict(zip(names, (*shape, *perm, *axes)))


# The (8, 2, 32, 4, 16) triple sum stands for both Triton shapes here: the
# (4, 32, 32, 4, 2) one needs the same 132 KiB but takes ~5 s to compile for
# sm_90a, so only its launches (above) compile it.
BIG_KERNELS = {
    "triple-sum-8x2x32x4x16": (permuted_triple_sum, ("*i32", "*i32"),
                               _triple_sum_constexprs((8, 2, 32, 4, 16), (4, 0, 1, 3, 2),
                                                      (0, 2, 0))),
    "recurrence-2048x4-f32": (recurrence_down_rows, ("*fp32",) * 3,
                              dict(M=2048, N=4, REVERSE=False, num_warps=4)),
    "recurrence-2048x4-i32": (recurrence_down_rows, ("*i32",) * 3,
                              dict(M=2048, N=4, REVERSE=False, num_warps=4)),
    "transpose-128x128-f32": (transpose_tile, ("*fp32", "*fp32"), dict(M=128, N=128)),
    "transpose-128x64-f64": (transpose_tile, ("*fp64", "*fp64"), dict(M=128, N=64)),
}


@pytest.mark.parametrize("name", list(BIG_KERNELS))
def test_big_kernels_need_the_opt_in(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    kernel, signature, constexprs = BIG_KERNELS[name]
    k = _compile_sm90(kernel, signature, monkeypatch, **constexprs)
    assert DEFAULT_SHARED < k.metadata.shared <= SM90_SHARED, k.metadata.shared


@pytest.mark.parametrize("reverse", [False, True])
def test_issue_scan_shape_uses_shared_memory(monkeypatch: pytest.MonkeyPatch,
                                             reverse: bool) -> None:
    # The 1024 x 2 scan over 4 warps crosses warps through shared memory
    # (32 KiB, under the default limit: its launch failure on the H200 was
    # not the opt-in alone).
    k = _compile_sm90(recurrence_down_rows, ("*fp32",) * 3, monkeypatch,
                      M=1024, N=2, REVERSE=reverse, num_warps=4)
    assert 16 * 1024 <= k.metadata.shared <= DEFAULT_SHARED, k.metadata.shared


TOO_BIG = {
    "triple-sum-8x2x32x4x32": (permuted_triple_sum, ("*i32", "*i32"),
                               _triple_sum_constexprs((8, 2, 32, 4, 32), (4, 0, 1, 3, 2),
                                                      (0, 2, 0)), "def permuted_triple_sum"),
    "recurrence-4096x4-f32": (recurrence_down_rows, ("*fp32",) * 3,
                              dict(M=4096, N=4, REVERSE=False, num_warps=4),
                              "def recurrence_down_rows"),
}


@pytest.mark.parametrize("name", list(TOO_BIG))
def test_past_227_kib_is_out_of_resources(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    kernel, signature, constexprs, source = TOO_BIG[name]
    monkeypatch.setenv("TESSEL_CACHE_DIR", "0")
    with pytest.raises(OutOfResources) as info:
        _compile_sm90(kernel, signature, monkeypatch, **constexprs)
    err = info.value
    assert err.limit == SM90_SHARED and err.required > SM90_SHARED
    text = str(err)
    assert f"Required: {err.required}" in text and f"Hardware limit: {SM90_SHARED}" in text
    assert "shared memory" in text
    assert "test_big_shared_memory.py" in text and source in text


@CUDA_SKIP
def test_past_the_device_limit_fails_before_launch_on_cuda(monkeypatch) -> None:
    """On the GPU, the native target's limit stops the too-big scan at compile
    time: OutOfResources, not a driver error at launch."""
    import torch

    monkeypatch.delenv("TESSEL_TARGET", raising=False)
    monkeypatch.setenv("TESSEL_CACHE_DIR", "0")
    a = torch.zeros(4096, 4, device="cuda")
    with pytest.raises(OutOfResources) as info:
        recurrence_down_rows[(1,)](a, a, a.clone(), M=4096, N=4, REVERSE=False, num_warps=4)
    assert info.value.required > info.value.limit
    assert f"Required: {info.value.required}" in str(info.value)
