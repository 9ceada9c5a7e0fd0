"""Read-only NumPy arrays are refused for the pointer arguments a kernel stores
through (a TypeError at launch naming the argument), and accepted for the
ones it only loads from.  Which arguments are stored through is computed
from the kernel's Tile IR (``tessel.compiler.effects``) per specialization;
the IR-level tests at the end check the analysis's conservative cases."""
from __future__ import annotations

import numpy as np
import pytest

import tessel
import tessel.language as tl
from tessel.compiler.effects import stored_arguments

try:
    from tessel._ext import _C  # noqa: F401

    HAVE_EXT = True
except ImportError:
    HAVE_EXT = False

needs_ext = pytest.mark.skipif(not HAVE_EXT, reason="tessel extension not built")

READ_ONLY = r"argument '{}' is a read-only array but the kernel stores through it"


@tessel.jit
def add_kernel(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    y = tl.load(y_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, x + y, mask=mask)


@tessel.jit
def atomic_sum_kernel(x_ptr, total_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs, mask=offs < n, other=0.0)
    tl.atomic_add(total_ptr, tl.sum(x, axis=0))


@tessel.jit(noinline=True)
def store_block(p, v, BLOCK: tl.constexpr):
    tl.store(p + tl.arange(0, BLOCK), v)


@tessel.jit
def noinline_store_kernel(x_ptr, out_ptr, BLOCK: tl.constexpr):
    store_block(out_ptr, tl.load(x_ptr + tl.arange(0, BLOCK)) * 2.0, BLOCK)


@tessel.jit
def ping_pong_kernel(a_ptr, b_ptr, steps, BLOCK: tl.constexpr):
    """Each step reads one buffer and writes the other: both are stored to."""
    offs = tl.arange(0, BLOCK)
    src = a_ptr
    dst = b_ptr
    for _ in range(steps):
        tl.store(dst + offs, tl.load(src + offs) + 1.0)
        src, dst = dst, src


@tessel.jit
def select_store_kernel(x_ptr, a_ptr, b_ptr, which, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    dst = tl.where(which > 0, a_ptr, b_ptr)
    tl.store(dst + offs, tl.load(x_ptr + offs))


def _rng() -> np.random.Generator:
    return np.random.default_rng(11)


def _read_only(a: np.ndarray) -> np.ndarray:
    a = a.copy()
    a.setflags(write=False)
    return a


@pytest.fixture(autouse=True)
def _cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "cpu")


# ---------------------------------------------------------------- launches
@needs_ext
def test_store_into_broadcast_view_raises() -> None:
    x = _rng().standard_normal(100).astype(np.float32)
    buf = np.zeros(100, np.float32)
    out = np.broadcast_to(buf, buf.shape)  # a read-only view of writable memory
    assert not out.flags.writeable
    with pytest.raises(TypeError, match=r"add_kernel\(\): " + READ_ONLY.format("out_ptr")):
        add_kernel[(1,)](x, x, out, 100, BLOCK=128)
    assert not buf.any()  # nothing was written


@needs_ext
def test_store_into_read_only_memmap_raises(tmp_path) -> None:
    # Before the check, this was a segmentation fault (the pages are mapped read-only).
    path = tmp_path / "data.bin"
    np.zeros(256, np.float32).tofile(path)
    out = np.memmap(path, dtype=np.float32, mode="r", shape=(256,))
    x = _rng().standard_normal(256).astype(np.float32)
    with pytest.raises(TypeError, match=READ_ONLY.format("out_ptr")):
        add_kernel[(2,)](x, x, out, 256, BLOCK=128)
    assert not np.fromfile(path, np.float32).any()


@needs_ext
def test_atomic_add_into_read_only_raises() -> None:
    x = _rng().standard_normal(64).astype(np.float32)
    total = _read_only(np.zeros(1, np.float32))
    with pytest.raises(TypeError, match=READ_ONLY.format("total_ptr")):
        atomic_sum_kernel[(1,)](x, total, 64, BLOCK=64)
    assert total[0] == 0.0
    writable = np.zeros(1, np.float32)
    atomic_sum_kernel[(1,)](_read_only(x), writable, 64, BLOCK=64)  # read-only input: fine
    np.testing.assert_allclose(writable[0], x.sum(), rtol=1e-5)


@needs_ext
def test_loading_from_read_only_arrays_is_correct(tmp_path) -> None:
    rng = _rng()
    n = 1000
    x = rng.standard_normal(n).astype(np.float32)
    y = rng.standard_normal(n).astype(np.float32)
    path = tmp_path / "y.bin"
    y.tofile(path)
    ro_x = _read_only(x)
    ro_y = np.memmap(path, dtype=np.float32, mode="r", shape=(n,))
    ro_bytes = np.frombuffer(x.tobytes(), np.float32)  # read-only: backed by bytes
    assert not ro_x.flags.writeable and not ro_y.flags.writeable
    assert not ro_bytes.flags.writeable
    out = np.full(n, np.nan, np.float32)
    add_kernel[(tessel.cdiv(n, 256),)](ro_x, ro_y, out, n, BLOCK=256)
    np.testing.assert_array_equal(out, x + y)
    out[:] = np.nan
    add_kernel[(tessel.cdiv(n, 256),)](ro_bytes, ro_x, out, n, BLOCK=256)
    np.testing.assert_array_equal(out, x + x)


@needs_ext
def test_writable_arrays_still_work_and_the_cache_survives_the_error() -> None:
    rng = _rng()
    x = rng.standard_normal(300).astype(np.float32)
    y = rng.standard_normal(300).astype(np.float32)
    out = np.zeros(300, np.float32)
    k = add_kernel[(3,)](x, y, out, 300, BLOCK=128)
    np.testing.assert_array_equal(out, x + y)
    assert k.stored_args == ("out_ptr",)
    with pytest.raises(TypeError, match=READ_ONLY.format("out_ptr")):
        add_kernel[(3,)](x, y, _read_only(out), 300, BLOCK=128)
    out[:] = 0
    add_kernel[(3,)](y, x, out, 300, BLOCK=128)  # same specialization, launches again
    np.testing.assert_array_equal(out, x + y)


@needs_ext
def test_store_through_a_noinline_function() -> None:
    x = _rng().standard_normal(32).astype(np.float32)
    out = np.zeros(32, np.float32)
    with pytest.raises(TypeError, match=READ_ONLY.format("out_ptr")):
        noinline_store_kernel[(1,)](x, _read_only(out), BLOCK=32)
    k = noinline_store_kernel[(1,)](_read_only(x), out, BLOCK=32)
    np.testing.assert_array_equal(out, 2 * x)
    assert k.stored_args == ("out_ptr",)


@needs_ext
def test_pointers_swapped_in_a_loop_or_selected_are_both_stored_to() -> None:
    a = np.zeros(16, np.float32)
    b = np.zeros(16, np.float32)
    for ro_first in (True, False):
        args = (_read_only(a), b) if ro_first else (a, _read_only(b))
        name = "a_ptr" if ro_first else "b_ptr"
        with pytest.raises(TypeError, match=READ_ONLY.format(name)):
            ping_pong_kernel[(1,)](*args, 3, BLOCK=16)
    k = ping_pong_kernel[(1,)](a, b, 3, BLOCK=16)
    np.testing.assert_array_equal(b, np.full(16, 3.0, np.float32))
    assert k.stored_args == ("a_ptr", "b_ptr")

    x = _rng().standard_normal(16).astype(np.float32)
    with pytest.raises(TypeError, match=READ_ONLY.format("b_ptr")):
        select_store_kernel[(1,)](x, a, _read_only(b), 1, BLOCK=16)
    k = select_store_kernel[(1,)](_read_only(x), a, b, 1, BLOCK=16)
    np.testing.assert_array_equal(a, x)
    assert k.stored_args == ("a_ptr", "b_ptr")


# ------------------------------------------------------------ the analysis
def _stored(kernel, *signature, **constexprs) -> tuple[str, ...]:
    ir = kernel.ir(*signature, **constexprs)
    names = [n for n, is_const in zip(kernel.arg_names, kernel._is_constexpr) if not is_const]
    return tuple(names[i] for i in stored_arguments(ir))


def test_stored_arguments_of_typical_kernels() -> None:
    assert _stored(add_kernel, "*fp32", "*fp32", "*fp32", "i32", BLOCK=64) == ("out_ptr",)
    assert _stored(atomic_sum_kernel, "*fp32", "*fp32", "i32", BLOCK=64) == ("total_ptr",)
    assert _stored(noinline_store_kernel, "*fp32", "*fp32", BLOCK=16) == ("out_ptr",)
    assert _stored(ping_pong_kernel, "*fp32", "*fp32", "i32", BLOCK=16) == ("a_ptr", "b_ptr")


def _module(params: str, body: str) -> str:
    lines = "\n".join("    " + ln for ln in body.strip().splitlines())
    return (
        "module {\n"
        f"  func.func @k({params}) attributes {{tile.kernel}} {{\n{lines}\n"
        '    return loc("k.py":1:1)\n  } loc("k.py":1:1)\n}\n'
    )


PTRS = "%arg0: !tile.ptr<!tile.ptr<f32>>, %arg1: !tile.ptr<f32>, %arg2: !tile.ptr<f32>, %arg3: i32"


def test_a_pointer_loaded_from_memory_may_be_any_argument() -> None:
    ir = _module(PTRS, """
%0 = tile.load %arg0 : !tile.ptr<!tile.ptr<f32>> loc("k.py":2:1)
%1 = tile.load %arg1 : !tile.ptr<f32> loc("k.py":3:1)
tile.store %0, %1 : !tile.ptr<f32> loc("k.py":4:1)
""")
    assert stored_arguments(ir) == (0, 1, 2)
    ir = _module(PTRS, """
%0 = tile.load %arg0 : !tile.ptr<!tile.ptr<f32>> loc("k.py":2:1)
%1 = tile.load %0 : !tile.ptr<f32> loc("k.py":3:1)
tile.store %arg2, %1 : !tile.ptr<f32> loc("k.py":4:1)
""")
    assert stored_arguments(ir) == (2,)


def test_opaque_ops_write_through_their_pointer_operands() -> None:
    ir = _module(PTRS, """
%0 = tile.inline_asm "st.global.f32 [$0], 1.0;", "l"(%arg2) {pack = 1 : i32} : (!tile.ptr<f32>) -> (i32) loc("k.py":2:1)
%1 = tile.some_future_op %arg1 : !tile.ptr<f32> loc("k.py":3:1)
""")
    assert stored_arguments(ir) == (1, 2)


def test_calls_bind_parameters_and_results() -> None:
    ir = (
        "module {\n"
        "  func.func @k(%arg0: !tile.ptr<f32>, %arg1: !tile.ptr<f32>, %arg2: !tile.ptr<f32>)"
        " attributes {tile.kernel} {\n"
        "    %0 = func.call @id__0(%arg0) : (!tile.ptr<f32>) -> (!tile.ptr<f32>)\n"
        "    %1 = tile.load %0 : !tile.ptr<f32>\n"
        "    func.call @put__1(%arg2, %1) : (!tile.ptr<f32>, f32) -> ()\n"
        "    return\n  }\n"
        "  func.func private @id__0(%arg0: !tile.ptr<f32>) -> (!tile.ptr<f32>)"
        " attributes {tile.noinline} {\n    return %arg0 : !tile.ptr<f32>\n  }\n"
        "  func.func private @put__1(%arg0: !tile.ptr<f32>, %arg1: f32)"
        " attributes {tile.noinline} {\n    tile.store %arg0, %arg1 : !tile.ptr<f32>\n"
        "    return\n  }\n"
        "}\n"
    )
    assert stored_arguments(ir) == (2,)


def test_unreadable_ir_means_every_pointer_argument() -> None:
    ir = _module(PTRS, """
%0 = tile.load %arg1 : !tile.ptr<f32> loc("k.py":2:1)
%1 = "tile.generic_form"(%0) : (f32) -> f32 loc("k.py":3:1)
""")
    assert stored_arguments(ir) == (0, 1, 2)
