"""IR generation: runs without the compiled extension (checks the IR text).

When an upstream ``mlir-opt`` is around (PATH, $MLIR_OPT or
/usr/lib/llvm-*/bin), every kernel's IR is also parsed and verified by it
(see mlir_check.py).
"""

from __future__ import annotations

import re

import mlir_check
import numpy as np
import pytest

import tessel
import tessel.language as tl
from tessel.compiler import make_ir

MLIR_OPT = mlir_check.find_mlir_opt()
KERNEL_FILE = __file__


def verified(ir: str) -> str:
    if MLIR_OPT:
        mlir_check.check(ir, MLIR_OPT)
    return ir


def ops(ir: str) -> list[str]:
    """Op names in order, e.g. ['tile.program_id', 'arith.constant', ...]."""
    return re.findall(r"(?:= |^\s+)((?:tile|arith|math|scf)\.[a-z_0-9]+)", ir, re.M)


# ---------------------------------------------------------------------------
# kernels
# ---------------------------------------------------------------------------
@tessel.jit
def add_kernel(x_ptr, y_ptr, out_ptr, n_elements, BLOCK: tl.constexpr):
    pid = tl.program_id(axis=0)
    offsets = pid * BLOCK + tl.arange(0, BLOCK)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    y = tl.load(y_ptr + offsets, mask=mask, other=0.0)
    tl.store(out_ptr + offsets, x + y, mask=mask)


@tessel.jit
def copy_2d(x_ptr, out_ptr, M, N, stride_m, BM: tl.constexpr, BN: tl.constexpr):
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rn = tl.program_id(1) * BN + tl.arange(0, BN)
    mask = (rm[:, None] < M) & (rn[None, :] < N)
    offs = rm[:, None] * stride_m + rn[None, :]
    tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=mask), mask=mask)


