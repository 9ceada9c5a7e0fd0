"""Block pointers (tl.make_block_ptr, tl.advance, load/store with
boundary_check and padding_option) and in-kernel tensor descriptors
(tl.make_tensor_descriptor, desc.load/desc.store) against NumPy on random
data, ragged shapes included; on the CPU backend here, and compiled for
Hopper, where a dot loop over them gets the cp.async ring."""
from __future__ import annotations

import numpy as np
import pytest

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from tessel import CompilationError

RNG = np.random.default_rng(77)


@pytest.fixture(autouse=True)
def _cpu_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "cpu")


@tessel.jit
def matmul_block_ptr(a_ptr, b_ptr, c_ptr, M, N, K, BM: tl.constexpr, BN: tl.constexpr,
                     BK: tl.constexpr):
    pm = tl.program_id(0)
    pn = tl.program_id(1)
    a = tl.make_block_ptr(a_ptr, (M, K), (K, 1), (pm * BM, 0), (BM, BK), (1, 0))
    b = tl.make_block_ptr(b_ptr, (K, N), (N, 1), (0, pn * BN), (BK, BN), (1, 0))
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for _ in range(0, K, BK):
        acc += tl.dot(tl.load(a, boundary_check=(0, 1), padding_option="zero"),
                      tl.load(b, boundary_check=(0, 1)))
        a = tl.advance(a, (0, BK))
        b = tl.advance(b, (BK, 0))
    c = tl.make_block_ptr(c_ptr, (M, N), (N, 1), (pm * BM, pn * BN), (BM, BN), (1, 0))
    tl.store(c, acc, boundary_check=(0, 1))


@pytest.mark.parametrize("M, N, K", [(64, 64, 64), (40, 50, 70), (17, 100, 33)])
def test_matmul_through_block_pointers(M: int, N: int, K: int) -> None:
    a = RNG.standard_normal((M, K)).astype(np.float32)
    b = RNG.standard_normal((K, N)).astype(np.float32)
    c = np.full((M, N), 9.0, np.float32)
    matmul_block_ptr[(tessel.cdiv(M, 16), tessel.cdiv(N, 32))](a, b, c, M, N, K, BM=16, BN=32,
                                                                BK=16)
    np.testing.assert_allclose(c, a.astype(np.float64) @ b, rtol=1e-4, atol=1e-4)


@tessel.jit
def window(x_ptr, out_ptr, M, N, r0, c0, CHECK: tl.constexpr, PAD: tl.constexpr):
    """The 8 x 16 block at (r0, c0), which may hang over any edge."""
    p = tl.make_block_ptr(x_ptr, (M, N), (N, 1), (r0, c0), (8, 16), (1, 0))
    v = tl.load(p, boundary_check=CHECK, padding_option=PAD)
    o = tl.make_block_ptr(out_ptr, (8, 16), (16, 1), (0, 0), (8, 16), (1, 0))
    tl.store(o, v)


def _window_reference(x: np.ndarray, r0: int, c0: int, pad: float) -> np.ndarray:
    out = np.full((8, 16), pad, np.float32)
    for i in range(8):
        for j in range(16):
            r, c = r0 + i, c0 + j
            if 0 <= r < x.shape[0] and 0 <= c < x.shape[1]:
                out[i, j] = x[r, c]
    return out


@pytest.mark.parametrize("r0, c0", [(0, 0), (5, 9), (-3, -5), (10, 20)])
@pytest.mark.parametrize("pad", ["zero", "nan"])
def test_boundary_check_and_padding(r0: int, c0: int, pad: str) -> None:
    x = RNG.standard_normal((12, 24)).astype(np.float32)
    out = np.zeros((8, 16), np.float32)
    window[(1,)](x, out, 12, 24, r0, c0, CHECK=(0, 1), PAD=pad)
    want = _window_reference(x, r0, c0, 0.0 if pad == "zero" else np.nan)
    np.testing.assert_array_equal(out, want)


def test_unchecked_dimensions_are_not_masked() -> None:
    # Only dimension 0 is checked: the columns (all inside) are read as they are.
    x = RNG.standard_normal((12, 16)).astype(np.float32)
    out = np.zeros((8, 16), np.float32)
    window[(1,)](x, out, 12, 16, 6, 0, CHECK=(0,), PAD="zero")
    np.testing.assert_array_equal(out, _window_reference(x, 6, 0, 0.0))


@tessel.jit
def scale_desc(x_ptr, y_ptr, M, N, BM: tl.constexpr, BN: tl.constexpr, PAD: tl.constexpr):
    dx = tl.make_tensor_descriptor(x_ptr, [M, N], [N, 1], [BM, BN], padding_option=PAD)
    dy = tl.make_tensor_descriptor(y_ptr, [M, N], [N, 1], [BM, BN])
    tl.static_assert(isinstance(dx, tl.tensor_descriptor))
    m0 = tl.program_id(0) * BM
    n0 = tl.program_id(1) * BN
    t = dx.load([m0, n0])
    tl.store_tensor_descriptor(dy, [m0, n0], t * 2 + tl.load_tensor_descriptor(dx, [m0, n0]))


