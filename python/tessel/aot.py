"""Ahead-of-time compilation: a kernel specialization as files a host program
builds with no compiler (and no Python) in its process.

    python -m tessel compile kernels.py:add_kernel \\
        --signature "*fp32:16, *fp32:16, *fp32:16, i32, 1024" --target cpu -o out/

writes ``out/<name>.mlir`` (the Tile IR), the binary (``.o`` for the CPU,
``.cubin`` for NVIDIA, ``.hsaco`` for AMD), and a C header and source with a
typed launch function::

    int add_kernel_launch(unsigned gx, unsigned gy, unsigned gz,
                          float *x_ptr, float *y_ptr, float *out_ptr, int32_t n);

(NVIDIA: ``CUresult ..._launch(CUstream stream, ..., CUdeviceptr x_ptr, ...)``
through the driver API, linked with ``-lcuda``; AMD: ``int ..._launch(void
*stream, ..., void *x_ptr, ...)`` through HIP's module API, linked with
``-lamdhip64``, returning a ``hipError_t``.)

The signature lists every parameter in order: a type string for runtime
parameters (``*fp32``, ``i32``; ``:16`` marks 16-byte divisibility) and a
value for ``tl.constexpr`` ones.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .compiler.compiler import parse_type
from .errors import CompilationError

#: C types of runtime parameters (pointers to the element type).
_C_TYPES = {
    "i1": "_Bool", "i8": "int8_t", "i16": "int16_t", "i32": "int32_t", "i64": "int64_t",
    "u8": "uint8_t", "u16": "uint16_t", "u32": "uint32_t", "u64": "uint64_t",
    "fp16": "uint16_t", "bf16": "uint16_t", "fp32": "float", "fp64": "double",
    "int1": "_Bool", "int8": "int8_t", "int16": "int16_t", "int32": "int32_t", "int64": "int64_t",
    "uint8": "uint8_t", "uint16": "uint16_t", "uint32": "uint32_t", "uint64": "uint64_t",
    "fp8e4nv": "uint8_t", "fp8e5": "uint8_t", "fp8e4b15": "uint8_t",
}


@dataclass
class Param:
    name: str
    c_type: str  # C type of the launch function's parameter
    is_pointer: bool


def load_kernel(spec: str) -> Any:
    """``path/to/file.py:name`` -> the @jit function."""
    path, _, name = spec.rpartition(":")
    if not path or not name:
        raise SystemExit(f"expected FILE.py:KERNEL, got {spec!r}")
    module_spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    if module_spec is None or module_spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_spec.name] = module
    module_spec.loader.exec_module(module)
    kernel = getattr(module, name, None)
    if kernel is None or not hasattr(kernel, "ir"):
        raise SystemExit(f"{path} has no @tessel.jit function {name!r}")
    return kernel


def parse_signature(kernel: Any, text: str) -> tuple[list[Any], list[Param]]:
    """The launch arguments ``kernel.ir`` takes, and the runtime parameters."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    names = kernel.arg_names
    if len(parts) != len(names):
        raise SystemExit(f"--signature has {len(parts)} entries; {kernel.__name__} takes "
                         f"{len(names)} ({', '.join(names)})")
    values: list[Any] = []
    params: list[Param] = []
    consts = getattr(kernel, "_is_const", [False] * len(names))
    for part, name, is_constexpr, is_const in zip(parts, names, kernel._is_constexpr, consts):
        if is_constexpr:
            try:
                values.append(ast.literal_eval(part))
            except (ValueError, SyntaxError):
                raise SystemExit(f"{name} is a tl.constexpr: give its value, not {part!r}") from None
            continue
        try:
            parse_type(part)
        except ValueError as e:
            raise SystemExit(f"parameter {name}: {e}") from None
        base = part.split(":")[0].lstrip("*")
        pointer = part.startswith("*")
        if pointer and base not in _C_TYPES and base.startswith("k"):  # "*kfp32": tl.const
            base, is_const = base[1:], True
        c_type = ("const " if pointer and is_const else "") + _C_TYPES[base] + (
            " *" if pointer else " ")
        values.append(part)
        params.append(Param(name, c_type, pointer))
    return values, params


