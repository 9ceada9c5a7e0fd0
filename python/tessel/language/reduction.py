"""Reductions: ``tl.sum``, ``tl.max``/``tl.min`` (with indices),
``tl.argmax``/``tl.argmin``, ``tl.xor_sum`` and ``tl.reduce`` with a
``@tessel.jit`` combine function.  All of them emit ``tile.reduce``::

    %r = tile.reduce(%x) axis = 1 : (tensor<32x64xf32>) -> tensor<32xf32> {
      ^bb0(%acc0: f32, %elem1: f32):
        %2 = arith.addf %acc0, %elem1 : f32
        tile.reduce.return %2 : f32
    }

The combine region takes the accumulators, then the new elements (one of
each per operand) as scalars and holds only scalar ``arith``/``math`` ops
and, as Triton allows, ``tile.assert`` (a ``tl.device_assert``).
``axis=None`` reduces the last axis repeatedly down to a scalar.

Types follow Triton: ``sum`` of integers narrower than 32 bits accumulates
in ``int32``/``uint32`` (same signedness), ``max``/``min`` of types narrower
than 32 bits return ``float32``/``int32``, bfloat16 becomes ``float32``
before ``max``/``min``.  One difference: ``sum`` of ``float16``/``bfloat16``
accumulates in ``float32`` and rounds the result back (Triton adds in the
16-bit type).
"""

from __future__ import annotations

import builtins as _py
import re
from typing import Any, Callable, Sequence

from . import semantic, tileops
from .core import (
    _unwrap,
    block_type,
    builtin,
    current_builder,
    dtype,
    float32,
    int1,
    int32,
    tensor,
    uint32,
)

__all__ = ["sum", "max", "min", "argmax", "argmin", "xor_sum", "reduce", "histogram"]

Combine = Callable[[list[tensor]], Sequence[Any]]

#: ops a combine region may hold (scalar arith/math and the terminator)
_REGION_OP = re.compile(r"^\s*(?:%[\w#:, %]+ = )?([a-z_]+\.[a-z_.0-9]+)")
#: side effects a combine function may have, as in Triton: ``tl.device_assert``
#: (compiled in with debug; it checks each pair the combine sees)
_REGION_EFFECTS = frozenset({"tile.assert"})


# ---------------------------------------------------------------------------
# tile.reduce
# ---------------------------------------------------------------------------
def normalize_axis(axis: Any, rank: int) -> int | None:
    """``axis`` as an index in ``[0, rank)`` (negative counts from the end);
    None stays None."""
    axis = _unwrap(axis)
    if axis is None:
        return None
    if isinstance(axis, tensor):
        raise TypeError(
            f"the reduction axis must be a compile-time constant (tl.constexpr), "
            f"got a runtime {axis.dtype} value"
        )
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise TypeError(f"the reduction axis must be an integer or None, got {axis!r}")
    if rank == 0:
        raise ValueError(f"cannot reduce a scalar along axis {axis}")
    if not -rank <= axis < rank:
        raise ValueError(
            f"reduction axis {axis} is out of range for a tensor of rank {rank} "
            f"(expected {-rank} to {rank - 1}, or None)"
        )
    return axis % rank


def _check_region(lines: list[str]) -> None:
    for line in lines:
        m = _REGION_OP.match(line)
        if m is None:
            continue
        op = m.group(1)
        if op.startswith("scf."):
            raise NotImplementedError(
                "control flow on runtime values is not supported in a reduce combine "
                "function; use tl.where"
            )
        if not op.startswith(("arith.", "math.")) and op not in _REGION_EFFECTS:
            raise NotImplementedError(
                f"a reduce combine function can only compute on scalars ({op} is not allowed)"
            )
        if "tensor<" in line:
            raise NotImplementedError(
                "a reduce combine function can only compute on scalars, not on blocks"
            )