def test_tensor_descriptor_ragged_tiles() -> None:
    M, N = 37, 50
    x = RNG.standard_normal((M, N)).astype(np.float32)
    y = np.full_like(x, 7.0)
    scale_desc[(tessel.cdiv(M, 16), tessel.cdiv(N, 32))](x, y, M, N, BM=16, BN=32, PAD="zero")
    np.testing.assert_array_equal(y, 3 * x)


@tessel.jit
def desc_padding(x_ptr, out_ptr, N, PAD: tl.constexpr):
    d = tl.make_tensor_descriptor(x_ptr, [N], [1], [16], padding_option=PAD)
    tl.store(out_ptr + tl.arange(0, 16), d.load([N - 8]))


def test_tensor_descriptor_padding() -> None:
    x = RNG.standard_normal(20).astype(np.float32)
    out = np.zeros(16, np.float32)
    desc_padding[(1,)](x, out, 20, PAD="nan")
    np.testing.assert_array_equal(out[:8], x[12:])
    assert np.isnan(out[8:]).all()
    desc_padding[(1,)](x, out, 20, PAD="zero")
    np.testing.assert_array_equal(out[8:], np.zeros(8, np.float32))


def test_errors_name_the_rule() -> None:
    x = np.zeros((8, 16), np.float32)

    @tessel.jit
    def strided_last(x_ptr):
        d = tl.make_tensor_descriptor(x_ptr, [8, 16], [1, 8], [8, 16])
        tl.store(x_ptr, tl.sum(tl.sum(d.load([0, 0]), 0), 0))

    with pytest.raises(CompilationError, match="Tensor descriptor last dim must be 1"):
        strided_last[(1,)](x)

    @tessel.jit
    def masked_block(x_ptr):
        p = tl.make_block_ptr(x_ptr, (8, 16), (16, 1), (0, 0), (8, 16), (1, 0))
        tl.store(p, tl.load(p, mask=tl.full((8, 16), True, tl.int1)))

    with pytest.raises(CompilationError, match="use boundary_check and padding_option"):
        masked_block[(1,)](x)

    @tessel.jit
    def check_plain(x_ptr):
        tl.store(x_ptr, tl.load(x_ptr, boundary_check=(0,)))

    with pytest.raises(CompilationError, match="need a block pointer"):
        check_plain[(1,)](x)

    @tessel.jit
    def bad_order(x_ptr):
        p = tl.make_block_ptr(x_ptr, (8, 16), (16, 1), (0, 0), (8, 16), (0, 0))
        tl.store(p, tl.load(p))

    with pytest.raises(CompilationError, match="order must be a permutation"):
        bad_order[(1,)](x)

    @tessel.jit
    def reassigned(x_ptr, y_ptr, n):
        p = tl.make_block_ptr(x_ptr, (8, 16), (16, 1), (0, 0), (8, 16), (1, 0))
        for _ in range(n):
            p = tl.make_block_ptr(y_ptr, (8, 16), (16, 1), (0, 0), (8, 16), (1, 0))
        tl.store(p, tl.load(p))

    with pytest.raises(CompilationError, match="only its offsets may change"):
        reassigned[(1,)](x, x, 2)


def test_block_pointer_loop_on_hopper_gets_the_ring(monkeypatch) -> None:
    """Offsets carried by the loop keep the accesses contiguous and
    predictable: the dot loop over block pointers is pipelined (cp.async),
    also with an f32 output (the operand loads take 16-byte vectors of their
    own, though the kernel's f32 accesses make its default layout 4-wide)."""
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    for out in ("*fp16:16", "*fp32:16"):
        k = matmul_block_ptr.warmup("*fp16:16", "*fp16:16", out, "i32:16", "i32:16",
                                    "i32:16", BM=128, BN=128, BK=64, num_warps=8, num_stages=3)
        assert "tilegpu.async_copy" in k.asm["tilegpu"] and "cp.async.cg" in k.asm["ptx"]
        # No conversion in the loop (the epilogue converts to coalesced stores).
        loop = k.asm["tilegpu"].split("scf.for")[1].split("scf.yield")[0]
        assert "tilegpu.convert_layout" not in loop
        assert k.n_spills == 0


@tessel.jit
def triple_desc(x_desc, y_desc, BM: tl.constexpr, BN: tl.constexpr):
    m0 = tl.program_id(0) * BM
    n0 = tl.program_id(1) * BN
    y_desc.store([m0, n0], x_desc.load([m0, n0]) * 3)


