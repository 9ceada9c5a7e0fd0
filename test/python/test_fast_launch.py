"""The C++ launch path (python/src/FastLaunch.cpp): a specialization launched
before is launched without Python's binder, and everything it cannot decide
goes back to the Python path, which raises the same errors as before."""
from __future__ import annotations

import numpy as np
import pytest

import tessel
import tessel.language as tl

RNG = np.random.default_rng(11)


@tessel.jit
def axpy(x_ptr, y_ptr, out_ptr, a, n, flag, BLOCK: tl.constexpr, SHIFT: tl.constexpr = 0):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    y = tl.load(y_ptr + offs, mask=m)
    r = a * x + y + SHIFT
    r = tl.where(flag, r, -r)
    tl.store(out_ptr + offs, r, mask=m)


@tessel.jit
def checked(x_ptr, n, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs, mask=offs < n, other=0.0)
    tl.device_assert(x >= 0, "negative input")


class SlowCounter:
    """Counts launches that took the Python path."""

    def __init__(self, fn: tessel.JITFunction, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        slow = fn._run_slow

        def counting(*args, **kwargs):
            self.count += 1
            return slow(*args, **kwargs)

        monkeypatch.setattr(fn, "_run_slow", counting)


def data(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (RNG.standard_normal(n).astype(np.float32), RNG.standard_normal(n).astype(np.float32),
            np.zeros(n, np.float32))


def expected(x, y, a, flag, shift=0):
    r = np.float32(a) * x + y + np.float32(shift)
    return r if flag else -r


def test_repeated_launches_take_the_fast_path_with_new_data(monkeypatch) -> None:
    axpy.cache.clear()
    slow = SlowCounter(axpy, monkeypatch)
    for i in range(5):
        n = 1000 + i  # new sizes and buffers every time: same specialization
        x, y, out = data(n)
        k = axpy[(tessel.cdiv(n, 256),)](x, y, out, 1.5 + i, n + 0, True, BLOCK=256)
        np.testing.assert_allclose(out, expected(x, y, 1.5 + i, True), rtol=1e-6)
        assert k is not None and k.name == "axpy"
    # n = 1000 and 1004 are divisible by 4 only, 1001..1003 not at all: one
    # specialization for every launch (n % 16 != 0), compiled once.
    assert slow.count == 1


def test_what_changes_the_specialization_goes_through_python_once(monkeypatch) -> None:
    axpy.cache.clear()
    slow = SlowCounter(axpy, monkeypatch)
    x, y, out = data(1024)

    def run(**kw):
        args = dict(a=2.0, n=1000, flag=True, BLOCK=256)
        args.update(kw)
        out[:] = 0
        axpy[(4,)](x, y, out, args["a"], args["n"], args["flag"], BLOCK=args["BLOCK"],
                   **{k: v for k, v in kw.items() if k in ("SHIFT", "num_warps")})
        m = min(args["n"], 1024)
        np.testing.assert_allclose(out[:m], expected(x, y, args["a"], args["flag"],
                                                     kw.get("SHIFT", 0))[:m], rtol=1e-6)

    run()
    run()
    assert slow.count == 1
    run(SHIFT=3)       # another constexpr value
    run(SHIFT=3)
    assert slow.count == 2
    run(n=1024)        # 16-divisible int
    run(n=1024)
    assert slow.count == 3
    run(a=2)           # an int where a float was
    run(a=2)
    assert slow.count == 4
    run(flag=False)    # bools are values, not specializations
    assert slow.count == 4
    run(num_warps=8)   # a launch option
    run(num_warps=8)
    assert slow.count == 5
    run()              # all still there
    assert slow.count == 5


def test_grid_callables_see_the_meta_parameters(monkeypatch) -> None:
    axpy.cache.clear()
    slow = SlowCounter(axpy, monkeypatch)
    seen = []

    def grid(meta):
        seen.append((meta["BLOCK"], meta["n"], meta["num_warps"]))
        return (tessel.cdiv(meta["n"], meta["BLOCK"]),)

    for _ in range(2):
        x, y, out = data(3000)
        axpy[grid](x, y, out, 0.5, 3000, True, BLOCK=512)
        np.testing.assert_allclose(out, expected(x, y, 0.5, True), rtol=1e-6)
    assert seen == [(512, 3000, 4), (512, 3000, 4)] and slow.count == 1
    axpy[(0,)](x, y, out, 0.5, 3000, True, BLOCK=512)  # an empty grid launches nothing


def test_errors_are_still_raised_after_a_fast_launch(monkeypatch) -> None:
    axpy.cache.clear()
    x, y, out = data(512)
    axpy[(2,)](x, y, out, 1.0, 512, True, BLOCK=256)
    ro = out.copy()
    ro.setflags(write=False)
    with pytest.raises(TypeError, match="read-only"):
        axpy[(2,)](x, y, ro, 1.0, 512, True, BLOCK=256)
    with pytest.raises(TypeError, match="negative strides"):
        axpy[(2,)](x[::-1], y, out, 1.0, 512, True, BLOCK=256)
    with pytest.raises(TypeError, match="unsupported type"):
        axpy[(2,)](x, y, out, 1.0, "512", True, BLOCK=256)
    with pytest.raises(TypeError, match="missing required argument"):
        axpy[(2,)](x, y, out, 1.0, 512, BLOCK=256)
    with pytest.raises((TypeError, ValueError)):
        axpy[(2.5,)](x, y, out, 1.0, 512, True, BLOCK=256)
    axpy[(2,)](x, y, out, 1.0, 512, True, BLOCK=256)  # and the kernel still runs
    np.testing.assert_allclose(out, expected(x, y, 1.0, True), rtol=1e-6)


def test_clearing_the_cache_compiles_again(monkeypatch) -> None:
    axpy.cache.clear()
    slow = SlowCounter(axpy, monkeypatch)
    x, y, out = data(256)
    axpy[(1,)](x, y, out, 1.0, 256, True, BLOCK=256)
    axpy.cache.clear()
    axpy[(1,)](x, y, out, 1.0, 256, True, BLOCK=256)
    assert slow.count == 2


def test_device_assertions_fail_on_the_fast_path_too(monkeypatch) -> None:
    monkeypatch.setenv("TESSEL_DEBUG", "1")
    x = RNG.uniform(0.1, 1.0, 64).astype(np.float32)
    checked[(1,)](x, 64, BLOCK=64)
    checked[(1,)](x, 64, BLOCK=64)
    x[5] = -1.0
    with pytest.raises(AssertionError, match="negative input"):
        checked[(1,)](x, 64, BLOCK=64)
    monkeypatch.setenv("TESSEL_DEBUG", "0")  # the environment is part of the key
    checked[(1,)](x, 64, BLOCK=64)


def test_num_ctas_stays_on_the_fast_path(monkeypatch) -> None:
    axpy.cache.clear()
    slow = SlowCounter(axpy, monkeypatch)
    x, y, out = data(256)
    for ctas in (1, 2):
        for _ in range(3):
            axpy[(1,)](x, y, out, 1.0, 256, True, BLOCK=256, num_ctas=ctas)
    # One slow launch per value: num_ctas is part of the key.
    assert slow.count == 2
    for bad in (3, 0, True):
        with pytest.raises(ValueError, match="num_ctas must be 1 or 2"):
            axpy[(1,)](x, y, out, 1.0, 256, True, BLOCK=256, num_ctas=bad)


@tessel.jit
def strided_copy(x_ptr, out_ptr, n, stride, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    tl.store(out_ptr + offs, tl.load(x_ptr + offs * stride, mask=m), mask=m)


@tessel.jit(do_not_specialize=["stride"])
def strided_copy_generic(x_ptr, out_ptr, n, stride, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    tl.store(out_ptr + offs, tl.load(x_ptr + offs * stride, mask=m), mask=m)


def test_ints_equal_to_one_are_compiled_in(monkeypatch) -> None:
    strided_copy.cache.clear()
    slow = SlowCounter(strided_copy, monkeypatch)
    x = RNG.standard_normal(2048).astype(np.float32)
    for stride in (1, 1, 2, 2, 1):
        out = np.zeros(1000, np.float32)
        k = strided_copy[(4,)](x, out, 1000, stride, BLOCK=256)
        np.testing.assert_array_equal(out, x[: 1000 * stride : stride])
        if stride == 1:
            # The unit stride is a constant: one argument fewer, and the
            # loads are contiguous for the axis analysis.
            assert k.arg_types == ["ptr", "ptr", "i32"], k.arg_types
        else:
            assert k.arg_types == ["ptr", "ptr", "i32", "i32"], k.arg_types
    assert slow.count == 2  # one compile per specialization, then the fast path
    out = np.zeros(1000, np.float32)
    k = strided_copy_generic[(4,)](x, out, 1000, 1, BLOCK=256)  # do_not_specialize
    assert k.arg_types == ["ptr", "ptr", "i32", "i32"]
    np.testing.assert_array_equal(out, x[:1000])


def test_cuda_launches_take_the_fast_path(monkeypatch) -> None:
    """torch CUDA tensors: after the first launch every launch of the
    specialization goes through C++ (bench/bench_launch.py's figure depends
    on it), on the current stream, with new data each time."""
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    monkeypatch.delenv("TESSEL_TARGET", raising=False)
    axpy.cache.clear()
    slow = SlowCounter(axpy, monkeypatch)
    for i in range(4):
        n = 2048
        x, y = (torch.randn(n, device="cuda") for _ in range(2))
        out = torch.empty_like(x)
        axpy[(tessel.cdiv(n, 256),)](x, y, out, 0.5 * i, n, True, BLOCK=256)
        torch.testing.assert_close(out, 0.5 * i * x + y)
    assert slow.count == 1


def test_kernel_grid_objects_are_reused_per_int_grid_and_callable(monkeypatch) -> None:
    slow = SlowCounter(axpy, monkeypatch)
    x, y, out = data(300)
    axpy[(2,)](x, y, out, 2.0, 300, True, BLOCK=256)
    assert axpy[(2,)] is axpy[(2,)]  # the same C++ object for an equal int grid
    assert axpy[(2,)] is not axpy[(3,)] and axpy[(2,)] is not axpy[(2, 1)]

    def grid(meta):
        return (tessel.cdiv(300, meta["BLOCK"]),)

    assert axpy[grid] is axpy[grid]
    assert axpy[[2]] is not axpy[[2]]  # a list is not kept (it may change)

    def grid_for(n):  # a closure: not kept (it would pin what it holds)
        return lambda meta: (tessel.cdiv(n, meta["BLOCK"]),)

    closure = grid_for(300)
    assert axpy[closure] is not axpy[closure]
    before = slow.count
    out[:] = 0
    axpy[grid](x, y, out, 2.0, 300, True, BLOCK=256)
    np.testing.assert_allclose(out, expected(x, y, 2.0, True), rtol=1e-6)
    assert slow.count == before


@pytest.mark.parametrize("grid", [(2.0,), (True,), (np.int64(2),)])
def test_grids_equal_to_an_int_grid_are_not_taken_for_it(grid) -> None:
    x, y, out = data(300)
    axpy[(2,)](x, y, out, 2.0, 300, True, BLOCK=256)
    # (2.0,) == (2,) and (True,) == (1,) in Python, but float and bool grids
    # are errors, whatever was launched before; a NumPy int is an int.
    if isinstance(grid[0], (float, bool)):
        with pytest.raises(TypeError, match="grid"):
            axpy[grid](x, y, out, 2.0, 300, True, BLOCK=256)
    else:
        out[:] = 0
        axpy[grid](x, y, out, 2.0, 300, True, BLOCK=256)
        np.testing.assert_allclose(out[:int(grid[0]) * 256], expected(x, y, 2.0, True)[:int(grid[0]) * 256],
                                   rtol=1e-6)


def test_kernels_and_their_launch_objects_are_garbage_collected() -> None:
    import gc
    import weakref

    def make():
        @tessel.jit
        def add_one(x_ptr, n, B: tl.constexpr):
            o = tl.arange(0, B)
            tl.store(x_ptr + o, tl.load(x_ptr + o) + 1.0, mask=o < n)

        return add_one

    refs = []
    for _ in range(3):
        fn = make()
        x = np.zeros(16, np.float32)
        fn[(1,)](x, 16, B=16)
        fn[(1,)](x, 16, B=16)  # the fast path, through the kept fn[(1,)]
        fn[lambda meta: (1,)](x, 16, B=16)
        assert (x == 3).all()
        refs.append(weakref.ref(fn))
        del fn
    gc.collect()
    assert all(r() is None for r in refs)


@tessel.jit
def block_add(x_desc, y_desc, out_desc, BM: tl.constexpr, BN: tl.constexpr):
    r, c = tl.program_id(0) * BM, tl.program_id(1) * BN
    out_desc.store([r, c], x_desc.load([r, c]) + y_desc.load([r, c]))


def _descriptor_launch(make, empty, rows, cols, bm=16, bn=32):
    from tessel.tools.tensor_descriptor import TensorDescriptor

    x, y, out = make(rows, cols), make(rows, cols), empty(rows, cols)
    descs = [TensorDescriptor.from_tensor(t, [bm, bn]) for t in (x, y, out)]
    block_add[(tessel.cdiv(rows, bm), tessel.cdiv(cols, bn))](*descs, BM=bm, BN=bn)
    return x, y, out


def test_host_descriptors_take_the_fast_path(monkeypatch) -> None:
    """Host TensorDescriptors: after the first launch the C++ path flattens
    them as the Python path does (base, shape and strides, 1s compiled in),
    with new data, and new shapes of the same specialization; what changes
    the specialization (the block shape, a 16-divisible size, the padding)
    goes through Python once."""
    from tessel.tools.tensor_descriptor import TensorDescriptor

    block_add.cache.clear()
    slow = SlowCounter(block_add, monkeypatch)

    def make(r, c):
        return RNG.standard_normal((r, c)).astype(np.float16)

    def empty(r, c):
        return np.zeros((r, c), np.float16)

    for rows, cols in [(40, 72), (40, 72), (56, 88), (24, 40)]:  # cols % 16 == 8
        x, y, out = _descriptor_launch(make, empty, rows, cols)
        np.testing.assert_array_equal(out, x + y)
    assert slow.count == 1
    x, y, out = _descriptor_launch(make, empty, 40, 72, bm=8)  # another block shape
    np.testing.assert_array_equal(out, x + y)
    assert slow.count == 2
    x, y, out = _descriptor_launch(make, empty, 48, 64)  # 16-divisible shape and stride
    x, y, out = _descriptor_launch(make, empty, 48, 64)
    np.testing.assert_array_equal(out, x + y)
    assert slow.count == 3
    x, y, out = make(40, 72), make(40, 72), empty(40, 72)
    nan = [TensorDescriptor.from_tensor(t, [16, 32], padding="nan") for t in (x, y, out)]
    block_add[(3, 3)](*nan, BM=16, BN=32)
    np.testing.assert_array_equal(out, x + y)
    assert slow.count == 4


def test_cuda_descriptor_launches_take_the_fast_path(monkeypatch) -> None:
    """The same on CUDA, where Hopper kernels also take the descriptors'
    tensor maps (encoded once per base, shape, strides and block)."""
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    monkeypatch.delenv("TESSEL_TARGET", raising=False)
    block_add.cache.clear()
    slow = SlowCounter(block_add, monkeypatch)

    def make(r, c):
        return torch.randn(r, c, device="cuda", dtype=torch.float16)

    def empty(r, c):
        return torch.empty(r, c, device="cuda", dtype=torch.float16)

    for rows, cols in [(64, 96), (64, 96), (128, 160)]:
        x, y, out = _descriptor_launch(make, empty, rows, cols)
        torch.testing.assert_close(out, x + y)
    assert slow.count == 1
