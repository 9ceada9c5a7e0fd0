"""Host tensor descriptors and TMA: a descriptor TMA can read brings a tensor
map (``runtime/tensormap.py``), Hopper's dot rings copy its blocks with
cp.async.bulk.tensor into mbarrier-guarded stages, and every other target
reads the same blocks through masked loads.

The matmuls run against a float64 NumPy reference on random data with
ragged sizes (TMA's out-of-bounds zeros stand in for the masks) on the CPU
and, with a GPU, on CUDA; the sm_90a compiles are checked here without one.
"""
from __future__ import annotations

import numpy as np
import pytest

try:
    from tessel._ext import _C
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from device_cases import device  # noqa: F401 (a fixture)
from device_cases import dev, host
from tessel.runtime import tensormap
from tessel.tools.tensor_descriptor import TensorDescriptor

RNG = np.random.default_rng(2026)


@tessel.jit
def store_block(c_ptr, acc, pid_m, pid_n, M, N, BM: tl.constexpr, BN: tl.constexpr):
    """Block (pid_m, pid_n) of the row-major M x N matrix at c_ptr, masked."""
    rm = pid_m * BM + tl.arange(0, BM)
    rn = pid_n * BN + tl.arange(0, BN)
    tl.store(c_ptr + rm[:, None] * N + rn[None, :], acc,
             mask=(rm[:, None] < M) & (rn[None, :] < N))


@tessel.jit
def block_product(a_desc, b_desc, pid_m, pid_n, K, BM: tl.constexpr, BN: tl.constexpr,
                  BK: tl.constexpr):
    """Block (pid_m, pid_n) of A B over K, in BK steps."""
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in range(0, tl.cdiv(K, BK)):
        a = a_desc.load([pid_m * BM, k * BK])
        b = b_desc.load([k * BK, pid_n * BN])
        acc = tl.dot(a, b, acc)
    return acc


@tessel.jit
def desc_matmul(a_desc, b_desc, c_ptr, M, N, K, BM: tl.constexpr, BN: tl.constexpr,
                BK: tl.constexpr, WS: tl.constexpr = False):
    pid_m = tl.program_id(0)
    pid_n = tl.program_id(1)
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in tl.range(0, tl.cdiv(K, BK), warp_specialize=WS):
        a = a_desc.load([pid_m * BM, k * BK])
        b = b_desc.load([k * BK, pid_n * BN])
        acc = tl.dot(a, b, acc)
    store_block(c_ptr, acc, pid_m, pid_n, M, N, BM, BN)


@tessel.jit
def desc_matmul_nt(a_desc, b_desc, c_ptr, M, N, K, BM: tl.constexpr, BN: tl.constexpr,
                   BK: tl.constexpr, ACC: tl.constexpr):
    """C = A B^T with B as N x K rows (a K-major B: the staged ring)."""
    pid_m = tl.program_id(0)
    pid_n = tl.program_id(1)
    acc = tl.zeros((BM, BN), dtype=ACC)
    for k in range(0, tl.cdiv(K, BK)):
        a = a_desc.load([pid_m * BM, k * BK])
        b = b_desc.load([pid_n * BN, k * BK])
        acc = tl.dot(a, tl.trans(b), acc, out_dtype=ACC)
    store_block(c_ptr, acc, pid_m, pid_n, M, N, BM, BN)


@tessel.jit
def persistent_matmul(a_desc, b_desc, c_ptr, M, N, K, BM: tl.constexpr, BN: tl.constexpr,
                      BK: tl.constexpr, PROGRAMS: tl.constexpr, WS: tl.constexpr):
    """Each program walks tiles PROGRAMS apart (Triton's tutorial 09 shape)."""
    tiles_n = tl.cdiv(N, BN)
    tiles = tl.cdiv(M, BM) * tiles_n
    for t in tl.range(tl.program_id(0), tiles, PROGRAMS, warp_specialize=WS):
        pid_m = t // tiles_n
        pid_n = t % tiles_n
        acc = block_product(a_desc, b_desc, pid_m, pid_n, K, BM, BN, BK)
        store_block(c_ptr, acc, pid_m, pid_n, M, N, BM, BN)


