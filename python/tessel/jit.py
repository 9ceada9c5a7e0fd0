"""``@tessel.jit``: specialization, the in-memory kernel cache, and launch.

    @tessel.jit
    def add_kernel(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr): ...

    add_kernel[(tessel.cdiv(n, 1024),)](x, y, out, n, BLOCK=1024)
    add_kernel[lambda meta: (tessel.cdiv(n, meta["BLOCK"]),)](x, y, out, n, BLOCK=1024)

A specialization is keyed on each runtime argument's type (pointee dtype for
tensors/arrays; i32/i64/u64 for ints by range; fp32 for floats; i1 for
bools) and 16-divisibility (addresses and ints), the constexpr values,
``num_warps`` and the target.
"""

from __future__ import annotations

import functools
import operator
import os
import re
import sys
import threading
from types import SimpleNamespace
from typing import Any, Callable, Iterable, Sequence

from .compiler.compiler import ArgSpec, generate, parse_type
from .compiler.source import NO_DEFAULT, FunctionSource, parse_function, signature_params
from .language.core import _unwrap, constexpr, dtype
from .runtime import tensormap
from .runtime.driver import _HANDLERS, READ_ONLY_CPU, CompiledKernel, handler_for, target_for

__all__ = ["jit", "JITFunction"]

_MISSING = object()
_CONST = "constexpr"
#: a host TensorDescriptor argument in a specialization key
_DESC = "descriptor"
#: a tuple argument in a specialization key: (_TUPLE, field names or None,
#: the key of each element)
_TUPLE = "tuple"
#: IR generation keeps its builders on one global stack (language.core), so
#: threads that compile at once (the autotuner's) generate IR one at a time;
#: the C++ compile that follows runs in parallel (it releases the GIL).
_IR_LOCK = threading.RLock()
#: keyword arguments of a launch that are not kernel parameters
LAUNCH_OPTIONS = frozenset(
    {"num_warps", "num_stages", "num_ctas", "stream", "maxnreg", "enable_fp_fusion", "debug",
     "launch_cooperative_grid", "arch"}
)