def _c_array(data: bytes) -> str:
    rows = [", ".join(str(b) for b in data[i:i + 24]) for i in range(0, len(data), 24)]
    return ",\n  ".join(rows)


def _launch_params(params: list[Param], stream: str = "", pointer: str = "") -> str:
    """The launch function's parameters: the stream (GPUs), the grid, then the
    kernel's (pointers as ``pointer``, a device address type, on GPUs)."""
    head = ([stream] if stream else []) + ["unsigned gx", "unsigned gy", "unsigned gz"]
    return ", ".join(head + [f"{pointer if pointer and p.is_pointer else p.c_type}{p.name}"
                             for p in params])


#: Per GPU API: the stream parameter, the device pointer type, the result type,
#: its success value and what an error is, and the header's include.
_GPU_APIS = {
    "cuda": ("CUstream stream", "CUdeviceptr ", "CUresult", "CUDA_SUCCESS", "the driver's error",
             "#include <cuda.h>\n"),
    "hip": ("void *stream", "void *", "int", "hipSuccess (0)", "HIP's error (a hipError_t)", ""),
}


def _header(name: str, target: str, params: list[Param], api: str | None) -> str:
    """``api``: "cuda", "hip", or None for the CPU."""
    guard = re.sub(r"\W", "_", name).upper() + "_H"
    if api:
        stream, pointer, ret, ok, err, include = _GPU_APIS[api]
        args = _launch_params(params, stream, pointer)
        where = " (a hipStream_t, NULL\n * for the default stream; pointers are device addresses)" if api == "hip" else ""
        doc = ("/* Loads the module on first use (call it once before launching from several\n"
               f" * threads) and launches a gx * gy * gz grid on `stream`{where}, asynchronously.\n"
               f" * Returns {ok} or {err}. */\n")
        extra = f"{ret} {name}_load(void);\nvoid {name}_unload(void);\n"
    else:
        args = _launch_params(params)
        include = ""
        doc = "/* Runs every program of a gx * gy * gz grid on the calling thread; returns 0. */\n"
        extra = ""
        ret = "int"
    return (f"/* Generated by `python -m tessel compile`: {name} for {target}. */\n"
            f"#ifndef {guard}\n#define {guard}\n\n#include <stdint.h>\n{include}\n"
            "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
            f"{extra}{doc}{ret} {name}_launch({args});\n\n"
            "#ifdef __cplusplus\n}\n#endif\n\n#endif\n")


def _cpu_source(name: str, params: list[Param]) -> str:
    args = _launch_params(params)
    slots = ", ".join(f"(void *)&{p.name}" for p in params) or "0"
    return (f'#include "{name}.h"\n\n'
            "/* The entry point in the object file (see lib/Target/CPU/CPUTarget.cpp). */\n"
            f"extern void {name}_entry(void **args, int32_t, int32_t, int32_t, int32_t,\n"
            f"                         int32_t, int32_t) __asm__(\"{name}.tessel_entry\");\n\n"
            f"int {name}_launch({args}) {{\n"
            f"  void *args[] = {{{slots}}};\n"
            "  for (unsigned z = 0; z < gz; ++z)\n"
            "    for (unsigned y = 0; y < gy; ++y)\n"
            "      for (unsigned x = 0; x < gx; ++x)\n"
            f"        {name}_entry(args, (int32_t)x, (int32_t)y, (int32_t)z, (int32_t)gx,\n"
            "                     (int32_t)gy, (int32_t)gz);\n"
            "  return 0;\n}\n")


