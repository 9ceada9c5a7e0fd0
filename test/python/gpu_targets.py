"""Compile-only GPU targets for tests that run without a GPU."""

from __future__ import annotations

import os

import pytest

TARGETS = ["nvidia:sm_90a", "amd:gfx942"]


def skip_without_device_libs(target: str) -> None:
    """AMD kernels that call OCML/OCKL link against the ROCm device
    libraries; machines without them (the GPU machine) skip."""
    if not target.startswith("amd"):
        return
    dirs = [os.environ.get("TESSEL_ROCM_DEVICE_LIBS", ""),
            "/usr/lib/x86_64-linux-gnu/amdgcn/bitcode", "/opt/rocm/amdgcn/bitcode"]
    if not any(d and os.path.exists(os.path.join(d, "ocml.bc")) for d in dirs):
        pytest.skip("ROCm device libraries (ocml.bc) are not installed here; "
                    "scripts/setup.sh installs them")


def torch_on_cuda():
    """torch, for a test that runs kernels on a CUDA device through torch
    tensors; skips where torch or a CUDA device (for torch and for Tessel's
    launcher) is missing."""
    torch = pytest.importorskip("torch")
    from tessel._ext import _C

    if not torch.cuda.is_available() or not _C.cuda_available():
        pytest.skip("no CUDA device")
    return torch