class JITFunction:
    """A kernel (or device function) compiled on first launch per specialization."""

    __tessel_jit__ = True

    def __init__(
        self,
        fn: Callable[..., Any],
        do_not_specialize: Iterable[int | str] = (),
        debug: bool | None = None,
        noinline: bool = False,
        repr: Callable[[Any], str] | None = None,  # noqa: A002 - Triton's name
    ) -> None:
        self.fn = fn
        #: Triton's ``repr``: names each specialization's kernel from it.
        self.repr = repr
        #: Called from other kernels as a real function instead of inlined.
        self.noinline = noinline
        #: Compile device assertions in (None: follow TESSEL_DEBUG).
        self.debug = debug
        self.__name__: str = fn.__name__
        functools.update_wrapper(self, fn)
        self.params = signature_params(fn)
        self.arg_names = [p.name for p in self.params]
        self._index = {p.name: i for i, p in enumerate(self.params)}
        self._is_constexpr = [p.is_constexpr for p in self.params]
        self._is_const = [p.is_const for p in self.params]
        self._no_divisibility = {
            self._index[d] if isinstance(d, str) else d for d in do_not_specialize
        }
        self._src: FunctionSource | None = None
        self._ir_cache: dict[tuple[Any, bool, int], str] = {}
        self._fast: Any = None  # _C.FastLauncher, made on the first launch
        self.cache: dict[tuple[Any, ...], CompiledKernel] = _KernelCache(self)

    # ----------------------------------------------------------------- source
    def source(self) -> FunctionSource:
        if self._src is None:
            self._src = parse_function(self.fn)
        return self._src

    def __repr__(self) -> str:
        return f"JITFunction({self.fn.__module__}:{self.fn.__qualname__})"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            f"@jit function {self.__name__} cannot be called directly: launch it "
            f"with {self.__name__}[grid](...) or call it from another kernel"
        )

    # ----------------------------------------------------------------- launch
    def __getitem__(self, grid: Any) -> Callable[..., CompiledKernel | None]:
        # A C++ callable (python/src/FastLaunch.cpp), kept per grid: a
        # specialization launched before runs no Python frame; the rest
        # comes to _run_miss.
        return (self._fast or self._make_fast()).bind(grid)

    def run(self, *args: Any, grid: Any, **kwargs: Any) -> CompiledKernel | None:
        return self._run(grid, args, kwargs)

    def _run(self, grid: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> CompiledKernel | None:
        # A specialization launched before goes through C++ alone
        # (python/src/FastLaunch.cpp); the rest comes here and is remembered.
        fast = self._fast or self._make_fast()
        hit, token = fast.launch(grid, *args, **kwargs)
        if hit is not None:
            return hit
        return self._run_miss(grid, args, kwargs, token)

    def _run_miss(self, grid: Any, args: Sequence[Any], kwargs: dict[str, Any],
                  token: Any) -> CompiledKernel | None:
        """A launch the C++ fast path could not take; ``token`` (its key, or
        None) lets it take the next one like it."""
        kernel = self._run_slow(grid, args, kwargs)
        if token is not None and kernel is not None:
            self._remember(token, kernel, kwargs)
        return kernel

    def _make_fast(self) -> Any:
        from ._ext import _C

        n = len(self.params)
        self._fast = _C.FastLauncher(
            self.arg_names, self._is_constexpr, [i in self._no_divisibility for i in range(n)],
            [p.default for p in self.params], NO_DEFAULT, self._run_miss)
        return self._fast

    def _remember(self, token: Any, kernel: CompiledKernel, kwargs: dict[str, Any]) -> None:
        """Lets the fast path launch ``kernel`` for arguments like these."""
        num_warps = kernel.num_warps
        num_stages = kernel.num_stages
        if kernel.target == "cpu":
            launcher, device = kernel._launcher, -1
        elif (kernel.target.startswith("nvidia") and isinstance(kernel.device, tuple)
              and "torch" in sys.modules):
            from .runtime.driver import _cuda_getters

            launcher, device = kernel._launcher or kernel._cuda_launcher(), kernel.device[1]
            self._fast.set_stream_getters(*_cuda_getters())
        else:
            return
        if launcher is not None:
            self._fast.remember(token, kernel, launcher, device, num_warps, num_stages)

    def _run_slow(self, grid: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> CompiledKernel | None:
        values, opts = self._bind(args, kwargs)
        num_warps = _num_warps(opts.get("num_warps", 4))
        key, launch_args, device, readonly = self._specialize(values)
        target = _with_arch(target_for(device), opts.get("arch"))
        num_stages = _num_stages(opts.get("num_stages"), target)
        debug = self._debug(opts)
        codegen = _codegen_options(opts) if opts else ()
        full_key = (key, num_warps, num_stages, target,
                    device if isinstance(device, tuple) else None, debug, codegen)
        try:
            kernel = self.cache.get(full_key)
        except TypeError:
            raise TypeError(f"{self.__name__}(): constexpr arguments must be hashable") from None
        if kernel is None:
            kernel = self._compile(full_key, key, debug, num_warps, target, device, num_stages,
                                   codegen)
        if readonly:  # read-only NumPy arrays among the arguments (rare)
            self._check_writable(kernel, readonly)
        if callable(grid):
            meta = dict(zip(self.arg_names, (_unwrap(v) for v in values)))
            meta.update(num_warps=num_warps, num_stages=num_stages)
            grid = grid(meta)
        gx, gy, gz = _grid(grid)
        if gx * gy * gz:
            cooperative = _unwrap(opts.get("launch_cooperative_grid", False))
            if not isinstance(cooperative, bool):
                raise ValueError(f"launch_cooperative_grid must be a bool, got {cooperative!r}")
            kernel.launch(gx, gy, gz, launch_args, opts.get("stream"), device, cooperative)
        return kernel

    def _check_writable(self, kernel: CompiledKernel, readonly: list[Any]) -> None:
        for i in readonly:
            # a parameter's index, or (index, leaf) for an array in a tuple
            stored = (i in getattr(kernel, "stored_leaves", ()) if isinstance(i, tuple)
                      else i in kernel.stored_params)
            if stored:
                name = self.arg_names[i[0]] if isinstance(i, tuple) else self.arg_names[i]
                what = f"an array in the tuple '{name}'" if isinstance(i, tuple) else f"'{name}'"
                raise TypeError(
                    f"{self.__name__}(): argument {what} is a read-only array "
                    "but the kernel stores through it (pass a writable array; "
                    "np.broadcast_to views and read-only memory maps cannot be written)"
                )

    def warmup(self, *args: Any, **kwargs: Any) -> CompiledKernel:
        """Compiles (or fetches) the specialization for these arguments
        without launching; ``grid`` is ignored. Arguments may be type strings
        (``"*fp32"``, ``"i32:16"``) for runtime parameters: the target is then
        ``TESSEL_TARGET`` (default the CPU). Returns the compiled kernel
        (``asm``, ``n_regs``, ``n_spills``, ``metadata``)."""
        kwargs.pop("grid", None)
        values, opts = self._bind(args, kwargs)
        num_warps = _num_warps(opts.get("num_warps", 4))
        key, _, device, _ = self._specialize(values, allow_type_strings=True)
        target = _with_arch(target_for(device), opts.get("arch"))
        num_stages = _num_stages(opts.get("num_stages"), target)
        debug = self._debug(opts)
        codegen = _codegen_options(opts)
        full_key = (key, num_warps, num_stages, target,
                    device if isinstance(device, tuple) else None, debug, codegen)
        if full_key not in self.cache:
            self._compile(full_key, key, debug, num_warps, target, device, num_stages, codegen)
        return self.cache[full_key]

    def _compile(
        self,
        full_key: tuple[Any, ...],
        key: tuple[Any, ...],
        debug: bool,
        num_warps: int,
        target: str,
        device: Any,
        num_stages: int,
        codegen: tuple[tuple[str, str], ...] = (),
    ) -> CompiledKernel:
        """Compiles one specialization into the cache, with the parameters
        it may store through (checked against read-only arrays at launch)."""
        ir = self._ir(key, debug, num_warps)
        kernel = CompiledKernel(self.__name__, ir, target, num_warps, device, num_stages,
                                dict(codegen))
        stored = self._stored_params(key, ir)
        kernel.stored_params = tuple(sorted({i if isinstance(i, int) else i[0] for i in stored}))
        kernel.stored_leaves = frozenset(i for i in stored if not isinstance(i, int))
        kernel.stored_args = tuple(self.arg_names[i] for i in kernel.stored_params)
        self.cache[full_key] = kernel
        return kernel

    def _stored_params(self, key: tuple[Any, ...], ir: str) -> list[Any]:
        """The parameters that the specialization ``key`` (IR ``ir``) may
        write through: the IR's stored-to arguments (``compiler.effects``)
        mapped back from runtime positions; a parameter's index, or (index,
        leaf) for an element of a tuple argument."""
        # The parameter of each kernel argument (a descriptor has several),
        # and whether it may be a pointer.
        runtime: list[Any] = []
        pointer: list[bool] = []
        for i, (p, part) in enumerate(zip(self.params, key)):
            if p.is_constexpr or (isinstance(part, tuple) and part[0] == _CONST):
                continue
            if isinstance(part, tuple) and part[0] == _DESC:
                n = 1 + sum(d[0] != _CONST for d in part[2])
                runtime.extend([i] * n)
                pointer.extend([True] * n)
                if part[5]:  # the tensor map
                    runtime.append(i)
                    pointer.append(False)
            elif isinstance(part, tuple) and part[0] == _TUPLE:
                for j, leaf in enumerate(_tuple_leaves(part)):
                    runtime.append((i, j))
                    pointer.append(leaf[0].startswith("*"))
            else:
                runtime.append(i)
                pointer.append(part[0].startswith("*"))
        from .compiler.effects import stored_arguments  # first compile only

        stored = stored_arguments(ir)
        if stored is None:  # unreadable IR: every pointer argument (and descriptor)
            stored = tuple(j for j in range(len(runtime)) if pointer[j])
        return [runtime[j] for j in stored]

    # --------------------------------------------------------------------- IR
    def ir(self, *args: Any, **kwargs: Any) -> str:
        """The Tile IR text for these arguments, without compiling.

        Arguments are the launch's (arrays, ints, ...); a string such as
        ``"*fp32"``, ``"i32:16"`` stands for a runtime argument of that type.
        """
        values, opts = self._bind(args, kwargs)
        key, _, _, _ = self._specialize(values, allow_type_strings=True)
        return self._ir(key, self._debug(opts), _num_warps(opts.get("num_warps", 4)))

    def _debug(self, opts: dict[str, Any]) -> bool:
        """Launch option, then the decorator's, then TESSEL_DEBUG."""
        for choice in (opts.get("debug"), self.debug):
            if choice is not None:
                return bool(_unwrap(choice))
        return os.environ.get("TESSEL_DEBUG", "0") not in ("", "0")

    def _ir(self, key: tuple[Any, ...], debug: bool = False, num_warps: int = 4) -> str:
        text = self._ir_cache.get((key, debug, num_warps))
        if text is None:
            with _IR_LOCK:
                return self._generate_ir(key, debug, num_warps)
        return text

    def _generate_ir(self, key: tuple[Any, ...], debug: bool, num_warps: int) -> str:
        text = self._ir_cache.get((key, debug, num_warps))
        if text is None:
            specs: list[ArgSpec] = []
            consts: dict[str, Any] = {}
            descriptors: dict[str, Callable[[dict[str, Any]], Any]] = {}
            for p, part in zip(self.params, key):
                if p.is_constexpr:
                    consts[p.name] = _const_value(part)
                elif isinstance(part, tuple) and part[0] == _CONST:
                    consts[p.name] = _const_value(part[1])
                elif isinstance(part, tuple) and part[0] == _DESC:
                    descriptors[p.name] = _descriptor_specs(p.name, part, specs)
                elif isinstance(part, tuple) and part[0] == _TUPLE:
                    descriptors[p.name] = _tuple_specs(p.name, part, specs)
                else:
                    specs.append(ArgSpec(p.name, parse_type(part[0])[0], part[1]))
            text = self._ir_cache[(key, debug, num_warps)] = generate(
                self.source(), specs, consts, debug, num_warps, descriptors,
                name=self._kernel_name(key, consts),
            )
        return text

    def _kernel_name(self, key: tuple[Any, ...], consts: dict[str, Any]) -> str | None:
        """The kernel's name from ``repr`` (Triton's jit option), given the
        specialization: ``signature`` (parameter -> type string, or
        "constexpr") and ``constants`` (constexprs and ints compiled in, such
        as those equal to 1); None keeps the function's name."""
        if self.repr is None:
            return None
        signature = {
            p.name: "constexpr" if p.name in consts else _signature_string(part)
            for p, part in zip(self.params, key)
        }
        name = self.repr(SimpleNamespace(signature=signature, constants=dict(consts)))
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"{self.__name__}: repr must return an identifier, got {name!r}")
        return name

    # ---------------------------------------------------------- specialization
    def _const_key(self, i: int, v: Any) -> Any:
        v = _unwrap(v)
        t = type(v)
        if t is int or t is str or v is None:
            return v
        if t is float or t is bool:
            return _Typed((t, v, repr(v)))
        if hasattr(v, "data_ptr") or hasattr(v, "__array_interface__"):
            raise TypeError(
                f"{self.__name__}(): argument '{self.arg_names[i]}' is a "
                "tl.constexpr and needs a compile-time value, not a tensor"
            )
        return v

    def _bind(
        self, args: Sequence[Any], kwargs: dict[str, Any]
    ) -> tuple[list[Any], dict[str, Any]]:
        n = len(self.params)
        if len(args) > n:
            raise TypeError(
                f"{self.__name__}() takes {n} arguments ({', '.join(self.arg_names)}) "
                f"but {len(args)} were given"
            )
        values = list(args) + [_MISSING] * (n - len(args))
        opts: dict[str, Any] = {}
        for k, v in kwargs.items():
            i = self._index.get(k)
            if i is None:
                if k in LAUNCH_OPTIONS:
                    opts[k] = v
                    continue
                raise TypeError(f"{self.__name__}() got an unexpected keyword argument '{k}'")
            if values[i] is not _MISSING:
                raise TypeError(f"{self.__name__}() got multiple values for argument '{k}'")
            values[i] = v
        for i, v in enumerate(values):
            if v is _MISSING:
                default = self.params[i].default
                if default is NO_DEFAULT:
                    raise TypeError(
                        f"{self.__name__}() missing required argument '{self.arg_names[i]}'"
                    )
                values[i] = default
        return values, opts

    def _specialize(
        self, values: list[Any], allow_type_strings: bool = False
    ) -> tuple[tuple[Any, ...], list[Any], Any, list[Any] | None]:
        """(specialization key, launch arguments, device, the read-only
        NumPy arrays (parameter indices; (index, leaf) in tuples) or None)."""
        key: list[Any] = []
        launch_args: list[Any] = []
        where = _Placement()
        for i, (v, is_constexpr) in enumerate(zip(values, self._is_constexpr)):
            if is_constexpr:
                key.append(self._const_key(i, v))
                continue
            key.append(self._runtime_part(i, v, allow_type_strings, launch_args, where))
        return tuple(key), launch_args, where.device, where.readonly

    def _runtime_part(self, i: int, v: Any, allow_type_strings: bool, launch_args: list[Any],
                      where: "_Placement", leaf: list[int] | None = None,
                      path: str = "") -> Any:
        """The key of the runtime argument ``v`` of parameter ``i`` (or of an
        element of a tuple argument, at ``path``); appends what the launch
        passes to ``launch_args``."""
        label = f"'{self.arg_names[i]}{path}'"
        handler = _HANDLERS.get(type(v))
        if handler is None and isinstance(v, tuple):
            # Triton's tuple arguments (NamedTuples too): each element is an
            # argument of its own; the kernel receives a tl.tuple.
            count = leaf if leaf is not None else [0]
            parts = tuple(self._runtime_part(i, e, allow_type_strings, launch_args, where,
                                             count, f"{path}[{j}]")
                          for j, e in enumerate(v))
            fields = getattr(type(v), "_fields", None)
            return (_TUPLE, tuple(fields) if fields else None, parts)
        if handler is None and type(v).__name__ == "TensorDescriptor":
            from .tools.tensor_descriptor import TensorDescriptor  # rare: keep import fast

            if isinstance(v, TensorDescriptor):
                if leaf is not None:
                    raise TypeError(f"{self.__name__}(): argument {label}: a tensor descriptor "
                                    "cannot be an element of a tuple argument")
                handler = self._descriptor_handler(i)
        if handler is None:
            if (v is None or isinstance(v, (constexpr, dtype))
                    or getattr(v, "__tessel_jit__", False)):
                # As Triton: None, constexprs, dtypes and @jit functions are
                # compile-time values wherever they are passed.
                return (_CONST, self._const_key(i, v))
            if allow_type_strings and isinstance(v, str):
                _, div = parse_type(v)
                return self._const_pointer((v.split(":")[0], div), i, leaf)
            handler = handler_for(type(v))
        if handler is None:
            raise TypeError(
                f"{self.__name__}(): argument {label} has unsupported "
                f"type {type(v).__name__} (expected a tensor or array, an int, a "
                "float, a bool or a tuple of them; annotate it with tl.constexpr for other "
                "values)"
            )
        try:
            k, value, dev = handler(v)
        except (TypeError, OverflowError) as e:
            # An int past 64 bits stays an OverflowError, as in Triton.
            cls = OverflowError if isinstance(e, OverflowError) else TypeError
            raise cls(f"{self.__name__}(): argument {label}: {e}") from None
        if dev is not None and dev != where.device:
            if dev is READ_ONLY_CPU:  # a read-only NumPy array (rare)
                where.readonly = [*(where.readonly or ()), i if leaf is None else (i, leaf[0])]
                dev = "cpu"
            if dev != where.device:
                if where.device is not None:
                    raise TypeError(
                        f"{self.__name__}(): argument {label} is on "
                        f"{_device_name(dev)} but an earlier argument is on "
                        f"{_device_name(where.device)}"
                    )
                where.device = dev
        if k[0] == _DESC:  # a host tensor descriptor: several runtime values
            launch_args.extend(value)
            return k
        if i in self._no_divisibility:
            k = (k[0], False)
        elif value == 1 and k[0] in ("i32", "i64") and type(v) is not bool:
            # As Triton: an int equal to 1 (a unit stride, say) is
            # compiled in as the constant, so the axis analysis sees it.
            return (_CONST, 1)
        launch_args.append(value)
        return self._const_pointer(k, i, leaf)

    def _const_pointer(self, k: Any, i: int, leaf: list[int] | None) -> Any:
        """``k`` with a pointer of a ``tl.const`` parameter as Triton's
        ``"*k<dtype>"``; counts a runtime element of a tuple argument."""
        if leaf is not None:
            leaf[0] += 1
        if self._is_const[i] and k[0].startswith("*") and not k[0].startswith("*k"):
            return ("*k" + k[0][1:], k[1])
        return k

    def _descriptor_handler(self, i: int) -> Callable[[Any], tuple[Any, list[Any], Any]]:
        """Flattens a host TensorDescriptor into its base (an array or
        tensor), then its shape and strides (ints; those equal to 1 compiled
        in); its block shape and padding are part of the key."""

        def handle(desc: Any) -> tuple[Any, list[Any], Any]:
            base_handler = handler_for(type(desc.base))
            if base_handler is None or isinstance(desc.base, (int, float, bool)):
                raise TypeError(f"the descriptor's base must be an array or a tensor, got "
                                f"{type(desc.base).__name__}")
            base_key, base_value, dev = base_handler(desc.base)
            if i in self._no_divisibility:
                base_key = (base_key[0], False)
            dims, values = [], [base_value]
            for n in [*desc.shape, *desc.strides]:
                n = operator.index(n)
                if n == 1:
                    dims.append((_CONST, 1))
                    continue
                k, value, _ = _HANDLERS[int](n)
                dims.append((k[0], k[1] and i not in self._no_divisibility))
                values.append(value)
            block = tuple(operator.index(n) for n in desc.block_shape)
            # A tensor map too where TMA could read the blocks (its
            # parameter is part of the specialization).
            element = parse_type(base_key[0])[0].element_ty
            rank = len(block)
            tma = len(dims) == 2 * rank and tensormap.eligible(
                block, element.primitive_bitwidth, bool(base_key[1]) and not element.is_bool(),
                dims[rank][0] != _CONST and bool(dims[rank][1]), desc.padding)
            if tma:
                float_kind = {"fp16": 16, "bf16": 17}.get(element.name, 0)
                values.append(tensormap.TensorMapRequest(
                    base_value, element.primitive_bitwidth, float_kind,
                    tuple(operator.index(n) for n in desc.shape),
                    tuple(operator.index(n) for n in desc.strides), block))
            return (_DESC, base_key, tuple(dims), block, desc.padding, tma), values, dev

        return handle


class _KernelCache(dict):  # type: ignore[type-arg]
    """The compiled specializations of a JITFunction; clearing it also
    forgets them on the fast launch path."""

    def __init__(self, owner: JITFunction) -> None:
        super().__init__()
        self._owner = owner

    def clear(self) -> None:
        super().clear()
        if self._owner._fast is not None:
            self._owner._fast.clear()


class _Typed(tuple):
    """Key of a float or bool constexpr: 1, 1.0, True and 0.0, -0.0 differ."""


def _const_value(part: Any) -> Any:
    return part[1] if type(part) is _Typed else part


def _device_name(device: Any) -> str:
    return f"{device[0]}:{device[1]}" if isinstance(device, tuple) else str(device)


def _num_warps(n: Any) -> int:
    n = int(_unwrap(n))
    if n <= 0 or n & (n - 1):
        raise ValueError(f"num_warps must be a power of two, got {n}")
    return n


# Programs per launch along x, y, z: CUDA's limits, applied on every target
# so that a grid that runs on the CPU also runs on a GPU.
GRID_LIMITS = (2**31 - 1, 65535, 65535)


#: Triton's default software-pipelining depth on GPUs. The CPU has no load
#: latency to hide and compiles faster without the prefetched copies: 1.
DEFAULT_NUM_STAGES = 3


def _num_stages(n: Any, target: str) -> int:
    """``num_stages``: 2 and more prefetch the next iteration's loads of
    loops that compute a ``tl.dot``; 1 turns that off."""
    if n is None:
        return 1 if target == "cpu" else DEFAULT_NUM_STAGES
    n = _unwrap(n)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"num_stages must be a positive int, got {n!r}")
    return n


