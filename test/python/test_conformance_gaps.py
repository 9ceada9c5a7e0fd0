"""Triton 3.6 behaviours found missing by the conformance audit (issue 10),
against NumPy on the CPU backend and, when a CUDA device is usable, on CUDA
(device_cases.py): conditional expressions without a value,
``tl.split`` into scalars, ``None``/``:`` subscripts past a value's rank,
``.type`` of constexprs, huge integer arguments, the error classes and the
key phrases of Triton's error messages."""
from __future__ import annotations

import re

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
from gpu_targets import TARGETS, skip_without_device_libs


def _compile_error(kernel, *args, **kwargs) -> tessel.CompilationError:
    with pytest.raises(tessel.CompilationError) as info:
        kernel[(1,)](*args, **kwargs)
    return info.value


# ---------------------------------------------------------------------------
# a conditional expression whose branches have no value runs the chosen one
# ---------------------------------------------------------------------------
@tessel.jit
def _store_scaled(out_ptr, value, scale):
    tl.store(out_ptr, value * scale)


@tessel.jit
def void_ifexp_kernel(even_ptr, odd_ptr, out_ptr, flags_ptr, SHAPE: tl.constexpr):
    pid = tl.program_id(0)
    # tl.store returns None on both sides: the value is None, the stores run.
    tl.store(out_ptr + pid, tl.load(even_ptr + pid)) if pid % 2 == 0 \
        else tl.store(out_ptr + pid, tl.load(odd_ptr + pid))
    # An @jit helper without a return value, and a one-sided form.
    x = tl.load(even_ptr + pid)
    flag_ptr = flags_ptr + 2 * pid
    _store_scaled(flag_ptr, x, 2.0) if x > 0 else _store_scaled(flag_ptr, x, -3.0)
    tl.store(flags_ptr + 2 * pid + 1, 1.0) if x < 0 else None


def test_conditional_expression_without_value_runs_the_chosen_branch(device: str) -> None:
    rng = np.random.default_rng(10)
    n = 37
    even = rng.standard_normal(n).astype(np.float32)
    odd = rng.standard_normal(n).astype(np.float32)
    out = _dev(np.zeros(n, np.float32), device)
    flags = _dev(np.zeros((n, 2), np.float32), device)
    void_ifexp_kernel[(n,)](_dev(even, device), _dev(odd, device), out, flags, SHAPE=n)
    out, flags = _host(out), _host(flags)
    pids = np.arange(n)
    np.testing.assert_array_equal(out, np.where(pids % 2 == 0, even, odd))
    np.testing.assert_allclose(flags[:, 0], np.where(even > 0, even * 2.0, even * -3.0), rtol=1e-6)
    np.testing.assert_array_equal(flags[:, 1], (even < 0).astype(np.float32))


@tessel.jit
def map_elementwise_effect_kernel(x_ptr, out_ptr):
    offs = tl.arange(0, 8)
    tl.store(out_ptr + offs, tl.map_elementwise(_store_per_element, tl.load(x_ptr + offs),
                                                out_ptr + offs))


@tessel.jit
def _store_per_element(x, p):
    tl.store(p, x) if x > 0 else None
    return x


def test_conditional_expression_side_effects_on_per_element_condition_are_refused() -> None:
    # In tl.map_elementwise both branches run on every element: a store in
    # one would run everywhere, so it is a located error, not a silent store.
    err = _compile_error(map_elementwise_effect_kernel, np.ones(8, np.float32),
                         np.zeros(8, np.float32))
    assert "cannot have side effects" in err.message


# ---------------------------------------------------------------------------
# tl.split of a (2,) block gives two scalars
# ---------------------------------------------------------------------------
@tessel.jit
def split_scalars_kernel(x_ptr, lo_ptr, hi_ptr):
    pid = tl.program_id(0)
    pair = tl.load(x_ptr + 2 * pid + tl.arange(0, 2))
    lo, hi = tl.split(pair)
    tl.static_assert(isinstance(lo, tl.tensor))
    tl.static_assert(lo.shape == [])
    tl.static_assert(hi.shape == [])
    tl.store(lo_ptr + pid, lo)
    hi2, lo2 = tl.join(hi, lo).split()  # the member form, on a join of scalars
    tl.store(hi_ptr + pid, hi2 + (lo2 - lo))


