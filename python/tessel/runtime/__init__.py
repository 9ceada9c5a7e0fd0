"""Launching compiled kernels (see driver.py)."""

from .driver import CompiledKernel, target_for

__all__ = ["CompiledKernel", "target_for"]