def _cuda_source(name: str, params: list[Param], cubin: bytes, num_warps: int, shared: int) -> str:
    args = _launch_params(params, *_GPU_APIS["cuda"][:2])
    slots = ", ".join(f"(void *)&{p.name}" for p in params) or "0"
    # Past 48 KiB, dynamic shared memory must be allowed explicitly.
    big_shared = (f"  r = cuFuncSetAttribute({name}_function,\n"
                  "                         CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,\n"
                  f"                         {shared});\n") if shared > 49152 else ""
    return (f'#include "{name}.h"\n\n'
            f"static const unsigned char {name}_cubin[{len(cubin)}] = {{\n  {_c_array(cubin)}}};\n\n"
            f"static CUmodule {name}_module;\nstatic CUfunction {name}_function;\n\n"
            f"CUresult {name}_load(void) {{\n"
            f"  if ({name}_function)\n    return CUDA_SUCCESS;\n"
            f"  CUresult r = cuModuleLoadData(&{name}_module, {name}_cubin);\n"
            "  if (r != CUDA_SUCCESS)\n    return r;\n"
            f"  r = cuModuleGetFunction(&{name}_function, {name}_module, \"{name}\");\n"
            "  if (r != CUDA_SUCCESS)\n    return r;\n"
            f"{big_shared}"
            "  return r;\n}\n\n"
            f"void {name}_unload(void) {{\n"
            f"  if ({name}_module)\n    cuModuleUnload({name}_module);\n"
            f"  {name}_module = 0;\n  {name}_function = 0;\n}}\n\n"
            f"CUresult {name}_launch({args}) {{\n"
            f"  CUresult r = {name}_load();\n"
            "  if (r != CUDA_SUCCESS)\n    return r;\n"
            f"  void *args[] = {{{slots}}};\n"
            f"  return cuLaunchKernel({name}_function, gx, gy, gz, {num_warps * 32}, 1, 1, {shared},\n"
            "                        stream, args, 0);\n}\n")


def _hip_source(name: str, params: list[Param], hsaco: bytes, threads: int, shared: int) -> str:
    args = _launch_params(params, *_GPU_APIS["hip"][:2])
    slots = ", ".join(f"(void *)&{p.name}" for p in params) or "0"
    return (f'#include "{name}.h"\n\n'
            "/* HIP's module API (hip/hip_runtime_api.h), declared here so that this file\n"
            " * builds without the HIP headers: handles are pointers, errors ints. */\n"
            "typedef struct ihipModule_t *tessel_hip_module;\n"
            "typedef struct ihipModuleSymbol_t *tessel_hip_function;\n"
            "extern int hipModuleLoadData(tessel_hip_module *module, const void *image);\n"
            "extern int hipModuleGetFunction(tessel_hip_function *function,\n"
            "                                tessel_hip_module module, const char *name);\n"
            "extern int hipModuleUnload(tessel_hip_module module);\n"
            "extern int hipModuleLaunchKernel(tessel_hip_function function, unsigned gx,\n"
            "                                 unsigned gy, unsigned gz, unsigned bx,\n"
            "                                 unsigned by, unsigned bz, unsigned shared,\n"
            "                                 void *stream, void **params, void **extra);\n\n"
            f"static const unsigned char {name}_hsaco[{len(hsaco)}] = {{\n  {_c_array(hsaco)}}};\n\n"
            f"static tessel_hip_module {name}_module;\nstatic tessel_hip_function {name}_function;\n\n"
            f"int {name}_load(void) {{\n"
            f"  if ({name}_function)\n    return 0;\n"
            f"  int r = hipModuleLoadData(&{name}_module, {name}_hsaco);\n"
            "  if (r != 0)\n    return r;\n"
            f"  return hipModuleGetFunction(&{name}_function, {name}_module, \"{name}\");\n}}\n\n"
            f"void {name}_unload(void) {{\n"
            f"  if ({name}_module)\n    hipModuleUnload({name}_module);\n"
            f"  {name}_module = 0;\n  {name}_function = 0;\n}}\n\n"
            f"int {name}_launch({args}) {{\n"
            f"  int r = {name}_load();\n"
            "  if (r != 0)\n    return r;\n"
            f"  void *args[] = {{{slots}}};\n"
            f"  return hipModuleLaunchKernel({name}_function, gx, gy, gz, {threads}, 1, 1, {shared},\n"
            "                               stream, args, 0);\n}\n")


