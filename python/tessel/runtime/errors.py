"""Errors of compiling and launching kernels, where Triton code imports them
(``triton.runtime.errors``)."""

from ..errors import AutotunerError, CompilationError, OutOfResources

__all__ = ["AutotunerError", "CompilationError", "OutOfResources"]
