"""Conformance: every elementwise builtin, reduction, scan and cast against
NumPy, over dtypes and shape classes (1-D and 2-D blocks, full and with odd
tails under masks), on random data.

One kernel per (family, dtype, shape class) computes all the family's
builtins (``OPS`` is a constexpr tuple) and stores them side by side, so the
suite stays quick.  It runs on the CPU backend here and, with CUDA tensors,
on a GPU (``TESSEL_CONFORMANCE_DEVICE=cuda``); every kernel family is also
compiled for NVIDIA and AMD.
"""
from __future__ import annotations

import os
import zlib

import numpy as np
import pytest

try:
    from tessel._ext import _C
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl
from gpu_targets import TARGETS, skip_without_device_libs

DEVICE = os.environ.get("TESSEL_CONFORMANCE_DEVICE", "cpu")
INTS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
FLOATS = ["float16", "float32", "float64"]
# (block, runtime extent): 1-D full and with a tail, 2-D full and with tails.
SHAPES = {
    "1d": ((128,), (128,)),
    "1d_tail": ((128,), (97,)),
    "2d": ((16, 32), (16, 32)),
    "2d_tail": ((16, 32), (13, 29)),
    # math calls are scalarized on the CPU: a smaller 2-D block keeps
    # compiling quick
    "2d_tail_small": ((8, 16), (7, 13)),
}

BINARY = ("add", "sub", "mul", "div", "floordiv", "mod", "and", "or", "xor", "shl", "shr",
          "minimum", "maximum", "lt", "le", "gt", "ge", "eq", "ne", "where", "neg", "invert",
          "abs", "not")
MATH = ("exp", "exp2", "log", "log2", "log1p", "expm1", "sqrt", "sqrt_rn", "rsqrt", "sin", "cos",
        "tan", "tanh", "erf", "floor", "ceil", "abs", "sigmoid", "fma", "div_rn", "fdiv",
        "clamp", "cdiv_like")
REDUCE = ("sum", "max", "min", "argmax", "argmin", "xor_sum")
SCAN = ("cumsum", "cumprod")


def _to_device(a: np.ndarray):
    if DEVICE == "cpu":
        return a
    import torch

    return torch.from_numpy(np.ascontiguousarray(a)).to(DEVICE)


def _from_device(a) -> np.ndarray:
    return a if isinstance(a, np.ndarray) else a.cpu().numpy()


def _random(dtype: str, shape: tuple[int, ...], rng: np.random.Generator, *,
            nonzero: bool = False, positive: bool = False) -> np.ndarray:
    dt = np.dtype(dtype)
    if dt.kind == "f":
        lo = 0.05 if positive else -4.0
        x = rng.uniform(lo, 4.0, shape)
        return x.astype(dt)
    info = np.iinfo(dt)
    lo = 1 if positive else max(info.min, -100)
    x = rng.integers(lo, min(info.max, 100), shape, endpoint=True).astype(dt)
    if nonzero:
        x[x == 0] = 1
    return x


def _offsets(block: tuple[int, ...]) -> str:
    return "2d" if len(block) == 2 else "1d"


# ---------------------------------------------------------------------------
# kernels
# ---------------------------------------------------------------------------
@tessel.jit
def _tile(m, n, RANK: tl.constexpr, BM: tl.constexpr, BN: tl.constexpr):
    """Row-major offsets of an m x n (RANK 2) or n-element (RANK 1) region
    of a BM x BN / BN block, and the mask of its elements."""
    if RANK == 2:
        r = tl.arange(0, BM)[:, None]
        c = tl.arange(0, BN)[None, :]
        return r * n + c, (r < m) & (c < n)
    c = tl.arange(0, BN)
    return c, c < n


