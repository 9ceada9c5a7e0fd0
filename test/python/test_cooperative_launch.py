"""Triton's ``launch_cooperative_grid=True``: every program of the grid is
resident at once, so programs may wait for each other (a grid-wide barrier
built from atomics). The CPU runs each program on a thread of its own; CUDA
launches with cuLaunchCooperativeKernel."""
from __future__ import annotations

import numpy as np
import pytest

import tessel
import tessel.language as tl
from tessel.runtime.driver import cuda_available


@tessel.jit
def grid_barrier_sum(x_ptr, partial_ptr, out_ptr, counter_ptr, BLOCK: tl.constexpr):
    """Each program writes its partial sum, waits for every program at a
    grid barrier, then adds all partial sums (only correct when all the
    partials are there)."""
    pid = tl.program_id(0)
    n = tl.num_programs(0)
    x = tl.load(x_ptr + pid * BLOCK + tl.arange(0, BLOCK))
    tl.store(partial_ptr + pid, tl.sum(x, axis=0))
    tl.atomic_add(counter_ptr, 1, sem="release")
    while tl.atomic_add(counter_ptr, 0, sem="acquire") < n:
        pass
    offs = tl.arange(0, 64)
    parts = tl.load(partial_ptr + offs, mask=offs < n, other=0.0, volatile=True)
    tl.store(out_ptr + pid, tl.sum(parts, axis=0))


def _data(programs: int, block: int):
    rng = np.random.default_rng(programs)
    return rng.integers(-50, 50, programs * block).astype(np.float32)


@pytest.mark.parametrize("programs", [1, 7, 64])
def test_grid_barrier_on_the_cpu(monkeypatch, programs: int) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "cpu")
    x = _data(programs, 32)
    partial = np.zeros(64, np.float32)
    out = np.zeros(programs, np.float32)
    counter = np.zeros(1, np.int32)
    grid_barrier_sum[(programs,)](x, partial, out, counter, BLOCK=32,
                                  launch_cooperative_grid=True)
    np.testing.assert_array_equal(out, np.full(programs, x.sum(), np.float32))
    assert counter[0] == programs


def test_cpu_cooperative_grid_has_a_limit() -> None:
    x = np.zeros(32 * 2048, np.float32)
    with pytest.raises(ValueError, match="at most 1024 programs, got 2048"):
        grid_barrier_sum[(2048,)](x, np.zeros(2048, np.float32), np.zeros(2048, np.float32),
                                  np.zeros(1, np.int32), BLOCK=32, launch_cooperative_grid=True)


def test_spin_loop_stays_reducible_on_nvidia(monkeypatch) -> None:
    """LLVM threads the thread-0 guard of the first atomic into the spin
    loop (a second entry into the loop); Tessel mends that after O3
    (FixIrreducible), or a warp reaches the loop's bar.sync diverged."""
    monkeypatch.setenv("TESSEL_TARGET", "nvidia:sm_90a")
    k = grid_barrier_sum.warmup("*fp32", "*fp32", "*fp32", "*i32", BLOCK=32)
    assert "irr.guard" in k.asm["llvmir"]


def test_option_must_be_a_bool() -> None:
    x = np.zeros(32, np.float32)
    with pytest.raises(ValueError, match="launch_cooperative_grid must be a bool"):
        grid_barrier_sum[(1,)](x, x, x, np.zeros(1, np.int32), BLOCK=32,
                               launch_cooperative_grid="yes")


@pytest.mark.skipif(not cuda_available(), reason="needs a CUDA device")
def test_grid_barrier_on_the_gpu() -> None:
    torch = pytest.importorskip("torch")
    programs = 64
    x = torch.from_numpy(_data(programs, 32)).cuda()
    partial = torch.zeros(64, device="cuda")
    out = torch.zeros(programs, device="cuda")
    counter = torch.zeros(1, dtype=torch.int32, device="cuda")
    grid_barrier_sum[(programs,)](x, partial, out, counter, BLOCK=32,
                                  launch_cooperative_grid=True)
    torch.cuda.synchronize()
    assert torch.equal(out.cpu(), torch.full((programs,), float(x.sum().item())))
    assert counter.item() == programs
    # A grid larger than the device can hold at once is the driver's error.
    big = 1 << 20
    with pytest.raises(RuntimeError, match="COOPERATIVE_LAUNCH_TOO_LARGE|too large|cooperative"):
        grid_barrier_sum[(big,)](torch.zeros(big * 32, device="cuda"),
                                 torch.zeros(big, device="cuda"), torch.zeros(big, device="cuda"),
                                 torch.zeros(1, dtype=torch.int32, device="cuda"), BLOCK=32,
                                 launch_cooperative_grid=True)