@pytest.mark.parametrize("dtype", [np.int64, np.int8, np.uint16, np.float16, np.float32, np.bool_])
def test_split_of_pair_gives_scalars(device: str, dtype) -> None:
    rng = np.random.default_rng(11)
    n = 9
    x = rng.integers(0, 100, (n, 2)).astype(dtype)
    lo = _dev(np.zeros(n, dtype), device)
    hi = _dev(np.zeros(n, dtype), device)
    split_scalars_kernel[(n,)](_dev(x, device), lo, hi)
    np.testing.assert_array_equal(_host(lo), x[:, 0])
    np.testing.assert_array_equal(_host(hi), x[:, 1])


@tessel.jit
def split_pointer_pair_kernel(x_ptr, out_ptr):
    first, second = tl.split(x_ptr + tl.arange(0, 2) * 3)
    tl.store(out_ptr, tl.load(second) - tl.load(first))


def test_split_of_pointer_pair(device: str) -> None:
    x = np.random.default_rng(12).integers(-1000, 1000, 4).astype(np.int32)
    out = _dev(np.zeros(1, np.int32), device)
    split_pointer_pair_kernel[(1,)](_dev(x, device), out)
    assert _host(out)[0] == x[3] - x[0]


@tessel.jit
def split_bad_kernel(x_ptr, N: tl.constexpr):
    a, b = tl.split(tl.load(x_ptr + tl.arange(0, N)))


def test_split_needs_last_dimension_two() -> None:
    err = _compile_error(split_bad_kernel, np.zeros(4, np.float32), N=4)
    assert "last dimension is 2, got shape [4]" in err.message


@pytest.mark.parametrize("target", TARGETS)
def test_scalar_split_and_void_conditional_compile_for_gpu_targets(target: str) -> None:
    skip_without_device_libs(target)
    from tessel._ext import _C

    for ir in (
        split_scalars_kernel.ir("*fp16:16", "*fp16:16", "*fp16:16"),
        split_scalars_kernel.ir("*i64:16", "*i64:16", "*i64:16"),
        split_pointer_pair_kernel.ir("*i32:16", "*i32:16"),
        void_ifexp_kernel.ir("*fp32:16", "*fp32:16", "*fp32:16", "*fp32:16", SHAPE=8),
    ):
        assert "scf.if" in ir or "tile.reduce" in ir
        assert _C.compile(ir, target, 4)["binary"]


# ---------------------------------------------------------------------------
# x[None, ...] / `:` as in Triton: `:` is a no-op, None expands at its place
# ---------------------------------------------------------------------------
@tessel.jit
def keep_dims_reduce_kernel(x_ptr, z_ptr, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr,
                            IS_3D: tl.constexpr, OP: tl.constexpr):
    rm = tl.arange(0, M)
    rn = tl.arange(0, N)
    rk = tl.arange(0, K)
    if IS_3D:
        x = tl.load(x_ptr + rm[:, None, None] * N * K + rn[None, :, None] * K + rk[None, None, :])
    else:
        x = tl.load(x_ptr + rm[:, None] * N + rn[None, :])
    if OP == "sum":
        z = tl.sum(x, axis=None, keep_dims=True)
    else:
        z = tl.max(x, axis=None, keep_dims=True)
    # Triton's test_reduce: a scalar pointer indexed past its rank by `:`.
    if IS_3D:
        p = z_ptr[None, None, None, :]
        tl.static_assert(p.shape == [1, 1, 1])
    else:
        p = z_ptr[None, None, :]
        tl.static_assert(p.shape == [1, 1])
    tl.store(p, z)


