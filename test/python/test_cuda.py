"""End to end on an NVIDIA GPU with torch CUDA tensors.

Skips without the extension, torch, or a usable CUDA device.
"""

from __future__ import annotations

import time

import pytest

try:
    from tessel._ext import _C
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)
torch = pytest.importorskip("torch")
if not torch.cuda.is_available() or not _C.cuda_available():
    pytest.skip("no CUDA device", allow_module_level=True)

import tessel
from elementwise_kernels import (
    add_kernel,
    axpb,
    fused_kernel,
    int_ops,
    row_sum,
    scalar_loops,
    scale_2d,
)
from reduce_kernels import (
    custom_reduce,
    layer_norm_fwd,
    layer_norm_fwd_loop,
    max_with_indices,
    reduce_1d,
    reduce_2d,
    softmax_2d_kernel,
    softmax_kernel,
)
from shape_kernels import hist_kernel, reshape_kernel
from scan_kernels import (
    cas_lock,
    counter_kernel,
    cumsum_1d,
    cumsum_2d,
    histogram,
    random_kernel,
    trans_kernel,
)

DEV = "cuda"


@pytest.fixture(autouse=True)
def _native_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TESSEL_TARGET", raising=False)


def randn(*shape: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    return torch.randn(*shape, device=DEV).mul(4).to(dtype)


@pytest.mark.parametrize("n", [1, 1000, 98432, 100003])
def test_vector_add(n: int) -> None:
    x, y = randn(n), randn(n)
    out = torch.full((n + 5,), -1.0, device=DEV)
    k = add_kernel[(tessel.cdiv(n, 1024),)](x, y, out, n, BLOCK=1024)
    torch.cuda.synchronize()
    assert torch.equal(out[:n], x + y) and bool((out[n:] == -1).all())
    major, minor = torch.cuda.get_device_capability()
    assert k.target == f"nvidia:sm_{major}{minor}" + ("a" if (major, minor) == (9, 0) else "")


@pytest.mark.parametrize("num_warps", [1, 4, 8])
def test_num_warps(num_warps: int) -> None:
    n = 5000
    x, y = randn(n), randn(n)
    out = torch.empty_like(x)
    add_kernel[(tessel.cdiv(n, 512),)](x, y, out, n, BLOCK=512, num_warps=num_warps)
    torch.cuda.synchronize()
    assert torch.equal(out, x + y)


def test_grid_callable_and_stream() -> None:
    n = 10000
    x, y = randn(n), randn(n)
    out = torch.empty_like(x)
    stream = torch.cuda.Stream()
    with torch.cuda.stream(stream):
        add_kernel[lambda meta: (tessel.cdiv(meta["n_elements"], meta["BLOCK"]),)](
            x, y, out, n, BLOCK=256
        )
    stream.synchronize()
    assert torch.equal(out, x + y)


@pytest.mark.parametrize("op", ["add", "sub", "mul", "floordiv", "mod"])
def test_int32_ops(op: str) -> None:
    n = 4099
    x = torch.randint(-1000, 1000, (n,), device=DEV, dtype=torch.int32)
    y = torch.randint(1, 50, (n,), device=DEV, dtype=torch.int32) * torch.where(
        torch.rand(n, device=DEV) > 0.5, 1, -1
    ).to(torch.int32)
    out = torch.zeros_like(x)
    int_ops[(tessel.cdiv(n, 128),)](x, y, out, n, OP=op, BLOCK=128)
    expected = {
        "add": x + y,
        "sub": x - y,
        "mul": x * y,
        "floordiv": torch.div(x, y, rounding_mode="trunc"),
        "mod": torch.fmod(x, y),
    }[op]
    torch.cuda.synchronize()
    assert torch.equal(out, expected)


def test_fused_math() -> None:
    n, alpha = 20000, 0.75
    x, y = randn(n).clamp(-4, 4), randn(n).clamp(-4, 4)
    out = torch.zeros_like(x)
    iout = torch.zeros(n, device=DEV, dtype=torch.int32)
    fused_kernel[(tessel.cdiv(n, 256),)](x, y, out, iout, n, alpha, BLOCK=256)
    xd, yd = x.double(), y.double()
    s = torch.sigmoid(xd) + yd.abs().sqrt() + torch.exp(xd * 0.1) - torch.log(yd.abs() + 1)
    s = torch.where(xd > yd, s, xd * yd + alpha)
    s = s.clamp(min=-5.0) + torch.log1p(torch.exp(-yd.abs())) + yd.clamp(min=0)
    torch.testing.assert_close(out.double(), s, rtol=1e-5, atol=1e-5)
    assert torch.equal(iout, (x * 4.0).to(torch.int32) + (y > 0).to(torch.int32))


@pytest.mark.parametrize("M,N", [(37, 50), (256, 512), (1000, 3)])
def test_2d_strided(M: int, N: int) -> None:
    big = randn(M, N + 13)
    x = big[:, :N]
    out = torch.zeros(M, N, device=DEV)
    BM, BN = 32, 64
    scale_2d[(tessel.cdiv(M, BM), tessel.cdiv(N, BN))](
        x, out, M, N, big.stride(0), out.stride(0), 1.5, BM=BM, BN=BN
    )
    # In float64: the kernel's x * 1.5 + col is one fused multiply-add
    # (enable_fp_fusion, on by default), torch's two roundings.
    expected = (x.double() * 1.5 + torch.arange(N, device=DEV)[None, :]
                - torch.arange(M, device=DEV)[:, None])
    torch.testing.assert_close(out.double(), expected, rtol=2e-7, atol=1e-4)


@pytest.mark.parametrize(
    "dtype",
    [
        torch.float16,
        torch.bfloat16,
        torch.float64,
        torch.int8,
        torch.uint8,
        torch.int64,
        torch.int16,
    ],
)
def test_dtypes(dtype: torch.dtype) -> None:
    n = 3001
    if dtype.is_floating_point:
        x, y = randn(n, dtype=dtype), randn(n, dtype=dtype)
    else:
        x = torch.randint(0, 100, (n,), device=DEV).to(dtype)
        y = torch.randint(0, 100, (n,), device=DEV).to(dtype)
    out = torch.zeros_like(x)
    add_kernel[(tessel.cdiv(n, 512),)](x, y, out, n, BLOCK=512)
    torch.cuda.synchronize()
    assert torch.equal(out, x + y)
    a = 3 if not dtype.is_floating_point else 0.5
    axpb[(tessel.cdiv(n, 512),)](x, out, n, a, BLOCK=512)
    torch.cuda.synchronize()
    if dtype.is_floating_point:  # the fp32 argument promotes the math to fp32
        expected = (x.double() * a + x.double()).to(dtype)
        torch.testing.assert_close(out, expected)
    else:
        assert torch.equal(out, (x.long() * a + x.long()).to(dtype))


def test_loop_and_early_return() -> None:
    rows, cols, BLOCK = 7, 3000, 256
    x = randn(rows, cols)
    out = torch.zeros((rows + 1) * BLOCK, device=DEV)
    row_sum[(rows + 1,)](x, out, rows, cols, cols, BLOCK=BLOCK)
    got = out.view(rows + 1, BLOCK)
    padded = torch.zeros(rows, tessel.cdiv(cols, BLOCK) * BLOCK, device=DEV)
    padded[:, :cols] = x
    expected = padded.view(rows, -1, BLOCK).sum(dim=1)
    torch.testing.assert_close(got[:rows], expected, rtol=1e-4, atol=1e-4)
    assert bool((got[rows] == 0).all())


@pytest.mark.parametrize("flag", [True, False])
def test_runtime_scalar_control_flow(flag: bool) -> None:
    programs, n = 12, 20
    out = torch.zeros(programs, device=DEV)
    scalar_loops[(programs,)](out, n, flag)
    p = torch.arange(programs, device=DEV, dtype=torch.float32)
    acc = p * (p - 1) / 2
    total = torch.tensor([float(sum(range(q, n, 3))) for q in range(programs)], device=DEV)
    assert torch.equal(out, (acc if flag else -acc) + total)


def test_cpu_and_cuda_arguments_do_not_mix() -> None:
    x = randn(16)
    with pytest.raises(TypeError, match="'y_ptr'"):
        add_kernel[(1,)](x, x.cpu(), x, 16, BLOCK=16)


def test_launch_overhead() -> None:
    x = randn(1024)
    out = torch.empty_like(x)
    add_kernel[(1,)](x, x, out, 1024, BLOCK=1024)
    torch.cuda.synchronize()
    n = 2000
    start = time.perf_counter()
    for _ in range(n):
        add_kernel[(1,)](x, x, out, 1024, BLOCK=1024)
    per_launch = (time.perf_counter() - start) / n
    torch.cuda.synchronize()
    print(f"launch overhead: {per_launch * 1e6:.1f} us")
    assert per_launch < 200e-6


# ---------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------
INF = float("inf")


@pytest.mark.parametrize("num_warps", [1, 4, 8])
@pytest.mark.parametrize(
    "op,dtype",
    [
        ("sum", torch.float32),
        ("sum", torch.float16),
        ("sum", torch.int8),
        ("max", torch.float32),
        ("max", torch.bfloat16),
        ("min", torch.int32),
        ("xor_sum", torch.int32),
    ],
)
def test_reduce_1d(op: str, dtype: torch.dtype, num_warps: int) -> None:
    n, BLOCK = 10000, 1024
    if dtype.is_floating_point:
        x = randn(n, dtype=dtype)
    else:
        x = torch.randint(-100, 100, (n,), device=DEV).to(dtype)
    ident = {"sum": 0, "xor_sum": 0, "max": -INF, "min": 2**31 - 1}[op]
    progs = tessel.cdiv(n, BLOCK)
    out_dtype = {
        "sum": torch.int32 if dtype == torch.int8 else dtype,
        "max": torch.float32,
        "min": dtype,
        "xor_sum": dtype,
    }[op]
    out = torch.zeros(progs, device=DEV, dtype=out_dtype)
    reduce_1d[(progs,)](x, out, n, OP=op, OTHER=ident, BLOCK=BLOCK, num_warps=num_warps)
    torch.cuda.synchronize()
    padded = torch.full((progs * BLOCK,), ident, device=DEV, dtype=torch.float64)
    if op == "xor_sum":
        padded = torch.zeros(progs * BLOCK, device=DEV, dtype=dtype)
    padded[:n] = x.to(padded.dtype)
    tiles = padded.view(progs, BLOCK)
    if op == "sum":
        expected = tiles.sum(dim=1)
        tol = 1e-2 if dtype == torch.float16 else 1e-4
        torch.testing.assert_close(out.double(), expected, rtol=tol, atol=tol * 30)
        return
    if op == "xor_sum":
        expected = tiles[:, 0].clone()
        for j in range(1, BLOCK):
            expected ^= tiles[:, j]
    else:
        expected = tiles.amax(dim=1) if op == "max" else tiles.amin(dim=1)
    assert torch.equal(out, expected.to(out_dtype))


@pytest.mark.parametrize("num_warps", [4, 8])
@pytest.mark.parametrize("axis", [0, 1, None])
@pytest.mark.parametrize("op", ["sum", "max", "argmax"])
def test_reduce_2d_row_blocks(op: str, axis: int | None, num_warps: int) -> None:
    """BLOCK_M = 32 rows per program; axis=0 gives per-program partials."""
    M, N, BM, BN = 1000, 100, 32, 128
    x = randn(M, N)
    if op == "argmax":
        x = torch.randint(0, 4, (M, N), device=DEV).float()  # ties
    progs = tessel.cdiv(M, BM)
    ident = 0.0 if op == "sum" else -INF
    out = torch.zeros(
        {0: progs * N, 1: M, None: progs}[axis],
        device=DEV,
        dtype=torch.int32 if op == "argmax" else torch.float32,
    )
    reduce_2d[(progs,)](
        x,
        out,
        M,
        N,
        N,
        OP=op,
        AXIS=axis,
        KEEP=False,
        OTHER=ident,
        BM=BM,
        BN=BN,
        num_warps=num_warps,
    )
    torch.cuda.synchronize()
    padded = torch.full((progs * BM, BN), ident, device=DEV)
    padded[:M, :N] = x
    tiles = padded.view(progs, BM, BN)

    def ref(t: torch.Tensor, dim: int | None) -> torch.Tensor:
        if op == "sum":
            return t.double().sum() if dim is None else t.double().sum(dim=dim)
        if op == "max":
            return t.amax() if dim is None else t.amax(dim=dim)
        # first index of the maximum (torch.argmax does not promise the first)
        flat = t if dim is not None else t.reshape(-1)
        d = dim if dim is not None else 0
        is_max = flat == flat.amax(dim=d, keepdim=True)
        pos = torch.arange(flat.shape[d], device=DEV).view(
            [-1 if i == d else 1 for i in range(flat.dim())]
        )
        return torch.where(is_max, pos, flat.shape[d]).amin(dim=d)

    if axis == 1:
        expected = ref(padded, 1)[:M]
    elif axis == 0:
        expected = torch.stack([ref(t, 0)[:N] for t in tiles]).reshape(-1)
    else:
        expected = torch.stack([ref(t, None) for t in tiles])
    if op == "sum":
        torch.testing.assert_close(out.double(), expected, rtol=1e-4, atol=1e-3)
    else:
        assert torch.equal(out, expected.to(out.dtype))


@pytest.mark.parametrize("axis", [0, 1])
def test_max_with_indices(axis: int) -> None:
    M, N = 37, 50
    x = torch.randint(0, 6, (M, N), device=DEV).float()
    n = N if axis == 0 else M
    val = torch.zeros(n, device=DEV)
    idx = torch.zeros(n, device=DEV, dtype=torch.int32)
    max_with_indices[(1,)](x, val, idx, M, N, AXIS=axis, BM=64, BN=64)
    torch.cuda.synchronize()
    xs = x.cpu().numpy()
    assert torch.equal(val.cpu(), torch.from_numpy(xs.max(axis=axis)))
    assert torch.equal(idx.cpu().long(), torch.from_numpy(xs.argmax(axis=axis)))  # first index


@pytest.mark.parametrize("op", ["absmax", "tuple"])
def test_reduce_combine_fn(op: str) -> None:
    n = 5000
    x = randn(n)
    progs = tessel.cdiv(n, 1024)
    out, out2 = torch.zeros(progs, device=DEV), torch.zeros(progs, device=DEV)
    custom_reduce[(progs,)](x, out, out2, n, OP=op, OTHER=0.0, BLOCK=1024, num_warps=8)
    torch.cuda.synchronize()
    padded = torch.zeros(progs * 1024, device=DEV)
    padded[:n] = x
    tiles = padded.view(progs, -1)
    if op == "absmax":
        assert torch.equal(out, tiles.abs().amax(dim=1))
    else:
        torch.testing.assert_close(out, tiles.sum(dim=1), rtol=1e-4, atol=1e-3)
        assert torch.equal(out2, tiles.amax(dim=1))


def _softmax_ref(x: torch.Tensor) -> torch.Tensor:
    return torch.softmax(x.double(), dim=1).float()


@pytest.mark.parametrize("num_warps", [4, 8])
@pytest.mark.parametrize("N,BLOCK", [(1000, 1024), (1024, 1024), (3000, 4096), (4096, 4096)])
def test_softmax(N: int, BLOCK: int, num_warps: int) -> None:
    M = 129
    big = randn(M, N + 3)
    x = big[:, :N]
    out = torch.full((M, N), -1.0, device=DEV)
    softmax_kernel[(M,)](out, x, big.stride(0), out.stride(0), N, BLOCK=BLOCK, num_warps=num_warps)
    torch.cuda.synchronize()
    torch.testing.assert_close(out, _softmax_ref(x), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("num_warps", [4, 8])
def test_softmax_2d_tiles(num_warps: int) -> None:
    M, N, BM, BN = 1000, 100, 32, 128
    x = randn(M, N)
    out = torch.zeros_like(x)
    softmax_2d_kernel[(tessel.cdiv(M, BM),)](out, x, M, N, N, BM=BM, BN=BN, num_warps=num_warps)
    torch.cuda.synchronize()
    torch.testing.assert_close(out, _softmax_ref(x), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("num_warps", [4, 8])
@pytest.mark.parametrize(
    "N,BLOCK,loop", [(1000, 1024, False), (4000, 4096, False), (10000, 1024, True)]
)
def test_layer_norm(N: int, BLOCK: int, loop: bool, num_warps: int) -> None:
    M, eps = 67, 1e-5
    x = randn(M, N)
    w = torch.rand(N, device=DEV) + 0.5
    b = torch.randn(N, device=DEV)
    y = torch.empty_like(x)
    mean = torch.empty(M, device=DEV)
    rstd = torch.empty(M, device=DEV)
    kernel = layer_norm_fwd_loop if loop else layer_norm_fwd
    kernel[(M,)](x, y, w, b, mean, rstd, x.stride(0), N, eps, BLOCK=BLOCK, num_warps=num_warps)
    torch.cuda.synchronize()
    expected = torch.nn.functional.layer_norm(x.double(), (N,), w.double(), b.double(), eps)
    torch.testing.assert_close(y.double(), expected, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(mean.double(), x.double().mean(dim=1), rtol=1e-4, atol=1e-5)
    var = x.double().var(dim=1, unbiased=False)
    torch.testing.assert_close(rstd.double(), 1 / torch.sqrt(var + eps), rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------------------
# scans, atomics, trans
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("num_warps", [4, 8])
@pytest.mark.parametrize("BLOCK", [1024, 4096])
@pytest.mark.parametrize("reverse", [False, True])
def test_cumsum_cross_thread(BLOCK: int, num_warps: int, reverse: bool) -> None:
    n = 3 * BLOCK - 77
    x = torch.randint(-100, 100, (n,), device=DEV, dtype=torch.int32)
    out = torch.zeros_like(x)
    cumsum_1d[(tessel.cdiv(n, BLOCK),)](
        x, out, n, OP="cumsum", REVERSE=reverse, BLOCK=BLOCK, num_warps=num_warps
    )
    padded = torch.zeros(3 * BLOCK, device=DEV, dtype=torch.int64)
    padded[:n] = x
    rows = padded.view(3, BLOCK)
    if reverse:
        expected = rows.flip(1).cumsum(1).flip(1)
    else:
        expected = rows.cumsum(1)
    torch.cuda.synchronize()
    assert torch.equal(out.long(), expected.reshape(-1)[:n])
    xf = randn(n)
    outf = torch.zeros_like(xf)
    cumsum_1d[(tessel.cdiv(n, BLOCK),)](
        xf, outf, n, OP="cumsum", REVERSE=reverse, BLOCK=BLOCK, num_warps=num_warps
    )
    paddedf = torch.zeros(3 * BLOCK, device=DEV, dtype=torch.float64)
    paddedf[:n] = xf.double()
    rows = paddedf.view(3, BLOCK)
    expectedf = rows.flip(1).cumsum(1).flip(1) if reverse else rows.cumsum(1)
    torch.cuda.synchronize()
    torch.testing.assert_close(outf.double(), expectedf.reshape(-1)[:n], rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("num_warps", [4, 8])
@pytest.mark.parametrize("axis", [0, 1])
def test_cumsum_2d(axis: int, num_warps: int) -> None:
    M, N = 60, 120
    x = torch.randint(-100, 100, (M, N), device=DEV, dtype=torch.int32)
    out = torch.zeros_like(x)
    cumsum_2d[(1,)](x, out, M, N, AXIS=axis, REVERSE=False, BM=64, BN=128, num_warps=num_warps)
    torch.cuda.synchronize()
    assert torch.equal(out.long(), x.long().cumsum(axis))


def test_atomic_add_histogram() -> None:
    n, bins = 100000, 256
    x = torch.randint(0, bins, (n,), device=DEV, dtype=torch.int32)
    hist = torch.zeros(bins, device=DEV, dtype=torch.int32)
    histogram[(tessel.cdiv(n, 1024),)](x, hist, n, BLOCK=1024)
    torch.cuda.synchronize()
    assert torch.equal(hist.long(), torch.bincount(x.long(), minlength=bins))


def test_atomic_counter_old_values() -> None:
    P = 5000
    counter = torch.zeros(1, device=DEV, dtype=torch.int32)
    old = torch.full((P,), -1, device=DEV, dtype=torch.int32)
    counter_kernel[(P,)](counter, old)
    torch.cuda.synchronize()
    assert int(counter.item()) == P
    assert torch.equal(old.sort().values.cpu(), torch.arange(P, dtype=torch.int32))


def test_atomic_cas_lock() -> None:
    P = 512
    lock = torch.zeros(1, device=DEV, dtype=torch.int32)
    counter = torch.zeros(1, device=DEV, dtype=torch.int32)
    cas_lock[(P,)](lock, counter, num_warps=1)
    torch.cuda.synchronize()
    assert int(counter.item()) == P and int(lock.item()) == 0


def test_lock_with_acquire_and_release() -> None:
    # The orderings must reach the PTX (atom.global.acquire.gpu.cas... / atom.global.gpu.release.exch...):
    # with relaxed atomics the block's plain loads could read stale values.
    from scan_kernels import serialized_add

    P, N = 1000, 256
    data = torch.zeros(N, device=DEV, dtype=torch.float32)
    lock = torch.zeros(1, device=DEV, dtype=torch.int32)
    kernel = serialized_add[(P,)](data, lock, N=N, num_warps=4)
    torch.cuda.synchronize()
    assert torch.equal(data, torch.full_like(data, float(P))) and int(lock.item()) == 0
    ptx = kernel.asm["ptx"]
    assert "atom.global.acquire.gpu.cas.b32" in ptx and "atom.global.gpu.release.exch.b32" in ptx


@pytest.mark.parametrize("M,N", [(32, 64), (64, 64)])
@pytest.mark.parametrize("method", ["trans", "T"])
def test_trans(M: int, N: int, method: str) -> None:
    x = randn(M, N)
    out = torch.zeros(N, M, device=DEV)
    trans_kernel[(1,)](x, out, M=M, N=N, METHOD=method, num_warps=4)
    torch.cuda.synchronize()
    assert torch.equal(out, x.t())


def test_rand_matches_cpu_philox() -> None:
    from test_scan_atomics import np_philox, np_uniform

    n, seed = 5000, 1234
    out = torch.zeros(n, device=DEV, dtype=torch.int32)
    random_kernel[(tessel.cdiv(n, 1024),)](seed, out, n, KIND="randint", BLOCK=1024)
    u = torch.zeros(n, device=DEV)
    random_kernel[(tessel.cdiv(n, 1024),)](seed, u, n, KIND="rand", BLOCK=1024)
    torch.cuda.synchronize()
    import numpy as np

    expected = np_philox(seed, np.arange(n))[0]
    assert (out.cpu().numpy().view(np.uint32) == expected).all()
    np.testing.assert_allclose(u.cpu().numpy(), np_uniform(expected), rtol=1e-6)


@pytest.mark.parametrize("P,Q", [(64, 32), (2048, 0)])
@pytest.mark.parametrize("method", ["reshape", "view", "method"])
def test_reshape(P: int, Q: int, method: str) -> None:
    M, N = 32, 64
    x = randn(M, N)
    out = torch.zeros((P, Q) if Q else (P,), device=DEV)
    reshape_kernel[(1,)](x, out, M=M, N=N, P=P, Q=Q, METHOD=method, num_warps=4)
    torch.cuda.synchronize()
    assert torch.equal(out, x.reshape(out.shape))


def test_reshape_roundtrip() -> None:
    M, N = 32, 64
    x = torch.randint(-1000, 1000, (M, N), device=DEV, dtype=torch.int32)
    out = torch.zeros(64, 32, device=DEV, dtype=torch.int32)
    reshape_kernel[(1,)](x, out, M=M, N=N, P=64, Q=32, METHOD="roundtrip", num_warps=4)
    torch.cuda.synchronize()
    assert torch.equal(out, x.reshape(64, 32))


@pytest.mark.parametrize("masked", [False, True])
def test_histogram(masked: bool) -> None:
    NBINS, BLOCK = 64, 4096
    n = 4000 if masked else BLOCK
    x = torch.randint(-16, NBINS + 16, (BLOCK,), device=DEV, dtype=torch.int32)
    out = torch.full((NBINS,), -1, device=DEV, dtype=torch.int32)
    hist_kernel[(1,)](x, out, n, NBINS=NBINS, BLOCK=BLOCK, MASKED=masked, METHOD="fn",
                      num_warps=4)
    torch.cuda.synchronize()
    v = x[:n].long()
    v = v[(v >= 0) & (v < NBINS)]
    assert torch.equal(out.long(), torch.bincount(v, minlength=NBINS))


@pytest.mark.parametrize("n", [256, 1024])
def test_join_split_interleave_cuda(n: int) -> None:
    from test_join_split import join_split_kernel

    a, b = randn(n), randn(n)
    joined = torch.zeros(n, 2, device=DEV)
    inter = torch.zeros(2 * n, device=DEV)
    first, second = torch.zeros(n, device=DEV), torch.zeros(n, device=DEV)
    join_split_kernel[(1,)](a, b, joined, inter, first, second, BLOCK=n, num_warps=4)
    torch.cuda.synchronize()
    assert torch.equal(joined, torch.stack([a, b], dim=1))
    assert torch.equal(inter, torch.stack([a, b], dim=1).reshape(-1))
    assert torch.equal(first, b) and torch.equal(second, a)


def test_float_atomic_max_min_cuda() -> None:
    from test_float_atomics import float_minmax_kernel

    n, bins = 100_000, 17
    x = randn(n)
    idx = torch.randint(0, bins, (n,), device=DEV, dtype=torch.int32)
    mx = torch.full((bins,), float("-inf"), device=DEV)
    mn = torch.full((bins,), float("inf"), device=DEV)
    old = torch.zeros(n, device=DEV)
    float_minmax_kernel[(tessel.cdiv(n, 1024),)](x, idx, mx, mn, old, n, BLOCK=1024)
    torch.cuda.synchronize()
    for b in range(bins):
        assert mx[b].item() == x[idx == b].max().item()
        assert mn[b].item() == x[idx == b].min().item()


@pytest.mark.parametrize("M,N", [(4, 256), (32, 64), (64, 8)])
@pytest.mark.parametrize("num_warps", [1, 4, 8])
def test_flip_sort_gather_cuda(M: int, N: int, num_warps: int) -> None:
    from shape_kernels import flip_kernel, gather_kernel, sort_kernel

    x = randn(M, N)
    out = torch.zeros_like(x)
    flip_kernel[(1,)](x, out, M=M, N=N, DIM=1, num_warps=num_warps)
    torch.cuda.synchronize()
    assert torch.equal(out, x.flip(1))
    flip_kernel[(1,)](x, out, M=M, N=N, DIM=0, num_warps=num_warps)
    torch.cuda.synchronize()
    assert torch.equal(out, x.flip(0))
    for dim in (0, 1):
        for desc in (False, True):
            sort_kernel[(1,)](x, out, M=M, N=N, DIM=dim, DESC=desc, num_warps=num_warps)
            torch.cuda.synchronize()
            assert torch.equal(out, torch.sort(x, dim=dim, descending=desc).values)
    xi = torch.randint(-5, 5, (M, N), device=DEV, dtype=torch.int32)
    outi = torch.zeros_like(xi)
    sort_kernel[(1,)](xi, outi, M=M, N=N, DIM=1, DESC=False, num_warps=num_warps)
    torch.cuda.synchronize()
    assert torch.equal(outi, torch.sort(xi, dim=1).values)
    idx = torch.randint(0, N, (M, 2 * N), device=DEV, dtype=torch.int32)
    g = torch.zeros(M, 2 * N, device=DEV)
    gather_kernel[(1,)](x, idx, g, M=M, N=N, IM=M, IN=2 * N, AXIS=1, num_warps=num_warps)
    torch.cuda.synchronize()
    assert torch.equal(g, torch.gather(x, 1, idx.long()))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_libdevice_cuda(dtype: torch.dtype) -> None:
    from extern_kernels import binary_kernel, unary_kernel

    n = 1024
    x = torch.rand(n, device=DEV, dtype=dtype) * 1.8 - 0.9
    out = torch.zeros_like(x)
    for fn, ref in [("erfinv", torch.erfinv), ("atanh", torch.atanh), ("expm1", torch.expm1),
                    ("rsqrt", lambda t: torch.rsqrt(t.abs())), ("lgamma", torch.lgamma)]:
        arg = x.abs() if fn in ("rsqrt", "lgamma") else x
        unary_kernel[(1,)](arg, out, FN=fn, N=n, num_warps=4)
        torch.cuda.synchronize()
        torch.testing.assert_close(out, ref(arg), rtol=1e-5, atol=1e-5)
    y = torch.rand(n, device=DEV, dtype=dtype) + 0.5
    binary_kernel[(1,)](y, x, out, FN="pow", N=n, num_warps=4)
    torch.cuda.synchronize()
    torch.testing.assert_close(out, torch.pow(y, x), rtol=1e-5, atol=1e-6)


def test_inline_asm_cuda() -> None:
    from extern_kernels import asm_kernel

    n = 2048
    x = torch.randint(-1000, 1000, (n,), device=DEV, dtype=torch.int32)
    b = torch.randint(0, 256, (n,), device=DEV, dtype=torch.uint8)
    out = torch.zeros_like(x)
    flipped = torch.zeros_like(b)
    asm_kernel[(1,)](x, b, out, flipped, N=n, num_warps=4)
    torch.cuda.synchronize()
    assert torch.equal(out, (x << 3) + 2 * x)
    assert torch.equal(flipped, b ^ 0x0F)


def test_device_print_cuda(capfd: pytest.CaptureFixture[str]) -> None:
    from debug_kernels import print_kernel

    x = torch.arange(8, device=DEV, dtype=torch.float32) * 1.5
    print_kernel[(2,)](x, 42, HEX=False, N=8, num_warps=1)
    torch.cuda.synchronize()
    out = capfd.readouterr().out.splitlines()
    for pid in (0, 1):
        for i in range(8):
            assert f"pid ({pid}, 0, 0) idx ({i}) x {1.5 * i:f}, {i}" in out
    assert "pid (1, 0, 0) n is 42" in out


def test_device_assert_cuda_in_subprocess(tmp_path) -> None:
    """A failed device assertion poisons the CUDA context, so it runs in a
    child process; the passing launch runs here."""
    import subprocess
    import sys
    from pathlib import Path

    from debug_kernels import assert_kernel

    x = torch.arange(256, device=DEV, dtype=torch.int32)
    assert_kernel[(1,)](x, 1000, N=256, debug=True)
    torch.cuda.synchronize()
    assert torch.equal(x, torch.arange(256, device=DEV, dtype=torch.int32) + 1)
    script = tmp_path / "fail.py"
    script.write_text(
        "import sys, torch\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from debug_kernels import assert_kernel\n"
        "x = torch.arange(256, device='cuda', dtype=torch.int32)\n"
        "assert_kernel[(1,)](x, 100, N=256, debug=True)\n"
        "torch.cuda.synchronize()\n"
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode != 0
    both = proc.stdout + proc.stderr
    assert "x must stay below the limit" in both
    assert "debug_kernels.py" in both


def test_noinline_calls_cuda() -> None:
    from noinline_kernels import calls_kernel

    x, y = randn(256), randn(256)
    out, total = torch.zeros(256, device=DEV), torch.zeros(1, device=DEV)
    calls_kernel[(1,)](x, y, out, total, 3.0, N=256, num_warps=4)
    torch.cuda.synchronize()
    a = x * 2 + y
    b = a * 2 + y
    c = b * 0.5 + y
    torch.testing.assert_close(out, torch.clamp(c, min=3.0))
    torch.testing.assert_close(total[0], a.sum() + b.sum() + c.sum(), rtol=1e-4, atol=1e-2)


@pytest.mark.parametrize("torch_dtype", ["float8_e4m3fn", "float8_e5m2"])
def test_float8_tensors_cuda(torch_dtype: str) -> None:
    """float8 torch tensors as kernel arguments; conversions agree with
    torch's for values in range (torch does not saturate past the range)."""
    import tessel.language as tl

    @tessel.jit
    def roundtrip(src_ptr, f8_ptr, wide_ptr, N: tl.constexpr):
        offs = tl.arange(0, N)
        x = tl.load(src_ptr + offs)
        tl.store(f8_ptr + offs, x.to(f8_ptr.dtype.element_ty))
        tl.store(wide_ptr + offs, tl.load(f8_ptr + offs).to(tl.float32))

    dt = getattr(torch, torch_dtype)
    limit = torch.finfo(dt).max
    n = 4096
    x = (torch.randn(n, device=DEV) * 4).clamp(-limit, limit)
    f8 = torch.empty(n, device=DEV, dtype=dt)
    wide = torch.empty(n, device=DEV)
    roundtrip[(1,)](x, f8, wide, N=n, num_warps=4)
    torch.cuda.synchronize()
    assert torch.equal(f8.view(torch.uint8), x.to(dt).view(torch.uint8))
    assert torch.equal(wide, f8.float())


@pytest.mark.parametrize("num_warps", [4, 8])
def test_coalesced_column_reads_cuda(num_warps: int) -> None:
    """A tile read down the columns (the coalesce pass gives the load a
    column-major layout and converts once) and a row-sum kernel whose loop
    counter keeps vector loads."""
    import os
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
    from kernels import load

    import tessel.language as ttl

    ks = load("shapes", tessel.jit, ttl)
    m, n = 256, 512
    x = randn(m, n)
    y = torch.empty(n, m, device=DEV)
    ks["transpose_read"][(n // 64, m // 64)](x, y, m, n, BM=64, BN=64, num_warps=num_warps)
    out = torch.empty(m, device=DEV)
    ks["row_sums"][(m // 64,)](x, out, m, n, BM=64, BN=128, num_warps=num_warps)
    torch.cuda.synchronize()
    assert torch.equal(y, x.t())
    torch.testing.assert_close(out, x.sum(1), rtol=1e-5, atol=1e-3)
