"""Launching compiled kernels (see driver.py) and autotuning (autotuner.py)."""

from typing import Any

from .driver import CompiledKernel, target_for

__all__ = [
    "CompiledKernel",
    "target_for",
    "Autotuner",
    "Config",
    "Heuristics",
    "KernelInterface",
    "autotune",
    "heuristics",
]


def __getattr__(name: str) -> Any:
    # The autotuner loads on first use: `import tessel` stays fast.
    if name in __all__:
        from . import autotuner

        value = getattr(autotuner, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tessel.runtime' has no attribute {name!r}")