def test_host_tensor_descriptors() -> None:
    """triton.tools.tensor_descriptor's TensorDescriptor as kernel arguments:
    the kernel sees tl.tensor_descriptor objects; only the descriptor it
    stores through counts as written (read-only arrays work for the other)."""
    from tessel.tools.tensor_descriptor import TensorDescriptor

    M, N = 37, 50
    x = RNG.standard_normal((M, N)).astype(np.float32)
    x.flags.writeable = False
    y = np.zeros_like(x)
    xd, yd = TensorDescriptor.from_tensor(x, [16, 32]), TensorDescriptor.from_tensor(y, [16, 32])
    k = triple_desc[(tessel.cdiv(M, 16), tessel.cdiv(N, 32))](xd, yd, BM=16, BN=32)
    np.testing.assert_array_equal(y, 3 * x)
    assert k.stored_args == ("y_desc",)
    with pytest.raises(TypeError, match="'y_desc' is a read-only array"):
        triple_desc[(1, 1)](yd, xd, BM=16, BN=32)
    # A strided view: the descriptor's strides are the view's.
    big = RNG.standard_normal((M, 2 * N)).astype(np.float32)
    view = big[:, :N]  # rows 2N apart, the last dimension contiguous
    out = np.zeros((M, N), np.float32)
    triple_desc[(tessel.cdiv(M, 16), tessel.cdiv(N, 32))](
        TensorDescriptor(view, [M, N], [view.strides[0] // 4, 1], [16, 32]),
        TensorDescriptor.from_tensor(out, [16, 32]), BM=16, BN=32)
    np.testing.assert_array_equal(out, 3 * view)
    with pytest.raises(ValueError, match="last dim must be 1"):
        TensorDescriptor(x, [M, N], [1, M], [16, 32])


def test_autotune_pre_hook_sets_the_block_shape() -> None:
    """Triton's tutorial pattern: the config's pre_hook gives the descriptors
    their block shape; each block shape is a specialization."""
    from tessel.tools.tensor_descriptor import TensorDescriptor

    def set_blocks(nargs):
        for name in ("x_desc", "y_desc"):
            nargs[name].block_shape = [nargs["BM"], nargs["BN"]]

    @tessel.autotune(configs=[tessel.Config({"BM": 16, "BN": 16}, pre_hook=set_blocks),
                              tessel.Config({"BM": 32, "BN": 64}, pre_hook=set_blocks)],
                     key=["M"])
    @tessel.jit
    def tuned(x_desc, y_desc, M, BM: tl.constexpr, BN: tl.constexpr):
        m0 = tl.program_id(0) * BM
        n0 = tl.program_id(1) * BN
        y_desc.store([m0, n0], x_desc.load([m0, n0]) + 1)

    M, N = 45, 70
    x = RNG.standard_normal((M, N)).astype(np.float32)
    y = np.zeros_like(x)
    dummy = [1, 1]
    xd, yd = TensorDescriptor(x, [M, N], [N, 1], dummy), TensorDescriptor(y, [M, N], [N, 1], dummy)
    tuned[lambda meta: (tessel.cdiv(M, meta["BM"]), tessel.cdiv(N, meta["BN"]))](xd, yd, M)
    np.testing.assert_array_equal(y, x + 1)


def test_three_dimensional_descriptor_and_while_loop_block_pointer() -> None:
    @tessel.jit
    def d3(x_ptr, y_ptr, A, B, C):
        d = tl.make_tensor_descriptor(x_ptr, [A, B, C], [B * C, C, 1], [2, 4, 8])
        e = tl.make_tensor_descriptor(y_ptr, [A, B, C], [B * C, C, 1], [2, 4, 8])
        e.store([1, 2, 3], d.load([1, 2, 3]) + 1)

    x = RNG.standard_normal((3, 5, 9)).astype(np.float32)
    y = np.zeros_like(x)
    d3[(1,)](x, y, 3, 5, 9)
    ref = np.zeros_like(x)
    ref[1:3, 2:5, 3:9] = x[1:3, 2:5, 3:9] + 1  # the block hangs over every edge
    np.testing.assert_array_equal(y, ref)

    @tessel.jit
    def column_sums(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
        p = tl.make_block_ptr(x_ptr, (n,), (1,), (0,), (BLOCK,), (0,))
        acc = tl.zeros((BLOCK,), tl.float32)
        i = 0
        while i < n:  # a while loop carries the pointer too
            acc += tl.load(p, boundary_check=(0,))
            p = tl.advance(p, (BLOCK,))
            i += BLOCK
        tl.store(y_ptr + tl.arange(0, BLOCK), acc)

    v = RNG.standard_normal(20).astype(np.float32)
    out = np.zeros(8, np.float32)
    column_sums[(1,)](v, out, 20, BLOCK=8)
    padded = np.zeros(24, np.float32)
    padded[:20] = v
    np.testing.assert_allclose(out, padded.reshape(3, 8).sum(0), rtol=1e-6)


def test_member_advance_and_to_tensor() -> None:
    @tessel.jit
    def k(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
        p = tl.make_block_ptr(x_ptr, (n,), (1,), (0,), (BLOCK,), (0,))
        p = p.advance((BLOCK,))  # Triton's member form
        v = tl.load(p, boundary_check=(0,))
        tl.static_assert(BLOCK <= tl.TRITON_MAX_TENSOR_NUMEL)
        tl.store(y_ptr + tl.arange(0, BLOCK), v + tl.to_tensor(2))

    x = RNG.standard_normal(12).astype(np.float32)
    y = np.zeros(8, np.float32)
    k[(1,)](x, y, 12, BLOCK=8)
    np.testing.assert_array_equal(y[:4], x[8:] + 2)
    np.testing.assert_array_equal(y[4:], np.full(4, 2, np.float32))
