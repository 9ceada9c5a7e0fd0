"""Triton's ``tl.tuple``/``tl.tuple_type``, ``tl.void``, ``tl.const``/
``tl.const_pointer_type`` and ``tl.philox_impl`` (Triton 3.6 semantics),
against NumPy on random data on the CPU backend and, when a CUDA device is
usable, on CUDA (device_cases.py); bad uses are located
``CompilationError``s.  (Triton 3.6 has no ``tensor.item()``: using it is an
error here too.)"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pytest

import tessel
import tessel.language as tl
from device_cases import device  # noqa: F401 (a fixture)
from device_cases import dev as _dev
from device_cases import host as _host

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

HERE = __file__
RNG = np.random.default_rng(20260)


def _located(call, match: str) -> tessel.CompilationError:  # type: ignore[no-untyped-def]
    """``call()`` raises a CompilationError matching ``match``, located in
    this file with the source line and a caret."""
    with pytest.raises(tessel.CompilationError, match=match) as info:
        call()
    err = info.value
    text = str(err)
    assert f"{HERE}:{err.lineno}:" in text, text
    assert err.source_line.strip() and err.source_line.strip() in text
    assert "^" in text
    return err


def _floats(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


# ---------------------------------------------------------------------------
# tl.tuple: construction, indexing, len, unpacking
# ---------------------------------------------------------------------------
@tessel.jit
def tuple_basics_kernel(x_ptr, y_ptr, out_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    y = tl.load(y_ptr + offs)
    t = (x, y * 2.0, 3)
    tl.static_assert(isinstance(t, tl.tuple) and len(t) == 3)
    tl.static_assert(t[2] == 3 and t[-1] == 3)
    a, b, c = t
    first, *rest = t
    tl.static_assert(isinstance(rest, tl.tuple) and len(rest) == 2)
    u = tl.tuple([a, b]) + (c,)           # tl.tuple + a tuple
    v = t[1:]                              # a slice is a tl.tuple
    w = (x,) * 2                           # repetition by a constexpr
    tl.static_assert(len(u) == 3 and len(v) == 2 and len(w) == 2)
    tl.static_assert(tl.tuple((1, 2)) == (1, 2) and (1, 2) == tl.tuple([1, 2]))
    tl.static_assert(tl.tuple((1, 2)) != (1, 3) and tl.tuple((1, 2)) == [1, 2])
    total = first * 0.0
    for e in t:                            # iteration is unrolled
        total = total + e
    tl.store(out_ptr + offs * 4 + 0, total)
    tl.store(out_ptr + offs * 4 + 1, u[0] - u[1] + u[2])
    tl.store(out_ptr + offs * 4 + 2, v[0] * v[1] + rest[0])
    tl.store(out_ptr + offs * 4 + 3, w[0] + w[1] + t[len(t) - 3])


def test_tuple_literals_index_len_unpack(device: str) -> None:
    x, y = _floats(64), _floats(64)
    out = _dev(np.zeros((64, 4), np.float32), device)
    tuple_basics_kernel[(1,)](_dev(x, device), _dev(y, device), out, BLOCK=64)
    out = _host(out)
    np.testing.assert_allclose(out[:, 0], x + 2 * y + 3, rtol=1e-6)
    np.testing.assert_allclose(out[:, 1], x - 2 * y + 3, rtol=1e-6)
    np.testing.assert_allclose(out[:, 2], 2 * y * 3 + 2 * y, rtol=1e-6)
    np.testing.assert_allclose(out[:, 3], 3 * x, rtol=1e-6)


@tessel.jit
def comprehension_kernel(x_ptr, out_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    xs = tl.tuple([tl.load(x_ptr + i * BLOCK + offs) for i in range(4)])
    doubled = [v * 2.0 for v in xs]
    picked = [v for i, v in enumerate(xs) if i % 2 == 1]          # compile-time filter
    pairs = [a * b for a in (1.0, 2.0) for b in (3.0, 5.0)]
    tl.static_assert(isinstance(doubled, tl.tuple) and len(picked) == 2 and len(pairs) == 4)
    tl.store(out_ptr + offs, doubled[0] + picked[0] * picked[1] + pairs[3] + doubled[3])


def test_list_comprehensions_over_tuples(device: str) -> None:
    x = _floats(4, 32)
    out = _dev(np.zeros(32, np.float32), device)
    comprehension_kernel[(1,)](_dev(x, device), out, BLOCK=32)
    np.testing.assert_allclose(_host(out), 2 * x[0] + x[1] * x[3] + 10 + 2 * x[3], rtol=1e-5)


def test_comprehension_names_stay_local(device: str) -> None:
    @tessel.jit
    def k(out_ptr):
        v = 7
        t = [v * 10 for v in (1, 2)]
        tl.store(out_ptr, v + t[1])

    out = _dev(np.zeros(1, np.int32), device)
    k[(1,)](out)
    assert _host(out)[0] == 27


def test_tuple_type(device: str) -> None:
    @tessel.jit
    def k(x_ptr, out_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        x = tl.load(x_ptr + offs)
        t = (x, 2, (x.to(tl.int32), tl.float16))
        ty = t.type
        tl.static_assert(isinstance(ty, tl.tuple_type) and len(ty) == 3)
        tl.static_assert(ty[0] == x.type and ty[1] == tl.constexpr_type(2))
        tl.static_assert(ty[2] == tl.tuple_type([tl.block_type(tl.int32, [BLOCK]),
                                                 tl.constexpr_type(tl.float16)]))
        tl.static_assert(t.values[1] == 2)
        tl.store(out_ptr + offs, t[2][0] + t[1])

    x = (_floats(16) * 50).astype(np.float32)
    out = _dev(np.zeros(16, np.int32), device)
    k[(1,)](_dev(x, device), out, BLOCK=16)
    np.testing.assert_array_equal(_host(out), x.astype(np.int32) + 2)


def test_tuple_objects_on_the_host() -> None:
    t = tl.tuple([1, tl.constexpr(2), tl.float32])
    assert isinstance(t, tuple) and t == (1, 2, tl.float32) and t[1] == 2 and len(t) == 3
    assert t == [1, 2, tl.float32] and t != (1, 2) and hash(t) == hash((1, 2, tl.float32))
    assert t[1:] == (2, tl.float32) and isinstance(t[1:], tl.tuple)
    assert (0,) + t == (0, 1, 2, tl.float32) and isinstance((0,) + t, tl.tuple)
    assert t.type == tl.tuple_type([tl.constexpr_type(1), tl.constexpr_type(2),
                                    tl.constexpr_type(tl.float32)])
    assert str(t.type).startswith("[:")
    named = tl.tuple((1, 2), tl.tuple_type([tl.constexpr_type(1), tl.constexpr_type(2)],
                                           ["a", "b"]))
    assert named.a == 1 and named.b == 2 and named.type.fields == ("a", "b")
    with pytest.raises(AttributeError, match="its fields: a, b"):
        named.c  # noqa: B018
    with pytest.raises(TypeError, match="tuple or list"):
        tl.tuple(5)
    with pytest.raises(IndexError, match="out of range"):
        t[3]  # noqa: B018
    for name in ("tuple", "tuple_type", "void", "const", "const_pointer_type", "philox_impl"):
        assert name in tl.__all__ and hasattr(tl, name)


# ---------------------------------------------------------------------------
# tuples through @jit helpers (inlined and noinline)
# ---------------------------------------------------------------------------
@tessel.jit
def _increment(values):
    return tl.tuple([v + 1 for v in values])


@tessel.jit
def _sum_diff_prod(a, b):
    return a + b, \
        a - b, \
        a * b


@tessel.jit
def _pick(pair, flag):
    if flag > 0:                      # early returns of tuples on a runtime value
        return pair[0], pair
    return pair[1], (pair[1], pair[0])


@tessel.jit
def helpers_kernel(x_ptr, y_ptr, out_ptr, flag, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    y = tl.load(y_ptr + offs)
    s, d, p = _sum_diff_prod(x, y)
    inc = _increment((s, d, p))
    first, (q, r) = _pick((x, y), flag)
    tl.store(out_ptr + offs * 4 + 0, inc[0] + inc[1])
    tl.store(out_ptr + offs * 4 + 1, inc[2])
    tl.store(out_ptr + offs * 4 + 2, first)
    tl.store(out_ptr + offs * 4 + 3, q - r)


@pytest.mark.parametrize("flag", [5, -3])
def test_tuples_through_jit_helpers(device: str, flag: int) -> None:
    x, y = _floats(32), _floats(32)
    out = _dev(np.zeros((32, 4), np.float32), device)
    helpers_kernel[(1,)](_dev(x, device), _dev(y, device), out, flag, BLOCK=32)
    out = _host(out)
    np.testing.assert_allclose(out[:, 0], (x + y + 1) + (x - y + 1), rtol=1e-5, atol=1e-6)
    # atol: the GPU fuses x * y + 1 into one fma (one rounding, NumPy's two
    # differ by an ulp of x * y, large against results near 0).
    np.testing.assert_allclose(out[:, 1], x * y + 1, rtol=1e-6, atol=1e-6)
    pick = x if flag > 0 else y
    np.testing.assert_array_equal(out[:, 2], pick)
    np.testing.assert_array_equal(out[:, 3], (x - y) if flag > 0 else (y - x))


@tessel.jit(noinline=True)
def _split_stats(t, scale):
    lo, hi = t
    return (lo + hi) * scale, (hi - lo, 3)


@tessel.jit
def noinline_kernel(a_ptr, b_ptr, out_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    a = tl.load(a_ptr + offs)
    b = tl.load(b_ptr + offs)
    s1, (d1, three) = _split_stats((a, b), 2.0)
    s2, (d2, _) = _split_stats((b, a), 2.0)
    tl.static_assert(three == 3)
    tl.store(out_ptr + offs, s1 * d1 + s2 + d2 + three)


def test_tuples_through_noinline_functions(device: str) -> None:
    a, b = _floats(32), _floats(32)
    out = _dev(np.zeros(32, np.float32), device)
    kernel = noinline_kernel[(1,)](_dev(a, device), _dev(b, device), out, BLOCK=32)
    expected = (a + b) * 2 * (b - a) + (b + a) * 2 + (a - b) + 3
    np.testing.assert_allclose(_host(out), expected, rtol=1e-5, atol=1e-5)
    ir = kernel.asm["tile"]
    assert ir.count("call @_split_stats__") == 2
    assert ir.count("func.func private @_split_stats__") == 1  # one specialization


# ---------------------------------------------------------------------------
# tuples and runtime control flow
# ---------------------------------------------------------------------------
@tessel.jit(do_not_specialize=["flag"])
def branch_kernel(x_ptr, out_ptr, flag, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    if flag > 0:
        t = (x, 1, x * 2)
    else:
        t = (x + 1, 2, x * 3)
    u = (x, 5) if flag > 0 else (x * 4, 6)
    tl.store(out_ptr + offs, t[0] + t[1] + t[2] + u[0] + u[1])


@pytest.mark.parametrize("flag", [1, 0])
def test_tuples_merge_across_runtime_branches(device: str, flag: int) -> None:
    x = _floats(64)
    out = _dev(np.zeros(64, np.float32), device)
    branch_kernel[(1,)](_dev(x, device), out, flag, BLOCK=64)
    out = _host(out)
    if flag > 0:
        expected = x + 1 + 2 * x + x + 5
    else:
        expected = (x + 1) + 2 + 3 * x + 4 * x + 6
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


@tessel.jit
def loop_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    # a tensor, a count and a float start as numbers; the loop carries all three
    acc = (tl.zeros((BLOCK,), tl.float32), 0, 1.0, BLOCK)
    for i in range(n):
        x = tl.load(x_ptr + i * BLOCK + offs)
        acc = (acc[0] + x, acc[1] + 1, acc[2] * 0.5, acc[3])
    tl.static_assert(acc[3] == BLOCK)       # unchanged numbers stay compile-time
    state = (acc[0], 0)
    j = 0
    while j < n:
        state = (state[0] - 1.0, state[1] + 2)
        j += 1
    s, c, p, _ = acc
    tl.store(out_ptr + offs * 3 + 0, s + c)
    tl.store(out_ptr + offs * 3 + 1, s * 0 + p)
    tl.store(out_ptr + offs * 3 + 2, state[0] + state[1])


@pytest.mark.parametrize("n", [0, 1, 5])
def test_loops_carry_tuples(device: str, n: int) -> None:
    x = _floats(max(n, 1), 16)
    out = _dev(np.zeros((16, 3), np.float32), device)
    loop_kernel[(1,)](_dev(x, device), out, n, BLOCK=16)
    out = _host(out)
    s = x[:n].sum(axis=0)
    np.testing.assert_allclose(out[:, 0], s + n, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out[:, 1], np.full(16, 0.5 ** n), rtol=1e-6)
    np.testing.assert_allclose(out[:, 2], s - n + 2 * n, rtol=1e-5, atol=1e-5)


def test_loop_carried_tuple_numbers_become_blocks(device: str) -> None:
    @tessel.jit
    def k(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        acc = (0.0, 0)                      # a float32 block and an int32 scalar, carried
        for i in range(n):
            acc = (acc[0] + tl.load(x_ptr + i * BLOCK + offs), acc[1] + i)
        tl.store(out_ptr + offs, acc[0] + acc[1])

    x = _floats(3, 16)
    out = _dev(np.zeros(16, np.float32), device)
    k[(1,)](_dev(x, device), out, 3, BLOCK=16)
    np.testing.assert_allclose(_host(out), x.sum(axis=0) + 3, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------
# tuples as kernel arguments
# ---------------------------------------------------------------------------
@tessel.jit
def _store_each(ptrs, values):
    for i in tl.static_range(len(values)):
        tl.store(ptrs[i], values[i])


@tessel.jit
def tuple_args_kernel(_0, ptrs, _1: tl.constexpr, values, _2, _3: tl.constexpr, _4):
    _store_each(ptrs, _increment(values))


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4])
def test_tuple_arguments(device: str, size: int) -> None:
    vals = tuple(float(v) for v in RNG.integers(-100, 100, size))
    rets = tuple(_dev(np.zeros(1, np.float32), device) for _ in vals)
    tuple_args_kernel[(1,)](0, rets, 0, vals, 0, 0, 0)
    assert tuple(float(_host(r)[0]) - 1 for r in rets) == vals


@tessel.jit
def _nested(ptr, cst: tl.constexpr, t):
    tl.static_assert(t[1] is None)
    tl.store(ptr + 5, cst)
    tl.store(ptr + 6, t[0])
    tl.store(ptr + 7, tl.load(t[2][0]))
    tl.store(ptr + 8, t[2][1][0])
    tl.store(ptr + 9, tl.load(t[2][1][2]))


@tessel.jit
def nested_args_kernel(ptr, n1, tuple1, cst1: tl.constexpr, val1, tuple2):
    tl.static_assert(n1 is None)
    tl.static_assert(tuple1[1][1] is None)
    tl.static_assert(tuple1[1][3] == 4)                 # a tl.constexpr element
    tl.store(ptr + 0, tl.load(tuple1[0]))
    tl.store(ptr + 1, tuple1[1][0])
    tl.store(ptr + 2, tl.load(tuple1[1][2]))
    tl.store(ptr + 3, cst1 + val1)
    tl.store(ptr + 4, tl.load(tuple2[0]))
    _nested(ptr, 15, (-1, None, tuple1))


def test_nested_tuple_arguments(device: str) -> None:
    v = RNG.integers(-1000, 1000, 5).astype(np.int32)
    x0, x1, y0 = v[:1].copy(), v[1:2].copy(), v[2:3].copy()
    z = _dev(np.zeros(10, np.int32), device)
    one = int(v[3])
    nested_args_kernel[(1,)](z, None, (_dev(x0, device), (one, None, _dev(x1, device),
                                                          tl.constexpr(4))),
                             20, int(v[4]), (_dev(y0, device),))
    ref = [x0[0], one, x1[0], 20 + v[4], y0[0], 15, -1, x0[0], one, x1[0]]
    np.testing.assert_array_equal(_host(z), np.array(ref, np.int32))


class Function(NamedTuple):
    fn: tl.constexpr
    captured: tuple


class Tensor(NamedTuple):
    ptr: object
    shape: tuple
    stride: tuple


@tessel.jit
def _make_tensor0(shape, ptr, stride):
    return Tensor(shape=shape, ptr=ptr, stride=stride)


@tessel.jit
def _make_tensor1(shape, ptr, stride):
    t = Tensor(shape=shape, ptr=ptr, stride=stride)
    return t


@tessel.jit
def _mask_of(T, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    offs_m = tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    return (offs_m[:, None] < T.shape[0]) & (offs_n[None, :] < T.shape[1])


@tessel.jit
def _scale_by(x, a):
    return x * tl.load(a)


@tessel.jit
def namedtuple_kernel(closure, _X, Y, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    offs_m = tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    X = _make_tensor0(_X.shape, _X.ptr, _X.stride)
    Y = _make_tensor1(Y.shape, Y.ptr, Y.stride)
    Xs = X.ptr + offs_m[:, None] * X.stride[0] + offs_n[None, :] * X.stride[1]
    Ys = Y.ptr + offs_m[:, None] * Y.stride[0] + offs_n[None, :] * Y.stride[1]
    x = tl.load(Xs, mask=_mask_of(X, BLOCK_M, BLOCK_N), other=0)
    y = closure.fn(x, *closure.captured)
    tl.store(Ys, y, mask=_mask_of(Y, BLOCK_M, BLOCK_N))


def test_namedtuple_arguments_and_construction(device: str) -> None:
    x = _floats(32, 32)
    y = np.zeros((16, 16), np.float32)
    a = _floats(1)
    strides = lambda arr: tuple(s // arr.itemsize for s in arr.strides)  # noqa: E731
    y_dev = _dev(y, device)
    namedtuple_kernel[(1,)](Function(_scale_by, (_dev(a, device),)),
                            Tensor(_dev(x, device), x.shape, strides(x)),
                            Tensor(y_dev, y.shape, strides(y)), 64, 64)
    np.testing.assert_allclose(_host(y_dev), x[:16, :16] * a[0], rtol=1e-6)


def test_tuple_argument_specialization(device: str) -> None:
    names: list[dict] = []

    def name(spec) -> str:  # type: ignore[no-untyped-def]
        names.append(dict(spec.signature))
        return "scaled"

    @tessel.jit(repr=name)
    def k(ptrs, m_n, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        data = tl.load(ptrs[0] + offs)
        for _ in tl.range(0, m_n[1]):
            data = m_n[0] * data
        tl.store(ptrs[1] + offs, data)

    x = _floats(16)
    x_dev, out = _dev(x, device), _dev(np.zeros(16, np.float32), device)
    kernel = k[(1,)]((x_dev, out), (2, 3), BLOCK=16)
    np.testing.assert_allclose(_host(out), 8 * x, rtol=1e-6)
    assert names[-1]["ptrs"] == "(*fp32, *fp32)" and names[-1]["m_n"] == "(i32, i32)"
    assert kernel.stored_args == ("ptrs",)
    k[(1,)]((x_dev, out), (2.0, 1), BLOCK=16)         # a float, and an int equal to 1
    np.testing.assert_allclose(_host(out), 2 * x, rtol=1e-6)
    assert names[-1]["m_n"] == "(fp32, constexpr)"
    # type strings stand for runtime elements in warmup / ir
    ir = k.ir(("*fp32", "*fp32"), ("i32", "i32"), BLOCK=16)
    assert "%arg3: i32" in ir
    with pytest.raises(TypeError, match=r"argument 'm_n\[1\]' has unsupported type str"):
        k[(1,)]((x_dev, out), (2, "three"), BLOCK=16)


@tessel.jit
def descriptor_from_tuples(x_base, shape, strides, m_n, BLOCK_DIM: tl.constexpr):
    tl.static_assert(strides[1] == 1)                   # a unit stride is compiled in
    x = tl.make_tensor_descriptor(x_base, shape=shape, strides=strides,
                                  block_shape=[BLOCK_DIM, BLOCK_DIM])
    data = x.load([0, 0])
    for _ in tl.range(0, m_n[1]):
        data = m_n[0] * data
    x.store([0, 0], data)


def test_tuple_arguments_build_tensor_descriptors(device: str) -> None:
    x = RNG.integers(-1000, 1000, (4, 4)).astype(np.int64)
    expected = 8 * x
    x_dev = _dev(x, device)
    descriptor_from_tuples[(1,)](x_dev, x.shape, tuple(s // x.itemsize for s in x.strides),
                                 (2, 3), x.shape[0])
    np.testing.assert_array_equal(_host(x_dev), expected)


def test_read_only_arrays_in_tuples() -> None:
    @tessel.jit
    def k(ptrs, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        tl.store(ptrs[1] + offs, tl.load(ptrs[0] + offs) * 2.0)

    x = _floats(16)
    x.flags.writeable = False
    out = np.zeros(16, np.float32)
    k[(1,)]((x, out), BLOCK=16)                       # only loaded from: accepted
    np.testing.assert_array_equal(out, 2 * x)
    out.flags.writeable = False
    with pytest.raises(TypeError, match="an array in the tuple 'ptrs' is a read-only array"):
        k[(1,)]((x, out), BLOCK=16)


# ---------------------------------------------------------------------------
# tuple errors: located CompilationErrors
# ---------------------------------------------------------------------------
def test_tuple_errors_are_located() -> None:
    @tessel.jit
    def runtime_index(x_ptr, i):
        t = (tl.load(x_ptr), 2)
        tl.store(x_ptr, t[i])

    @tessel.jit
    def out_of_range(x_ptr):
        t = (tl.load(x_ptr), 2)
        tl.store(x_ptr, t[2])

    @tessel.jit
    def assign_element(x_ptr):
        t = tl.tuple([5, 6, 7])
        t[0] = 0

    @tessel.jit
    def not_iterable(x_ptr):
        t = tl.tuple(5)

    @tessel.jit
    def unpack_count(x_ptr):
        a, b, c = (tl.load(x_ptr), 2)

    @tessel.jit(do_not_specialize=["flag"])
    def length_differs(x_ptr, flag):
        x = tl.load(x_ptr)
        if flag > 0:
            t = (x, x)
        else:
            t = (x,)
        tl.store(x_ptr, t[0])

    @tessel.jit
    def type_changes_in_loop(x_ptr, n):
        t = (tl.load(x_ptr), 1)
        for _ in range(n):
            t = (t[0].to(tl.int32), 1)
        tl.store(x_ptr, t[0])

    @tessel.jit
    def runtime_comprehension(x_ptr, n):
        t = [i for i in range(n)]

    @tessel.jit
    def runtime_filter(x_ptr):
        x = tl.load(x_ptr)
        t = [v for v in (x, x) if v > 0]

    x = np.zeros(4, np.float32)
    _located(lambda: runtime_index[(1,)](x, 3), "indexing with a runtime value")
    _located(lambda: out_of_range[(1,)](x), "tuple index 2 is out of range")
    _located(lambda: assign_element[(1,)](x), "tuples are immutable")
    _located(lambda: not_iterable[(1,)](x), "tl.tuple expects a tuple or list")
    _located(lambda: unpack_count[(1,)](x), "cannot unpack 2 values into 3 names")
    _located(lambda: length_differs[(1,)](x, 1), "a tuple must keep its length")
    _located(lambda: type_changes_in_loop[(1,)](x, 2),
             r"'t' is the tuple .* before the loop .*element \[0\]")
    _located(lambda: runtime_comprehension[(1,)](x, 5), "does not work on runtime tensors")
    _located(lambda: runtime_filter[(1,)](x), "the `if` of a comprehension")


# ---------------------------------------------------------------------------
# tl.void
# ---------------------------------------------------------------------------
def test_void_dtype() -> None:
    assert isinstance(tl.void, tl.dtype) and tl.void.name == "void" and repr(tl.void) == "tl.void"
    assert tl.void.primitive_bitwidth == 0 and tl.void.is_void() and not tl.float32.is_void()
    assert tl.dtype.is_dtype("void") and tl.void == tl.dtype("void") and tl.void != tl.int32
    assert not (tl.void.is_int() or tl.void.is_floating() or tl.void.is_ptr())
    with pytest.raises(TypeError, match="has no values"):
        tl.void.to_ir()
    with pytest.raises(TypeError):
        tl.pointer_type(tl.void)


@tessel.jit
def void_kernel(x_ptr, out_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    tl.static_assert(tl.void.primitive_bitwidth == 0 and x.dtype != tl.void)
    if x.dtype == tl.void:
        y = x * 0.0
    else:
        y = x * 3.0
    tl.store(out_ptr + offs, y + tl.void.is_void() + (tl.void == tl.float32))


def test_void_in_kernels(device: str) -> None:
    x = _floats(32)
    out = _dev(np.zeros(32, np.float32), device)
    void_kernel[(1,)](_dev(x, device), out, BLOCK=32)
    # atol: GPUs fuse x * 3 + 1 into one fma, which differs from NumPy's two
    # roundings by an ulp of 3x, large against results near 0.
    np.testing.assert_allclose(_host(out), 3 * x + 1, rtol=1e-6, atol=1e-6)


def test_void_has_no_values() -> None:
    @tessel.jit
    def zeros_void(out_ptr):
        tl.store(out_ptr, tl.zeros((16,), tl.void))

    @tessel.jit
    def cast_void(out_ptr):
        tl.store(out_ptr, tl.load(out_ptr).to(tl.void))

    @tessel.jit
    def void_pointer(out_ptr):
        p = out_ptr.to(tl.pointer_type(tl.void))

    out = np.zeros(16, np.float32)
    _located(lambda: zeros_void[(1,)](out), "tl.void has no values")
    _located(lambda: cast_void[(1,)](out), "cannot cast to tl.void")
    _located(lambda: void_pointer[(1,)](out), "pointer_type expects a scalar dtype")


# ---------------------------------------------------------------------------
# tl.const / tl.const_pointer_type
# ---------------------------------------------------------------------------
def test_const_pointer_type_objects() -> None:
    c = tl.const_pointer_type(tl.float16)
    assert c == tl.pointer_type(tl.float16, const=True) and c.is_const() and c.is_ptr()
    assert c != tl.pointer_type(tl.float16) and not tl.pointer_type(tl.float16).is_const()
    assert c.element_ty == tl.float16 and repr(c) == "tl.const_pointer_type(tl.float16)"
    assert isinstance(tl.const, type) and not tl.float32.is_const()
    from tessel.compiler.compiler import parse_type

    assert parse_type("*kfp32:16") == (tl.const_pointer_type(tl.float32), True)
    assert parse_type("*fp32") == (tl.pointer_type(tl.float32), False)


@tessel.jit
def const_kernel(in_ptr: tl.const, out, scale: tl.const, n, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    mask = offs < n
    tl.static_assert(in_ptr.dtype == tl.const_pointer_type(tl.float32))
    tl.static_assert(in_ptr.dtype.is_const() and not out.dtype.is_const())
    p = in_ptr + offs                                   # arithmetic keeps the constness
    tl.static_assert(p.dtype.is_const())
    tl.store(out + offs, tl.load(p, mask=mask) * scale, mask=mask)


def test_const_parameters_load(device: str) -> None:
    signatures: list[dict] = []

    def name(spec) -> str:  # type: ignore[no-untyped-def]
        signatures.append(dict(spec.signature))
        return "const_kernel"

    x = _floats(100)
    if device == "cpu":
        x.flags.writeable = False             # never stored through: accepted
    out = _dev(np.zeros(100, np.float32), device)
    kernel = const_kernel[(1,)](_dev(x, device), out, 2.5, 100, BLOCK=128)
    np.testing.assert_allclose(_host(out), 2.5 * x, rtol=1e-6)
    assert kernel.stored_args == ("out",)
    named = tessel.jit(repr=name)(const_kernel.fn)
    named.warmup("*fp32", "*fp32", "fp32", "i32", BLOCK=128)
    assert signatures[-1]["in_ptr"] == "*kfp32" and signatures[-1]["out"] == "*fp32"
    assert signatures[-1]["scale"] == "fp32"   # tl.const on a non-pointer changes nothing


@tessel.jit
def const_cast_kernel(x_ptr, out_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    ro = x_ptr.to(tl.const_pointer_type(tl.float32))
    tl.static_assert(ro.dtype.is_const())
    rw = ro.to(tl.pointer_type(tl.float32))          # a cast drops the constness
    tl.store(rw + offs, tl.load(ro + offs) + 1.0)
    tl.store(out_ptr + offs, tl.load(x_ptr + offs))


def test_const_pointer_casts(device: str) -> None:
    x = _floats(32)
    expected = x + 1
    x = _dev(x, device)
    out = _dev(np.zeros(32, np.float32), device)
    kernel = const_cast_kernel[(1,)](x, out, BLOCK=32)
    np.testing.assert_allclose(_host(x), expected, rtol=1e-6)
    np.testing.assert_allclose(_host(out), expected, rtol=1e-6)
    assert "tile.ptr_cast" not in kernel.asm["tile"]  # one IR type: no conversion


def test_storing_through_const_pointers_is_an_error() -> None:
    @tessel.jit
    def store(x_ptr: tl.const, BLOCK: tl.constexpr):
        tl.store(x_ptr + tl.arange(0, BLOCK), 1.0)

    @tessel.jit
    def atomic(x_ptr: tl.const):
        tl.atomic_add(x_ptr, 1.0)

    @tessel.jit
    def cas(x_ptr: tl.const):
        tl.atomic_cas(x_ptr.to(tl.const_pointer_type(tl.int32), bitcast=False), 0, 1)

    @tessel.jit
    def block_ptr(x_ptr: tl.const, BLOCK: tl.constexpr):
        p = tl.make_block_ptr(x_ptr, (BLOCK,), (1,), (0,), (BLOCK,), (0,))
        tl.store(p, tl.zeros((BLOCK,), tl.float32))

    @tessel.jit
    def descriptor(x_ptr: tl.const, BLOCK: tl.constexpr):
        d = tl.make_tensor_descriptor(x_ptr, [BLOCK], [1], [BLOCK])
        d.store([0], tl.zeros((BLOCK,), tl.float32))

    @tessel.jit
    def cast_const(x_ptr, BLOCK: tl.constexpr):
        p = x_ptr.to(tl.const_pointer_type(tl.float32))
        tl.store(p + tl.arange(0, BLOCK), 1.0)

    @tessel.jit
    def in_tuple(ptrs: tl.const, BLOCK: tl.constexpr):   # tl.const reaches tuple elements
        tl.static_assert(ptrs[1].dtype.is_const())
        tl.store(ptrs[0] + tl.arange(0, BLOCK), 1.0)

    x = np.zeros(16, np.float32)
    _located(lambda: in_tuple[(1,)]((x, x), BLOCK=16), "Cannot store to a constant pointer")
    for kernel in (store, block_ptr, descriptor, cast_const):
        _located(lambda: kernel[(1,)](x, BLOCK=16), "Cannot store to a constant pointer")
    _located(lambda: atomic[(1,)](x), "Cannot store to a constant pointer")
    _located(lambda: cas[(1,)](x.view(np.int32)), "Cannot store to a constant pointer")
    assert not x.any()


@pytest.mark.parametrize("mode", ["if", "ternary", "call"])
def test_const_and_plain_pointers_differ(mode: str) -> None:
    """Triton's test_const: a value that is the const pointer on one path and
    the plain one on another is a type mismatch."""

    @tessel.jit
    def choose(flag, a, b):
        if flag > 0:
            return a
        return b

    @tessel.jit(do_not_specialize=["flag"])
    def k(in_ptr: tl.const, out, c_out: tl.const, flag, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        val = tl.load(in_ptr + offs)
        if MODE == "if":
            if flag > 0:
                final = c_out
            else:
                final = out
        elif MODE == "ternary":
            final = c_out if flag > 0 else out
        else:
            final = choose(flag, c_out, out)
        tl.store(final + offs, val)

    k.fn.__globals__["MODE"] = tl.constexpr(mode)
    x = np.zeros(16, np.float32)
    _located(lambda: k[(1,)](x, x, x, 1, BLOCK=16), "mismatched types")


# ---------------------------------------------------------------------------
# tl.philox_impl (and Philox-4x64), tl.umulhi on 64-bit integers
# ---------------------------------------------------------------------------
_PHILOX = {
    32: (0x9E3779B9, 0xBB67AE85, 0xD2511F53, 0xCD9E8D57),
    64: (0x9E3779B97F4A7C15, 0xBB67AE8584CAA73B, 0xD2E7470EE14C6C93, 0xCA5A826395121157),
}


def np_philox_impl(c: np.ndarray, k0: int, k1: int, n_rounds: int, bits: int) -> np.ndarray:
    """Philox-4xN on each row of ``c`` (Python integers: exact 2N-bit products)."""
    key_a, key_b, round_a, round_b = _PHILOX[bits]
    mask = (1 << bits) - 1
    out = []
    for row in c:
        c0, c1, c2, c3 = (int(v) for v in row)
        a, b = k0, k1
        for _ in range(n_rounds):
            p_b, p_a = round_b * c2, round_a * c0
            c0, c1, c2, c3 = (p_b >> bits) ^ c1 ^ a, p_b & mask, (p_a >> bits) ^ c3 ^ b, p_a & mask
            a, b = (a + key_a) & mask, (b + key_b) & mask
        out.append([c0, c1, c2, c3])
    return np.array(out, dtype=np.uint64 if bits == 64 else np.uint32)


@tessel.jit
def philox_impl_kernel(c_ptr, k_ptr, out_ptr, N_ROUNDS: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    c = [tl.load(c_ptr + offs * 4 + i) for i in range(4)]
    k0 = tl.load(k_ptr)
    k1 = tl.load(k_ptr + 1)
    r = tl.philox_impl(c[0], c[1], c[2], c[3], k0, k1, N_ROUNDS)
    tl.static_assert(len(r) == 4 and r[0].dtype == c[0].dtype)
    for i in tl.static_range(4):
        tl.store(out_ptr + offs * 4 + i, r[i])


@pytest.mark.parametrize("bits", [32, 64])
@pytest.mark.parametrize("n_rounds", [10, 3])
def test_philox_impl(device: str, bits: int, n_rounds: int) -> None:
    dt = np.uint64 if bits == 64 else np.uint32
    c = RNG.integers(0, 2**bits - 1, (64, 4), dtype=np.uint64, endpoint=True).astype(dt)
    k = RNG.integers(0, 2**bits - 1, 2, dtype=np.uint64, endpoint=True).astype(dt)
    out = _dev(np.zeros_like(c), device)
    philox_impl_kernel[(1,)](_dev(c, device), _dev(k, device), out, N_ROUNDS=n_rounds, BLOCK=64)
    np.testing.assert_array_equal(_host(out),
                                  np_philox_impl(c, int(k[0]), int(k[1]), n_rounds, bits))


def test_philox_impl_default_rounds_match_philox(device: str) -> None:
    """tl.philox(seed, ...) is philox_impl keyed by the seed's two words."""

    @tessel.jit
    def k(seed, c_ptr, out_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        c = tl.load(c_ptr + offs)
        a = tl.philox(seed, c, c, c, c)
        s = tl.full((), seed, tl.uint64)
        b = tl.philox_impl(c, c, c, c, (s & 0xFFFFFFFF).to(tl.uint32), (s >> 32).to(tl.uint32))
        tl.store(out_ptr + offs, (a[0] ^ b[0]) | (a[3] ^ b[3]))
        tl.store(out_ptr + BLOCK + offs, b[1])

    c = RNG.integers(0, 2**32, 32, dtype=np.uint64).astype(np.uint32)
    seed = int(RNG.integers(0, 2**63))
    out = _dev(np.zeros(64, np.uint32), device)
    k[(1,)](seed, _dev(c, device), out, BLOCK=32)
    out = _host(out)
    assert not out[:32].any()
    ref = np_philox_impl(np.stack([c] * 4, axis=1), seed & 0xFFFFFFFF, seed >> 32, 10, 32)
    np.testing.assert_array_equal(out[32:], ref[:, 1])


def test_philox_on_64_bit_counters(device: str) -> None:
    """Triton's philox on 64-bit counters: Philox-4x64 keyed by (seed, 0)."""

    @tessel.jit
    def k(seed, c_ptr, out_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        c = tl.load(c_ptr + offs)
        r = tl.philox(seed, c, c + 1, c * 3, c ^ 5, 6)
        tl.static_assert(r[0].dtype == tl.uint64)
        for i in tl.static_range(4):
            tl.store(out_ptr + offs * 4 + i, r[i])

    c = RNG.integers(-2**62, 2**62, 32).astype(np.int64)
    seed = int(RNG.integers(0, 2**62))
    out = _dev(np.zeros((32, 4), np.uint64), device)
    k[(1,)](seed, _dev(c, device), out, BLOCK=32)
    out = _host(out)
    u = c.view(np.uint64)
    counters = np.stack([u, u + np.uint64(1), u * np.uint64(3), u ^ np.uint64(5)], axis=1)
    np.testing.assert_array_equal(out, np_philox_impl(counters, seed, 0, 6, 64))


def test_philox_impl_needs_unsigned_counters() -> None:
    @tessel.jit
    def k(c_ptr):
        c = tl.load(c_ptr)
        r = tl.philox_impl(c, c, c, c, c, c)
        tl.store(c_ptr, r[0])

    _located(lambda: k[(1,)](np.zeros(1, np.int32)), "dtype not supported in philox_impl")


@pytest.mark.parametrize("dtype", [np.uint64, np.int64, np.uint32])
def test_umulhi(device: str, dtype) -> None:  # type: ignore[no-untyped-def]
    @tessel.jit
    def k(x_ptr, y_ptr, out_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        tl.store(out_ptr + offs, tl.umulhi(tl.load(x_ptr + offs), tl.load(y_ptr + offs)))

    bits = np.dtype(dtype).itemsize * 8
    info = np.iinfo(dtype)
    x = RNG.integers(info.min, info.max, 64, dtype=dtype, endpoint=True)
    y = RNG.integers(info.min, info.max, 64, dtype=dtype, endpoint=True)
    out = _dev(np.zeros(64, dtype), device)
    k[(1,)](_dev(x, device), _dev(y, device), out, BLOCK=64)
    out = _host(out)
    mask = (1 << bits) - 1
    ref = [((int(a) & mask) * (int(b) & mask)) >> bits for a, b in zip(x, y)]
    np.testing.assert_array_equal(out.astype(np.uint64) & np.uint64(mask),
                                  np.array(ref, np.uint64))


def test_philox_impl_compiles_for_gpus(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    kernel = philox_impl_kernel.warmup("*u64:16", "*u64:16", "*u64:16", N_ROUNDS=2, BLOCK=64)
    assert "mul.hi.u64" in kernel.asm["ptx"]
    monkeypatch.setenv("TESSEL_TARGET", "amd:gfx942")
    assert philox_impl_kernel.warmup("*u64:16", "*u64:16", "*u64:16", N_ROUNDS=2,
                                     BLOCK=64).binary


@pytest.mark.parametrize("target", ["nvidia:sm_90a", "amd:gfx942"])
def test_kernels_compile_for_gpus(monkeypatch, target: str) -> None:  # type: ignore[no-untyped-def]
    """The features are frontend-only (ordinary Tile IR): their kernels
    compile for the GPU targets as they are."""
    monkeypatch.setenv("TESSEL_TARGET", target)
    kernels = [
        loop_kernel.warmup("*fp32:16", "*fp32:16", "i32", BLOCK=16),
        noinline_kernel.warmup("*fp32:16", "*fp32:16", "*fp32:16", BLOCK=32),
        branch_kernel.warmup("*fp32:16", "*fp32:16", "i32", BLOCK=64),
        const_kernel.warmup("*fp32:16", "*fp32:16", "fp32", "i32", BLOCK=128),
        tuple_args_kernel.warmup(0, ("*fp32:16", "*fp32:16"), 0, ("fp32", "i32"), 0, 0, 0),
    ]
    assert all(k.binary for k in kernels)


# ---------------------------------------------------------------------------
# tensor.item(): not in Triton 3.6, not here either
# ---------------------------------------------------------------------------
def test_tensor_item_is_not_a_triton_name() -> None:
    @tessel.jit
    def k(x_ptr):
        tl.store(x_ptr, tl.load(x_ptr).item())

    assert not hasattr(tl.tensor, "item")
    _located(lambda: k[(1,)](np.zeros(1, np.float32)), "has no attribute 'item'")
