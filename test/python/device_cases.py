"""Launch tests on the CPU backend and, when a CUDA device is usable, once more
on CUDA: the ``device`` fixture and the helpers that move NumPy data there and
back, shared by the conformance files (issue 10: every family passes on CPU
and GPU in our own tests).

A test that launches kernels takes ``device`` and passes its inputs and
outputs through ``dev(a, device)`` (the NumPy array itself on the CPU, a torch
CUDA tensor on CUDA) and reads results with ``host(a)`` (a NumPy array, after
the device is synchronized). References are computed with NumPy on the host.

The ``cpu`` case always runs and pins ``TESSEL_TARGET=cpu``; the ``cuda`` case
runs when torch reports CUDA and the driver Tessel loads is usable (as in
test_cuda.py), with ``TESSEL_TARGET`` cleared so that the target follows the
tensors. ``TESSEL_CONFORMANCE_DEVICE=cuda`` makes the CUDA cases mandatory
(they fail instead of skipping without a device); ``=cpu`` leaves them out.

Usage, in a test file::

    from device_cases import CUDA_SKIP, device  # noqa: F401 (a fixture)
    from device_cases import dev as _dev, host as _host
"""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

WANTED = os.environ.get("TESSEL_CONFORMANCE_DEVICE", "")


def cuda_usable() -> bool:
    """torch with CUDA, and the CUDA driver as Tessel loads it."""
    try:
        import torch
    except Exception:  # noqa: BLE001 - a torch built for another platform raises OSError
        return False
    try:
        from tessel._ext import _C
    except ImportError:
        return False
    return bool(torch.cuda.is_available() and _C.cuda_available())


CUDA = WANTED != "cpu" and (WANTED == "cuda" or cuda_usable())
CUDA_SKIP = pytest.mark.skipif(
    not CUDA, reason="TESSEL_CONFORMANCE_DEVICE=cpu" if WANTED == "cpu" else "no CUDA device")


@pytest.fixture(params=["cpu", pytest.param("cuda", marks=CUDA_SKIP)])
def device(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The device a launch test runs on; the CPU pins the CPU target, CUDA
    takes the native one (as test_cuda.py does)."""
    if request.param == "cpu":
        monkeypatch.setenv("TESSEL_TARGET", "cpu")
    else:
        monkeypatch.delenv("TESSEL_TARGET", raising=False)
    return request.param


def dev(a: np.ndarray, device: str):  # type: ignore[no-untyped-def]
    """``a`` on ``device``: the array itself on the CPU, a copy on CUDA."""
    if device == "cpu":
        return a
    import torch

    return torch.from_numpy(np.ascontiguousarray(a)).to(device)


def host(a) -> np.ndarray:  # type: ignore[no-untyped-def]
    """A NumPy array with the contents of ``a`` (itself when it is one); a
    CUDA tensor is read after the device has finished its work."""
    if isinstance(a, np.ndarray):
        return a
    import torch

    torch.cuda.synchronize()
    return a.cpu().numpy()


def sync(device: str) -> None:
    """Waits for the device (output that is not an array, such as
    ``tl.device_print``, is complete afterwards)."""
    if device != "cpu":
        import torch

        torch.cuda.synchronize()


def fails_in_child(code: str, timeout: int = 300) -> str:
    """Runs ``code`` in a fresh Python with this one's ``sys.path`` and
    environment, expects it to fail, and returns its stdout and stderr.

    For launches that end in a failed ``tl.device_assert`` on CUDA: that
    poisons the CUDA context for the rest of the process, so it cannot run in
    the test process (test_cuda.py does the same)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, env=env)
    both = proc.stdout + proc.stderr
    assert proc.returncode != 0, both
    return both
