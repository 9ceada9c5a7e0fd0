"""The on-disk cache of compiled kernels (lib/Compiler/DiskCache.cpp).

Each case runs the compiler in fresh processes with its own TESSEL_CACHE_DIR,
as a new Python process or C++ host would meet the cache.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ADD_IR = """
func.func @add(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %y: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) attributes {tile.kernel} {
  %pid = tile.program_id x : i32
  %c = arith.constant 128 : i32
  %b = arith.muli %pid, %c : i32
  %r = tile.make_range 0 to 128 : tensor<128xi32>
  %bs = tile.splat %b : tensor<128xi32>
  %o = arith.addi %bs, %r : tensor<128xi32>
  %ns = tile.splat %n : tensor<128xi32>
  %m = arith.cmpi slt, %o, %ns : tensor<128xi32>
  %xp = tile.splat %x : tensor<128x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %o : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %v = tile.load %xa, %m : tensor<128x!tile.ptr<f32>>
  %w = arith.addf %v, %v : tensor<128xf32>
  %yp = tile.splat %y : tensor<128x!tile.ptr<f32>>
  %ya = tile.addptr %yp, %o : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  tile.store %ya, %w, %m : tensor<128x!tile.ptr<f32>>
  return
}
"""

# Compiles ADD_IR for the CPU, runs it on random data, prints whether the
# kernel came from the disk cache.
RUN_CPU = textwrap.dedent("""
    import sys
    import numpy as np
    from tessel._ext import _C
    k = _C.CpuKernel(sys.stdin.read(), num_stages=int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    x = np.random.default_rng(7).standard_normal(1000).astype(np.float32)
    y = np.zeros_like(x)
    k.launch(8, 1, 1, [x.ctypes.data, y.ctypes.data, 1000])
    assert np.array_equal(y, 2 * x), "wrong result"
    print("hit" if k.from_disk_cache else "miss")
""")


def run_cpu(cache: Path | str, *extra: str, env: dict[str, str] | None = None) -> str:
    full = dict(os.environ, TESSEL_CACHE_DIR=str(cache))
    full.pop("TESSEL_DUMP_IR", None)
    full.update(env or {})
    out = subprocess.run([sys.executable, "-c", RUN_CPU, *extra], input=ADD_IR, env=full,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.tkc"))


def test_a_new_process_finds_the_compiled_kernel(tmp_path: Path) -> None:
    assert run_cpu(tmp_path) == "miss"
    (entry,) = entries(tmp_path)
    assert entry.stat().st_size > 1000  # the object file and the IR stages
    assert run_cpu(tmp_path) == "hit"
    assert entries(tmp_path) == [entry]


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_a_damaged_entry_is_compiled_again_and_rewritten(tmp_path: Path, damage: str) -> None:
    assert run_cpu(tmp_path) == "miss"
    (entry,) = entries(tmp_path)
    data = bytearray(entry.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0x40
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(b"\x7fELF" + os.urandom(500))
    entry.write_bytes(bytes(data))
    assert run_cpu(tmp_path) == "miss"  # and still the right result
    assert run_cpu(tmp_path) == "hit"


def test_options_are_part_of_the_key(tmp_path: Path) -> None:
    assert run_cpu(tmp_path, "1") == "miss"
    assert run_cpu(tmp_path, "2") == "miss"
    assert run_cpu(tmp_path, "2") == "hit"
    assert len(entries(tmp_path)) == 2


def test_concurrent_compiles_of_one_kernel_leave_one_whole_entry(tmp_path: Path) -> None:
    env = dict(os.environ, TESSEL_CACHE_DIR=str(tmp_path))
    procs = [subprocess.Popen([sys.executable, "-c", RUN_CPU], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
             for _ in range(4)]
    for p in procs:
        out, err = p.communicate(ADD_IR, timeout=120)
        assert p.returncode == 0, err
        assert out.strip() in ("hit", "miss")
    assert len(entries(tmp_path)) == 1
    assert not [p for p in tmp_path.rglob("*") if ".tmp." in p.name]
    assert run_cpu(tmp_path) == "hit"


def test_the_cache_can_be_turned_off(tmp_path: Path) -> None:
    assert run_cpu("0") == "miss"
    assert run_cpu("0") == "miss"
    # A dump needs a real compile: TESSEL_DUMP_IR bypasses the cache.
    assert run_cpu(tmp_path) == "miss"
    assert run_cpu(tmp_path, env={"TESSEL_DUMP_IR": str(tmp_path / "dump")}) == "miss"
    assert (tmp_path / "dump").exists()


def test_gpu_binaries_are_cached_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tessel._ext import _C
    monkeypatch.setenv("TESSEL_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TESSEL_DUMP_IR", raising=False)
    first = _C.compile(ADD_IR, "amd:gfx942", 4)
    second = _C.compile(ADD_IR, "amd:gfx942", 4)
    assert not first["from_disk_cache"] and second["from_disk_cache"]
    assert first["binary"] == second["binary"] and first["binary_kind"] == "hsaco"
    assert first["asm"] == second["asm"] and first["arg_types"] == second["arg_types"]
    other = _C.compile(ADD_IR, "amd:gfx942", 8)  # another num_warps: another entry
    assert not other["from_disk_cache"]
    assert len(entries(tmp_path)) == 2


def test_least_recently_used_entries_are_evicted_past_the_budget(tmp_path: Path) -> None:
    assert run_cpu(tmp_path, "1") == "miss"
    size = entries(tmp_path)[0].stat().st_size
    # Room for 3.2 entries; past it, the oldest go until 2.4 entries' worth remain.
    env = {"TESSEL_CACHE_MAX_BYTES": str(int(size * 3.2))}
    assert run_cpu(tmp_path, "2", env=env) == "miss"
    assert run_cpu(tmp_path, "3", env=env) == "miss"
    assert run_cpu(tmp_path, "1", env=env) == "hit"  # now the most recently used but one
    assert run_cpu(tmp_path, "4", env=env) == "miss"  # over budget: 2 and 3 go
    assert len(entries(tmp_path)) == 2
    assert run_cpu(tmp_path, "1", env=env) == "hit"
    assert run_cpu(tmp_path, "2", env=env) == "miss"


def test_a_zero_budget_means_no_limit(tmp_path: Path) -> None:
    for stages in ("1", "2", "3"):
        assert run_cpu(tmp_path, stages, env={"TESSEL_CACHE_MAX_BYTES": "0"}) == "miss"
    assert len(entries(tmp_path)) == 3