def _combine_results(results: Any, elems: list[dtype], b: Any) -> list[tensor]:
    results = _unwrap(results)
    n = len(elems)
    if isinstance(results, (tuple, list)):
        results = [_unwrap(r) for r in results]
    else:
        results = [results]
    if len(results) != n:
        raise TypeError(
            f"the combine function must return {n} value{'s' if n > 1 else ''} "
            f"(one per reduced tensor), got {len(results)}"
        )
    out = []
    for i, (r, ty) in enumerate(zip(results, elems)):
        if r is None:
            raise TypeError("the combine function returned None")
        if not isinstance(r, tensor):
            r = semantic.constant(b, r, ty)
        if r.type.is_block():
            raise TypeError(
                f"the combine function must return scalars, got a block of shape {list(r.shape)}"
            )
        if r.dtype != ty:
            raise TypeError(
                f"the combine function returned {r.dtype} for operand {i} of type {ty}; "
                "cast it with .to()"
            )
        out.append(r)
    return out


def emit_combiner_op(
    b: Any, op: str, inputs: list[tensor], attrs: str, out_types: list[Any],
    combine: Combine,
) -> list[tensor]:
    """Emits ``tile.reduce``/``tile.scan`` (``op``) of ``inputs`` with the
    combine region built from ``combine``; ``attrs`` follows the operands
    (``axis = 1`` ...)."""
    elems = [x.dtype for x in inputs]
    accs = [tensor(b.fresh("acc"), t) for t in elems]
    news = [tensor(b.fresh("elem"), t) for t in elems]
    with b.region() as lines:
        results = _combine_results(combine(accs + news), elems, b)
        _check_region(lines)
        b.emit(
            f"tile.reduce.return {', '.join(r.handle for r in results)} : "
            f"{', '.join(t.to_ir() for t in elems)}"
        )
    args = ", ".join(f"{a.handle}: {a.dtype.to_ir()}" for a in accs + news)
    name = b.fresh()
    n = len(inputs)
    binding, names = (
        (name, [name]) if n == 1 else (f"{name}:{n}", [f"{name}#{i}" for i in range(n)])
    )
    res_types = ", ".join(t.to_ir() for t in out_types)
    if n > 1:
        res_types = f"({res_types})"
    head = (
        f"{binding} = {op}({', '.join(x.handle for x in inputs)}) {attrs} : "
        f"({', '.join(x.type.to_ir() for x in inputs)}) -> {res_types}"
    )
    b.region_op(head, [[f"^bb0({args}):", *("  " + ln for ln in lines)]])
    return [tensor(h, t) for h, t in zip(names, out_types)]


def combiner_inputs(b: Any, inputs: Sequence[Any], verb: str) -> list[tensor]:
    """``inputs`` as tensors of one shape, none of pointers; ``verb`` names the
    operation in errors ("reduced", "scanned")."""
    xs = [semantic.to_tensor(b, x) for x in inputs]
    if not xs:
        raise ValueError(f"nothing to be {verb}: pass at least one tensor")
    for x in xs[1:]:
        if x.shape != xs[0].shape:
            raise ValueError(
                f"all tensors {verb} together must have the same shape, got "
                + ", ".join(str(list(x.shape)) for x in xs)
            )
    for x in xs:
        if x.dtype.is_ptr():
            raise TypeError(f"a tensor of pointers ({x.dtype}) cannot be {verb}")
    return xs


def reduce_axis(b: Any, inputs: list[tensor], axis: int, combine: Combine) -> list[tensor]:
    """One ``tile.reduce`` of ``inputs`` (blocks of one shape) along ``axis``."""
    shape = inputs[0].shape
    out_shape = shape[:axis] + shape[axis + 1 :]
    out_types = [block_type.make(x.dtype, out_shape) for x in inputs]
    return emit_combiner_op(b, "tile.reduce", inputs, f"axis = {axis}", out_types, combine)


def reduce_values(
    b: Any, inputs: Sequence[Any], axis: Any, combine: Combine, keep_dims: Any = False
) -> list[tensor]:
    """Reduces ``inputs`` together along ``axis`` (None: all axes)."""
    xs = combiner_inputs(b, inputs, "reduced")
    shape = xs[0].shape
    rank = len(shape)
    keep_dims = bool(_unwrap(keep_dims))
    ax = normalize_axis(axis, rank)
    if ax is None:
        for _ in _py.range(rank):
            xs = reduce_axis(b, xs, len(xs[0].shape) - 1, combine)
        if keep_dims:
            for _ in _py.range(rank):
                xs = [semantic.expand_dims(b, x, 0) for x in xs]
        return xs
    xs = reduce_axis(b, xs, ax, combine)
    if keep_dims:
        xs = [semantic.expand_dims(b, x, ax) for x in xs]
    return xs


