"""Tessel: a tile-kernel compiler in the spirit of Triton.

    import tessel
    import tessel.language as tl

    @tessel.jit
    def add_kernel(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
        offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        mask = offs < n
        tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask) + tl.load(y_ptr + offs, mask), mask)

    add_kernel[(tessel.cdiv(n, 1024),)](x, y, out, n, BLOCK=1024)

``@tessel.autotune(configs, key)`` and ``@tessel.heuristics(values)`` stack
on ``@tessel.jit`` as in Triton; ``tessel.testing`` has ``do_bench``,
``assert_close`` and ``perf_report``/``Benchmark``.

``add_kernel.ir(...)`` returns the Tile IR text without compiling; the
compiled extension (``_tessel``) is only needed to compile and launch.
"""

from typing import Any

from . import language
from .errors import AutotunerError, CompilationError, OutOfResources, TritonError
from .jit import JITFunction, jit

# Imported on first use: `import tessel` stays fast.
_LAZY = {"testing": ".testing", "Autotuner": ".runtime.autotuner", "Config": ".runtime.autotuner",
         "reinterpret": ".runtime.driver", "TensorWrapper": ".runtime.driver",
         "Heuristics": ".runtime.autotuner", "autotune": ".runtime.autotuner",
         "heuristics": ".runtime.autotuner"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tessel' has no attribute {name!r}")
    import importlib

    mod = importlib.import_module(module, __name__)
    value = mod if name == "testing" else getattr(mod, name)
    globals()[name] = value
    return value

__version__ = "0.1.0"


def cdiv(x: int, y: int) -> int:
    """Ceiling division of integers (host side)."""
    return (x + y - 1) // y


def next_power_of_2(n: int) -> int:
    """The smallest power of two >= n (1 for n <= 1)."""
    n = int(n)
    return 1 if n <= 1 else 1 << (n - 1).bit_length()


__all__ = [
    "jit",
    "JITFunction",
    "TritonError",
    "CompilationError",
    "OutOfResources",
    "AutotunerError",
    "autotune",
    "heuristics",
    "Config",
    "Autotuner",
    "Heuristics",
    "language",
    "testing",
    "cdiv",
    "next_power_of_2",
    "reinterpret",
    "TensorWrapper",
    "__version__",
]
