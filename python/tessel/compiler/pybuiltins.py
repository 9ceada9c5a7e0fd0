"""Python builtins on runtime values inside kernels, as Triton maps them.

Triton resolves the names ``min`` and ``max`` in a kernel to
``tl.minimum``/``tl.maximum``; here they do the same whenever a runtime value
takes part, and stay Python's own functions on compile-time values (so
``min(BLOCK, 64)`` is still a constexpr).
"""

from __future__ import annotations

import builtins
from typing import Any, Callable

from ..language import builtins as tlb
from ..language.core import _unwrap, tensor

__all__ = ["MINMAX", "python_minmax"]

#: Python's ``min``/``max`` and the elementwise builtin each one maps to
MINMAX: dict[Callable[..., Any], Callable[..., Any]] = {
    builtins.min: tlb.minimum,
    builtins.max: tlb.maximum,
}


def python_minmax(fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]) -> Any:
    """``min(...)``/``max(...)`` in a kernel.

    With only compile-time arguments this is Python's function (``key=`` and
    ``default=`` included).  When a runtime tensor takes part, the arguments
    (several, or one tuple/list of them) are folded pairwise with
    ``tl.minimum``/``tl.maximum``: the compile-time ones first, in Python, so
    they stay weakly typed; then the tensors from left to right; then the two.
    ``propagate_nan=`` is passed through, as Triton does.
    """
    values = [_unwrap(a) for a in args]
    if len(values) == 1 and isinstance(values[0], (tuple, list)):
        values = [_unwrap(v) for v in values[0]]
    if not any(isinstance(v, tensor) for v in values):
        return fn(*args, **kwargs)
    name = fn.__name__
    unknown = set(kwargs) - {"propagate_nan"}
    if unknown:
        raise TypeError(
            f"{name}() on runtime values accepts only propagate_nan=, got "
            + ", ".join(sorted(unknown))
        )
    if len(values) < 2:
        raise TypeError(f"{name}() on a runtime value needs at least two arguments")
    elementwise = MINMAX[fn]
    consts = [v for v in values if not isinstance(v, tensor)]
    result: Any = None
    for v in values:
        if isinstance(v, tensor):
            result = v if result is None else elementwise(result, v, **kwargs)
    if consts:
        folded = fn(consts)
        result = elementwise(result, folded, **kwargs)
    return result