def only_element(b: Any, x: tensor) -> tensor:
    """The scalar held by the one-element block ``x`` of shape ``(1,)``."""
    (value,) = reduce_axis(b, [x], 0, lambda args: [args[0]])
    return value


# ---------------------------------------------------------------------------
# combine functions of the builtin reductions
# ---------------------------------------------------------------------------
def _cmp(b: Any, kind: str, x: tensor, y: tensor) -> tensor:
    """Scalar comparison; booleans compare as unsigned (false < true)."""
    sca = x.dtype
    if sca.is_floating():
        op, pred = "arith.cmpf", {"gt": "ogt", "lt": "olt", "eq": "oeq", "uno": "uno"}[kind]
    else:
        unsigned = sca.is_int_unsigned() or sca.is_bool()
        preds = {"gt": "ugt" if unsigned else "sgt", "lt": "ult" if unsigned else "slt", "eq": "eq"}
        op, pred = "arith.cmpi", preds[kind]
    return semantic._emit(
        b,
        f"{op} {pred}, {x.handle}, {y.handle} : {x.type.to_ir()}",
        semantic._with_scalar(x.type, int1),
    )


def _bool_op(b: Any, op: str, x: tensor, y: tensor) -> tensor:
    return semantic._binary(b, f"arith.{op}", x, y)


def _select(b: Any, c: tensor, x: tensor, y: tensor) -> tensor:
    return semantic._emit(
        b, f"arith.select {c.handle}, {x.handle}, {y.handle} : {x.type.to_ir()}", x.type
    )


def _arg_combine(kind: str, tie_break_left: bool) -> Callable[[Any], Combine]:
    """(value, index) pairs: the larger (``kind='gt'``) or smaller value wins;
    NaN wins over numbers (as NumPy's argmax/argmin); on ties the smaller
    index wins when ``tie_break_left``."""

    def make(b: Any) -> Combine:
        def combine(args: list[tensor]) -> list[tensor]:
            a, ia, e, ie = args
            better = _cmp(b, kind, a, e)
            equal = _cmp(b, "eq", a, e) if tie_break_left else None
            if a.dtype.is_floating():
                a_nan, e_nan = _cmp(b, "uno", a, a), _cmp(b, "uno", e, e)
                true = semantic.constant(b, True, int1)
                e_num = _bool_op(b, "xori", e_nan, true)
                better = _bool_op(b, "ori", better, _bool_op(b, "andi", a_nan, e_num))
                if equal is not None:
                    equal = _bool_op(b, "ori", equal, _bool_op(b, "andi", a_nan, e_nan))
            take = better
            if equal is not None:
                first = _cmp(b, "lt", ia, ie)
                take = _bool_op(b, "ori", better, _bool_op(b, "andi", equal, first))
            return [_select(b, take, a, e), _select(b, take, ia, ie)]

        return combine

    return make


def _indices(b: Any, shape: tuple[int, ...], axis: int | None) -> tensor:
    """int32 positions along ``axis`` broadcast to ``shape``; for ``axis=None``
    the row-major flat index."""
    rank = len(shape)
    dims = [axis] if axis is not None else list(_py.range(rank))
    index: tensor | None = None
    stride = 1
    for d in reversed(dims):
        r = tileops.arange(b, 0, shape[d])
        for _ in _py.range(d):
            r = semantic.expand_dims(b, r, 0)
        for _ in _py.range(rank - d - 1):
            r = semantic.expand_dims(b, r, len(r.shape))
        if axis is None and stride != 1:
            r = semantic.mul(b, r, stride)
        stride *= shape[d]
        index = r if index is None else semantic.add(b, index, r)
    assert index is not None
    return semantic.broadcast_to(b, index, shape)


def _numeric(b: Any, name: str, input: Any) -> tensor:
    x = semantic.to_tensor(b, _unwrap(input))
    if x.dtype.is_ptr():
        raise TypeError(f"tl.{name} is not defined for pointers ({x.dtype})")
    return x


