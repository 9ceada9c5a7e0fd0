"""Host-side tensor descriptors, as Triton's ``triton.tools.tensor_descriptor``:
a kernel argument describing blocks of a strided tensor, which the kernel
loads and stores with ``desc.load(offsets)`` / ``desc.store(offsets, value)``.

The launch passes the base array or tensor, the shape and the strides as
ordinary arguments (ints equal to 1 compiled in, as for any int), and the
kernel sees a ``tl.tensor_descriptor`` with ``block_shape`` (a compile-time
value: each block shape is a specialization of its own; an autotuner's
``pre_hook`` may set it before the launch, as Triton's tutorials do).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class TensorDescriptor:
    base: Any
    shape: list[int]
    strides: list[int]
    block_shape: list[int]
    padding: str = "zero"

    def __post_init__(self) -> None:
        rank = len(self.shape)
        if len(self.strides) != rank or len(self.block_shape) != rank:
            raise ValueError(
                f"shape, strides and block_shape must have one entry per dimension, got "
                f"{list(self.shape)}, {list(self.strides)}, {list(self.block_shape)}"
            )
        if self.strides[-1] != 1:
            raise ValueError(f"Tensor descriptor last dim must be 1 but got {self.strides[-1]}")
        if self.padding not in ("zero", "nan"):
            raise ValueError(f"padding must be 'zero' or 'nan', got {self.padding!r}")

    @staticmethod
    def from_tensor(tensor: Any, block_shape: list[int], padding: str = "zero") -> "TensorDescriptor":
        """A descriptor of a torch tensor or NumPy array: its shape and its
        strides in elements."""
        if hasattr(tensor, "stride") and callable(tensor.stride):
            strides = list(tensor.stride())
        else:
            strides = [s // tensor.itemsize for s in tensor.strides]
        return TensorDescriptor(tensor, list(tensor.shape), strides, list(block_shape), padding)