@tessel.jit
def binop(x_ptr, y_ptr, out_ptr, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    y = tl.load(y_ptr + offs)
    if OP == "add":
        r = x + y
    elif OP == "lt":
        r = x < y
    elif OP == "div":
        r = x / y
    elif OP == "floordiv":
        r = x // y
    elif OP == "mod":
        r = x % y
    elif OP == "shr":
        r = x >> y
    elif OP == "max":
        r = tl.maximum(x, y)
    else:
        r = tl.where(x > y, x, y)
    tl.store(out_ptr + offs, r)


def binop_ir(op: str, x: str, y: str, out: str = "fp32") -> str:
    return verified(
        make_ir(
            binop,
            {"x_ptr": f"*{x}", "y_ptr": f"*{y}", "out_ptr": f"*{out}"},
            {"OP": op, "BLOCK": 64},
        )
    )


@tessel.jit
def scalar_ops(x_ptr, out_ptr, OP: tl.constexpr):
    offs = tl.arange(0, 16)
    x = tl.load(x_ptr + offs)
    if OP == "mul_float":
        r = x * 1.5
    elif OP == "add_int":
        r = x + 1
    elif OP == "rsub":
        r = 3 - x
    elif OP == "neg":
        r = -x
    elif OP == "invert":
        r = ~x
    else:
        r = x
    tl.store(out_ptr + offs, r)


def scalar_ir(op: str, x: str, out: str) -> str:
    return verified(make_ir(scalar_ops, [f"*{x}", f"*{out}"], {"OP": op}))


@tessel.jit
def cast_kernel(x_ptr, out_ptr, DTYPE: tl.constexpr, BITCAST: tl.constexpr):
    offs = tl.arange(0, 32)
    tl.store(out_ptr + offs, tl.load(x_ptr + offs).to(DTYPE, bitcast=BITCAST))


@tessel.jit
def _helper(x, scale: tl.constexpr):
    return tl.sigmoid(x) * scale


@tessel.jit
def fused(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    if pid * BLOCK >= n:
        return
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m, other=1.0)
    y = tl.exp(x) + tl.log(tl.abs(x) + 1) + tl.sqrt(tl.abs(x)) + tl.rsqrt(x * x + 1.0)
    y = tl.where(x > 0, y, _helper(x, 2.0))
    y = tl.fma(x, y, 1.0) + tl.minimum(x, 0.5) + tl.math.exp2(x).to(tl.float16)
    tl.store(out_ptr + offs, y, mask=m)


@tessel.jit
def loops(x_ptr, out_ptr, n, K: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    count = 0
    for k in range(0, n):
        acc += tl.load(x_ptr + k * BLOCK + offs)
        count += 1
    for j in tl.static_range(K):
        acc = acc * (j + 1)
    i = 0
    while i < n:
        acc = acc - 1.0
        i += 2
    total = 0.0
    for k in range(4):
        total = total + k
    tl.store(out_ptr + offs, acc / count + total)


SCALE: tl.constexpr = 3
OFFSET = tl.constexpr(1.5)


@tessel.jit
def uses_globals(out_ptr):
    offs = tl.arange(0, 8)
    tl.store(out_ptr + offs, offs * SCALE + OFFSET)


# ---------------------------------------------------------------------------
# structure
# ---------------------------------------------------------------------------
def test_vector_add_ir() -> None:
    ir = verified(add_kernel.ir("*fp32:16", "*fp32:16", "*fp32:16", "i32:16", BLOCK=1024))
    assert ir.startswith("module {")
    assert (
        "func.func @add_kernel(%arg0: !tile.ptr<f32> {tile.divisibility = 16 : i32}, "
        "%arg1: !tile.ptr<f32> {tile.divisibility = 16 : i32}"
    ) in ir
    assert "%arg3: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel}" in ir
    assert "tile.program_id x : i32" in ir
    assert "arith.constant 1024 : i32" in ir
    assert "tile.make_range 0 to 1024 : tensor<1024xi32>" in ir
    assert re.search(r"arith.cmpi slt, %\d+, %\d+ : tensor<1024xi32>", ir)
    assert re.search(r"tile.addptr %\d+, %\d+ : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>", ir)
    assert re.search(r"tile.load %\d+, %\d+ : tensor<1024x!tile.ptr<f32>>", ir)
    assert "arith.constant dense<0.0> : tensor<1024xf32>" in ir
    assert re.search(r"tile.load %\d+, %\d+, %\d+ : tensor<1024x!tile.ptr<f32>>", ir)
    assert re.search(r"arith.addf %\d+, %\d+ : tensor<1024xf32>", ir)
    assert re.search(r"tile.store %\d+, %\d+, %\d+ : tensor<1024x!tile.ptr<f32>>", ir)
    assert "    return" in ir


def test_every_op_has_a_kernel_location() -> None:
    ir = add_kernel.ir("*fp32", "*fp32", "*fp32", "i32", BLOCK=256)
    body = [ln for ln in ir.splitlines() if "= " in ln or "tile.store" in ln]
    assert body
    for line in body:
        m = re.search(r'loc\("([^"]+)":(\d+):(\d+)\)$', line)
        assert m, line
        assert m.group(1) == KERNEL_FILE
    line_of_store = next(ln for ln in ir.splitlines() if "tile.store" in ln)
    lineno = int(re.search(r":(\d+):\d+\)$", line_of_store).group(1))
    with open(KERNEL_FILE) as f:
        assert "tl.store(out_ptr + offsets" in f.readlines()[lineno - 1]


def test_specialization_from_arguments() -> None:
    x = np.zeros(64, np.float16)
    ir = add_kernel.ir(x, x, np.zeros(64, np.float16), 1000, BLOCK=64)
    assert "%arg0: !tile.ptr<f16>" in ir and "%arg3: i32)" in ir  # 1000 % 16 != 0
    ir = add_kernel.ir(x, x, x, 2**40, BLOCK=64)
    assert "%arg3: i64 {tile.divisibility = 16 : i32}" in ir
    ir = verified(add_kernel.ir(x[1:], x, x, 64, BLOCK=64))  # misaligned: no divisibility
    assert "%arg0: !tile.ptr<f16>," in ir


def test_scalar_argument_types() -> None:
    @tessel.jit
    def k(out_ptr, a, b, c):
        tl.store(out_ptr, a + b + c)

    ir = verified(k.ir(np.zeros(4, np.float64), 3, 2.5, True))
    assert "%arg1: i32, %arg2: f32, %arg3: i1)" in ir
    assert "arith.sitofp" in ir and "arith.uitofp" in ir and "arith.extf" in ir


def test_2d_kernel() -> None:
    ir = verified(copy_2d.ir("*fp32", "*fp32", "i32", "i32", "i32", BM=32, BN=64))
    assert "tile.program_id y : i32" in ir
    assert (
        "tile.expand_dims" in ir and "{axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>" in ir
    )
    assert "{axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>" in ir
    assert "tile.broadcast" in ir and "tensor<32x1xi1> -> tensor<32x64xi1>" in ir
    assert "arith.andi" in ir and "tensor<32x64x!tile.ptr<f32>>" in ir


def test_make_ir_and_jit_ir_agree() -> None:
    a = make_ir(add_kernel, ["*fp32", "*fp32", "*fp32", "i32"], {"BLOCK": 128})
    b = add_kernel.ir("*fp32", "*fp32", "*fp32", "i32", BLOCK=128)
    assert a == b
    c = make_ir(
        add_kernel,
        {"x_ptr": "*f32", "y_ptr": "*float32", "out_ptr": "*fp32", "n_elements": "int32"},
        {"BLOCK": 128},
        divisible=["n_elements"],
    )
    assert "%arg3: i32 {tile.divisibility = 16 : i32}" in c


# ---------------------------------------------------------------------------
# promotion
# ---------------------------------------------------------------------------
def test_int_plus_float_promotes_with_sitofp() -> None:
    ir = binop_ir("add", "int32", "fp32")
    assert "arith.sitofp" in ir and "tensor<64xi32> to tensor<64xf32>" in ir
    assert re.search(r"arith.addf %\d+, %\d+ : tensor<64xf32>", ir)


def test_unsigned_compare_uses_ult() -> None:
    ir = binop_ir("lt", "uint32", "uint32", "int1")
    assert "arith.cmpi ult" in ir
    assert "arith.cmpi slt" in binop_ir("lt", "int32", "int32", "int1")
    assert "arith.cmpf olt" in binop_ir("lt", "fp32", "fp32", "int1")
    # bool stores go through bytes
    assert "!tile.ptr<i8>" in binop_ir("lt", "uint32", "uint32", "int1")
    assert "arith.extui" in binop_ir("lt", "uint32", "uint32", "int1")


def test_fp16_plus_bf16_is_fp32() -> None:
    ir = binop_ir("add", "fp16", "bf16")
    assert "tensor<64xf16> to tensor<64xf32>" in ir and "tensor<64xbf16> to tensor<64xf32>" in ir
    assert re.search(r"arith.addf %\d+, %\d+ : tensor<64xf32>", ir)
    ir = binop_ir("add", "fp16", "fp16", "fp16")
    assert re.search(r"arith.addf %\d+, %\d+ : tensor<64xf16>", ir) and "extf" not in ir


@pytest.mark.parametrize(
    "x,y,expect",
    [
        ("int8", "int32", ["arith.extsi", "arith.addi"]),
        ("uint8", "int32", ["arith.extui", "arith.addi"]),
        ("uint32", "int64", ["arith.extui", "arith.addi", "tensor<64xi64>"]),
        ("int32", "uint32", ["arith.addi", "tensor<64xi32>"]),
        ("fp32", "fp64", ["arith.extf", "arith.addf", "tensor<64xf64>"]),
        ("int1", "int1", ["arith.addi", "tensor<64xi1>"]),
    ],
)
def test_add_promotion(x: str, y: str, expect: list[str]) -> None:
    ir = binop_ir("add", x, y, "fp64")
    for e in expect:
        assert e in ir, (e, ir)


def test_division_and_modulo() -> None:
    ir = binop_ir("div", "int32", "int32")
    assert ir.count("arith.sitofp") == 2 and "arith.divf" in ir
    assert "arith.divsi" in binop_ir("floordiv", "int32", "int32", "int32")
    assert "arith.divui" in binop_ir("floordiv", "uint16", "uint16", "uint16")
    assert "arith.remsi" in binop_ir("mod", "int64", "int64", "int64")
    assert "arith.remui" in binop_ir("mod", "uint8", "uint8", "uint8")
    assert "arith.remf" in binop_ir("mod", "fp32", "fp32", "fp32")
    assert "arith.shrui" in binop_ir("shr", "uint32", "uint32", "uint32")
    assert "arith.shrsi" in binop_ir("shr", "int32", "int32", "int32")
    # fp16 division is done in fp32
    # (approximately, as Triton's div.full: `/` on fp32 carries fastmath<afn>)
    assert re.search(r"arith.divf %\d+, %\d+ fastmath<afn> : tensor<64xf32>",
                     binop_ir("div", "fp16", "fp16"))


def test_min_max_where() -> None:
    assert "arith.maxnumf" in binop_ir("max", "fp32", "fp32")
    assert "arith.maxsi" in binop_ir("max", "int32", "int32", "int32")
    assert "arith.maxui" in binop_ir("max", "uint32", "uint32", "uint32")
    ir = binop_ir("where", "fp16", "fp32")
    assert re.search(r"arith.select %\d+, %\d+, %\d+ : tensor<64xi1>, tensor<64xf32>", ir)


def test_weak_scalars_do_not_widen() -> None:
    ir = scalar_ir("mul_float", "fp16", "fp16")
    assert "arith.constant dense<1.5> : tensor<16xf16>" in ir and "extf" not in ir
    ir = scalar_ir("add_int", "int8", "int8")
    assert "arith.constant dense<1> : tensor<16xi8>" in ir and "ext" not in ir
    ir = scalar_ir("add_int", "uint8", "uint8")
    assert "dense<1> : tensor<16xi8>" in ir
    ir = scalar_ir("mul_float", "int32", "fp32")  # float beats int
    assert "arith.sitofp" in ir and "dense<1.5> : tensor<16xf32>" in ir
    ir = scalar_ir("rsub", "fp64", "fp64")
    assert re.search(r"arith.subf %\d+, %\d+ : tensor<16xf64>", ir)
    assert "arith.negf" in scalar_ir("neg", "fp32", "fp32")
    assert "arith.xori" in scalar_ir("invert", "int16", "int16")
    assert "dense<-1> : tensor<16xi16>" in scalar_ir("invert", "int16", "int16")


def test_store_converts_to_pointee_type() -> None:
    ir = scalar_ir("none", "fp32", "fp16")
    assert "arith.truncf" in ir and "tensor<16xf32> to tensor<16xf16>" in ir


@pytest.mark.parametrize(
    "src,dst,op",
    [
        ("fp32", "int8", "arith.fptosi"),
        ("fp32", "uint8", "arith.fptoui"),
        ("fp32", "fp16", "arith.truncf"),
        ("bf16", "fp64", "arith.extf"),
        ("int8", "int64", "arith.extsi"),
        ("uint8", "int32", "arith.extui"),
        ("int64", "int16", "arith.trunci"),
        ("uint32", "fp32", "arith.uitofp"),
        ("fp32", "int1", "arith.cmpf une"),
        ("int32", "int1", "arith.cmpi ne"),
    ],
)
def test_casts(src: str, dst: str, op: str) -> None:
    ir = verified(
        make_ir(
            cast_kernel,
            [f"*{src}", f"*{dst}"],
            {"DTYPE": tl.core.DTYPE_BY_NAME[dst], "BITCAST": False},
        )
    )
    assert op in ir


def test_bitcast() -> None:
    ir = verified(make_ir(cast_kernel, ["*fp32", "*int32"], {"DTYPE": tl.int32, "BITCAST": True}))
    assert "arith.bitcast" in ir and "tensor<32xf32> to tensor<32xi32>" in ir


def test_negative_constant_with_unsigned_is_an_error() -> None:
    @tessel.jit
    def k(x_ptr):
        tl.store(x_ptr, tl.load(x_ptr) + (-1))

    with pytest.raises(tessel.CompilationError, match="unsigned"):
        k.ir("*uint32")


# ---------------------------------------------------------------------------
# control flow, calls, globals
# ---------------------------------------------------------------------------
def test_fused_kernel_with_early_return_and_inlining() -> None:
    ir = verified(fused.ir("*fp32", "*fp32", "i32", BLOCK=128))
    names = ops(ir)
    assert "scf.if" in names
    for op in (
        "math.exp",
        "math.log",
        "math.sqrt",
        "math.rsqrt",
        "math.absf",
        "math.fma",
        "math.exp2",
        "arith.select",
        "arith.minnumf",
        "arith.divf",
    ):
        assert op in names, op
    # the store runs in the else branch of the early return
    assert ir.index("} else {") < ir.index("tile.store")


def test_loops() -> None:
    ir = verified(loops.ir("*fp32", "*fp32", "i32", K=3, BLOCK=32))
    assert re.search(r"%\d+:2 = scf.for %iv\d+ = %\d+ to %arg2 step %\d+ iter_args\(", ir)
    assert "-> (tensor<32xf32>, i32) : i32 {" in ir
    assert "scf.while" in ir and "scf.condition(" in ir and "} do {" in ir
    assert ir.count("scf.for") == 2  # static_range is unrolled


def test_constexpr_if_is_static() -> None:
    ir = make_ir(binop, ["*fp32", "*fp32", "*fp32"], {"OP": "add", "BLOCK": 16})
    assert "scf.if" not in ir and "arith.cmpf" not in ir


def test_globals() -> None:
    ir = verified(uses_globals.ir("*fp32"))
    assert "dense<3> : tensor<8xi32>" in ir and "dense<1.5> : tensor<8xf32>" in ir


def test_none_argument_is_constexpr() -> None:
    @tessel.jit
    def k(x_ptr, bias_ptr, n):
        offs = tl.arange(0, 16)
        x = tl.load(x_ptr + offs)
        if bias_ptr is not None:
            x += tl.load(bias_ptr + offs)
        tl.store(x_ptr + offs, x)

    ir = verified(k.ir("*fp32", None, 3))
    assert ir.count("tile.load") == 1 and "%arg1: i32)" in ir
    assert verified(k.ir("*fp32", "*fp32", 3)).count("tile.load") == 2


def test_literals() -> None:
    @tessel.jit
    def k(out_ptr, DT: tl.constexpr, V: tl.constexpr):
        tl.store(out_ptr + tl.arange(0, 4), tl.full([4], V, DT))

    assert "dense<0x7C00> : tensor<4xf16>" in verified(k.ir("*fp16", DT=tl.float16, V=float("inf")))
    assert "dense<0xFF800000>" in verified(k.ir("*fp32", DT=tl.float32, V=float("-inf")))
    assert "dense<1.0e-08>" in verified(k.ir("*fp64", DT=tl.float64, V=1e-8))
    assert "dense<-1> : tensor<4xi32>" in verified(k.ir("*uint32", DT=tl.uint32, V=2**32 - 1))
    assert "dense<true> : tensor<4xi1>" in verified(k.ir("*int1", DT=tl.int1, V=True))
    assert "dense<1.0> : tensor<4xbf16>" in verified(k.ir("*bf16", DT=tl.bfloat16, V=1))


# ---------------------------------------------------------------------------
# launch argument errors (raised before anything is compiled)
# ---------------------------------------------------------------------------
def test_wrong_argument_count_is_a_type_error() -> None:
    x = np.zeros(8, np.float32)
    with pytest.raises(TypeError, match="n_elements"):
        add_kernel[(1,)](x, x, x, BLOCK=8)
    with pytest.raises(TypeError, match="takes 5 arguments"):
        add_kernel[(1,)](x, x, x, 8, 8, 8, BLOCK=8)
    with pytest.raises(TypeError, match="unexpected keyword"):
        add_kernel[(1,)](x, x, x, 8, BLOCK=8, BLOCKK=3)


def test_unsupported_argument_type_names_the_parameter() -> None:
    x = np.zeros(8, np.float32)
    with pytest.raises(TypeError, match="'y_ptr'"):
        add_kernel[(1,)](x, "nope", x, 8, BLOCK=8)
    with pytest.raises(TypeError, match="'y_ptr'"):
        add_kernel[(1,)](x, np.zeros(8, np.complex64), x, 8, BLOCK=8)


def test_direct_call_is_an_error() -> None:
    with pytest.raises(RuntimeError, match=r"add_kernel\[grid\]"):
        add_kernel(1, 2, 3, 4, BLOCK=4)


def test_host_helpers() -> None:
    assert tessel.cdiv(1000, 256) == 4 and tessel.cdiv(1024, 256) == 4
    assert [tessel.next_power_of_2(n) for n in (0, 1, 2, 3, 1000, 1024)] == [1, 1, 2, 4, 1024, 1024]
    assert isinstance(tessel.__version__, str)
    assert issubclass(tessel.CompilationError, Exception)


# ---------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------
@tessel.jit
def reduce_kernel(
    x_ptr,
    out_ptr,
    OP: tl.constexpr,
    AXIS: tl.constexpr,
    KEEP: tl.constexpr,
    BM: tl.constexpr,
    BN: tl.constexpr,
):
    rm = tl.arange(0, BM)
    rn = tl.arange(0, BN)
    x = tl.load(x_ptr + rm[:, None] * BN + rn[None, :])
    if OP == "sum":
        r = tl.sum(x, axis=AXIS, keep_dims=KEEP)
    elif OP == "max":
        r = tl.max(x, axis=AXIS, keep_dims=KEEP)
    elif OP == "argmax":
        r = tl.argmax(x, axis=AXIS, keep_dims=KEEP)
    else:
        r = tl.reduce(x, AXIS, _absmax, keep_dims=KEEP)
    tl.store(out_ptr + tl.zeros(r.shape, tl.int32), r)


@tessel.jit
def _absmax(a, b):
    return tl.maximum(tl.abs(a), tl.abs(b))


def reduce_ir(op: str, x: str, out: str, axis: int | None = 1, keep: bool = False) -> str:
    return verified(
        make_ir(
            reduce_kernel,
            [f"*{x}", f"*{out}"],
            {"OP": op, "AXIS": axis, "KEEP": keep, "BM": 32, "BN": 64},
        )
    )


def test_sum_ir() -> None:
    ir = reduce_ir("sum", "fp32", "fp32")
    m = re.search(
        r"(%\d+) = tile.reduce\((%\d+)\) axis = 1 : \(tensor<32x64xf32>\) -> tensor<32xf32> \{\n"
        r"\s+\^bb0\((%acc\d+): f32, (%elem\d+): f32\):\n"
        r"\s+(%\d+) = arith.addf \3, \4 : f32 loc\(.*\)\n"
        r"\s+tile.reduce.return \5 : f32 loc\(.*\)\n"
        r"\s+\} loc\(\"[^\"]+\":(\d+):\d+\)",
        ir,
    )
    assert m, ir
    with open(KERNEL_FILE) as f:
        assert "tl.sum(x, axis=AXIS" in f.readlines()[int(m.group(6)) - 1]


def test_argmax_ir() -> None:
    ir = reduce_ir("argmax", "fp32", "int32", axis=0)
    assert re.search(
        r"(%\d+):2 = tile.reduce\(%\d+, %\d+\) axis = 0 : \(tensor<32x64xf32>, tensor<32x64xi32>\) "
        r"-> \(tensor<64xf32>, tensor<64xi32>\) \{\n\s+\^bb0\(%acc\d+: f32, %acc\d+: i32, "
        r"%elem\d+: f32, %elem\d+: i32\):",
        ir,
    ), ir
    assert "tile.reduce.return" in ir and ": f32, i32 loc(" in ir
    assert re.search(r"tile.store %\d+, %\d+#1 : tensor<64x!tile.ptr<i32>>", ir)
    for op in ("arith.cmpf ogt", "arith.cmpf uno", "arith.cmpi slt", "arith.select"):
        assert op in ir, op
    # the index operand: arange along axis 0, broadcast over the other axis
    assert "tile.make_range 0 to 32 : tensor<32xi32>" in ir
    assert "tensor<32x1xi32> -> tensor<32x64xi32>" in ir


def test_reduce_promotions_ir() -> None:
    ir = reduce_ir("sum", "int8", "int32")
    assert "arith.extsi" in ir and "tensor<32x64xi8> to tensor<32x64xi32>" in ir
    assert "arith.addi" in ir and "-> tensor<32xi32>" in ir
    ir = reduce_ir("sum", "uint8", "int32")
    assert "arith.extui" in ir
    ir = reduce_ir("sum", "fp16", "fp16")  # fp32 accumulation, rounded back
    assert "tensor<32x64xf16> to tensor<32x64xf32>" in ir
    assert re.search(r"arith.truncf %\d+ : tensor<32xf32> to tensor<32xf16>", ir)
    ir = reduce_ir("max", "fp16", "fp32")  # Triton: max of < 32 bits returns fp32
    assert "arith.maxnumf" in ir and "-> tensor<32xf32>" in ir and "truncf" not in ir
    assert "arith.maxui" not in reduce_ir("max", "uint8", "int32")  # as int32
    assert "arith.maxui" in reduce_ir("max", "uint32", "uint32")
    assert "arith.maxsi" in reduce_ir("max", "int64", "int64")


def test_reduce_all_axes_and_keep_dims_ir() -> None:
    ir = reduce_ir("sum", "fp32", "fp32", axis=None)
    assert "axis = 1 : (tensor<32x64xf32>) -> tensor<32xf32>" in ir
    assert "axis = 0 : (tensor<32xf32>) -> f32" in ir
    assert re.search(r"tile.store %\d+, %\d+ : !tile.ptr<f32>", ir)  # a scalar
    ir = reduce_ir("sum", "fp32", "fp32", axis=None, keep=True)
    assert "tile.splat" in ir and "tensor<1xf32> -> tensor<1x1xf32>" in ir
    ir = reduce_ir("max", "fp32", "fp32", axis=-2, keep=True)
    assert "axis = 0 : (tensor<32x64xf32>) -> tensor<64xf32>" in ir
    assert "{axis = 0 : i32} : tensor<64xf32> -> tensor<1x64xf32>" in ir
    ir = reduce_ir("argmax", "fp32", "int32", axis=None)  # flat row-major index
    assert "arith.muli" in ir and ir.count("tile.reduce(") == 2


def test_reduce_with_combine_fn_ir() -> None:
    ir = reduce_ir("absmax", "fp32", "fp32")
    region = ir[ir.index("tile.reduce(") : ir.index("tile.reduce.return")]
    assert region.count("math.absf") == 2 and "arith.maxnumf" in region
    # the combine function's ops carry its own source lines
    line = next(ln for ln in region.splitlines() if "math.absf" in ln)
    lineno = int(re.search(r":(\d+):\d+\)$", line).group(1))
    with open(KERNEL_FILE) as f:
        assert "tl.maximum(tl.abs(a), tl.abs(b))" in f.readlines()[lineno - 1]


def test_reduce_tuple_and_methods_ir() -> None:
    @tessel.jit
    def pair(a, ia, b, ib):
        return tl.minimum(a, b), ia + ib

    @tessel.jit
    def k(x_ptr, out_ptr):
        offs = tl.arange(0, 16)
        x = tl.load(x_ptr + offs)
        m, s = tl.reduce((x, offs), 0, pair)
        tl.store(out_ptr, m + s + x.sum(0) + x.max(axis=0) + x.argmin(0) + x.xor_sum() * 0)

    ir = verified(k.ir("*int32", "*int32"))
    assert re.search(
        r"%\d+:2 = tile.reduce\(%\d+, %\d+\) axis = 0 : \(tensor<16xi32>, "
        r"tensor<16xi32>\) -> \(i32, i32\)",
        ir,
    )
    assert "arith.minsi" in ir and "arith.xori" in ir and ir.count("tile.reduce(") == 5


def test_fast_division_and_exp_are_marked() -> None:
    """`/` and tl.exp on fp32 may be approximate (Triton's div.full and
    ex2.approx); tl.div_rn stays IEEE."""
    import tessel
    import tessel.language as tl

    @tessel.jit
    def k(x_ptr, y_ptr, out_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        x = tl.load(x_ptr + offs)
        y = tl.load(y_ptr + offs)
        tl.store(out_ptr + offs, tl.exp(x / y) + tl.div_rn(x, y))

    ir = k.ir("*fp32", "*fp32", "*fp32", BLOCK=64)
    assert re.search(r"arith.divf %\w+, %\w+ fastmath<afn> : tensor<64xf32>", ir)
    assert re.search(r"arith.divf %\w+, %\w+ : tensor<64xf32>", ir)
    assert re.search(r"math.exp %\w+ fastmath<afn> : tensor<64xf32>", ir)
