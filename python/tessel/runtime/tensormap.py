"""Tensor maps (CUDA's CUtensorMap) for host tensor descriptors.

A host ``TensorDescriptor`` whose blocks TMA can read (two dimensions, 8- or
16-bit elements, a 16-byte aligned base and row stride, zero padding, at
most 256 rows per block) also passes a 128-byte tensor map: the kernel's
``!tile.tensormap`` parameter. Hopper kernels read the descriptor's blocks
through it (the cp.async.bulk.tensor ring); other targets never read it and
get zeros. The box is the block's rows by the widest of 128, 64 or 32 bytes
that divides a block row, with that swizzle (the layout wgmma reads): the
runtime encodes it (``CudaDriver::encodeDescriptorTensorMap``), ``tile.load``'s
documentation states it for the compiler, ``eligible`` checks it here.
"""

from __future__ import annotations

from typing import Any

#: Bytes of a CUtensorMap kernel parameter.
TENSORMAP_BYTES = 128
#: The most rows (elements along a box dimension) TMA copies at once.
MAX_BOX_ROWS = 256

_ZEROS = bytes(TENSORMAP_BYTES)
# Encodings by their inputs (an encoding depends on nothing else); bounded.
_ENCODED: dict[tuple[Any, ...], bytes] = {}
_MAX_ENCODED = 4096


def swizzle_bytes(columns: int, element_bytes: int) -> int:
    """The widest of 128, 64 or 32 bytes that divides a row of ``columns``
    elements (0: none does)."""
    for row in (128, 64, 32):
        if columns * element_bytes % row == 0:
            return row
    return 0


def eligible(block: tuple[int, ...], element_bits: int, base_aligned: bool,
             row_stride_aligned: bool, padding: str) -> bool:
    """Whether blocks of ``block`` of a descriptor can be read with TMA."""
    if len(block) != 2 or element_bits not in (8, 16) or padding != "zero":
        return False
    if not (base_aligned and row_stride_aligned):
        return False
    return block[0] <= MAX_BOX_ROWS and swizzle_bytes(block[1], element_bits // 8) != 0


class TensorMapRequest:
    """What a launch passes for a ``!tile.tensormap`` parameter until the
    target is known: ``encode()`` on CUDA, zeros elsewhere."""

    __slots__ = ("key",)

    def __init__(self, address: int, element_bits: int, float_kind: int,
                 shape: tuple[int, ...], strides: tuple[int, ...],
                 block: tuple[int, ...]) -> None:
        self.key = (address, element_bits, float_kind, shape, strides, block)

    def encode(self) -> bytes:
        data = _ENCODED.get(self.key)
        if data is None:
            address, bits, float_kind, shape, strides, block = self.key
            from .._ext import _C

            # The box rule lives in the runtime (encodeDescriptorTensorMap).
            data = _C.encode_tensormap(address, bits // 8, float_kind, list(shape),
                                       list(strides), list(block))
            if len(_ENCODED) >= _MAX_ENCODED:
                _ENCODED.clear()
            _ENCODED[self.key] = data
        return data

    def __repr__(self) -> str:
        return f"TensorMapRequest{self.key}"


def reads_tensormaps(target: str) -> bool:
    """Whether kernels compiled for ``target`` may read tensor maps: NVIDIA
    from sm_90 (TMA); elsewhere the launch passes zeros and encodes nothing
    (an sm_80 kernel on any device, the CPU)."""
    if not target.startswith("nvidia:sm_"):
        return False
    digits = "".join(ch for ch in target[len("nvidia:sm_"):] if ch.isdigit())
    return bool(digits) and int(digits) >= 90


def resolve(args: list[Any], positions: tuple[int, ...], cuda: bool) -> list[Any]:
    """``args`` with the requests at ``positions`` replaced by their
    encodings (``cuda``) or by zeros."""
    args = list(args)
    for i in positions:
        request = args[i]
        if isinstance(request, TensorMapRequest):
            args[i] = request.encode() if cuda else _ZEROS
    return args
