"""Calls out of the language: ``tl.extern_elementwise`` (a library function
per element) and ``tl.inline_asm_elementwise`` (PTX per element)."""

from __future__ import annotations

from typing import Any, Sequence

from . import semantic
from .core import _unwrap, block_type, builtin, current_builder, dtype, tensor

__all__ = ["extern_elementwise", "inline_asm_elementwise"]


def _broadcast_args(b: Any, args: Sequence[Any], promote: bool) -> list[tensor]:
    """Every argument as a tensor of the common shape (and, with ``promote``,
    of the common type under Triton's arithmetic rules)."""
    ts = [semantic.to_tensor(b, a) for a in args]
    if not ts:
        return ts
    if promote:
        ref = ts[0]
        for t in ts[1:]:
            _, ref = semantic.binary_operands(b, t, ref)
        return [semantic.binary_operands(b, t, ref)[0] for t in ts]
    shape = semantic.broadcast_shapes(*(t.shape for t in ts))
    return [semantic.broadcast_to(b, t, shape) if shape else t for t in ts]


def emit_extern(b: Any, symbol: str, args: Sequence[tensor], ret: dtype, pure: bool) -> tensor:
    shape = args[0].shape if args else ()
    ty = block_type(ret, shape) if shape else ret
    operands = ", ".join(a.handle for a in args)
    types = ", ".join(a.type.to_ir() for a in args)
    attrs = " {pure}" if pure else ""
    return semantic._emit(
        b, f'tile.extern_elementwise "{symbol}"({operands}){attrs} : ({types}) -> {ty.to_ir()}', ty
    )


@builtin
def extern_elementwise(
    lib_name: Any,
    lib_path: Any,
    args: Any,
    arg_type_symbol_dict: Any,
    is_pure: Any,
) -> tensor:
    """Calls a library function on each element, Triton's way:
    ``arg_type_symbol_dict`` maps a tuple of argument dtypes to
    ``(symbol, result dtype)``.  Arguments are broadcast to one shape; when
    their dtypes match no entry they are first promoted to a common type.
    ``lib_name``/``lib_path`` are accepted for compatibility: symbols resolve
    against the target's library (libdevice names work on every target)."""
    b = current_builder()
    args = list(_unwrap(args))
    table = {tuple(_unwrap(k)): v for k, v in _unwrap(arg_type_symbol_dict).items()}
    ts = _broadcast_args(b, args, promote=False)
    key = tuple(t.dtype for t in ts)
    if key not in table:
        ts = _broadcast_args(b, args, promote=True)
        key = tuple(t.dtype for t in ts)
    if key not in table:
        expected = ", ".join("(" + ", ".join(str(d) for d in k) + ")" for k in table)
        raise TypeError(
            f"extern_elementwise: argument types ({', '.join(str(d) for d in key)}) match "
            f"no entry; expected one of {expected}"
        )
    symbol, ret = table[key]
    return emit_extern(b, str(_unwrap(symbol)), ts, _unwrap(ret), bool(_unwrap(is_pure)))


def _constraint_count(constraints: str) -> int:
    return sum(1 for c in constraints.split(",") if c.strip() and not c.strip().startswith("~"))


@builtin
def inline_asm_elementwise(
    asm: Any, constraints: Any, args: Any, dtype: Any, is_pure: Any, pack: Any
) -> Any:
    """Runs PTX on the elements of ``args`` (NVIDIA targets), ``pack`` at a
    time; elements narrower than 32 bits are packed into 32-bit registers.
    ``dtype`` a dtype or a tuple of dtypes (then a tuple of results)."""
    b = current_builder()
    asm, constraints = _unwrap(asm), _unwrap(constraints)
    pack = _unwrap(pack)
    if not isinstance(asm, str) or not isinstance(constraints, str):
        raise TypeError("inline_asm_elementwise: asm and constraints must be strings")
    if not isinstance(pack, int) or pack < 1 or pack & (pack - 1):
        raise ValueError(f"inline_asm_elementwise: pack must be a power of two, got {pack!r}")
    dtypes = _unwrap(dtype)
    multiple = isinstance(dtypes, (tuple, list))
    dtypes = [_unwrap(d) for d in (dtypes if multiple else [dtypes])]
    if not dtypes:
        raise ValueError("inline_asm_elementwise needs at least one result dtype")
    ts = _broadcast_args(b, list(_unwrap(args)), promote=False)
    shape = ts[0].shape if ts else ()
    if not shape and pack != 1:
        raise ValueError("inline_asm_elementwise on scalars needs pack=1")

    def registers(d: dtype) -> int:
        bits = d.primitive_bitwidth
        return pack if bits >= 32 else pack // min(pack, 32 // bits)

    expected = sum(registers(d) for d in dtypes) + sum(registers(t.dtype) for t in ts)
    got = _constraint_count(constraints)
    if got != expected:
        raise ValueError(
            f"inline_asm_elementwise: the constraints name {got} operands, but "
            f"{len(dtypes)} result(s) and {len(ts)} argument(s) with pack={pack} "
            f"take {expected} registers"
        )
    rtypes = [block_type(d, shape) if shape else d for d in dtypes]
    name = b.fresh()
    results = f"{name}:{len(rtypes)}" if len(rtypes) > 1 else name
    escaped = asm.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\0A")
    attrs = f"{{pack = {pack} : i32{', pure' if _unwrap(is_pure) else ''}}}"
    b.emit(
        f'{results} = tile.inline_asm "{escaped}", "{constraints}"'
        f"({', '.join(t.handle for t in ts)}) {attrs} : "
        f"({', '.join(t.type.to_ir() for t in ts)}) -> "
        f"({', '.join(t.to_ir() for t in rtypes)})"
    )
    outs = [tensor(f"{name}#{i}" if len(rtypes) > 1 else name, t) for i, t in enumerate(rtypes)]
    return tuple(outs) if multiple else outs[0]
