"""Launching compiled kernels (see driver.py) and autotuning (autotuner.py)."""

from .autotuner import Autotuner, Config, Heuristics, KernelInterface, autotune, heuristics
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