def minmax(
    b: Any,
    kind: str,
    input: Any,
    axis: Any,
    return_indices: Any,
    tie_break_left: Any,
    keep_dims: Any,
) -> Any:
    name = "max" if kind == "max" else "min"
    x = _numeric(b, name, input)
    if x.dtype.is_bf16():
        x = semantic.cast(b, x, float32)
    if _unwrap(return_indices):
        ax = normalize_axis(axis, len(x.shape))
        if not x.type.is_block():
            raise ValueError(f"tl.{name} with return_indices needs a block, got a scalar")
        index = _indices(b, x.shape, ax)
        kind_cmp = "gt" if kind == "max" else "lt"
        arg_combine = _arg_combine(kind_cmp, bool(_unwrap(tie_break_left)))(b)
        value, idx = reduce_values(b, [x, index], ax, arg_combine, keep_dims)
        return value, idx
    if x.dtype.primitive_bitwidth < 32:
        x = semantic.cast(b, x, float32 if x.dtype.is_floating() else int32)

    def combine(args: list[tensor]) -> list[tensor]:
        return [semantic.minmax(b, kind, args[0], args[1], propagate_nan=False)]

    return reduce_values(b, [x], axis, combine, keep_dims)[0]


def _sum_dtype(x: dtype, out: Any) -> dtype | None:
    out = _unwrap(out)
    if out is not None:
        if not isinstance(out, dtype):
            raise TypeError(f"sum's dtype must be a tl.dtype, got {out!r}")
        return out
    if x.is_int_signed() and x.int_bitwidth < 32:
        return int32
    if x.is_int_unsigned() and x.int_bitwidth < 32:
        return uint32
    return None


# ---------------------------------------------------------------------------
# builtins
# ---------------------------------------------------------------------------
@builtin
def sum(input: Any, axis: Any = None, keep_dims: Any = False, dtype: Any = None) -> tensor:
    """Sum along ``axis`` (None: all axes).  Integers narrower than 32 bits
    are summed as int32/uint32; ``dtype`` converts the input first.
    float16/bfloat16 accumulate in float32; the result keeps the 16-bit type."""
    b = current_builder()
    x = _numeric(b, "sum", input)
    out_ty = _sum_dtype(x.dtype, dtype)
    if out_ty is not None:
        x = semantic.cast(b, x, out_ty)
    result_ty = x.dtype
    if result_ty.is_floating() and result_ty.primitive_bitwidth < 32:
        x = semantic.cast(b, x, float32)

    def combine(args: list[tensor]) -> list[tensor]:
        return [semantic.add(b, args[0], args[1])]

    r = reduce_values(b, [x], axis, combine, keep_dims)[0]
    return semantic.cast(b, r, result_ty)


@builtin
def max(
    input: Any,
    axis: Any = None,
    return_indices: Any = False,
    return_indices_tie_break_left: Any = True,
    keep_dims: Any = False,
) -> Any:
    """Maximum along ``axis`` (None: all axes); NaNs are ignored (maxnumf)
    unless ``return_indices``, where NaN counts as the maximum.  Types
    narrower than 32 bits return float32/int32 (as in Triton)."""
    return minmax(
        current_builder(),
        "max",
        input,
        axis,
        return_indices,
        return_indices_tie_break_left,
        keep_dims,
    )


@builtin
def min(
    input: Any,
    axis: Any = None,
    return_indices: Any = False,
    return_indices_tie_break_left: Any = True,
    keep_dims: Any = False,
) -> Any:
    """Minimum along ``axis``; see ``tl.max``."""
    return minmax(
        current_builder(),
        "min",
        input,
        axis,
        return_indices,
        return_indices_tie_break_left,
        keep_dims,
    )


@builtin
def argmax(input: Any, axis: Any, tie_break_left: Any = True, keep_dims: Any = False) -> tensor:
    """int32 index of the maximum along ``axis`` (the first one on ties when
    ``tie_break_left``; NaN counts as the maximum).  ``axis=None`` gives the
    row-major flat index."""
    return minmax(current_builder(), "max", input, axis, True, tie_break_left, keep_dims)[1]


@builtin
def argmin(input: Any, axis: Any, tie_break_left: Any = True, keep_dims: Any = False) -> tensor:
    """int32 index of the minimum along ``axis``; see ``tl.argmax``."""
    return minmax(current_builder(), "min", input, axis, True, tie_break_left, keep_dims)[1]


