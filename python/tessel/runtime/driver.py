"""Targets, kernel arguments, compilation through ``_C`` and launching.

Argument classification is cached per Python type; each handler returns
``(key, value, device)``: ``key`` = (type string, divisible by 16) for the
specialization key, ``value`` = what ``_C`` receives (int address for
pointers, int, float), ``device`` = None, "cpu" or ("cuda", index).
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from types import SimpleNamespace
from typing import Any, Callable

from ..errors import CompilationError, OutOfResources

Key = tuple[str, bool]
Device = Any  # None | "cpu" | READ_ONLY_CPU | ("cuda", int)
Handler = Callable[[Any], tuple[Key, Any, Device]]

_NUMPY_DTYPES = {
    "bool": "int1",
    "int8": "int8",
    "int16": "int16",
    "int32": "int32",
    "int64": "int64",
    "uint8": "uint8",
    "uint16": "uint16",
    "uint32": "uint32",
    "uint64": "uint64",
    "float16": "fp16",
    "float32": "fp32",
    "float64": "fp64",
    "bfloat16": "bf16",
}
_TORCH_DTYPES = {f"torch.{k}": v for k, v in _NUMPY_DTYPES.items()}
_TORCH_DTYPES.update({"torch.float8_e4m3fn": "fp8e4nv", "torch.float8_e5m2": "fp8e5"})
_torch_dtype_cache: dict[Any, str] = {}


# ---------------------------------------------------------------------------
# argument handlers
# ---------------------------------------------------------------------------
def _int(v: int) -> tuple[Key, Any, Device]:
    if -(2**31) <= v < 2**31:
        t = "i32"
    elif -(2**63) <= v < 2**63:
        t = "i64"
    elif 0 <= v < 2**64:
        t = "u64"
    else:
        raise OverflowError(f"integer argument {v} does not fit in 64 bits")
    return (t, v % 16 == 0), v, None


def _bool(v: Any) -> tuple[Key, Any, Device]:
    return ("i1", False), int(bool(v)), None


def _float(v: Any) -> tuple[Key, Any, Device]:
    return ("fp32", False), float(v), None


_numpy_dtype_cache: dict[Any, str] = {}


def _numpy_array(a: Any) -> tuple[Key, Any, Device]:
    ptr_type = _numpy_dtype_cache.get(a.dtype)
    if ptr_type is None:
        dt = _NUMPY_DTYPES.get(a.dtype.name)
        if dt is None:
            raise TypeError(f"unsupported array dtype {a.dtype}")
        ptr_type = _numpy_dtype_cache[a.dtype] = f"*{dt}"
    if a.ndim and min(a.strides) < 0:  # on every launch: the cheap form
        # The kernel indexes upward from the address it is given, which for a
        # reversed view is the last element in memory: it would read past it.
        raise TypeError(
            f"an array with negative strides {a.strides} cannot be passed; pass "
            "np.ascontiguousarray(...) of it (kernels get the first element's "
            "address and compute offsets themselves, as in Triton)"
        )
    addr, readonly = a.__array_interface__["data"]  # readonly == not a.flags.writeable
    return (ptr_type, addr % 16 == 0), addr, READ_ONLY_CPU if readonly else "cpu"


#: The device the NumPy handler gives for a read-only array: the CPU, marked.
#: ``@jit`` compares each argument's device with the launch's anyway; this one
#: differs from "cpu", so a read-only array is noticed there (and refused if
#: the kernel stores through it) at no cost for writable arrays.
READ_ONLY_CPU = "cpu (read-only array)"


def _torch_tensor(t: Any) -> tuple[Key, Any, Device]:
    ptr_type = _torch_dtype_cache.get(t.dtype)
    if ptr_type is None:
        dt = _TORCH_DTYPES.get(str(t.dtype))
        if dt is None:
            raise TypeError(f"unsupported tensor dtype {t.dtype}")
        ptr_type = _torch_dtype_cache[t.dtype] = f"*{dt}"
    addr = t.data_ptr()
    device: Device
    if t.is_cuda:
        index = t.get_device()
        device = _CUDA_DEVICES.get(index) or _CUDA_DEVICES.setdefault(index, ("cuda", index))
    else:
        device = "cpu"
    return (ptr_type, addr % 16 == 0), addr, device


_CUDA_DEVICES: dict[int, tuple[str, int]] = {}


class TensorWrapper:
    """An array or tensor passed to kernels as a pointer to another element
    type of the same width (``tessel.reinterpret``, Triton's
    ``triton.reinterpret``): float8 codes held in a ``uint8`` NumPy array or
    torch tensor, for example. The base's own dtype is not consulted: one
    the launcher does not know (an ``ml_dtypes`` float8 array) passes too."""

    def __init__(self, base: Any, dtype: Any) -> None:
        from ..language.core import dtype as tl_dtype

        if not isinstance(dtype, tl_dtype) or dtype.is_ptr():
            raise TypeError(f"reinterpret: dtype must be a tl element dtype, got {dtype!r}")
        self._address = _address_getter(base)
        width = getattr(base, "itemsize", None)
        if width is None and callable(getattr(base, "element_size", None)):
            width = base.element_size()
        bits = 8 if dtype.primitive_bitwidth == 1 else dtype.primitive_bitwidth  # bools are bytes
        if width is not None and width * 8 != bits:
            raise TypeError(
                f"reinterpret: {dtype} elements are {bits} bits, the array's are {width * 8}")
        self.base = base
        self.dtype = dtype

    def data_ptr(self) -> int:
        return self._address(self.base)[0]

    @property
    def shape(self) -> Any:
        return self.base.shape

    def __repr__(self) -> str:
        return f"TensorWrapper({self.dtype}, {self.base!r})"


def _address_getter(base: Any) -> Callable[[Any], tuple[int, Device]]:
    """How to read (address, device) of an array or tensor without looking
    at its dtype; TypeError for anything else (a scalar)."""
    t = type(base)
    np = sys.modules.get("numpy")
    if np is not None and isinstance(base, np.ndarray):
        if base.ndim and min(base.strides) < 0:
            _numpy_array(base)  # its error: kernels index upward from the address

        def numpy_address(a: Any) -> tuple[int, Device]:
            addr, readonly = a.__array_interface__["data"]
            return addr, READ_ONLY_CPU if readonly else "cpu"
        return numpy_address
    if callable(getattr(t, "data_ptr", None)) and hasattr(t, "dtype"):
        def torch_address(x: Any) -> tuple[int, Device]:
            if not x.is_cuda:
                return x.data_ptr(), "cpu"
            index = x.get_device()
            return x.data_ptr(), _CUDA_DEVICES.get(index) or _CUDA_DEVICES.setdefault(
                index, ("cuda", index))
        return torch_address
    handler = handler_for(t)
    if handler in (_cuda_array, _dlpack):
        return lambda x: handler(x)[1:]
    raise TypeError(f"reinterpret: expected an array or tensor, got {t.__name__}")


def _wrapped(w: TensorWrapper) -> tuple[Key, Any, Device]:
    addr, device = w._address(w.base)
    return (f"*{w.dtype.name}", addr % 16 == 0), addr, device


def reinterpret(base: Any, dtype: Any) -> TensorWrapper:
    """``base`` (an array or tensor, or a wrapper of one) as a pointer to
    ``dtype`` elements when passed to a kernel."""
    if isinstance(base, TensorWrapper):
        base = base.base
    return TensorWrapper(base, dtype)


_HANDLERS: dict[type, Handler | None] = {int: _int, bool: _bool, float: _float,
                                         TensorWrapper: _wrapped}


#: __cuda_array_interface__ type strings (CuPy, Numba, ...) -> Tessel dtypes.
_TYPESTRS = {"|b1": "int1", "|i1": "int8", "<i2": "int16", "<i4": "int32", "<i8": "int64",
             "|u1": "uint8", "<u2": "uint16", "<u4": "uint32", "<u8": "uint64",
             "<f2": "fp16", "<f4": "fp32", "<f8": "fp64"}


def _cuda_array(a: Any) -> tuple[Key, Any, Device]:
    """Objects with ``__cuda_array_interface__`` (CuPy arrays, Numba device
    arrays): the address, the dtype, the device (``a.device.id``, else 0)."""
    iface = a.__cuda_array_interface__
    dt = _TYPESTRS.get(iface["typestr"])
    if dt is None:
        raise TypeError(f"unsupported array type {iface['typestr']!r}")
    strides = iface.get("strides")
    if strides and min(strides) < 0:
        raise TypeError(
            f"an array with negative strides {tuple(strides)} cannot be passed; pass a "
            "contiguous copy (kernels get the first element's address)"
        )
    addr = int(iface["data"][0])
    index = int(getattr(getattr(a, "device", None), "id", 0) or 0)
    device = _CUDA_DEVICES.get(index) or _CUDA_DEVICES.setdefault(index, ("cuda", index))
    return (f"*{dt}", addr % 16 == 0), addr, device


#: DLPack (code, bits) -> Tessel dtypes (dlpack.h: 0 int, 1 uint, 2 float, 4 bfloat, 6 bool).
_DLPACK_DTYPES = {(0, 8): "int8", (0, 16): "int16", (0, 32): "int32", (0, 64): "int64",
                  (1, 8): "uint8", (1, 16): "uint16", (1, 32): "uint32", (1, 64): "uint64",
                  (2, 16): "fp16", (2, 32): "fp32", (2, 64): "fp64", (4, 16): "bf16",
                  (6, 8): "int1"}


@functools.lru_cache(maxsize=None)
def _dlpack_structs() -> tuple[Any, Any]:
    """(PyCapsule_GetPointer, the DLManagedTensor struct), with ctypes."""
    import ctypes

    class DLTensor(ctypes.Structure):
        _fields_ = [("data", ctypes.c_void_p), ("device_type", ctypes.c_int32),
                    ("device_id", ctypes.c_int32), ("ndim", ctypes.c_int32),
                    ("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16),
                    ("shape", ctypes.POINTER(ctypes.c_int64)),
                    ("strides", ctypes.POINTER(ctypes.c_int64)), ("byte_offset", ctypes.c_uint64)]

    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype, get.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    return get, DLTensor


def _dlpack(a: Any) -> tuple[Key, Any, Device]:
    """Objects with ``__dlpack__`` (JAX, MLX, ...): the tensor the capsule
    describes is read in place; the object keeps the memory alive."""
    device_type, device_id = a.__dlpack_device__()
    if device_type not in (1, 2):  # kDLCPU, kDLCUDA
        raise TypeError(f"unsupported DLPack device type {device_type}")
    capsule = a.__dlpack__()
    get, DLTensor = _dlpack_structs()
    t = DLTensor.from_address(get(capsule, b"dltensor"))
    dt = _DLPACK_DTYPES.get((t.code, t.bits)) if t.lanes == 1 else None
    if dt is None:
        raise TypeError(f"unsupported DLPack dtype (code {t.code}, bits {t.bits}, lanes {t.lanes})")
    if t.strides and any(t.strides[d] < 0 for d in range(t.ndim)):
        raise TypeError("an array with negative strides cannot be passed; pass a contiguous copy")
    addr = (t.data or 0) + t.byte_offset
    device: Device = "cpu"
    if device_type == 2:
        device = _CUDA_DEVICES.get(device_id) or _CUDA_DEVICES.setdefault(device_id, ("cuda", device_id))
    return (f"*{dt}", addr % 16 == 0), addr, device


def _classify(t: type) -> Handler | None:
    if callable(getattr(t, "data_ptr", None)) and hasattr(t, "dtype"):
        return _torch_tensor
    if hasattr(t, "__cuda_array_interface__"):
        return _cuda_array
    np = sys.modules.get("numpy")
    if np is not None and t.__module__.split(".")[0] == "numpy":
        if issubclass(t, np.ndarray):
            return _numpy_array
        if issubclass(t, np.bool_):
            return _bool
        if issubclass(t, np.integer):
            return lambda v: _int(int(v))
        if issubclass(t, np.floating):
            return _float
    if issubclass(t, bool):
        return _bool
    if issubclass(t, int):
        return lambda v: _int(int(v))
    if issubclass(t, float):
        return _float
    if hasattr(t, "__dlpack__") and hasattr(t, "__dlpack_device__"):
        return _dlpack
    return None


def handler_for(t: type) -> Handler | None:
    try:
        return _HANDLERS[t]
    except KeyError:
        h = _HANDLERS[t] = _classify(t)
        return h


# ---------------------------------------------------------------------------
# targets
# ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _cuda_target(index: int) -> str:
    torch = sys.modules.get("torch")
    if torch is None:  # CuPy or other __cuda_array_interface__ arrays
        from .._ext import _C

        major, minor = _C.cuda_capability(index)
        return f"nvidia:sm_{major}{minor}" + ("a" if (major, minor) == (9, 0) else "")
    if getattr(torch.version, "hip", None):
        arch = torch.cuda.get_device_properties(index).gcnArchName.split(":")[0]
        return f"amd:{arch}"
    major, minor = torch.cuda.get_device_capability(index)
    return f"nvidia:sm_{major}{minor}" + ("a" if (major, minor) == (9, 0) else "")


def target_for(device: Device) -> str:
    """``TESSEL_TARGET`` if set, else the target of the arguments' device."""
    forced = os.environ.get("TESSEL_TARGET")
    if forced:
        return forced
    if isinstance(device, tuple):
        return _cuda_target(device[1])
    return "cpu"


