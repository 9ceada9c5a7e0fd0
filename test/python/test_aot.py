"""Ahead-of-time artifacts (python -m tessel compile, tessel/aot.py): a C
host program builds them with a C compiler and runs them, no Python or
compiler in its process."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
# The kernel of the AOT example (examples/aot), which the tests build too.
EXAMPLE = HERE.parent.parent / "examples" / "aot"
KERNEL = f"{EXAMPLE / 'kernels.py'}:scaled_add"
SIG = "*fp32:16, *fp32:16, *fp32:16, i32, fp32, {block}"

MAIN = r"""
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "add_256.h"
#include "add_1024.h"

int main(void) {
  int n = 5000;
  float *x = malloc(n * sizeof(float)), *y = malloc(n * sizeof(float));
  float *a = malloc(n * sizeof(float)), *b = malloc(n * sizeof(float));
  srand(3);
  for (int i = 0; i < n; ++i) {
    x[i] = (float)rand() / RAND_MAX - 0.5f;
    y[i] = (float)rand() / RAND_MAX - 0.5f;
    a[i] = b[i] = NAN;
  }
  add_256_launch((n + 255) / 256, 1, 1, x, y, a, n, 2.5f);
  add_1024_launch((n + 1023) / 1024, 1, 1, x, y, b, n, -1.0f);
  for (int i = 0; i < n; ++i)
    if (a[i] != (x[i] + y[i]) * 2.5f || b[i] != -(x[i] + y[i])) {
      printf("mismatch at %d\n", i);
      return 1;
    }
  printf("ok %d\n", n);
  return 0;
}
"""


def c_compiler() -> str | None:
    return shutil.which("clang-22") or shutil.which("cc") or shutil.which("gcc")


def aot(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("TESSEL_DUMP_IR", None)
    return subprocess.run([sys.executable, "-m", "tessel", "compile", *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.skipif(c_compiler() is None, reason="no C compiler")
def test_a_c_program_runs_two_cpu_specializations(tmp_path: Path) -> None:
    for block, name in ((256, "add_256"), (1024, "add_1024")):
        r = aot(KERNEL, "-s", SIG.format(block=block), "-t", "cpu", "-o", str(tmp_path), "-n", name)
        assert r.returncode == 0, r.stderr
        assert {Path(p).name for p in r.stdout.split()} == {
            f"{name}.mlir", f"{name}.o", f"{name}.h", f"{name}.c"}
    (tmp_path / "main.c").write_text(MAIN)
    exe = tmp_path / "main"
    sources = [str(tmp_path / f) for f in ("main.c", "add_256.c", "add_1024.c", "add_256.o", "add_1024.o")]
    build = subprocess.run([c_compiler(), "-O1", "-o", str(exe), *sources, "-lm"],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == "ok 5000", run.stdout + run.stderr


def test_nvidia_artifact_embeds_a_cubin_and_a_launch_function(tmp_path: Path) -> None:
    ptxas = shutil.which("ptxas") or "/usr/local/cuda/bin/ptxas"
    if not os.path.exists(ptxas):
        pytest.skip("no ptxas")
    r = aot(KERNEL, "-s", SIG.format(block=1024), "-t", "sm_90a", "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "scaled_add.cubin").read_bytes()[:4] == b"\x7fELF"
    header = (tmp_path / "scaled_add.h").read_text()
    assert ("CUresult scaled_add_launch(CUstream stream, unsigned gx, unsigned gy, unsigned gz, "
            "CUdeviceptr x_ptr, CUdeviceptr y_ptr, CUdeviceptr out_ptr, int32_t n, float scale);") in header
    source = (tmp_path / "scaled_add.c").read_text()
    assert "cuLaunchKernel(scaled_add_function, gx, gy, gz, 128, 1, 1, 0," in source
    cuda_h = Path("/usr/local/cuda/include/cuda.h")
    if c_compiler() and cuda_h.exists():
        check = subprocess.run([c_compiler(), "-fsyntax-only", f"-I{cuda_h.parent}",
                                str(tmp_path / "scaled_add.c")], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


# A stand-in for libamdhip64 (no AMD GPU here): records what the generated
# launcher asks HIP's module API for.
HIP_STUB = r"""
#include <stdio.h>
#include <string.h>
static int loads;
int hipModuleLoadData(void **module, const void *image) {
  ++loads;
  *module = (void *)0x1;
  return memcmp(image, "\x7f" "ELF", 4) == 0 ? 0 : 98;
}
int hipModuleGetFunction(void **function, void *module, const char *name) {
  *function = (void *)0x2;
  return strcmp(name, "scaled_add") == 0 ? 0 : 500;
}
int hipModuleUnload(void *module) { return 0; }
int hipModuleLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
                          unsigned by, unsigned bz, unsigned shared, void *stream,
                          void **params, void **extra) {
  printf("loads %d grid %u %u %u block %u %u %u shared %u stream %p x %p out %p n %d "
         "scale %g\n", loads, gx, gy, gz, bx, by, bz, shared, stream,
         *(void **)params[0], *(void **)params[2], *(int *)params[3], *(float *)params[4]);
  return 0;
}
"""

HIP_MAIN = r"""
#include "scaled_add.h"
int main(void) {
  for (int i = 0; i < 2; ++i)
    if (scaled_add_launch((void *)0x10, 4, 2, 1, (void *)0x1000, (void *)0x2000,
                          (void *)0x3000, 1000, 0.5f) != 0)
      return 1;
  return 0;
}
"""


def test_amd_artifact_has_an_hsaco_and_a_hip_launch_function(tmp_path: Path) -> None:
    r = aot(KERNEL, "-s", SIG.format(block=256), "-t", "gfx942", "-o", str(tmp_path), "-w", "2")
    assert r.returncode == 0, r.stderr
    assert {Path(p).name for p in r.stdout.split()} == {
        "scaled_add.mlir", "scaled_add.hsaco", "scaled_add.h", "scaled_add.c"}
    assert (tmp_path / "scaled_add.hsaco").read_bytes()[:4] == b"\x7fELF"
    header = (tmp_path / "scaled_add.h").read_text()
    assert ("int scaled_add_launch(void *stream, unsigned gx, unsigned gy, unsigned gz, "
            "void *x_ptr, void *y_ptr, void *out_ptr, int32_t n, float scale);") in header
    if not c_compiler():
        pytest.skip("no C compiler")
    # Built and run against the stand-in: the module loads once, the launch
    # gets the grid, 2 wavefronts of 64 lanes, the stream and the arguments.
    (tmp_path / "hip_stub.c").write_text(HIP_STUB)
    (tmp_path / "main.c").write_text(HIP_MAIN)
    exe = tmp_path / "main"
    build = subprocess.run([c_compiler(), "-O1", "-Wall", "-o", str(exe),
                            *(str(tmp_path / f) for f in ("main.c", "scaled_add.c", "hip_stub.c"))],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    line = ("grid 4 2 1 block 128 1 1 shared 0 stream 0x10 x 0x1000 out 0x3000 n 1000 "
            "scale 0.5")
    assert run.stdout.splitlines() == [f"loads 1 {line}", f"loads 1 {line}"]


@pytest.mark.parametrize("sig,message", [
    ("*fp32, *fp32, i32", "--signature has 3 entries; scaled_add takes 6"),
    ("*fp32, *fp32, *fp32, i32, fp32, *fp32", "BLOCK is a tl.constexpr: give its value"),
    ("*fp33, *fp32, *fp32, i32, fp32, 64", "parameter x_ptr: unknown type"),
])
def test_bad_signatures_are_explained(tmp_path: Path, sig: str, message: str) -> None:
    r = aot(KERNEL, "-s", sig, "-o", str(tmp_path))
    assert r.returncode != 0 and message in r.stderr, r.stderr


def test_compile_errors_are_located(tmp_path: Path) -> None:
    r = aot(KERNEL, "-s", SIG.format(block=100), "-o", str(tmp_path))  # not a power of two
    assert r.returncode == 1 and "kernels.py:" in r.stderr, r.stderr


@pytest.mark.skipif(c_compiler() is None, reason="no C compiler")
def test_the_aot_example_builds_and_runs(tmp_path: Path) -> None:
    """examples/aot: build.sh compiles the kernel ahead of time and builds
    main.c against it; the program runs it on the CPU. For a CUDA target it
    must build and link (it runs on the GPU machine)."""
    script = EXAMPLE / "build.sh"
    env = dict(os.environ, CC=c_compiler(), TESSEL_PYTHON=sys.executable)
    env.pop("TESSEL_DUMP_IR", None)
    built = subprocess.run(["bash", str(script), "cpu", str(tmp_path / "cpu")], capture_output=True,
                           text=True, env=env, timeout=180)
    assert built.returncode == 0, built.stderr
    run = subprocess.run([built.stdout.strip(), "5000"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == "ok: 5000 elements on the cpu", run.stdout
    cuda = Path(os.environ.get("CUDA_HOME", "/usr/local/cuda"))
    if (cuda / "include" / "cuda.h").exists() and (cuda / "lib64" / "stubs").exists() and (
            shutil.which("ptxas") or (cuda / "bin" / "ptxas").exists()):
        built = subprocess.run(["bash", str(script), "sm_90a", str(tmp_path / "cuda")],
                               capture_output=True, text=True, env=env, timeout=180)
        assert built.returncode == 0, built.stderr
        assert (tmp_path / "cuda" / "scaled_add.cubin").read_bytes()[:4] == b"\x7fELF"