@pytest.mark.parametrize("shape", [(1, 1), (4, 32), (1, 4), (2, 4, 8), (1, 4, 1)])
@pytest.mark.parametrize("op", ["sum", "max"])
def test_keep_dims_reduction_stored_through_expanded_scalar_pointer(device: str, shape,
                                                                   op) -> None:
    x = np.random.default_rng(13).integers(-50, 50, shape).astype(np.int32)
    z = _dev(np.zeros(1, np.int32), device)
    m, n, k = (shape + (1,))[:3]
    keep_dims_reduce_kernel[(1,)](_dev(x, device), z, m, n, k, len(shape) == 3, op)
    z = _host(z)
    assert z[0] == (x.sum() if op == "sum" else x.max())


@tessel.jit
def subscript_kernel(x_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    a = x[None, :, None]
    tl.static_assert(a.shape == [1, N, 1])
    b = x[:, None]
    tl.static_assert(b.shape == [N, 1])
    c = x[None]
    tl.static_assert(c.shape == [1, N])
    d = x[:, :, :]  # `:` changes nothing, whatever the rank
    tl.static_assert(d.shape == [N])
    s = tl.load(x_ptr + 1)[None, None]
    tl.static_assert(s.shape == [1, 1])
    total = tl.sum(a, axis=2) + b.reshape(1, N) + c + d[None, :] + s
    tl.store(out_ptr + offs[None, :], total)


def test_subscripts_with_none_and_colon(device: str) -> None:
    x = np.random.default_rng(14).standard_normal(16).astype(np.float32)
    out = _dev(np.zeros(16, np.float32), device)
    subscript_kernel[(1,)](_dev(x, device), out, N=16)
    np.testing.assert_allclose(_host(out), 4 * x + x[1], rtol=1e-6)


@tessel.jit
def ellipsis_kernel(x_ptr):
    x = tl.load(x_ptr + tl.arange(0, 4))[None, ...]


@tessel.jit
def scalar_colon_none_kernel(x_ptr):
    s = tl.load(x_ptr)[:, None]


@tessel.jit
def int_index_kernel(x_ptr):
    s = tl.load(x_ptr + tl.arange(0, 4))[1]


def test_subscript_errors() -> None:
    x = np.zeros(4, np.float32)
    assert "unsupported tensor index: Ellipsis" in _compile_error(ellipsis_kernel, x).message
    assert "unsupported tensor index: 1" in _compile_error(int_index_kernel, x).message
    # `:` passes over the scalar, then None at position 1 of a scalar is out of range.
    assert "invalid axis 1" in _compile_error(scalar_colon_none_kernel, x).message


# ---------------------------------------------------------------------------
# .type of constexprs: constexpr_type(v); of names a plain `=` bound: a tensor type
# ---------------------------------------------------------------------------
@tessel.jit
def constexpr_type_kernel(out_ptr, LIT: tl.constexpr, TENSOR_TY: tl.constexpr):
    annotated: tl.constexpr = LIT
    tl.static_assert(annotated.type == tl.constexpr_type(LIT))
    tl.static_assert(LIT.type == tl.constexpr_type(LIT))
    tl.static_assert(annotated == LIT)
    if TENSOR_TY is not None:
        tl.static_assert(tl.constexpr(LIT).type == tl.constexpr_type(LIT))
        tl.static_assert((LIT * 2).type == tl.constexpr_type(LIT * 2))
        plain = LIT  # Triton makes this a tensor
        tl.static_assert(plain.type == TENSOR_TY)
        if TENSOR_TY != tl.int1:  # (bool * 2 is an int32 in both)
            tl.static_assert((plain * 2).type == TENSOR_TY)
        wrapped = tl.constexpr(LIT)  # still a plain `=`: a tensor in Triton too
        tl.static_assert(wrapped.type == TENSOR_TY)
        tl.store(out_ptr, plain)


@pytest.mark.parametrize("literal, tensor_ty", [(10, tl.int32), (32.5, tl.float32),
                                                (2**40, tl.int64), (True, tl.int1),
                                                ((5, 6, 7), None)])
def test_type_of_constexprs(device: str, literal, tensor_ty) -> None:
    out = _dev(np.zeros(1, np.float64), device)
    constexpr_type_kernel[(1,)](out, literal, tensor_ty)
    if tensor_ty is not None:
        assert _host(out)[0] == float(literal)


@tessel.jit
def constexpr_literal_type_kernel(out_ptr):
    ten: tl.constexpr = 10
    tl.static_assert(ten.type == tl.constexpr_type(10))
    tl.static_assert(ten.type != tl.constexpr_type(11))
    n = 10
    tl.static_assert(n.type == tl.int32)
    n = tl.load(out_ptr)  # rebound to a tensor: its own type
    tl.static_assert(n.type == tl.int32)
    for i in tl.static_range(2):
        tl.static_assert(i.type == tl.constexpr_type(i))
    tl.store(out_ptr, n + ten)


def test_type_of_constexpr_literals_and_rebinding(device: str) -> None:
    start = int(np.random.default_rng(16).integers(-1000, 1000))
    out = _dev(np.array([start], np.int32), device)
    constexpr_literal_type_kernel[(1,)](out)
    assert _host(out)[0] == start + 10


# ---------------------------------------------------------------------------
# integers past 64 bits: OverflowError naming the argument
# ---------------------------------------------------------------------------
@tessel.jit
def int_arg_kernel(value, out_ptr):
    tl.store(out_ptr, value.to(tl.float64))


@pytest.mark.parametrize("value", [2**64, -2**63 - 1, 2**100])
def test_huge_int_argument_is_overflow_error(device: str, value) -> None:
    out = _dev(np.zeros(1, np.float64), device)
    int_arg_kernel[(1,)](2**63 + 5, out)  # u64 still fits
    assert _host(out)[0] == float(2**63 + 5)
    with pytest.raises(OverflowError, match="argument 'value'"):
        int_arg_kernel[(1,)](value, out)
    int_arg_kernel[(1,)](-7, out)  # the launcher still works afterwards
    assert _host(out)[0] == -7.0


# ---------------------------------------------------------------------------
# error classes, __cause__ and Triton's key phrases
# ---------------------------------------------------------------------------
def test_triton_error_is_the_base_class() -> None:
    assert issubclass(tessel.CompilationError, tessel.TritonError)
    assert issubclass(tessel.OutOfResources, tessel.TritonError)
    assert issubclass(tessel.AutotunerError, tessel.TritonError)
    assert issubclass(tessel.AutotunerError, RuntimeError)
    from tessel.runtime.errors import TritonError

    assert TritonError is tessel.TritonError


@tessel.jit
def pid_axis_kernel(dst):
    pid = tl.program_id(20)


@tessel.jit
def nprog_axis_kernel(dst):
    n = tl.num_programs(-1)


@tessel.jit
def expand_dims_kernel(dummy, AXES: tl.constexpr, SCALAR: tl.constexpr):
    x = tl.arange(0, 8)
    if SCALAR:
        x = tl.sum(x)
    t = tl.expand_dims(x, AXES)


def _cause(err: BaseException) -> str:
    assert err.__cause__ is not None
    return str(err.__cause__)


@pytest.mark.parametrize("axes, scalar, phrase", [
    ((0, 0), False, r"duplicate axes, normalized axes = \[0, 0\]"),
    ((0, -3), False, r"duplicate axes, normalized axes = \[0, 0\]"),
    ((1, -1, 3), False, r"duplicate axes, normalized axes = \[1, 3, 3\]"),
    (-3, False, "invalid axis -3"),
    (2, False, "invalid axis 2"),
    (1, True, "invalid axis 1"),
    ((0, 4), False, "invalid axis 4"),
])
def test_expand_dims_errors_carry_triton_phrases(axes, scalar, phrase) -> None:
    with pytest.raises(tessel.TritonError) as info:
        expand_dims_kernel[(1,)](np.zeros(1, np.float32), axes, scalar)
    assert re.search(phrase, _cause(info.value))
    assert re.search(phrase, str(info.value))
    assert info.value.lineno is not None  # still located at the kernel line


@tessel.jit
def expand_dims_ok_kernel(x_ptr, out_ptr, N: tl.constexpr):
    x = tl.load(x_ptr + tl.arange(0, N))
    t = tl.expand_dims(x, (0, -1))
    tl.static_assert(t.shape == [1, N, 1])
    u = x.expand_dims((-4, 2, -1))  # the member form takes several axes too
    tl.static_assert(u.shape == [1, N, 1, 1])
    total = tl.sum(tl.sum(t, 2), 0) + tl.sum(tl.sum(u, 3), 2).reshape(N)
    tl.store(out_ptr + tl.arange(0, N), total)


def test_expand_dims_several_axes(device: str) -> None:
    x = np.random.default_rng(15).standard_normal(8).astype(np.float32)
    out = _dev(np.zeros(8, np.float32), device)
    expand_dims_ok_kernel[(1,)](_dev(x, device), out, N=8)
    np.testing.assert_allclose(_host(out), 2 * x, rtol=1e-6)


def test_program_id_axis_error() -> None:
    err = _compile_error(pid_axis_kernel, np.zeros(4, np.float32))
    assert isinstance(err, tessel.TritonError)
    assert re.search(r"program_id axis must be 0, 1, or 2 but got 20", _cause(err))
    assert str(err).startswith(f"{__file__}:")  # file:line:col, then the caret
    assert "^" in str(err)
    err = _compile_error(nprog_axis_kernel, np.zeros(4, np.float32))
    assert "num_programs axis must be 0, 1, or 2 but got -1" in _cause(err)


@tessel.jit
def atomic_kernel(ptr, OP: tl.constexpr):
    if OP == "add":
        tl.atomic_add(ptr, 1)
    elif OP == "max":
        tl.atomic_max(ptr, 1)
    elif OP == "xchg":
        tl.atomic_xchg(ptr, 1)
    else:
        tl.atomic_cas(ptr, 0, 1)


@pytest.mark.parametrize("dtype, op, phrase", [
    (np.int16, "add", "atomic_add does not support int16"),
    (np.uint16, "max", "atomic_max does not support uint16"),
    (np.int8, "xchg", "atomic_xchg does not support int8"),
    (np.float16, "max", "atomic_max does not support fp16"),
    (np.int8, "cas", r"atomic_cas only supports elements with width \{16, 32, 64\}"),
])
def test_narrow_atomic_errors_carry_triton_phrases(dtype, op, phrase) -> None:
    err = _compile_error(atomic_kernel, np.zeros(4, dtype), op)
    assert re.search(phrase, _cause(err))


def test_sixteen_bit_atomic_cas_runs(device: str) -> None:
    # What the narrow-atomic errors leave out: 16-bit compare-and-swap works.
    x = _dev(np.array([0, 5], np.int16), device)
    atomic_kernel[(1,)](x, "cas")
    assert _host(x).tolist() == [1, 5]


@tessel.jit
def _ordered_atomics(h, bf, f, i, SEM: tl.constexpr):
    offs = tl.arange(0, 64)
    tl.atomic_add(h + offs, tl.full([64], 1.0, tl.float16), sem=SEM)
    tl.atomic_add(bf + offs, tl.full([64], 1.0, tl.bfloat16), sem=SEM)
    tl.atomic_add(f + offs, tl.full([64], 1.0, tl.float32), sem=SEM)
    tl.atomic_max(i + 1, 5, sem=SEM)
    tl.atomic_cas(i, 0, 1, sem=SEM)


@pytest.mark.parametrize("sem", [None, "acquire", "release", "acq_rel", "relaxed"])
def test_atomic_ptx_carries_the_order_as_triton_spells_it(monkeypatch, sem) -> None:
    # Triton's tests look for `atom.global.gpu.<sem>` (read-modify-writes,
    # float16 and bfloat16 adds included) and `atom.global.<sem>` (compare-
    # and-swap) in the PTX; the default order is acq_rel.
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    k = _ordered_atomics.warmup("*fp16:16", "*bf16:16", "*fp32:16", "*i32:16", SEM=sem)
    ptx = k.asm["ptx"]
    order = sem or "acq_rel"
    for op in ("add.noftz.f16", "add.noftz.bf16", "add.f32", "max.s32"):
        assert f"atom.global.gpu.{order}.{op}" in ptx
    assert f"atom.global.{order}.gpu.cas.b32" in ptx