@tessel.jit
def _binary_kernel(x_ptr, y_ptr, out_ptr, m, n, OPS: tl.constexpr, BITS: tl.constexpr,
                   RANK: tl.constexpr, BM: tl.constexpr, BN: tl.constexpr):
    offs, mask = _tile(m, n, RANK, BM, BN)
    x = tl.load(x_ptr + offs, mask=mask, other=1)
    y = tl.load(y_ptr + offs, mask=mask, other=1)
    for i in tl.static_range(len(OPS)):
        op = OPS[i]
        if op == "add":
            z = x + y
        elif op == "sub":
            z = x - y
        elif op == "mul":
            z = x * y
        elif op == "div":
            z = x / y
        elif op == "floordiv":
            z = x // y
        elif op == "mod":
            z = x % y
        elif op == "and":
            z = x & y
        elif op == "or":
            z = x | y
        elif op == "xor":
            z = x ^ y
        elif op == "shl":
            z = x << (y & (BITS - 1))
        elif op == "shr":
            z = x >> (y & (BITS - 1))
        elif op == "minimum":
            z = tl.minimum(x, y)
        elif op == "maximum":
            z = tl.maximum(x, y)
        elif op == "lt":
            z = x < y
        elif op == "le":
            z = x <= y
        elif op == "gt":
            z = x > y
        elif op == "ge":
            z = x >= y
        elif op == "eq":
            z = x == y
        elif op == "ne":
            z = x != y
        elif op == "where":
            z = tl.where(x > y, x, y)
        elif op == "neg":
            z = -x
        elif op == "invert":
            z = ~x
        elif op == "abs":
            z = tl.abs(x)
        else:
            z = not x
        tl.store(out_ptr + i * m * n + offs, z.to(tl.float64), mask=mask)


@tessel.jit
def _math_kernel(x_ptr, y_ptr, out_ptr, m, n, OPS: tl.constexpr, RANK: tl.constexpr,
                 BM: tl.constexpr, BN: tl.constexpr):
    offs, mask = _tile(m, n, RANK, BM, BN)
    x = tl.load(x_ptr + offs, mask=mask, other=1)
    y = tl.load(y_ptr + offs, mask=mask, other=1)
    for i in tl.static_range(len(OPS)):
        op = OPS[i]
        if op == "fma":
            z = tl.fma(x, y, x)
        elif op == "div_rn":
            z = tl.math.div_rn(x, y)
        elif op == "fdiv":
            z = tl.math.fdiv(x, y)
        elif op == "clamp":
            z = tl.clamp(x, 0.5, 2.0)
        elif op == "cdiv_like":
            z = tl.math.ceil(x / y)
        elif op == "sigmoid":
            z = tl.sigmoid(x)
        elif op == "sqrt_rn":
            z = tl.math.sqrt_rn(x)
        else:
            z = getattr(tl.math, op)(x)
        tl.store(out_ptr + i * m * n + offs, z.to(tl.float64), mask=mask)


@tessel.jit
def _reduce_kernel(x_ptr, out_ptr, m, n, OPS: tl.constexpr, AXIS: tl.constexpr,
                   LOWEST: tl.constexpr, HIGHEST: tl.constexpr, BM: tl.constexpr,
                   BN: tl.constexpr):
    r = tl.arange(0, BM)[:, None]
    c = tl.arange(0, BN)[None, :]
    mask = (r < m) & (c < n)
    offs = r * n + c
    for i in tl.static_range(len(OPS)):
        op = OPS[i]
        if op == "sum":
            z = tl.sum(tl.load(x_ptr + offs, mask=mask, other=0), axis=AXIS)
        elif op == "xor_sum":
            z = tl.xor_sum(tl.load(x_ptr + offs, mask=mask, other=0), axis=AXIS)
        elif op == "max":
            z = tl.max(tl.load(x_ptr + offs, mask=mask, other=LOWEST), axis=AXIS)
        elif op == "argmax":
            z = tl.argmax(tl.load(x_ptr + offs, mask=mask, other=LOWEST), axis=AXIS)
        elif op == "min":
            z = tl.min(tl.load(x_ptr + offs, mask=mask, other=HIGHEST), axis=AXIS)
        else:
            z = tl.argmin(tl.load(x_ptr + offs, mask=mask, other=HIGHEST), axis=AXIS)
        if AXIS == 0:
            tl.store(out_ptr + i * BN + tl.arange(0, BN), z.to(tl.float64))
        elif AXIS == 1:
            tl.store(out_ptr + i * BN + tl.arange(0, BM), z.to(tl.float64))
        else:
            tl.store(out_ptr + i * BN, z.to(tl.float64))


@tessel.jit
def _scan_kernel(x_ptr, out_ptr, m, n, OPS: tl.constexpr, AXIS: tl.constexpr,
                 REVERSE: tl.constexpr, BM: tl.constexpr, BN: tl.constexpr):
    r = tl.arange(0, BM)[:, None]
    c = tl.arange(0, BN)[None, :]
    mask = (r < m) & (c < n)
    offs = r * n + c
    for i in tl.static_range(len(OPS)):
        if OPS[i] == "cumsum":
            z = tl.cumsum(tl.load(x_ptr + offs, mask=mask, other=0), axis=AXIS, reverse=REVERSE)
        else:
            z = tl.cumprod(tl.load(x_ptr + offs, mask=mask, other=1), axis=AXIS, reverse=REVERSE)
        tl.store(out_ptr + i * m * n + offs, z.to(tl.float64), mask=mask)