def _descriptor_specs(name: str, part: tuple, specs: list[ArgSpec]) -> Callable[[dict[str, Any]], Any]:
    """Adds the runtime parameters of a host descriptor to ``specs`` and
    returns how the kernel's ``tl.tensor_descriptor`` is built from them."""
    from .language.blocks import TENSORMAP_TYPE, tensor_descriptor

    _, base_key, dims, block, padding, tma = part
    base = f"{name}.base"
    specs.append(ArgSpec(base, parse_type(base_key[0])[0], base_key[1]))
    sources: list[Any] = []
    for d, dim in enumerate(dims):
        if dim[0] == _CONST:
            sources.append(int(dim[1]))
            continue
        arg = f"{name}.{d}"
        specs.append(ArgSpec(arg, parse_type(dim[0])[0], dim[1]))
        sources.append(arg)
    rank = len(block)
    if tma:
        specs.append(ArgSpec(f"{name}.tensormap", TENSORMAP_TYPE))

    def build(scope: dict[str, Any]) -> Any:
        values = [scope[s] if isinstance(s, str) else s for s in sources]
        return tensor_descriptor(scope[base], tuple(values[:rank]), tuple(values[rank:]),
                                 block, padding, scope.get(f"{name}.tensormap"))

    return build


class _Placement:
    """The device of a launch's arguments and its read-only arrays, as
    ``_specialize`` finds them."""

    __slots__ = ("device", "readonly")

    def __init__(self) -> None:
        self.device: Any = None
        self.readonly: list[Any] | None = None


