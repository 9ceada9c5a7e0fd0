"""``triton.language.extra.cuda``'s helpers: ``num_warps()``,
``num_threads()``, ``globaltimer()`` and ``smid()``.

``num_warps()``/``num_threads()`` are compile-time values from the launch's
``num_warps`` (``num_threads`` counts 32 threads a warp) on every target.
``globaltimer()``/``smid()`` read PTX special registers through
``tl.inline_asm_elementwise``: NVIDIA only, elsewhere a located
``CompilationError`` ("inline assembly is supported on NVIDIA targets only")
at the call.
"""

from __future__ import annotations

from typing import Any

from ...core import builtin, current_builder, int32, int64
from ...extern import inline_asm_elementwise

__all__ = ["num_warps", "num_threads", "globaltimer", "smid"]

#: threads per warp on NVIDIA GPUs
WARP_SIZE = 32


@builtin
def num_warps() -> int:
    """The launch's ``num_warps``, a compile-time constant."""
    return int(current_builder().num_warps)


@builtin
def num_threads() -> int:
    """Threads per program: ``num_warps * 32``, a compile-time constant."""
    return int(current_builder().num_warps) * WARP_SIZE


@builtin
def globaltimer() -> Any:
    """The GPU's global nanosecond timer (``%globaltimer``), an ``int64``
    scalar; read again at every call (not pure)."""
    return inline_asm_elementwise(
        "mov.u64 $0, %globaltimer;", "=l", [], dtype=int64, is_pure=False, pack=1
    )


@builtin
def smid() -> Any:
    """The index of the streaming multiprocessor running the program
    (``%smid``), an ``int32`` scalar."""
    return inline_asm_elementwise("mov.u32 $0, %smid;", "=r", [], dtype=int32, is_pure=True,
                                  pack=1)
