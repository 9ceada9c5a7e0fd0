"""Triton conformance of the frontend: Triton programs that use Python
builtins on runtime values, tensor member functions, loops with negative
steps, dtype attributes and the like, against NumPy on the CPU backend and,
when a CUDA device is usable, on CUDA (device_cases.py)."""

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
from device_cases import sync
from triton_compat_kernels import grouped_ordering_kernel, python_minmax_kernel

RNG = np.random.default_rng(2024)


# ---------------------------------------------------------------------------
# Python's min/max on runtime values (tl.minimum/tl.maximum, as in Triton)
# ---------------------------------------------------------------------------
def _grouped_ordering_reference(pid: np.ndarray, m: int, n: int, bm: int, bn: int,
                                group: int) -> tuple[np.ndarray, np.ndarray]:
    num_pid_m, num_pid_n = -(-m // bm), -(-n // bn)
    in_group = group * num_pid_n
    first = pid // in_group * group
    size = np.minimum(num_pid_m - first, group)
    return first + (pid % in_group) % size, (pid % in_group) // size


@pytest.mark.parametrize("m,n,bm,bn,group", [(1000, 700, 64, 32, 8), (257, 999, 16, 64, 3),
                                             (64, 64, 64, 64, 4)])
def test_grouped_ordering_uses_python_min(device: str, m: int, n: int, bm: int, bn: int,
                                          group: int) -> None:
    grid = -(-m // bm) * -(-n // bn)
    pid_m = _dev(np.full(grid, -1, np.int32), device)
    pid_n = _dev(np.full(grid, -1, np.int32), device)
    grouped_ordering_kernel[(grid,)](pid_m, pid_n, m, n, BLOCK_M=bm, BLOCK_N=bn,
                                     GROUP_SIZE_M=group)
    pid_m, pid_n = _host(pid_m), _host(pid_n)
    ref_m, ref_n = _grouped_ordering_reference(np.arange(grid), m, n, bm, bn, group)
    np.testing.assert_array_equal(pid_m, ref_m)
    np.testing.assert_array_equal(pid_n, ref_n)
    # every tile is visited exactly once
    assert len(set(zip(pid_m.tolist(), pid_n.tolist()))) == grid


def test_python_min_max_on_blocks_scalars_and_constants(device: str) -> None:
    n = 64
    x = (RNG.standard_normal(n) * 4).astype(np.float32)
    y = (RNG.standard_normal(n) * 4).astype(np.float32)
    out = _dev(np.zeros(4 * n, np.float32), device)
    lo, hi = -1.25, 2.5
    python_minmax_kernel[(1,)](_dev(x, device), _dev(y, device), out, lo, hi, BLOCK=n)
    out = _host(out)
    np.testing.assert_array_equal(out[:n], np.minimum(x, y))
    np.testing.assert_array_equal(out[n:2 * n], np.maximum(np.maximum(x, y), hi))
    np.testing.assert_array_equal(out[2 * n:3 * n], np.maximum(np.minimum(x, hi), lo))
    np.testing.assert_array_equal(out[3 * n:], np.minimum(np.minimum(x, y), 1.5))


def test_python_min_keeps_weak_integer_types(device: str) -> None:
    @tessel.jit
    def k(x_ptr, out_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        x = tl.load(x_ptr + offs)
        r = max(min(x, 100), -100)  # int8 stays int8: the constants are weak
        tl.static_assert(r.dtype == tl.int8)
        tl.store(out_ptr + offs, r)

    x = RNG.integers(-128, 128, 32).astype(np.int8)
    out = _dev(np.zeros(32, np.int8), device)
    k[(1,)](_dev(x, device), out, BLOCK=32)
    np.testing.assert_array_equal(_host(out), np.clip(x, -100, 100))


def test_python_max_propagate_nan(device: str) -> None:
    @tessel.jit
    def k(x_ptr, y_ptr, out_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        x = tl.load(x_ptr + offs)
        y = tl.load(y_ptr + offs)
        tl.store(out_ptr + offs, max(x, y, propagate_nan=tl.PropagateNan.ALL))

    x = RNG.standard_normal(16).astype(np.float32)
    y = RNG.standard_normal(16).astype(np.float32)
    x[3] = np.nan
    out = _dev(np.zeros(16, np.float32), device)
    k[(1,)](_dev(x, device), _dev(y, device), out, BLOCK=16)
    np.testing.assert_array_equal(_host(out), np.maximum(x, y))  # NaN propagates, as NumPy


# ---------------------------------------------------------------------------
# tensor.cast and other member functions
# ---------------------------------------------------------------------------
def test_tensor_cast_member(device: str) -> None:
    from triton_compat_kernels import member_cast_kernel

    n = 64
    x = (RNG.standard_normal(n) * 1000).astype(np.float32)
    bits = _dev(np.zeros(n, np.int32), device)
    half = _dev(np.zeros(n, np.float16), device)
    back = _dev(np.zeros(n, np.int64), device)
    member_cast_kernel[(1,)](_dev(x, device), bits, half, back, BLOCK=n)
    bits, half, back = _host(bits), _host(half), _host(back)
    np.testing.assert_array_equal(bits, x.view(np.int32))
    # round toward zero: never larger in magnitude than x, within one fp16 ulp
    assert np.all(np.abs(half.astype(np.float32)) <= np.abs(x))
    np.testing.assert_allclose(half.astype(np.float32), x, rtol=2 ** -10)
    np.testing.assert_array_equal(back, x.astype(np.int64))


def test_tensor_member_math_functions(device: str) -> None:
    from triton_compat_kernels import member_math_kernel

    n = 32
    x = RNG.standard_normal(n).astype(np.float32)
    out = _dev(np.zeros(5 * n, np.float32), device)
    member_math_kernel[(1,)](_dev(x, device), out, BLOCK=n)
    out = _host(out)
    e = np.exp(x - x.max())
    expected = [np.sqrt(np.abs(x)), x, 1 / (1 + np.exp(-x)), x * x + 1, e / e.sum()]
    for i, ref in enumerate(expected):
        np.testing.assert_allclose(out[i * n:(i + 1) * n], ref, rtol=1e-5, atol=1e-6)


def test_tl_cast_bitcast_and_loop_counter_to(device: str) -> None:
    @tessel.jit
    def k(x_ptr, out_ptr, acc_ptr, BLOCK: tl.constexpr, N: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        x = tl.load(x_ptr + offs)
        tl.store(out_ptr + offs, tl.cast(x, tl.uint32, bitcast=True) >> 31)
        acc = tl.zeros([BLOCK], tl.float32)
        for i in range(0, N):  # constexpr bounds: i is still a runtime int32
            acc += x * i.to(tl.float32)
        tl.store(acc_ptr + offs, acc)

    x = RNG.standard_normal(16).astype(np.float32)
    out = _dev(np.zeros(16, np.uint32), device)
    acc = _dev(np.zeros(16, np.float32), device)
    k[(1,)](_dev(x, device), out, acc, BLOCK=16, N=5)
    out, acc = _host(out), _host(acc)
    np.testing.assert_array_equal(out, (x < 0).astype(np.uint32))
    np.testing.assert_allclose(acc, x * 10, rtol=1e-6)


# ---------------------------------------------------------------------------
# range with a negative constexpr step
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("hi,lo,step", [(10, 0, -3), (10, 1, -3), (5, 5, -1), (3, 7, -2),
                                        (20, -7, -4), (31, -1, -1)])
def test_range_with_negative_constexpr_step(device: str, hi: int, lo: int, step: int) -> None:
    from triton_compat_kernels import descending_range_kernel

    out = _dev(np.full(40, -99, np.int32), device)
    count = _dev(np.full(1, -1, np.int32), device)
    descending_range_kernel[(1,)](out, count, hi, lo, STEP=step)
    out, count = _host(out), _host(count)
    expected = list(range(hi, lo, step))
    assert count[0] == len(expected)
    assert out[:count[0]].tolist() == expected


def test_descending_loop_with_constexpr_bounds_and_counter_to(device: str) -> None:
    from triton_compat_kernels import descending_weights_kernel

    n, block = 6, 32
    x = RNG.uniform(-1.5, 1.5, block).astype(np.float32)
    out = _dev(np.zeros(block, np.float32), device)
    descending_weights_kernel[(1,)](_dev(x, device), out, N=n, BLOCK=block)
    out = _host(out)
    expected = sum(x.astype(np.float64) ** i * (i + 1) for i in range(n))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_range_with_zero_step_is_an_error() -> None:
    @tessel.jit
    def k(out_ptr, n):
        for i in range(0, n, 0):
            tl.store(out_ptr, i)

    with pytest.raises(tessel.CompilationError, match="non-zero"):
        k[(1,)](np.zeros(1, np.int32), 4)


# ---------------------------------------------------------------------------
# f-strings: constexpr values format, runtime values are a located error
# ---------------------------------------------------------------------------
def _located_error(kernel, *args, **kwargs) -> tessel.CompilationError:  # type: ignore[no-untyped-def]
    with pytest.raises(tessel.CompilationError) as info:
        kernel[(1,)](*args, **kwargs)
    err = info.value
    text = str(err)
    assert f"{__file__}:{err.lineno}:" in text
    assert err.source_line.strip() and err.source_line.strip() in text and "^" in text
    return err


@pytest.mark.parametrize("where", ["print", "device_print", "device_assert", "static_print",
                                   "format"])
def test_fstring_of_runtime_value_is_a_located_error(where: str) -> None:
    @tessel.jit
    def k(x_ptr, WHERE: tl.constexpr):
        x = tl.load(x_ptr)
        if WHERE == "print":
            print(f"x = {x}")
        elif WHERE == "device_print":
            tl.device_print(f"x = {x:4}")
        elif WHERE == "device_assert":
            tl.device_assert(x > 0, f"x = {x!r} is not positive")
        elif WHERE == "static_print":
            tl.static_print(f"{x + 1}")
        else:
            tl.device_print("x = {}".format(x))

    err = _located_error(k, np.ones(1, np.float32), WHERE=where)
    if where == "format":
        assert "str.format() cannot use runtime values" in err.message
    else:
        assert "f-string cannot format the runtime value" in err.message
        assert "fp32" in err.message and "{" in err.source_line


def test_fstring_of_constexpr_values(device: str, capfd: pytest.CaptureFixture[str]) -> None:
    @tessel.jit
    def k(x_ptr, BLOCK: tl.constexpr, NAME: tl.constexpr):
        tl.static_assert(BLOCK % 16 == 0, f"BLOCK={BLOCK} must be a multiple of 16")
        x = tl.load(x_ptr + tl.arange(0, BLOCK))
        s = tl.sum(x, axis=0)
        tl.device_print(f"{NAME}[{BLOCK:03d}] {BLOCK / 4:.2f} {NAME!r}:", s)

    x = RNG.integers(-9, 9, 32).astype(np.int32)
    k[(1,)](_dev(x, device), BLOCK=32, NAME="sum")
    sync(device)  # the GPU's printf buffer is written out by then
    out = capfd.readouterr().out
    assert f"sum[032] 8.00 'sum': {int(x.sum())}" in out

    with pytest.raises(tessel.CompilationError, match="BLOCK=24 must be a multiple of 16"):
        k[(1,)](_dev(x, device), BLOCK=24, NAME="sum")


# ---------------------------------------------------------------------------
# tl.topk, scalars in tl.join/tl.interleave, tl.map_elementwise
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("m,n,k,dim,dtype", [
    (4, 64, 8, 1, np.float32), (8, 32, 1, 1, np.int32), (4, 16, 16, 1, np.float16),
    (2, 128, 32, 1, np.uint16), (2, 256, 2, 1, np.float64), (64, 8, 4, 0, np.int8),
])
def test_topk(device: str, m: int, n: int, k: int, dim: int, dtype: type) -> None:
    from triton_compat_kernels import topk_kernel

    x = (RNG.standard_normal((m, n)) * 100).astype(dtype)
    out = _dev(np.zeros((m, k) if dim == 1 else (k, n), dtype), device)
    topk_kernel[(1,)](_dev(x, device), out, M=m, N=n, K=k, DIM=dim)
    out = _host(out)
    expected = -np.sort(-x.astype(np.float64), axis=dim)  # largest first
    expected = expected[:, :k] if dim == 1 else expected[:k, :]
    np.testing.assert_array_equal(out.astype(np.float64), expected)


def test_topk_keeps_the_dtype_and_checks_k(device: str) -> None:
    @tessel.jit
    def k(x_ptr, K: tl.constexpr):
        x = tl.load(x_ptr + tl.arange(0, 16))
        y = tl.topk(x, K)
        tl.static_assert(y.dtype == x.dtype and y.shape == (K,))
        tl.store(x_ptr + tl.arange(0, K), y)

    x = RNG.integers(-99, 99, 16).astype(np.int16)
    ref = np.sort(x)[::-1][:4].copy()
    x = _dev(x, device)
    k[(1,)](x, K=4)
    np.testing.assert_array_equal(_host(x)[:4], ref)
    with pytest.raises(tessel.CompilationError, match="powers of two k <= n"):
        k[(1,)](x, K=32)


def test_join_and_interleave_scalars(device: str) -> None:
    from triton_compat_kernels import join_scalars_kernel

    x = RNG.standard_normal(1).astype(np.float32)
    y = RNG.standard_normal(1).astype(np.float32)
    joined = _dev(np.zeros(2, np.float32), device)
    inter = _dev(np.zeros(2, np.int32), device)
    mixed = _dev(np.zeros(2, np.float32), device)
    join_scalars_kernel[(1,)](_dev(x, device), _dev(y, device), joined, inter, mixed, 17, -4)
    joined, inter, mixed = _host(joined), _host(inter), _host(mixed)
    np.testing.assert_array_equal(joined, [x[0], y[0]])
    np.testing.assert_array_equal(inter, [17, -4])
    np.testing.assert_array_equal(mixed, [x[0], 7.0])


def test_map_elementwise(device: str) -> None:
    from triton_compat_kernels import map_elementwise_kernel

    m, n = 8, 32
    x = RNG.integers(-20, 21, (m, n)).astype(np.int32)
    y = RNG.integers(1, 7, n).astype(np.int32)
    f = RNG.standard_normal((m, n)).astype(np.float32)
    cmp, q, r, bits = (_dev(np.zeros((m, n), np.int32), device) for _ in range(4))
    selu = _dev(np.zeros((m, n), np.float32), device)
    map_elementwise_kernel[(1,)](_dev(x, device), _dev(y, device), _dev(f, device), cmp, selu,
                                 q, r, bits, M=m, N=n)
    cmp, selu, q, r, bits = (_host(a) for a in (cmp, selu, q, r, bits))
    np.testing.assert_array_equal(cmp, (x > y).astype(int) - (y > x).astype(int))
    ref_selu = 1.0507 * np.where(f > 0, f, 1.6733 * (np.exp(f) - 1))
    np.testing.assert_allclose(selu, ref_selu, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(q, np.trunc(x / y).astype(np.int32))  # C division
    np.testing.assert_array_equal(r, x - np.trunc(x / y).astype(np.int32) * y)
    masks = np.array([1, 3, 7, 15] * (n // 4))
    np.testing.assert_array_equal(bits, np.where(x > 0, x & masks, 0))


def test_map_elementwise_rejects_side_effects_in_branches() -> None:
    @tessel.jit
    def store_if_positive(x, ptr):
        if x > 0:
            tl.store(ptr, x)
        return x

    @tessel.jit
    def k(x_ptr):
        x = tl.load(x_ptr + tl.arange(0, 16))
        tl.store(x_ptr + tl.arange(0, 16), tl.map_elementwise(store_if_positive, x, x_ptr))

    with pytest.raises(tessel.CompilationError, match="side effects"):
        k[(1,)](np.ones(16, np.float32))


@pytest.mark.parametrize("target", ["nvidia:sm_90a", "amd:gfx942"])
def test_new_builtins_compile_for_gpu_targets(target: str) -> None:
    from gpu_targets import skip_without_device_libs
    from tessel._ext import _C
    from triton_compat_kernels import map_elementwise_kernel, topk_kernel

    skip_without_device_libs(target)  # tl.exp in the SELU calls OCML on AMD

    irs = [
        topk_kernel.ir("*bf16", "*bf16", M=4, N=128, K=8, DIM=1),
        topk_kernel.ir("*i8", "*i8", M=64, N=8, K=2, DIM=0),
        topk_kernel.ir("*fp32", "*fp32", M=2, N=256, K=16, DIM=1),
        map_elementwise_kernel.ir("*i32", "*i32", "*fp32", "*i32", "*fp32", "*i32", "*i32",
                                  "*i32", M=8, N=32),
    ]
    for ir in irs:
        for warps in (1, 4):
            assert _C.compile(ir, target, warps)["binary"]


# ---------------------------------------------------------------------------
# dtype attributes, shapes, stores of Python scalars, CompilationError
# ---------------------------------------------------------------------------
def test_dtype_attributes_match_triton() -> None:
    expected = {  # (primitive_bitwidth, fp_mantissa_width, exponent_bias) as in Triton
        tl.float8e4nv: (8, 3, 7), tl.float8e5: (8, 2, 15), tl.float16: (16, 10, 15),
        tl.bfloat16: (16, 7, 127), tl.float32: (32, 23, 127), tl.float64: (64, 52, 1023),
    }
    for ty, attrs in expected.items():
        assert (ty.primitive_bitwidth, ty.fp_mantissa_width, ty.exponent_bias) == attrs
        assert ty.is_floating() and not ty.is_int()
        assert ty.is_standard_floating() == (ty.primitive_bitwidth > 8)
    for ty in (tl.int8, tl.int16, tl.int32, tl.int64):
        assert ty.int_signedness == tl.dtype.SIGNEDNESS.SIGNED
        assert ty.get_int_max_value() == 2 ** (ty.int_bitwidth - 1) - 1
        assert ty.get_int_min_value() == -(2 ** (ty.int_bitwidth - 1))
        assert getattr(ty, f"is_int{ty.int_bitwidth}")()
    for ty in (tl.uint8, tl.uint16, tl.uint32, tl.uint64):
        assert ty.int_signedness == tl.dtype.SIGNEDNESS.UNSIGNED
        assert (ty.get_int_min_value(), ty.get_int_max_value()) == (0, 2 ** ty.int_bitwidth - 1)
        assert getattr(ty, f"is_uint{ty.int_bitwidth}")() and not ty.is_int_signed()
    assert tl.core.get_int_dtype(64, False) == tl.uint64 and tl.dtype.is_dtype("fp16")
    assert tl.bfloat16.codegen_name() == "bfloat16" and tl.int8.codegen_name() == "int8"


def test_dtype_attributes_in_a_kernel(device: str) -> None:
    from triton_compat_kernels import dtype_attributes_kernel

    x = (RNG.standard_normal(64) * np.exp2(RNG.integers(-20, 20, 64))).astype(np.float32)
    out = _dev(np.zeros(66, np.int32), device)
    dtype_attributes_kernel[(1,)](_dev(x, device), out, BLOCK=64)
    out = _host(out)
    np.testing.assert_array_equal(out[:64], np.frexp(x)[1] - 1)
    assert out[64] == 127 + 65535 and out[65] == -(2 ** 63) // 2 ** 40


def test_shape_expressions_and_python_scalar_stores(device: str) -> None:
    from triton_compat_kernels import shape_expressions_kernel

    b = 4
    rng = np.random.default_rng(8)  # random contents, all overwritten by the kernel
    out = _dev(rng.integers(-99, 99, 2 * b).astype(np.int32), device)
    half = _dev(rng.standard_normal(b + 1).astype(np.float16), device)
    small = _dev(rng.integers(-99, 99, 2).astype(np.int8), device)
    shape_expressions_kernel[(1,)](out, half, small, B=b)
    out, half, small = _host(out), _host(half), _host(small)
    np.testing.assert_array_equal(out, np.full(2 * b, 9))
    np.testing.assert_array_equal(half, [3, 3, 3, 3, 2.5])
    np.testing.assert_array_equal(small, [np.int8(300 - 256), 1])


def test_compilation_error_has_triton_error_message() -> None:
    @tessel.jit
    def k(x_ptr, B: tl.constexpr):
        tl.static_assert(B % 16 == 0, f"B={B} is not a multiple of 16")
        tl.store(x_ptr, 0)

    with pytest.raises(tessel.CompilationError) as info:
        k[(1,)](np.zeros(1, np.int32), B=8)
    err = info.value
    assert "B=8 is not a multiple of 16" in err.error_message
    assert err.error_message == err.message and err.error_message in str(err)


def test_numbers_used_as_values_become_scalar_tensors(device: str) -> None:
    @tessel.jit
    def k(x_ptr, out_ptr, C: tl.constexpr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        x = tl.load(x_ptr + offs)
        count = 10
        scale = 0.5
        flag = True
        big = 2 ** 40
        # Triton's to_tensor types: int32, float32, int1, int64
        tl.static_assert(count.dtype == tl.int32 and scale.dtype == tl.float32)
        tl.static_assert(flag.dtype == tl.int1 and big.dtype == tl.int64)
        acc = tl.zeros([BLOCK], tl.float32)
        for i in tl.static_range(0, C):  # constexpr loop variable used as a value
            acc += x * i.to(tl.float32)
        tl.store(out_ptr + offs, acc * scale + count.to(tl.float32) + C.to(tl.float32))

    x = RNG.standard_normal(16).astype(np.float32)
    out = _dev(np.zeros(16, np.float32), device)
    k[(1,)](_dev(x, device), out, C=4, BLOCK=16)
    np.testing.assert_allclose(_host(out), x * 6 * 0.5 + 10 + 4, rtol=1e-6)
