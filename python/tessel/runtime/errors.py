"""Errors of compiling and launching kernels, where Triton code imports them
(``triton.runtime.errors``)."""

from ..errors import AutotunerError, CompilationError, OutOfResources, TritonError

__all__ = ["AutotunerError", "CompilationError", "OutOfResources", "TritonError"]