@tessel.jit
def _cast_kernel(x_ptr, out_ptr, n, DST: tl.constexpr, BN: tl.constexpr):
    c = tl.arange(0, BN)
    mask = c < n
    tl.store(out_ptr + c, tl.load(x_ptr + c, mask=mask).to(DST), mask=mask)


# ---------------------------------------------------------------------------
# references
# ---------------------------------------------------------------------------
def _c_div(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    q = np.abs(x.astype(np.int64)) // np.abs(y.astype(np.int64))
    neg = (x.astype(np.int64) < 0) != (y.astype(np.int64) < 0)
    return np.where(neg, -q, q).astype(x.dtype)


def _binary_ref(op: str, x: np.ndarray, y: np.ndarray, bits: int) -> np.ndarray:
    is_int = x.dtype.kind in "iu"
    with np.errstate(all="ignore"):
        table = {
            "add": lambda: x + y,
            "sub": lambda: x - y,
            "mul": lambda: x * y,
            # Integers divide in float32; so does float16 (Triton promotes `/`
            # and `%` of halves: PTX has no half division), which keeps a
            # quotient past 65504 finite.
            "div": lambda: (x.astype(np.float32) / y.astype(np.float32))
            if is_int or x.dtype == np.float16 else x / y,
            "floordiv": lambda: _c_div(x, y),
            "mod": lambda: np.fmod(x, y),
            "and": lambda: x & y,
            "or": lambda: x | y,
            "xor": lambda: x ^ y,
            "shl": lambda: x << (y & (bits - 1)),
            "shr": lambda: x >> (y & (bits - 1)),
            "minimum": lambda: np.minimum(x, y),
            "maximum": lambda: np.maximum(x, y),
            "lt": lambda: x < y,
            "le": lambda: x <= y,
            "gt": lambda: x > y,
            "ge": lambda: x >= y,
            "eq": lambda: x == y,
            "ne": lambda: x != y,
            "where": lambda: np.where(x > y, x, y),
            "neg": lambda: -x,
            "invert": lambda: ~x,
            "abs": lambda: np.abs(x) if x.dtype.kind != "u" else x,
            "not": lambda: x == 0,
        }
        return table[op]().astype(np.float64)


def _binary_ops(dtype: str) -> tuple[str, ...]:
    if dtype in FLOATS:
        return tuple(o for o in BINARY if o not in
                     ("floordiv", "and", "or", "xor", "shl", "shr", "invert"))
    return BINARY


def _math_ref(op: str, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    import math

    w = x.astype(np.float64)
    v = y.astype(np.float64)
    table = {
        "exp": np.exp, "exp2": np.exp2, "log": np.log, "log2": np.log2, "log1p": np.log1p,
        "expm1": np.expm1, "sqrt": np.sqrt, "sqrt_rn": np.sqrt, "rsqrt": lambda a: 1 / np.sqrt(a),
        "sin": np.sin, "cos": np.cos, "tan": np.tan, "tanh": np.tanh,
        "erf": np.vectorize(math.erf), "floor": np.floor, "ceil": np.ceil, "abs": np.abs,
        "sigmoid": lambda a: 1 / (1 + np.exp(-a)),
    }
    if op == "fma":
        return w * v + w
    if op in ("div_rn", "fdiv"):
        return w / v
    if op == "clamp":
        return np.clip(w, 0.5, 2.0)
    if op == "cdiv_like":
        return np.ceil(w / v)
    return table[op](w)


def _lowest(dtype: str) -> float | int:
    dt = np.dtype(dtype)
    return -float("inf") if dt.kind == "f" else int(np.iinfo(dt).min)


def _highest(dtype: str) -> float | int:
    dt = np.dtype(dtype)
    return float("inf") if dt.kind == "f" else int(np.iinfo(dt).max)


def _reduce_ref(op: str, x: np.ndarray, axis: int | None) -> np.ndarray:
    if op == "sum":
        acc = np.float64 if x.dtype.kind == "f" else (
            np.int64 if x.dtype.itemsize == 8 else np.int32)
        if x.dtype.kind == "u" and x.dtype.itemsize < 8:
            acc = np.uint32
        if x.dtype == np.uint64:
            acc = np.uint64
        return np.sum(x.astype(acc), axis=axis).astype(np.float64)
    if op == "xor_sum":
        return np.bitwise_xor.reduce(x, axis=axis).astype(np.float64)
    fn = {"max": np.max, "min": np.min, "argmax": np.argmax, "argmin": np.argmin}[op]
    return np.asarray(fn(x, axis=axis)).astype(np.float64)


def _tolerance(dtype: str) -> dict[str, float]:
    return {"float16": dict(rtol=2e-3, atol=2e-3), "float32": dict(rtol=2e-6, atol=1e-6),
            "float64": dict(rtol=1e-12, atol=1e-12)}.get(dtype, dict(rtol=0, atol=0))


# ---------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("shape", ["1d", "1d_tail", "2d", "2d_tail"])
@pytest.mark.parametrize("dtype", INTS + FLOATS)
def test_elementwise_operators(dtype: str, shape: str) -> None:
    block, extent = SHAPES[shape]
    rank = len(block)
    m, n = (extent if rank == 2 else (1, extent[0]))
    # A stable seed: hash() of strings changes with every process.
    rng = np.random.default_rng(zlib.crc32(f"{dtype}-{shape}".encode()))
    x = _random(dtype, (m, n), rng)
    y = _random(dtype, (m, n), rng, nonzero=True)
    ops = _binary_ops(dtype)
    out = _to_device(np.zeros((len(ops), m, n), np.float64))
    bits = np.dtype(dtype).itemsize * 8
    _binary_kernel[(1,)](_to_device(x), _to_device(y), out, m, n, OPS=ops, BITS=bits,
                         RANK=rank, BM=block[0] if rank == 2 else 1, BN=block[-1])
    got = _from_device(out)
    for i, op in enumerate(ops):
        ref = _binary_ref(op, x, y, bits)
        tol = _tolerance(dtype) if dtype in FLOATS or op == "div" else dict(rtol=0, atol=0)
        if op == "div" and dtype not in FLOATS:
            tol = dict(rtol=2e-6, atol=0)  # int / int is float32
        np.testing.assert_allclose(got[i], ref, **tol, err_msg=f"{op} on {dtype} {shape}")


@pytest.mark.parametrize("shape", ["1d_tail", "2d_tail_small"])
@pytest.mark.parametrize("dtype", FLOATS)
def test_math(dtype: str, shape: str) -> None:
    block, extent = SHAPES[shape]
    rank = len(block)
    m, n = (extent if rank == 2 else (1, extent[0]))
    rng = np.random.default_rng(7)
    x = _random(dtype, (m, n), rng, positive=True)
    y = _random(dtype, (m, n), rng, positive=True)
    out = _to_device(np.zeros((len(MATH), m, n), np.float64))
    _math_kernel[(1,)](_to_device(x), _to_device(y), out, m, n, OPS=MATH, RANK=rank,
                       BM=block[0] if rank == 2 else 1, BN=block[-1])
    got = _from_device(out)
    for i, op in enumerate(MATH):
        ref = _math_ref(op, x, y)
        if dtype == "float16":  # computed in float32, rounded once to float16
            ref = ref.astype(np.float16).astype(np.float64)
        tol = _tolerance(dtype)
        if dtype == "float32" and op in ("tan", "exp", "exp2", "sigmoid", "fdiv", "cdiv_like"):
            tol = dict(rtol=1e-5, atol=1e-6)  # fast exp and div.full are within 2 ulp
        np.testing.assert_allclose(got[i], ref, **tol, err_msg=f"{op} on {dtype} {shape}")


@pytest.mark.parametrize("axis", [0, 1, None])
@pytest.mark.parametrize("dtype", ["int8", "int32", "int64", "uint8", "uint32", "float16",
                                   "float32", "float64"])
def test_reductions(dtype: str, axis: int | None) -> None:
    (bm, bn), (m, n) = SHAPES["2d_tail"]
    rng = np.random.default_rng(11)
    x = _random(dtype, (m, n), rng)
    ops = REDUCE if dtype not in FLOATS else tuple(o for o in REDUCE if o != "xor_sum")
    out = _to_device(np.zeros((len(ops), bn), np.float64))
    _reduce_kernel[(1,)](_to_device(x), out, m, n, OPS=ops, AXIS=axis, LOWEST=_lowest(dtype),
                         HIGHEST=_highest(dtype), BM=bm, BN=bn)
    got = _from_device(out)
    for i, op in enumerate(ops):
        # Reductions see the whole block: masked-out lanes hold `other`, and
        # axis=None indices are flat in the block's shape.
        fill = {"max": _lowest(dtype), "argmax": _lowest(dtype), "min": _highest(dtype),
                "argmin": _highest(dtype)}.get(op, 0)
        block = np.full((bm, bn), fill, x.dtype)
        block[:m, :n] = x
        ref = _reduce_ref(op, block, axis)
        width = {0: n, 1: m, None: 1}[axis]
        tol = _tolerance(dtype) if op == "sum" else dict(rtol=0, atol=0)
        if op == "sum" and dtype == "float16":
            tol = dict(rtol=1e-2, atol=2e-2)  # float32 sum rounded once to float16
        np.testing.assert_allclose(got[i][:width], np.ravel(ref)[:width], **tol,
                                   err_msg=f"{op} on {dtype} axis={axis}")


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("dtype", ["int32", "int64", "uint32", "float32", "float64"])
def test_scans(dtype: str, axis: int, reverse: bool) -> None:
    (bm, bn), (m, n) = SHAPES["2d_tail"]
    rng = np.random.default_rng(13)
    x = _random(dtype, (m, n), rng)
    if dtype in FLOATS:  # keep products in range
        x = (np.sign(x) * (0.9 + 0.2 * np.abs(x) / 4)).astype(dtype)
    else:
        x = (x % 3).astype(dtype)
    out = _to_device(np.zeros((len(SCAN), m, n), np.float64))
    _scan_kernel[(1,)](_to_device(x), out, m, n, OPS=SCAN, AXIS=axis, REVERSE=reverse,
                       BM=bm, BN=bn)
    got = _from_device(out)
    xs = np.flip(x, axis) if reverse else x
    with np.errstate(over="ignore"):
        for i, fn in enumerate((np.cumsum, np.cumprod)):
            ref = fn(xs, axis=axis, dtype=x.dtype)
            ref = np.flip(ref, axis) if reverse else ref
            np.testing.assert_allclose(got[i], ref.astype(np.float64), **_tolerance(dtype),
                                       err_msg=f"{SCAN[i]} on {dtype} axis={axis}")


CAST_TYPES = ["int1"] + INTS + FLOATS


@pytest.mark.parametrize("src", CAST_TYPES)
def test_casts(src: str) -> None:
    n = 97
    rng = np.random.default_rng(17)
    for dst in CAST_TYPES:
        unsigned = "uint" in src or "uint" in dst
        lo = 0 if unsigned else -100
        hi = 127 if "int8" in (src, dst) else 200
        if src == "int1":
            x = rng.integers(0, 2, n).astype(np.bool_)
        elif src in FLOATS:
            x = (rng.integers(lo, hi, n) + 0.25 * (1 if lo >= 0 else rng.choice([-1, 1], n)))
            x = x.astype(src)
        else:
            x = rng.integers(lo, hi, n).astype(src)
        dt = np.bool_ if dst == "int1" else np.dtype(dst)
        out = _to_device(np.zeros(n, dt))
        _cast_kernel[(1,)](_to_device(x), out, n, DST=getattr(tl, dst), BN=128)
        with np.errstate(invalid="ignore"):
            ref = x != 0 if dst == "int1" else x.astype(dt)
        np.testing.assert_array_equal(_from_device(out), ref, err_msg=f"{src} -> {dst}")


@pytest.mark.parametrize("target", TARGETS)
def test_families_compile_for_gpu_targets(target: str) -> None:
    skip_without_device_libs(target)
    irs = [
        _binary_kernel.ir("*i32:16", "*i32:16", "*fp64:16", "i32", "i32", OPS=BINARY, BITS=32,
                          RANK=2, BM=16, BN=32),
        _binary_kernel.ir("*fp16:16", "*fp16:16", "*fp64:16", "i32", "i32",
                          OPS=_binary_ops("float16"), BITS=16, RANK=1, BM=1, BN=128),
        _math_kernel.ir("*fp32:16", "*fp32:16", "*fp64:16", "i32", "i32", OPS=MATH, RANK=2,
                        BM=16, BN=32),
        _reduce_kernel.ir("*i64:16", "*fp64:16", "i32", "i32", OPS=REDUCE, AXIS=1,
                          LOWEST=-(2**63), HIGHEST=2**63 - 1, BM=16, BN=32),
        _scan_kernel.ir("*fp32:16", "*fp64:16", "i32", "i32", OPS=SCAN, AXIS=0, REVERSE=True,
                        BM=16, BN=32),
        _cast_kernel.ir("*fp32:16", "*u8:16", "i32", DST=tl.uint8, BN=128),
    ]
    for ir in irs:
        assert _C.compile(ir, target, 4)["binary"]