def _tuple_leaves(part: tuple) -> list[Any]:
    """The runtime elements' keys of a tuple argument's key, in order."""
    out: list[Any] = []
    for child in part[2]:
        if isinstance(child, tuple) and child[0] == _TUPLE:
            out.extend(_tuple_leaves(child))
        elif not (isinstance(child, tuple) and child[0] == _CONST):
            out.append(child)
    return out


def _signature_string(part: Any) -> str:
    """A parameter's type string for ``repr``'s ``specialization.signature``:
    ``"*fp32"``, ``"i32"``, ``"(*fp32, i32, constexpr)"`` for a tuple."""
    if isinstance(part, tuple) and part[0] == _TUPLE:
        return "(" + ", ".join(_signature_string(c) for c in part[2]) + ")"
    if isinstance(part, tuple) and part[0] == _CONST:
        return "constexpr"
    return part[0]


def _tuple_specs(name: str, part: tuple, specs: list[ArgSpec]) -> Callable[[dict[str, Any]], Any]:
    """Adds the runtime elements of a tuple argument to ``specs`` (named
    ``name.<n>``) and returns how the kernel's ``tl.tuple`` is built from
    them (elements compiled in, such as ints equal to 1, are constants)."""
    from .language.tuples import make_tuple

    def layout(p: tuple) -> tuple[Any, ...]:
        items: list[tuple[Any, ...]] = []
        for child in p[2]:
            if isinstance(child, tuple) and child[0] == _TUPLE:
                items.append(layout(child))
            elif isinstance(child, tuple) and child[0] == _CONST:
                items.append(("value", _const_value(child[1])))
            else:
                arg = f"{name}.{len(specs)}"
                specs.append(ArgSpec(arg, parse_type(child[0])[0], child[1]))
                items.append(("arg", arg))
        return ("tuple", p[1], items)

    def build(scope: dict[str, Any], node: tuple[Any, ...]) -> Any:
        if node[0] == "tuple":
            return make_tuple([build(scope, item) for item in node[2]], node[1])
        return scope[node[1]] if node[0] == "arg" else node[1]

    shape = layout(part)
    return lambda scope: build(scope, shape)