@tessel.jit
def two_products(a_desc, b_desc, c_ptr, d_ptr, M, N, K, BM: tl.constexpr, BN: tl.constexpr,
                 BK: tl.constexpr):
    """c = a @ b, then d = 2 (a @ b) in a second loop: the first gets the
    producer warp, the second (inside the consumers' code) its own ring."""
    pid_m = tl.program_id(0)
    pid_n = tl.program_id(1)
    rm = pid_m * BM + tl.arange(0, BM)
    rn = pid_n * BN + tl.arange(0, BN)
    mask = (rm[:, None] < M) & (rn[None, :] < N)
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in tl.range(0, tl.cdiv(K, BK), warp_specialize=True):
        acc = tl.dot(a_desc.load([pid_m * BM, k * BK]), b_desc.load([k * BK, pid_n * BN]), acc)
    tl.store(c_ptr + rm[:, None] * N + rn[None, :], acc, mask=mask)
    acc2 = tl.zeros((BM, BN), dtype=tl.float32)
    for k in tl.range(0, tl.cdiv(K, BK), warp_specialize=True):
        acc2 = tl.dot(a_desc.load([pid_m * BM, k * BK]), b_desc.load([k * BK, pid_n * BN]),
                      acc2)
    tl.store(d_ptr + rm[:, None] * N + rn[None, :], acc2 * 2, mask=mask)


