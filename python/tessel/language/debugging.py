"""``tl.device_print`` and ``tl.device_assert``.

``device_print`` emits ``tile.print``: one line per element a thread holds,
``pid (x, y, z) idx (i, j) <prefix><values>``.  ``device_assert`` emits
``tile.assert`` only when the kernel is compiled with debug (``@jit(debug=True)``,
``debug=True`` at launch, or ``TESSEL_DEBUG=1``), as Triton does.
"""

from __future__ import annotations

from typing import Any

from . import semantic
from .core import _unwrap, builtin, current_builder, int1, tensor

__all__ = ["device_print", "device_assert"]


def _ir_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\' or not 32 <= ord(ch) < 127:
            out.extend(f"\\{byte:02X}" for byte in ch.encode())
        else:
            out.append(ch)
    return "".join(out)


@builtin
def device_print(prefix: Any, *args: Any, hex: Any = False) -> None:
    """Prints ``prefix`` and the values of ``args`` (broadcast to one shape)
    for every element, from every program."""
    b = current_builder()
    prefix = _unwrap(prefix)
    if not isinstance(prefix, str):
        raise TypeError(f"device_print's prefix must be a string, got {prefix!r}")
    if args and prefix and not prefix.endswith((" ", ":")):
        prefix += " "
    elif args and prefix.endswith(":"):
        prefix += " "
    values = [semantic.to_tensor(b, a) for a in args]
    for v in values:
        if v.dtype.is_ptr():
            raise TypeError("device_print cannot print pointers")
    shape = semantic.broadcast_shapes(*(v.shape for v in values), ())
    if shape:
        values = [semantic.broadcast_to(b, v, shape) for v in values]
    pids = [b.op(f"tile.program_id {axis} : i32") for axis in "xyz"]
    signed = ", ".join(
        "true" if v.dtype.is_floating() or v.dtype.is_int_signed() and not v.dtype.is_bool()
        else "false"
        for v in values
    )
    text = f'tile.print "{_ir_string(prefix)}" pid({", ".join(pids)})'
    if values:
        text += (
            f" values({', '.join(v.handle for v in values)} : "
            f"{', '.join(v.type.to_ir() for v in values)})"
        )
    hex_attr = "true" if _unwrap(hex) else "false"
    b.emit(f"{text} {{hex = {hex_attr}, is_signed = array<i1: {signed}>}}")


@builtin
def device_assert(cond: Any, msg: Any = "", mask: Any = None) -> None:
    """Stops the kernel where ``cond`` is false (and ``mask``, if given, is
    true), reporting ``msg`` and the source location.  A no-op unless the
    kernel is compiled with debug."""
    b = current_builder()
    msg = _unwrap(msg)
    if not isinstance(msg, str):
        raise TypeError(f"device_assert's message must be a string, got {msg!r}")
    c = _unwrap(cond)
    if not isinstance(c, tensor):
        if not c:
            raise AssertionError(msg or "device_assert of a constant false condition")
        return
    if not getattr(b, "debug", False):
        return
    c = semantic.cast(b, c, int1)
    if mask is not None:
        m = semantic.cast(b, semantic.to_tensor(b, mask), int1)
        c = semantic.logical(b, "or", c, semantic.logical_not(b, m))
    b.emit(f'tile.assert {c.handle}, "{_ir_string(msg)}" : {c.type.to_ir()}')