@builtin
def xor_sum(input: Any, axis: Any = None, keep_dims: Any = False) -> tensor:
    """Bitwise xor of the elements along ``axis`` (integers only)."""
    b = current_builder()
    x = _numeric(b, "xor_sum", input)
    if not x.dtype.is_int():
        raise TypeError(f"xor_sum is only supported for integers, got {x.dtype}")

    def combine(args: list[tensor]) -> list[tensor]:
        return [semantic.bitwise(b, "xor", args[0], args[1])]

    return reduce_values(b, [x], axis, combine, keep_dims)[0]


@builtin
def reduce(input: Any, axis: Any, combine_fn: Any, keep_dims: Any = False) -> Any:
    """Reduces ``input`` (a tensor, or a tuple of tensors of one shape)
    along ``axis`` with ``combine_fn``, a ``@tessel.jit`` function of 2
    scalars (2N for N tensors: the accumulators, then the new elements)
    returning 1 (N) scalars.  It is inlined into the combine region and
    should be associative and commutative."""
    b = current_builder()
    inputs, single, combine = user_combiner(b, "tl.reduce", input, combine_fn)
    results = reduce_values(b, inputs, axis, combine, keep_dims)
    return results[0] if single else tuple(results)


def user_combiner(
    b: Any, what: str, input: Any, combine_fn: Any
) -> tuple[list[Any], bool, Combine]:
    """For tl.reduce/tl.associative_scan: the inputs as a list, whether a
    single tensor was given, and the @jit ``combine_fn`` as a combiner."""
    fn = _unwrap(combine_fn)
    if not getattr(fn, "__tessel_jit__", False):
        name = getattr(fn, "__qualname__", None) or repr(fn)
        raise TypeError(f"{what}'s combine_fn must be a @tessel.jit function, got {name}")
    if b.inline is None:
        raise RuntimeError(f"{what} can only be used inside a @tessel.jit function")
    input = _unwrap(input)
    single = not isinstance(input, (tuple, list))
    inputs = [input] if single else [_unwrap(x) for x in input]

    def combine(args: list[tensor]) -> Any:
        return b.inline(fn, args)

    return inputs, single, combine


@builtin
def histogram(input: Any, num_bins: Any, mask: Any = None) -> tensor:
    """``num_bins`` int32 counts of the values of the 1-D integer block
    ``input`` that lie in ``[0, num_bins)``; other values (and lanes where
    ``mask`` is false) are not counted.  ``num_bins`` is a constexpr power of
    two.  Built from a broadcast compare against ``arange(0, num_bins)`` and
    a ``sum`` over axis 0, so it costs O(N x num_bins) work and an
    N x num_bins intermediate block."""
    b = current_builder()
    x = semantic.to_tensor(b, input)
    if len(x.shape) != 1:
        raise ValueError(
            f"histogram needs a 1-D block, got shape {list(x.shape)}"
        )
    if not x.dtype.is_int() or x.dtype.is_bool():
        raise TypeError(f"histogram needs an integer block, got {x.dtype}")
    nb = _unwrap(num_bins)
    if isinstance(nb, tensor):
        raise TypeError(
            "histogram's num_bins must be a compile-time constant (tl.constexpr), "
            f"got a runtime {nb.dtype} value"
        )
    if not isinstance(nb, int) or isinstance(nb, bool) or nb <= 0 or nb & (nb - 1):
        raise ValueError(f"histogram's num_bins must be a power of 2, got {nb!r}")
    bins = tileops.arange(b, 0, nb)
    hit = semantic.compare(
        b, "eq", semantic.expand_dims(b, x, 1), semantic.expand_dims(b, bins, 0)
    )
    mask = _unwrap(mask)
    if mask is not None:
        m = semantic.to_tensor(b, mask)
        if not m.dtype.is_bool():
            raise TypeError(f"histogram's mask must be a boolean (int1) block, got {m.dtype}")
        m = semantic.broadcast_to(b, m, x.shape)
        hit = semantic.logical(b, "and", hit, semantic.expand_dims(b, m, 1))
    counts = semantic.cast(b, hit, int32)

    def combine(args: list[tensor]) -> list[tensor]:
        return [semantic.add(b, args[0], args[1])]

    return reduce_values(b, [counts], 0, combine, False)[0]


# Triton's tensor member functions: x.sum(axis), x.max(axis), ...
for _fn in (sum, max, min, argmax, argmin, xor_sum, reduce, histogram):
    setattr(tensor, _fn.__name__, _fn)
del _fn