@tessel.jit
def grouped_desc_matmul(a_desc, b_desc, c_ptr, M, N, K, BM: tl.constexpr, BN: tl.constexpr,
                        BK: tl.constexpr, GROUP: tl.constexpr):
    """A 1-D grid in Triton's grouped order: with GROUP > 1 programs 2k and
    2k + 1 mostly share B's blocks, with GROUP = 1 A's."""
    pid = tl.program_id(0)
    num_pid_m = tl.cdiv(M, BM)
    num_pid_n = tl.cdiv(N, BN)
    in_group = GROUP * num_pid_n
    first_pid_m = (pid // in_group) * GROUP
    group_size_m = min(num_pid_m - first_pid_m, GROUP)
    pid_m = first_pid_m + (pid % in_group) % group_size_m
    pid_n = (pid % in_group) // group_size_m
    acc = block_product(a_desc, b_desc, pid_m, pid_n, K, BM, BN, BK)
    store_block(c_ptr, acc, pid_m, pid_n, M, N, BM, BN)


def _random(shape: tuple[int, int], dtype: str) -> np.ndarray:
    if dtype == "int8":
        return RNG.integers(-128, 128, shape).astype(np.int8)
    return RNG.standard_normal(shape).astype(dtype)


def _float16(dtype: str) -> str:
    return "float16" if dtype == "bfloat16" else dtype


def _dev(a: np.ndarray, device: str, dtype: str):
    """A bfloat16 tensor on CUDA (NumPy has none): float32 data rounded."""
    if dtype != "bfloat16":
        return dev(a, device)
    import torch

    return torch.from_numpy(a.astype(np.float32)).to(device).to(torch.bfloat16)


@pytest.mark.parametrize("ws", [False, True], ids=["ring", "producer_warp"])
@pytest.mark.parametrize("M,N,K,BM,BN,BK,warps,stages", [
    (200, 136, 72, 64, 64, 32, 4, 3),     # ragged everywhere: TMA's zeros
    (256, 256, 256, 128, 128, 64, 8, 4),  # exact tiles, two warpgroups
    (130, 264, 96, 64, 256, 64, 4, 2),    # a 256-wide B in four slices
    (64, 64, 40, 64, 64, 16, 4, 3),       # 32-byte rows (the 32-byte swizzle)
    (192, 128, 1000, 64, 128, 64, 4, 4),  # 16 iterations: every stage reused
])
def test_descriptor_matmul(device: str, M: int, N: int, K: int, BM: int, BN: int,
                           BK: int, warps: int, stages: int, ws: bool) -> None:
    if device == "cpu" and BN * BM > 128 * 128:
        pytest.skip("big tiles compile slowly on the CPU backend")
    a, b = _random((M, K), "float16"), _random((K, N), "float16")
    c = np.zeros((M, N), np.float32)
    ad, bd, cd = dev(a, device), dev(b, device), dev(c, device)
    grid = (-(-M // BM), -(-N // BN))
    desc_matmul[grid](TensorDescriptor.from_tensor(ad, [BM, BK]),
                      TensorDescriptor.from_tensor(bd, [BK, BN]), cd, M, N, K, BM, BN, BK,
                      ws, num_warps=warps, num_stages=stages)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    np.testing.assert_allclose(host(cd), ref, rtol=1e-2, atol=1e-2)


@pytest.mark.parametrize("ws", [False, True], ids=["ring", "producer_warp"])
@pytest.mark.parametrize("M,N,K,warps,stages", [
    (300, 200, 200, 4, 3),  # 5 x 4 tiles over 3 programs, 4 K steps: phases run on
    (256, 256, 96, 8, 4),   # fewer K steps than stages
])
def test_persistent_matmul(device: str, M: int, N: int, K: int, warps: int, stages: int,
                           ws: bool) -> None:
    BM, BN, BK = 64, 64, 64
    a, b = _random((M, K), "float16"), _random((K, N), "float16")
    c = np.zeros((M, N), np.float32)
    ad, bd, cd = dev(a, device), dev(b, device), dev(c, device)
    persistent_matmul[(3,)](TensorDescriptor.from_tensor(ad, [BM, BK]),
                            TensorDescriptor.from_tensor(bd, [BK, BN]), cd, M, N, K, BM, BN,
                            BK, 3, ws, num_warps=warps, num_stages=stages)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    np.testing.assert_allclose(host(cd), ref, rtol=1e-2, atol=1e-2)


def test_second_loop_after_the_producer_warp(device: str) -> None:
    M, N, K = 136, 128, 200
    a, b = _random((M, K), "float16"), _random((K, N), "float16")
    c, d = np.zeros((M, N), np.float32), np.zeros((M, N), np.float32)
    ad, bd, cd, dd = dev(a, device), dev(b, device), dev(c, device), dev(d, device)
    two_products[(3, 2)](TensorDescriptor.from_tensor(ad, [64, 64]),
                         TensorDescriptor.from_tensor(bd, [64, 64]), cd, dd, M, N, K, 64, 64, 64,
                         num_warps=4, num_stages=3)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    np.testing.assert_allclose(host(cd), ref, rtol=1e-2, atol=1e-2)
    np.testing.assert_allclose(host(dd), 2 * ref, rtol=1e-2, atol=2e-2)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "int8"])
def test_descriptor_matmul_b_transposed(device: str, dtype: str) -> None:
    if dtype == "bfloat16" and device == "cpu":
        pytest.skip("NumPy has no bfloat16 arrays")
    M, N, K = 136, 200, 160
    BM, BN = 64, 64
    BK = 128 if dtype == "int8" else 64
    a, b = _random((M, K), _float16(dtype)), _random((N, K), _float16(dtype))
    integer = dtype == "int8"
    c = np.zeros((M, N), np.int32 if integer else np.float32)
    ad, bd, cd = _dev(a, device, dtype), _dev(b, device, dtype), dev(c, device)
    grid = (-(-M // BM), -(-N // BN))
    desc_matmul_nt[grid](TensorDescriptor.from_tensor(ad, [BM, BK]),
                         TensorDescriptor.from_tensor(bd, [BN, BK]), cd, M, N, K, BM, BN,
                         BK, tl.int32 if integer else tl.float32, num_warps=4, num_stages=3)
    if dtype == "bfloat16":  # the reference of the rounded operands
        import torch

        a = ad.float().cpu().numpy()
        b = bd.float().cpu().numpy()
    ref = a.astype(np.float64) @ b.astype(np.float64).T
    if integer:
        np.testing.assert_array_equal(host(cd), ref.astype(np.int64))
    else:
        np.testing.assert_allclose(host(cd), ref, rtol=1e-2, atol=1e-2)


@pytest.mark.parametrize("M,N,K,BM,BN,BK,warps,stages,group", [
    (512, 256, 320, 64, 64, 64, 4, 3, 8),      # pairs share B (4 stages)
    (256, 512, 200, 64, 128, 64, 4, 4, 1),     # pairs share A (5 stages)
    (320, 128, 1000, 64, 64, 64, 4, 2, 8),     # 3 stages, 16 K steps
    (192, 256, 136, 64, 64, 32, 4, 3, 3),      # some pairs share B, some nothing
    (192, 192, 128, 64, 64, 32, 4, 3, 3),      # 9 programs: no clusters
    (136, 200, 160, 64, 64, 64, 4, 3, 8),      # ragged: TMA's zeros
])
def test_cluster_matmul(device: str, M: int, N: int, K: int, BM: int, BN: int, BK: int,
                        warps: int, stages: int, group: int) -> None:
    """num_ctas=2 (2-CTA clusters sharing the copies of the blocks both
    programs of a pair read) computes what num_ctas=1 does."""
    a, b = _random((M, K), "float16"), _random((K, N), "float16")
    ad, bd = dev(a, device), dev(b, device)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    grid = (-(-M // BM) * -(-N // BN),)
    for ctas in (1, 2):
        c = np.full((M, N), np.nan, np.float32)
        cd = dev(c, device)
        grouped_desc_matmul[grid](TensorDescriptor.from_tensor(ad, [BM, BK]),
                                  TensorDescriptor.from_tensor(bd, [BK, BN]), cd, M, N, K,
                                  BM, BN, BK, group, num_warps=warps, num_stages=stages,
                                  num_ctas=ctas)
        np.testing.assert_allclose(host(cd), ref, rtol=1e-2, atol=1e-2)


def _sm90(kernel, *args, warps: int = 4, stages: int = 3, **options: str) -> dict:
    ir = kernel.ir(*args)
    return _C.compile(ir, "nvidia:sm_90a", warps, num_stages=stages, options=options)


def test_hopper_cluster_ring_multicasts() -> None:
    """num_ctas=2: the kernel launches in 2-CTA clusters, its programs compare
    what each block's coordinates come from and multicast the blocks they
    share, releasing stages to each other through mapa'd mbarriers."""
    a, b = np.zeros((512, 512), np.float16), np.zeros((512, 512), np.float16)
    c = np.zeros((512, 512), np.float32)
    args = (TensorDescriptor.from_tensor(a, [128, 64]), TensorDescriptor.from_tensor(b, [64, 256]),
            c, 512, 512, 512, 128, 256, 64, 8)
    res = _sm90(grouped_desc_matmul, *args, warps=8, num_ctas="2")
    tilegpu, ptx = res["asm"]["tilegpu"], res["asm"]["ptx"]
    assert res["cluster_ctas"] == 2
    assert tilegpu.count("tilegpu.cluster_peer_match") == 2
    assert "multicast::cluster" in ptx and "ld.shared::cluster.b64" in ptx
    assert "mbarrier.arrive.shared::cluster.b64" in ptx
    assert "barrier.cluster.arrive.release" in ptx
    assert "0 bytes spill stores" in res["asm"]["ptxas"]
    plain = _sm90(grouped_desc_matmul, *args, warps=8)
    assert plain["cluster_ctas"] == 1 and "cluster" not in plain["asm"]["tilegpu"]


def test_cluster_ring_only_in_the_entry_block() -> None:
    """The comparison and the cluster barriers must run once in both programs
    of a pair: a K loop inside a loop over tiles (or under a producer warp)
    keeps its own copies and the kernel launches without clusters."""
    a, b = np.zeros((512, 512), np.float16), np.zeros((512, 512), np.float16)
    c = np.zeros((512, 512), np.float32)
    da, db = TensorDescriptor.from_tensor(a, [128, 64]), TensorDescriptor.from_tensor(b, [64, 128])
    persistent = _sm90(persistent_matmul, da, db, c, 512, 512, 512, 128, 128, 64, 132, False,
                       num_ctas="2")
    producer = _sm90(desc_matmul, da, db, c, 512, 512, 512, 128, 128, 64, True, num_ctas="2")
    for res in (persistent, producer):
        assert res["cluster_ctas"] == 1 and "cluster" not in res["asm"]["tilegpu"]


def test_num_ctas_is_checked() -> None:
    a = np.zeros((256, 256), np.float16)
    d = TensorDescriptor.from_tensor(a, [64, 64])
    with pytest.raises(ValueError, match="num_ctas.*1 or 2"):
        _sm90(desc_matmul, d, d, np.zeros((256, 256), np.float32), 256, 256, 256, 64, 64, 64,
              num_ctas="4")


def test_hopper_ring_copies_with_tma() -> None:
    """The two descriptors' blocks reach the ring by TMA (one copy per
    128-byte slice), guarded by one mbarrier per stage; the kernel takes the
    tensor maps as 64-byte aligned 128-byte parameters."""
    a, b = np.zeros((256, 256), np.float16), np.zeros((256, 256), np.float16)
    c = np.zeros((256, 256), np.float32)
    res = _sm90(desc_matmul, TensorDescriptor.from_tensor(a, [128, 64]),
                TensorDescriptor.from_tensor(b, [64, 256]), c, 256, 256, 256, 128, 256, 64,
                warps=8, stages=4)
    tilegpu, ptx = res["asm"]["tilegpu"], res["asm"]["ptx"]
    assert "tilegpu.mbarrier_init" in tilegpu and "tilegpu.tma_wait" in tilegpu
    assert "tilegpu.async_copy" not in tilegpu
    assert ptx.count(".param .align 64 .b8") == 2
    # Per stage: A in one slice, B (256 columns) in four.
    assert ptx.count("cp.async.bulk.tensor.2d") == 3 * 5
    assert "mbarrier.try_wait.parity" in ptx and "cp.async.cg" not in ptx
    assert res["arg_types"].count("tensormap") == 2


def test_hopper_producer_warp() -> None:
    """warp_specialize=True: a producer warpgroup (384 threads for 8 warps)
    gives its registers to the two consumer warpgroups (setmaxnreg: 40 and
    232 per thread) and its first warp issues the copies; the consumers wait
    on full barriers, release stages on empty ones and synchronize among
    themselves (named barrier 1)."""
    a, b = np.zeros((256, 256), np.float16), np.zeros((256, 256), np.float16)
    c = np.zeros((256, 256), np.float32)
    res = _sm90(desc_matmul, TensorDescriptor.from_tensor(a, [128, 64]),
                TensorDescriptor.from_tensor(b, [64, 256]), c, 256, 256, 256, 128, 256, 64,
                True, warps=8, stages=4)
    tilegpu, ptx = res["asm"]["tilegpu"], res["asm"]["ptx"]
    assert "tilegpu.producer_warps = 4" in tilegpu
    assert "tilegpu.producer_warp" in tilegpu and "tilegpu.mbarrier_arrive" in tilegpu
    assert res["num_warps"] == 12 and ".maxntid 384, 1, 1" in ptx
    assert "setmaxnreg.dec.sync.aligned.u32 40;" in ptx
    assert "setmaxnreg.inc.sync.aligned.u32 232;" in ptx
    assert "bar.sync 1, 256;" in ptx
    assert "mbarrier.arrive.shared::cta.b64" in ptx
    # The producer's copies only: one A and four B slices per iteration of
    # its loop (which LLVM may unroll).
    copies = ptx.count("cp.async.bulk.tensor.2d")
    assert copies and copies % 5 == 0


def test_hopper_persistent_producer_warp() -> None:
    """On a persistent kernel's loop over tiles, the producer walks the same
    tiles and K steps (its own nested loops); the consumers' own shared
    memory starts past the ring and its barriers."""
    a, b = np.zeros((512, 512), np.float16), np.zeros((512, 512), np.float16)
    c = np.zeros((512, 512), np.float32)
    res = _sm90(persistent_matmul, TensorDescriptor.from_tensor(a, [128, 64]),
                TensorDescriptor.from_tensor(b, [64, 128]), c, 512, 512, 512, 128, 128, 64,
                132, True, warps=8, stages=3)
    tilegpu = res["asm"]["tilegpu"]
    assert "tilegpu.producer_warps = 4" in tilegpu and "tilegpu.scratch_offset" in tilegpu
    producer = tilegpu[tilegpu.index("scf.if"):tilegpu.index("} else {")]
    assert producer.count("scf.for") == 2 and "tilegpu.tma_copy" in producer
    assert res["num_warps"] == 12
    assert "0 bytes spill stores" in res["asm"]["ptxas"]


def test_hopper_second_ring_in_the_consumers() -> None:
    """Only the first loop gets the producer warp; the second loop's ring,
    in the consumers' code, issues its own copies (thread 0) and its barriers
    are the consumers' (a barrier of every thread would wait for the producer
    forever)."""
    a = np.zeros((256, 256), np.float16)
    c = np.zeros((256, 256), np.float32)
    d = TensorDescriptor.from_tensor(a, [64, 64])
    res = _sm90(two_products, d, d, c, c, 256, 256, 256, 64, 64, 64)
    tilegpu = res["asm"]["tilegpu"]
    assert tilegpu.count("everyThread") == 2
    assert tilegpu.count("tilegpu.mbarrier_init") == 3
    expects = [line for line in tilegpu.splitlines() if "tilegpu.tma_expect" in line]
    assert sum("producer" in line for line in expects) == 1 and len(expects) > 1


def test_hopper_transposed_b_ring_with_tma() -> None:
    a, b = np.zeros((256, 256), np.float16), np.zeros((256, 256), np.float16)
    c = np.zeros((256, 256), np.float32)
    res = _sm90(desc_matmul_nt, TensorDescriptor.from_tensor(a, [64, 64]),
                TensorDescriptor.from_tensor(b, [64, 64]), c, 256, 256, 256, 64, 64, 64,
                tl.float32)
    assert "tilegpu.tma_copy" in res["asm"]["tilegpu"]
    assert "cp.async.cg" not in res["asm"]["ptx"]


def test_unaligned_descriptor_keeps_masked_loads() -> None:
    """A row stride TMA cannot take (not a multiple of 16 bytes): no tensor
    map, the ring copies with cp.async as for pointer loads."""
    a = np.zeros((64, 100), np.float16)[:, :72]  # rows of 100 elements
    b = np.zeros((72, 64), np.float16)
    c = np.zeros((64, 64), np.float32)
    desc = TensorDescriptor(a, [64, 72], [100, 1], [64, 32])
    ir = desc_matmul.ir(desc, TensorDescriptor.from_tensor(b, [32, 64]), c, 64, 64, 72, 64,
                        64, 32)
    assert ir.count("!tile.tensormap") == 1  # b's only


@pytest.mark.parametrize("block,bits,aligned,padding,expected", [
    ((128, 64), 16, True, "zero", True),
    ((64, 128), 8, True, "zero", True),
    ((512, 64), 16, True, "zero", False),   # more rows than a TMA box
    ((64, 8), 16, True, "zero", False),     # 16-byte rows
    ((64, 64), 32, True, "zero", False),    # float32: the rings copy 8/16-bit
    ((64, 64), 16, False, "zero", False),   # unaligned base or stride
    ((64, 64), 16, True, "nan", False),     # TMA pads with zeros
    ((64,), 16, True, "zero", False),
])
def test_tensormap_eligibility(block: tuple[int, ...], bits: int, aligned: bool, padding: str,
                               expected: bool) -> None:
    assert tensormap.eligible(block, bits, aligned, aligned, padding) is expected


def test_tensormap_requests_resolve_to_zeros_off_cuda() -> None:
    req = tensormap.TensorMapRequest(0x1000, 16, 16, (64, 64), (64, 1), (64, 64))
    args = tensormap.resolve([1, req, 2.0], (1,), cuda=False)
    assert args == [1, bytes(128), 2.0]


@pytest.mark.parametrize("target,reads", [
    ("nvidia:sm_90a", True), ("nvidia:sm_100a", True), ("nvidia:sm_80", False),
    ("cpu", False), ("amd:gfx942", False)])
def test_only_hopper_kernels_read_tensormaps(target: str, reads: bool) -> None:
    assert tensormap.reads_tensormaps(target) is reads


def test_kernel_keeps_its_name_with_descriptors() -> None:
    """The kernel is named after its function, not its last descriptor
    parameter."""
    a = np.zeros((64, 64), np.float16)
    c = np.zeros((64, 64), np.float32)
    d = TensorDescriptor.from_tensor(a, [64, 64])
    assert "func.func @desc_matmul(" in desc_matmul.ir(d, d, c, 64, 64, 64, 64, 64, 64)
