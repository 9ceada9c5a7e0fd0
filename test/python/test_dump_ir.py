"""TESSEL_DUMP_IR writes the compile's input and the IR around every pass, and
the dumped input replays with tessel-opt."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess

import numpy as np
import pytest

try:
    from tessel._ext import _C  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import tessel
import tessel.language as tl

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@tessel.jit
def exp_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    tl.store(out_ptr + offs, tl.exp(tl.load(x_ptr + offs, mask=mask)), mask=mask)


def tessel_opt() -> str | None:
    build = os.environ.get("TESSEL_BUILD", os.path.join(ROOT, "build"))
    path = os.path.join(build, "bin", "tessel-opt")
    return path if os.path.exists(path) else shutil.which("tessel-opt")


def test_dump_and_replay(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSEL_DUMP_IR", str(tmp_path))
    monkeypatch.setenv("TESSEL_TARGET", "cpu")
    x = np.random.default_rng(1).standard_normal(300).astype(np.float32)
    out = np.zeros_like(x)
    exp_kernel[(3,)](x, out, 300, BLOCK=128)
    np.testing.assert_allclose(out, np.exp(x), rtol=1e-6)

    # <kernel>-<specialization hash>-p<pid>: one directory per compile.
    (kdir,) = tmp_path.iterdir()
    assert kdir.name.startswith("exp_kernel-") and kdir.name.endswith(f"-p{os.getpid()}")
    assert (kdir / "input.mlir").read_text().count("tile.kernel") == 1
    assert "tessel-pipeline" in (kdir / "replay.sh").read_text()
    stages = sorted(p.name for p in kdir.iterdir() if p.is_dir())
    # The CPU lowers Tile IR straight to loops over vectors (no layouts).
    assert stages == ["1-tile-to-loops", "2-loops-to-llvm"]
    after = glob.glob(str(kdir / "1-tile-to-loops" / "*" / "*convert-tile-to-cpu.mlir"))
    assert after and any("scf.for" in open(p).read() for p in after)

    opt = tessel_opt()
    if opt is None:
        pytest.skip("tessel-opt not found (installed wheel): dump checked, replay not")
    replay = subprocess.run(
        [opt, str(kdir / "input.mlir"), "--tessel-pipeline=target=cpu num-warps=4"],
        capture_output=True, text=True, check=True)
    assert "llvm.func @exp_kernel" in replay.stdout