def _with_arch(target: str, arch: Any) -> str:
    """Triton's ``arch`` option: the GPU architecture to compile for instead
    of the device's ("sm90a", "sm_80", ...; "gfx942" on AMD). Code for an
    older NVIDIA architecture runs on newer devices; a newer one than the
    device's is refused. Without a GPU argument (``warmup`` with type
    strings) it alone picks the target."""
    arch = _unwrap(arch)
    if arch is None:
        return target
    if not isinstance(arch, str):
        raise ValueError(f"arch must be a string such as 'sm90a' or 'gfx942', got {arch!r}")
    nvidia = re.fullmatch(r"sm_?(\d+)([a-z]?)", arch)
    if nvidia:
        wanted = f"nvidia:sm_{nvidia.group(1)}{nvidia.group(2)}"
        if target.startswith("nvidia:"):
            have = re.fullmatch(r"nvidia:sm_(\d+)[a-z]?", target)
            if have and int(nvidia.group(1)) > int(have.group(1)):
                raise ValueError(f"arch={arch!r} is newer than the device ({target})")
            return wanted
        if target == "cpu":
            return wanted
    elif re.fullmatch(r"gfx[0-9a-f]+", arch):
        if target == "cpu" or target.startswith("amd:"):
            return f"amd:{arch}"
    else:
        raise ValueError(f"arch must be an NVIDIA 'smXX' or AMD 'gfxXXX' name, got {arch!r}")
    raise ValueError(f"arch={arch!r} does not match the target of the arguments ({target})")