def _torch() -> Any:
    """torch (only reached with CUDA tensors, so it is already imported)."""
    return sys.modules.get("torch") or importlib.import_module("torch")


@functools.lru_cache(maxsize=None)
def _cuda_getters() -> tuple[Callable[[], int], Callable[[int], int]]:
    """(current device index, device index -> current raw stream); torch's
    private fast paths when present (as Triton uses), else the public API."""
    torch = _torch()
    device = getattr(torch._C, "_cuda_getDevice", None) or torch.cuda.current_device
    stream = getattr(torch._C, "_cuda_getCurrentRawStream", None) or (
        lambda index: torch.cuda.current_stream(index).cuda_stream
    )
    return device, stream


# ---------------------------------------------------------------------------
# compiled kernels
# ---------------------------------------------------------------------------
class CompiledKernel:
    """One specialization, compiled for ``target`` and ready to launch.

    ``stored_args`` names the pointer parameters the kernel may store through
    (``tl.store``, atomics, opaque ops; ``compiler.effects``), and
    ``stored_params`` their indices among the parameters: a launch refuses
    read-only NumPy arrays for them.  Set by ``@jit`` when it compiles.
    """

    stored_args: tuple[str, ...] = ()
    stored_params: tuple[int, ...] = ()

    def __init__(
        self,
        name: str,
        ir: str,
        target: str,
        num_warps: int,
        device: Device,
        num_stages: int = 3,
        options: dict[str, str] | None = None,
    ) -> None:
        from .._ext import _C

        self.name = name
        self.ir = ir
        self.target = target
        self.num_warps = num_warps
        self.num_stages = num_stages
        #: further compile options by Triton's names (enable_fp_fusion, maxnreg)
        self.options = dict(options or {})
        self.device = device
        self._C = _C
        self._launcher: Any = None
        self.cluster_ctas = 1
        try:
            if target == "cpu":
                self._launcher = _C.CpuKernel(ir, num_stages=num_stages)
                self.name = self._launcher.name  # the IR's (jit's repr may rename)
                # The stages stay in C++ until asked for (memory per kernel).
                self._asm: dict[str, Any] | None = None
                self.arg_types: list[str] = list(self._launcher.arg_types)
                self.binary, self.shared = b"", 0
            else:
                res = _C.compile(ir, target, num_warps, num_stages=num_stages,
                                 options=self.options)
                self.name, self._asm = res.get("name", name), dict(res["asm"])
                self.binary, self.shared = res["binary"], int(res["shared"])
                self.arg_types = list(res["arg_types"])
                # Warps launched: a warp-specialized kernel's producer too.
                self._launch_warps = int(res.get("num_warps", num_warps))
                #: programs per thread-block cluster (num_ctas=2 with a ring
                #: whose copies the pair shares), else 1
                self.cluster_ctas = int(res.get("cluster_ctas", 1))
        except _C.CompileError as e:
            raise OutOfResources.from_error(CompilationError.from_diagnostics(str(e))) from None
        #: positions of host descriptors' tensor map parameters
        self._tensormaps = tuple(i for i, t in enumerate(self.arg_types) if t == "tensormap")

    def _cuda_launcher(self) -> Any:
        if self._launcher is None:
            if not self.target.startswith("nvidia"):
                raise NotImplementedError(
                    f"launching {self.target} kernels is not supported (compile-only target)"
                )
            # The PTX too: the driver compiles it when the device cannot run
            # the cubin (code for sm_80 on an H200).
            self._launcher = self._C.CudaKernel(
                self.binary, self.name, self.arg_types, self._launch_warps, self.shared,
                ptx=(self._asm or {}).get("ptx", ""), cluster_ctas=self.cluster_ctas,
            )
        return self._launcher

    def launch(
        self,
        gx: int,
        gy: int,
        gz: int,
        args: list[Any],
        stream: int | None = None,
        device: Device = None,
        cooperative: bool = False,
    ) -> None:
        """``cooperative`` (Triton's ``launch_cooperative_grid``): every
        program of the grid is resident at once, so programs may wait for
        each other; CUDA refuses grids larger than the device holds."""
        if self._tensormaps:
            from .tensormap import reads_tensormaps, resolve

            args = resolve(args, self._tensormaps, reads_tensormaps(self.target))
        if self.target == "cpu":
            if isinstance(device, tuple):
                raise RuntimeError("a CPU kernel cannot take CUDA tensors (TESSEL_TARGET=cpu?)")
            if cooperative:
                self._launcher.launch(gx, gy, gz, args, True)
            else:
                self._launcher.launch(gx, gy, gz, args)
            return
        if not isinstance(device, tuple):
            raise RuntimeError(
                f"a {self.target} kernel needs device tensors (torch CUDA tensors); got host arrays"
            )
        index = device[1]
        launcher = self._launcher or self._cuda_launcher()
        if "torch" not in sys.modules:
            # CuPy or other __cuda_array_interface__ arrays without torch: the
            # default stream of the current context (device 0's unless the
            # caller made another current).
            launcher.launch(gx, gy, gz, stream or 0, args, cooperative)
            return
        if _cuda_getters()[0]() != index:
            with _torch().cuda.device(index):
                return self.launch(gx, gy, gz, args, stream, device, cooperative)
        if stream is None:
            stream = _cuda_getters()[1](index)
        launcher.launch(gx, gy, gz, stream, args, cooperative)

    @property
    def asm(self) -> dict[str, Any]:
        """The compiled stages as text: "tile", "tilegpu", "llvmir", and "ptx"
        and "ptxas" or "amdgcn"."""
        if self._asm is None:
            self._asm = dict(self._launcher.asm)
        return self._asm

    # ------------------------------------------- Triton's compiled-kernel API
    @property
    def n_regs(self) -> int:
        """Registers per thread (NVIDIA: ptxas's report; 0 elsewhere)."""
        m = re.search(r"Used (\d+) registers", self.asm.get("ptxas", ""))
        return int(m.group(1)) if m else 0

    @property
    def n_spills(self) -> int:
        """Bytes of registers spilled to local memory (NVIDIA; 0 elsewhere)."""
        m = re.search(r"(\d+) bytes spill stores", self.asm.get("ptxas", ""))
        return int(m.group(1)) if m else 0

    @property
    def metadata(self) -> SimpleNamespace:
        """``name``, ``target``, ``num_warps``, ``num_stages``, ``num_ctas``,
        ``shared`` (bytes of dynamic shared memory), ``enable_fp_fusion``,
        ``maxnreg``, as Triton's ``kernel.metadata``; ``cluster_ctas``: the
        programs per thread-block cluster it launches with (1: none)."""
        maxnreg = self.options.get("maxnreg")
        return SimpleNamespace(name=self.name, target=self.target, num_warps=self.num_warps,
                               num_stages=self.num_stages,
                               num_ctas=int(self.options.get("num_ctas", 1)),
                               cluster_ctas=self.cluster_ctas, shared=self.shared,
                               enable_fp_fusion=self.options.get("enable_fp_fusion") != "0",
                               maxnreg=int(maxnreg) if maxnreg else None)

    def _init_handles(self) -> None:
        """Triton loads the module here; Tessel loads on the first launch."""

    def __repr__(self) -> str:
        return f"CompiledKernel({self.name!r}, target={self.target!r})"


def cuda_available() -> bool:
    from .._ext import _C

    return bool(_C.cuda_available())