def compile_kernel(kernel: Any, signature: str, target: str, out: Path, name: str | None = None,
                   num_warps: int = 4, num_stages: int | None = None) -> list[Path]:
    """Writes the artifact files; returns their paths."""
    from ._ext import _C

    if target.startswith("sm_"):
        target = "nvidia:" + target
    elif target.startswith("gfx"):
        target = "amd:" + target
    values, params = parse_signature(kernel, signature)
    ir = kernel.ir(*values, num_warps=num_warps)
    name = name or kernel.__name__
    if not re.fullmatch(r"[A-Za-z_]\w*", name):
        raise SystemExit(f"--name must be a C identifier, got {name!r}")
    # The kernel's symbol is its name in the artifact (two specializations of
    # one kernel can then link into one program).
    ir = re.sub(rf"func\.func @{re.escape(kernel.__name__)}\(", f"func.func @{name}(", ir, count=1)
    stages = num_stages if num_stages is not None else (1 if target == "cpu" else 3)
    try:
        res = _C.compile(ir, target, num_warps, num_stages=stages, emit_object=target == "cpu")
    except _C.CompileError as e:
        raise CompilationError.from_diagnostics(str(e)) from None
    out.mkdir(parents=True, exist_ok=True)
    files = [out / f"{name}.mlir"]
    files[0].write_text(ir)
    binary = bytes(res["binary"])
    if target == "cpu":
        files.append(out / f"{name}.o")
        files[-1].write_bytes(binary)
        files.append(out / f"{name}.h")
        files[-1].write_text(_header(name, target, params, None))
        files.append(out / f"{name}.c")
        files[-1].write_text(_cpu_source(name, params))
    elif target.startswith("nvidia"):
        if res["binary_kind"] != "cubin":
            raise SystemExit("no ptxas found: an NVIDIA artifact needs a cubin (set TESSEL_PTXAS)")
        files.append(out / f"{name}.cubin")
        files[-1].write_bytes(binary)
        files.append(out / f"{name}.h")
        files[-1].write_text(_header(name, target, params, "cuda"))
        files.append(out / f"{name}.c")
        # A warp-specialized kernel launches its producer warps too.
        files[-1].write_text(_cuda_source(name, params, binary, int(res["num_warps"]),
                                          int(res["shared"])))
    else:
        files.append(out / f"{name}.hsaco")
        files[-1].write_bytes(binary)
        files.append(out / f"{name}.h")
        files[-1].write_text(_header(name, target, params, "hip"))
        files.append(out / f"{name}.c")
        # Wavefronts of 64 lanes on the gfx9 targets.
        files[-1].write_text(_hip_source(name, params, binary, num_warps * 64,
                                         int(res["shared"])))
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tessel compile", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kernel", help="FILE.py:KERNEL")
    ap.add_argument("--signature", "-s", required=True,
                    help='every parameter in order: "*fp32:16, i32, 1024"')
    ap.add_argument("--target", "-t", default="cpu", help="cpu, sm_90a, nvidia:sm_80, gfx942")
    ap.add_argument("--out", "-o", default=".", help="output directory")
    ap.add_argument("--name", "-n", help="C name of the kernel (default: its Python name)")
    ap.add_argument("--num-warps", "-w", type=int, default=4)
    ap.add_argument("--num-stages", type=int)
    args = ap.parse_args(argv)
    kernel = load_kernel(args.kernel)
    try:
        files = compile_kernel(kernel, args.signature, args.target, Path(args.out), args.name,
                               args.num_warps, args.num_stages)
    except CompilationError as e:
        print(e, file=sys.stderr)
        return 1
    for f in files:
        print(os.fspath(f))
    return 0