def _codegen_options(opts: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """``enable_fp_fusion``, ``maxnreg`` and ``num_ctas`` as (name, text)
    pairs for the compiler (``CompileOptions::set`` checks them), defaults
    left out so that the cache key of a plain launch stays the same."""
    out = []
    num_ctas = _unwrap(opts.get("num_ctas", 1))
    if isinstance(num_ctas, bool) or num_ctas not in (1, 2):
        raise ValueError(f"num_ctas must be 1 or 2, got {num_ctas!r}")
    if num_ctas == 2:
        out.append(("num_ctas", "2"))
    fusion = _unwrap(opts.get("enable_fp_fusion", True))
    if not isinstance(fusion, bool):
        raise ValueError(f"enable_fp_fusion must be a bool, got {fusion!r}")
    if not fusion:
        out.append(("enable_fp_fusion", "0"))
    maxnreg = _unwrap(opts.get("maxnreg"))
    if maxnreg is not None:
        if isinstance(maxnreg, bool) or not isinstance(maxnreg, int) or maxnreg < 1:
            raise ValueError(f"maxnreg must be a positive int or None, got {maxnreg!r}")
        out.append(("maxnreg", str(maxnreg)))
    return tuple(out)


def _grid(grid: Any) -> tuple[int, int, int]:
    if type(grid) is tuple and len(grid) == 1 and type(grid[0]) is int and 0 <= grid[0] <= GRID_LIMITS[0]:
        return grid[0], 1, 1
    if isinstance(grid, int):
        grid = (grid,)
    if not isinstance(grid, (tuple, list)) or not 1 <= len(grid) <= 3:
        raise TypeError(
            f"the grid must be a tuple of 1 to 3 ints or a callable returning one, got {grid!r}"
        )
    dims: list[int] = []
    for axis, g in enumerate(grid):
        if isinstance(g, bool) or not hasattr(type(g), "__index__"):
            raise TypeError(
                f"grid[{axis}] must be an int, got {type(g).__name__} {g!r} (grid {grid!r})"
            )
        d = operator.index(g)
        if not 0 <= d <= GRID_LIMITS[axis]:
            raise ValueError(
                f"grid[{axis}] = {d} is outside 0..{GRID_LIMITS[axis]}, the number of "
                f"programs a launch can have along {'xyz'[axis]} (grid {grid!r})"
            )
        dims.append(d)
    dims += [1] * (3 - len(dims))
    return dims[0], dims[1], dims[2]


def jit(
    fn: Callable[..., Any] | None = None,
    *,
    do_not_specialize: Iterable[int | str] = (),
    debug: bool | None = None,
    noinline: bool = False,
    repr: Callable[[Any], str] | None = None,  # noqa: A002 - Triton's name
    **_ignored: Any,
) -> Any:
    """Decorator: ``@tessel.jit`` or ``@tessel.jit(do_not_specialize=[...],
    debug=True)``; ``debug`` compiles ``tl.device_assert`` in (default: the
    TESSEL_DEBUG environment variable); ``noinline=True`` makes calls from
    other kernels real calls; ``repr(specialization)`` names each compiled
    kernel (``specialization.signature``, ``.constants``), as Triton's.  Other
    Triton options are accepted and ignored."""
    if fn is None:
        return lambda f: JITFunction(f, do_not_specialize, debug, noinline, repr)
    return JITFunction(fn, do_not_specialize, debug, noinline, repr)
