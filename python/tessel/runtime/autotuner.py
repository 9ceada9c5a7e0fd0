"""Autotuning: ``tessel.autotune``, ``tessel.heuristics``, ``tessel.Config``.

Triton's public names and semantics (``triton.runtime.autotuner``), so that
Triton code ports by changing its imports::

    @tessel.autotune(configs=[tessel.Config({"BLOCK": 128}, num_warps=4),
                              tessel.Config({"BLOCK": 1024}, num_warps=8)],
                     key=["n"])
    @tessel.jit
    def kernel(x_ptr, n, BLOCK: tl.constexpr): ...

    kernel[lambda META: (tessel.cdiv(n, META["BLOCK"]),)](x, n)

On the first launch for a new key (the values of the ``key`` arguments and the
dtypes of the arguments that have one), every config left after
``prune_configs_by`` is compiled (in parallel threads: the C++ compile
releases the GIL), then timed with ``do_bench``; configs that fail to compile
or to run are skipped with a warning.  The fastest config is kept in memory
per key and on disk per device and key, under ``$TESSEL_CACHE_DIR/autotune``
(``~/.cache/tessel`` by default; ``TESSEL_CACHE_DIR=0`` turns it off), so a
new process reuses it.  ``TESSEL_PRINT_AUTOTUNING=1`` prints each decision.
"""

from __future__ import annotations

import builtins
import copy as _copy
import math
import os
import sys
import time
import warnings
from typing import Any, Callable, Iterable, Sequence

# json, hashlib, tempfile, platform, shutil and concurrent.futures are
# imported where they are used, when a kernel is tuned: `import tessel`
# stays fast.

from ..errors import AutotunerError

__all__ = ["Autotuner", "Config", "Heuristics", "autotune", "heuristics", "KernelInterface"]

#: Version of the JSON files under ``$TESSEL_CACHE_DIR/autotune``.
_DISK_FORMAT = 1
_INF = float("inf")


# ---------------------------------------------------------------------------
# Config
# ---------------------------------------------------------------------------
class Config:
    """One candidate configuration: meta-parameters (``kwargs``, passed to the
    kernel as keyword arguments) and launch options.

    ``num_stages=None`` uses the target's default (3 on GPUs, 1 on the CPU);
    ``num_ctas=2`` launches Hopper kernels whose loops copy blocks by TMA in
    clusters of two programs that share those copies (other values than 1
    and 2 fail, and the config is skipped);
    ``maxnreg`` limits registers per thread on NVIDIA.  ``pre_hook(nargs)`` runs before each
    launch with this config (``nargs``: every argument by name, the config's
    meta-parameters included)."""

    def __init__(
        self,
        kwargs: dict[str, Any],
        num_warps: int = 4,
        num_stages: int | None = None,
        num_ctas: int = 1,
        maxnreg: int | None = None,
        pre_hook: Callable[[dict[str, Any]], Any] | None = None,
    ) -> None:
        self.kwargs = dict(kwargs)
        self.num_warps = num_warps
        self.num_stages = num_stages
        self.num_ctas = num_ctas
        self.maxnreg = maxnreg
        self.pre_hook = pre_hook

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.kwargs = state.get("kwargs", {})
        self.num_warps = state.get("num_warps", 4)
        self.num_stages = state.get("num_stages", None)
        self.num_ctas = state.get("num_ctas", 1)
        self.maxnreg = state.get("maxnreg", None)
        self.pre_hook = state.get("pre_hook", None)

    def all_kwargs(self) -> dict[str, Any]:
        """The meta-parameters and the launch options that are set, as the
        keyword arguments of a launch."""
        options = (
            ("num_warps", self.num_warps),
            ("num_ctas", self.num_ctas),
            ("num_stages", self.num_stages),
            ("maxnreg", self.maxnreg),
        )
        return {**self.kwargs, **{k: v for k, v in options if v is not None}}

    def __str__(self) -> str:
        parts = [f"{k}: {v}" for k, v in self.kwargs.items()]
        parts += [
            f"num_warps: {self.num_warps}",
            f"num_ctas: {self.num_ctas}",
            f"num_stages: {self.num_stages}",
            f"maxnreg: {self.maxnreg}",
        ]
        return ", ".join(parts)

    def __repr__(self) -> str:
        extra = "".join(
            f", {name}={value!r}"
            for name, value, default in (
                ("num_stages", self.num_stages, None),
                ("num_ctas", self.num_ctas, 1),
                ("maxnreg", self.maxnreg, None),
                ("pre_hook", self.pre_hook, None),
            )
            if value != default
        )
        return f"Config({self.kwargs!r}, num_warps={self.num_warps!r}{extra})"

    def _identity(self) -> tuple[Any, ...]:
        return (*self.all_kwargs().items(), self.pre_hook)

    def __hash__(self) -> int:
        return hash(self._identity())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Config):
            return NotImplemented
        return self._identity() == other._identity()


# ---------------------------------------------------------------------------
# wrappers stacked on @tessel.jit
# ---------------------------------------------------------------------------
class KernelInterface:
    """What ``@autotune`` and ``@heuristics`` share with ``@jit``:
    ``kernel[grid](*args, **kwargs)`` calls ``kernel.run(*args, grid=grid,
    **kwargs)``.  Attributes a wrapper lacks are looked up on the function it
    wraps (so ``kernel.best_config`` works above ``@heuristics`` too)."""

    fn: Any
    arg_names: list[str]

    def __getitem__(self, grid: Any) -> Callable[..., Any]:
        return lambda *args, **kwargs: self.run(*args, grid=grid, **kwargs)

    def run(self, *args: Any, grid: Any, **kwargs: Any) -> Any:  # pragma: no cover
        raise NotImplementedError

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            f"{type(self).__name__} {self.__name__} cannot be called directly: launch it "
            f"with {self.__name__}[grid](...)"
        )

    def __getattr__(self, name: str) -> Any:
        fn = self.__dict__.get("fn")
        if fn is None or name.startswith("__"):
            raise AttributeError(f"{type(self).__name__} object has no attribute '{name}'")
        return getattr(fn, name)

    def _wrap(self, fn: Any) -> None:
        self.fn = fn
        self.arg_names = list(fn.arg_names)
        for attr in ("__name__", "__qualname__", "__module__", "__doc__"):
            value = getattr(fn, attr, None)
            if value is not None:
                self.__dict__[attr] = value

    @property
    def base_fn(self) -> Any:
        """The innermost ``@tessel.jit`` function."""
        fn = self.fn
        while isinstance(fn, KernelInterface):
            fn = fn.fn
        return fn

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fn!r})"


class Heuristics(KernelInterface):
    """``@tessel.heuristics(values)``: each launch computes the
    meta-parameters ``values`` names from the arguments."""

    def __init__(self, fn: Any, arg_names: Sequence[str], values: dict[str, Callable]) -> None:
        self._wrap(fn)
        self.arg_names = list(arg_names)
        self.values = dict(values)

    def _complete(self, args: Sequence[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        kwargs = dict(kwargs)
        for name, heuristic in self.values.items():
            kwargs[name] = heuristic({**dict(zip(self.arg_names, args)), **kwargs})
        return kwargs

    def run(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn.run(*args, **self._complete(args, kwargs))

    def warmup(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn.warmup(*args, **self._complete(args, kwargs))


def heuristics(values: dict[str, Callable[[dict[str, Any]], Any]]) -> Callable[[Any], Heuristics]:
    """Decorator: meta-parameters computed from the arguments, as Triton's::

        @tessel.heuristics({"BLOCK": lambda args: tessel.next_power_of_2(args["n"])})
        @tessel.jit
        def kernel(x_ptr, n, BLOCK: tl.constexpr): ...

    Each function gets a dict of every argument by name (with the keyword
    arguments of the launch, and the config's meta-parameters when it sits
    below ``@autotune``)."""

    def decorator(fn: Any) -> Heuristics:
        return Heuristics(fn, fn.arg_names, values)

    return decorator


class Autotuner(KernelInterface):
    """``@tessel.autotune(...)`` around a kernel; see :func:`autotune`.

    ``cache`` maps each tuning key to its best :class:`Config`,
    ``best_config`` is the config of the last launch, ``configs_timings``
    the timings of the last tuning (config -> do_bench's result; ``inf`` for
    configs that failed) and ``bench_time`` its duration in seconds."""

    def __init__(
        self,
        fn: Any,
        arg_names: Sequence[str],
        configs: Sequence[Config] | None,
        key: Sequence[str],
        reset_to_zero: Iterable[str] | None,
        restore_value: Iterable[str] | None,
        pre_hook: Callable[..., Any] | None = None,
        post_hook: Callable[..., Any] | None = None,
        prune_configs_by: dict[str, Any] | None = None,
        warmup: float | None = None,
        rep: float | None = None,
        do_bench: Callable[..., Any] | None = None,
    ) -> None:
        self._wrap(fn)
        self.arg_names = list(arg_names)
        self.configs = list(configs) if configs else [Config({})]
        for c in self.configs:
            if not isinstance(c, Config):
                raise TypeError(f"autotune: configs must be tessel.Config objects, got {c!r}")
        if isinstance(key, str):
            key = [key]
        self.keys = list(key)
        unknown = [k for k in self.keys if k not in self.arg_names]
        if unknown:
            warnings.warn(
                f"autotune({self.__name__}): key {unknown} names no argument of the kernel "
                f"(arguments: {', '.join(self.arg_names)}); it is ignored",
                stacklevel=3,
            )
        self.cache: dict[tuple[Any, ...], Config] = _ConfigCache(self)
        # key -> (config, launch keyword arguments): what run() looks up.
        self._launch_cache: dict[tuple[Any, ...], tuple[Config, dict[str, Any]]] = {}
        self._key_positions = [(k, self.arg_names.index(k)) for k in self.keys
                               if k in self.arg_names]
        self._arg_name_set = frozenset(self.arg_names)
        self.best_config: Config | None = None
        self.configs_timings: dict[Config, Any] = {}
        self.bench_time = 0.0
        self.nargs: dict[str, Any] | None = None

        self.reset_to_zero = list(reset_to_zero or [])
        self.restore_value = list(restore_value or [])
        for name in self.reset_to_zero + self.restore_value:
            if name not in self.arg_names:
                raise ValueError(
                    f"autotune({self.__name__}): '{name}' (reset_to_zero/restore_value) "
                    "is not an argument of the kernel"
                )
        self.restore_copies: dict[str, Any] = {}
        # pre_hook(nargs, reset_only=False) / post_hook(nargs, exception): a
        # user's replace the ones that reset_to_zero and restore_value make.
        self.user_defined_pre_hook = pre_hook is not None
        self.user_defined_post_hook = post_hook is not None
        self.pre_hook: Callable[..., Any] = pre_hook or self._default_pre_hook
        self.post_hook: Callable[..., Any] = post_hook or self._default_post_hook

        prune = dict(prune_configs_by or {})
        unknown = set(prune) - {"perf_model", "top_k", "early_config_prune"}
        if unknown:
            raise ValueError(
                f"autotune: unknown prune_configs_by entries {sorted(unknown)} "
                "(expected perf_model, top_k, early_config_prune)"
            )
        self.perf_model = prune.get("perf_model")
        self.configs_top_k = prune.get("top_k", 1.0)
        self.early_config_prune = prune.get("early_config_prune")

        self.num_warmups = warmup
        self.num_reps = rep
        self._do_bench = do_bench
        self._disk_warned = False

    # ------------------------------------------------------------- hooks
    def _default_pre_hook(self, nargs: dict[str, Any], reset_only: bool = False) -> None:
        for name in self.reset_to_zero:
            if nargs.get(name) is not None:
                _zero(nargs[name])
        if not reset_only:
            self.restore_copies = {
                name: _clone(nargs[name]) for name in self.restore_value if nargs.get(name) is not None
            }

    def _default_post_hook(self, nargs: dict[str, Any], exception: BaseException | None) -> None:
        for name, saved in self.restore_copies.items():
            _copy_into(nargs[name], saved)
        self.restore_copies = {}

    # ------------------------------------------------------------ do_bench
    def do_bench(self, fn: Callable[[], Any], quantiles: Sequence[float] | None = None) -> Any:
        """The benchmark of one config: the ``do_bench`` given to
        ``autotune``, else ``tessel.testing.do_bench`` (``warmup``/``rep``
        ms, 25/100 by default) on the arguments' device."""
        if self._do_bench is not None:
            return self._do_bench(fn, quantiles=quantiles)
        from .. import testing

        return testing.do_bench(
            fn,
            warmup=25 if self.num_warmups is None else self.num_warmups,
            rep=100 if self.num_reps is None else self.num_reps,
            quantiles=quantiles,
            device=self._bench_device,
        )

    _bench_device: str | None = None

    # ----------------------------------------------------------------- run
    def run(self, *args: Any, **kwargs: Any) -> Any:
        # The hot path (a tuned key): the key, one dict lookup, the launch.
        if len(self.configs) > 1:
            key = self._tuning_key(args, kwargs)
            hit = self._launch_cache.get(key)
            if hit is None:
                hit = self._launch_cache[key] = self._choose(key, args, kwargs)
            config, launch_kwargs = hit
        else:
            config = self.configs[0]
            launch_kwargs = _launch_kwargs(config)
        self.best_config = config
        if config.pre_hook is not None:
            config.pre_hook({**dict(zip(self.arg_names, args)), **kwargs, **config.all_kwargs()})
        return self.fn.run(*args, **kwargs, **launch_kwargs)

    def _choose(self, key: tuple[Any, ...], args: Sequence[Any], kwargs: dict[str, Any]
                ) -> tuple[Config, dict[str, Any]]:
        """The config for a key seen for the first time here: ``cache``
        (filled by an earlier launch or by hand), else the disk cache or a
        tuning; with the keyword arguments that launch it."""
        config = self.cache.get(key)
        if config is None:
            self.nargs = dict(zip(self.arg_names, args))
            try:
                config = self._tune(key, args, kwargs)
            finally:
                self.nargs = None
        return config, _launch_kwargs(config)

    def _tuning_key(self, args: Sequence[Any], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        """The values of the ``key`` arguments that are passed, then the
        dtypes of the arguments that have one (as Triton)."""
        key = []
        n = len(args)
        for name, i in self._key_positions:
            if i < n:
                key.append(args[i])
            elif name in kwargs:
                key.append(kwargs[name])
        names = self._arg_name_set
        for v in (*args[: len(self.arg_names)], *(v for k, v in kwargs.items() if k in names)):
            dtype = getattr(v, "dtype", None)
            if dtype is not None:
                try:
                    text = _DTYPE_NAMES.get(dtype)
                    if text is None:
                        text = _DTYPE_NAMES[dtype] = str(dtype)
                except TypeError:  # an unhashable dtype
                    text = str(dtype)
                key.append(text)
        return tuple(key)

    def prune_configs(self, kwargs: dict[str, Any]) -> list[Config]:
        """``early_config_prune(configs, nargs, **kwargs)``, then the
        ``top_k`` configs by ``perf_model(**nargs, **kwargs, **config)``
        (``top_k`` an int, or a fraction <= 1 of the configs)."""
        nargs = self.nargs or {}
        pruned = list(self.configs)
        if self.early_config_prune is not None:
            pruned = list(self.early_config_prune(pruned, nargs, **kwargs) or [])
            if not pruned:
                raise AutotunerError(
                    f"{self.__name__}: no configs left after early_config_prune "
                    "(it must return at least one config)"
                )
        if self.perf_model is not None:
            top_k = self.configs_top_k
            if isinstance(top_k, float) and top_k <= 1.0:
                top_k = max(1, int(len(pruned) * top_k))
            elif isinstance(top_k, bool) or not isinstance(top_k, int):
                raise TypeError(
                    "prune_configs_by['top_k'] must be an int or a float <= 1.0, "
                    f"got {self.configs_top_k!r}"
                )
            if len(pruned) > top_k:
                estimate = {
                    c: self.perf_model(**nargs, **kwargs, **c.all_kwargs()) for c in pruned
                }
                pruned = sorted(pruned, key=lambda c: estimate[c])[:top_k]
        return pruned

    def warmup(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Compiles every config left after pruning (in parallel) without
        launching; returns the compiled kernels."""
        self.nargs = dict(zip(self.arg_names, args))
        try:
            configs = self.prune_configs(kwargs)
            results = self._compile_all(args, kwargs, configs, None)
        finally:
            self.nargs = None
        for c in configs:
            if isinstance(results[c], BaseException):
                raise results[c]
        return [results[c] for c in configs]

    # -------------------------------------------------------------- tuning
    def _tune(self, key: tuple[Any, ...], args: Sequence[Any], kwargs: dict[str, Any]) -> Config:
        configs = self.prune_configs(kwargs)
        conflicts = sorted(set(kwargs) & {k for c in configs for k in c.kwargs})
        if conflicts:
            raise ValueError(
                f"Conflicting meta-parameters: {', '.join(conflicts)}. Make sure that you "
                "don't re-define auto-tuned symbols."
            )
        if len(configs) == 1:  # nothing to compare
            self.cache[key] = configs[0]
            return configs[0]
        device = _device_of(list(args) + list(kwargs.values()))
        self._bench_device = "cuda" if isinstance(device, tuple) else "cpu"
        verbose = _env_flag("TESSEL_PRINT_AUTOTUNING")
        disk = _DiskEntry.make(self, key, configs, device)
        if disk is not None:
            hit = disk.load(configs)
            if hit is not None:
                best, timings = hit
                self.cache[key] = best
                self.configs_timings = timings
                if verbose:
                    print(
                        f"Tessel autotuning for function {self.base_fn.__name__},\n"
                        f"with key as {key},\nbest config from the disk cache "
                        f"({disk.path}): {best};"
                    )
                return best

        start = time.perf_counter()
        progress = _Progress(self.base_fn.__name__, len(configs))
        try:
            compiled = self._compile_all(args, kwargs, configs, progress)
            failures: dict[Config, BaseException] = {
                c: r for c, r in compiled.items() if isinstance(r, BaseException)
            }
            for c, e in failures.items():
                progress.clear()
                self._note_failure(c, "does not compile", e, verbose)
            timings: dict[Config, Any] = {}
            for i, c in enumerate(configs):
                if c in failures:
                    timings[c] = [_INF, _INF, _INF]
                    continue
                progress.show(f"benchmarking {i + 1}/{len(configs)}: {c}")
                if verbose:
                    progress.clear()
                    print(f"Autotuning kernel {self.base_fn.__name__} with config {c}")
                try:
                    timings[c] = self._bench(args, kwargs, c)
                except Exception as e:  # noqa: BLE001 - a config that fails is skipped
                    failures[c] = e
                    timings[c] = [_INF, _INF, _INF]
                    progress.clear()
                    self._note_failure(c, "failed to run", e, verbose)
        finally:
            progress.clear()
        self.bench_time = time.perf_counter() - start
        self.configs_timings = timings
        usable = [c for c in configs if c not in failures and _first(timings[c]) < _INF]
        if not usable:
            lines = [f"{self.base_fn.__name__}: every autotuning config failed (key {key}):"]
            for c in configs:
                why = _describe(failures[c]) if c in failures else "its timing is infinite"
                lines.append(f"  {c}: {why}")
            first = next((failures[c] for c in configs if c in failures), None)
            raise AutotunerError("\n".join(lines)) from first
        best = builtins.min(usable, key=lambda c: _first(timings[c]))
        self.cache[key] = best
        full_nargs = {**(self.nargs or {}), **kwargs, **best.all_kwargs()}
        self.pre_hook(full_nargs, reset_only=True)
        if verbose:
            print(
                f"Tessel autotuning for function {self.base_fn.__name__},\n"
                f"with key as {key},\nfinished after {self.bench_time:.2f}s,\n"
                f"best config selected: {best} ({_format_ms(timings[best])});"
            )
        if disk is not None and not any(c.pre_hook for c in configs):
            self._store(disk, configs, best, timings)
        return best

    def _note_failure(self, config: Config, what: str, error: BaseException, verbose: bool) -> None:
        if verbose:
            print(f"Autotuning failed with {error}")
        _warn(
            f"autotune({self.base_fn.__name__}): config {config} skipped: it {what}: "
            f"{_describe(error)}"
        )

    def _compile_all(
        self,
        args: Sequence[Any],
        kwargs: dict[str, Any],
        configs: Sequence[Config],
        progress: "_Progress | None",
    ) -> dict[Config, Any]:
        """Compiles each config (``fn.warmup``) in parallel threads: the
        compiled kernel, or the exception, per config."""
        kw = {k: v for k, v in kwargs.items() if k not in ("grid", "warmup")}

        def config_args(config: Config) -> tuple[list[Any], dict[str, Any]]:
            """The arguments as the config's launch will see them: a pre_hook
            may give host tensor descriptors their block shape (Triton's
            tutorials do), so it runs on copies of them before compiling."""
            from ..tools.tensor_descriptor import TensorDescriptor

            if config.pre_hook is None or not any(
                isinstance(v, TensorDescriptor) for v in (*args, *kw.values())
            ):
                return list(args), kw
            copy = lambda v: _copy.copy(v) if isinstance(v, TensorDescriptor) else v  # noqa: E731
            a, k = [copy(v) for v in args], {n: copy(v) for n, v in kw.items()}
            config.pre_hook({**dict(zip(self.arg_names, a)), **k, **config.all_kwargs()})
            return a, k

        prepared = {c: config_args(c) for c in configs}

        def build(config: Config) -> Any:
            a, k = prepared[config]
            return self.fn.warmup(*a, **k, **config.all_kwargs())

        results: dict[Config, Any] = {}
        workers = min(len(configs), os.cpu_count() or 1, 16)
        if progress is not None:
            progress.show(f"compiling 0/{len(configs)}")
        if workers <= 1:
            for i, c in enumerate(configs):
                try:
                    results[c] = build(c)
                except Exception as e:  # noqa: BLE001
                    results[c] = e
                if progress is not None:
                    progress.show(f"compiling {i + 1}/{len(configs)}")
            return results
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tessel-autotune") as pool:
            futures = [(c, pool.submit(build, c)) for c in configs]
            for i, (c, f) in enumerate(futures):
                try:
                    results[c] = f.result()
                except Exception as e:  # noqa: BLE001
                    results[c] = e
                if progress is not None:
                    progress.show(f"compiling {i + 1}/{len(configs)}")
        return results

    def _bench(self, args: Sequence[Any], kwargs: dict[str, Any], config: Config) -> Any:
        current = {**kwargs, **_launch_kwargs(config)}
        full_nargs = {**(self.nargs or {}), **kwargs, **config.all_kwargs()}

        def kernel_call() -> None:
            if config.pre_hook is not None:
                config.pre_hook(full_nargs)
            self.pre_hook(full_nargs)
            try:
                self.fn.run(*args, **current)
            except BaseException as e:
                self.post_hook(full_nargs, exception=e)
                raise
            self.post_hook(full_nargs, exception=None)

        return self.do_bench(kernel_call, quantiles=(0.5, 0.2, 0.8))

    def _store(self, disk: "_DiskEntry", configs: list[Config], best: Config, timings: dict) -> None:
        try:
            disk.store(configs, best, timings)
        except (OSError, TypeError, ValueError) as e:
            if not self._disk_warned:
                self._disk_warned = True
                _warn(
                    f"autotune({self.base_fn.__name__}): the result is not saved to the disk "
                    f"cache ({disk.path}): {e}"
                )


class _ConfigCache(dict):  # type: ignore[type-arg]
    """``Autotuner.cache`` (tuning key -> Config, as Triton's); changing it
    also drops what the launch path remembered."""

    def __init__(self, owner: Autotuner) -> None:
        super().__init__()
        self._owner = owner

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self._owner._launch_cache.pop(key, None)

    def __delitem__(self, key: Any) -> None:
        super().__delitem__(key)
        self._owner._launch_cache.pop(key, None)

    def pop(self, key: Any, *default: Any) -> Any:
        self._owner._launch_cache.pop(key, None)
        return super().pop(key, *default)

    def clear(self) -> None:
        super().clear()
        self._owner._launch_cache.clear()


def _launch_kwargs(config: Config) -> dict[str, Any]:
    """``config.all_kwargs()`` without ``num_ctas=1`` (the default, which
    would keep launches off the C++ fast path)."""
    kw = config.all_kwargs()
    if kw.get("num_ctas") == 1:
        del kw["num_ctas"]
    return kw


#: dtype -> its str, for tuning keys
_DTYPE_NAMES: dict[Any, str] = {}


class AutotuneWarning(UserWarning):
    """A config was skipped while autotuning (it failed to compile or to run)."""


def autotune(
    configs: Sequence[Config],
    key: Sequence[str],
    prune_configs_by: dict[str, Any] | None = None,
    reset_to_zero: Iterable[str] | None = None,
    restore_value: Iterable[str] | None = None,
    pre_hook: Callable[..., Any] | None = None,
    post_hook: Callable[..., Any] | None = None,
    warmup: float | None = None,
    rep: float | None = None,
    do_bench: Callable[..., Any] | None = None,
    use_cuda_graph: bool = False,
    cache_results: bool | None = None,
) -> Callable[[Any], Autotuner]:
    """Decorator: tunes a ``@tessel.jit`` kernel over ``configs``, as Triton's.

    - ``key``: argument names; a new combination of their values (and of the
      arguments' dtypes) tunes again.
    - ``prune_configs_by``: ``{"early_config_prune": f(configs, nargs,
      **kwargs) -> configs, "perf_model": f(**nargs, **kwargs, **config) ->
      estimated time, "top_k": int or fraction}``.
    - ``reset_to_zero``: arguments zeroed before each trial (and once before
      the real launch); ``restore_value``: arguments copied before each trial
      and restored after it.  ``pre_hook(nargs, reset_only)`` /
      ``post_hook(nargs, exception)`` replace that behaviour.
    - ``warmup``, ``rep``: milliseconds for ``tessel.testing.do_bench``;
      ``do_bench(fn, quantiles)`` replaces it (it returns a time or a list
      whose first element is the time compared).

    ``use_cuda_graph`` is accepted and ignored (with a warning);
    ``cache_results`` is accepted: results are always cached on disk unless
    ``TESSEL_CACHE_DIR=0``.
    """
    if use_cuda_graph:
        warnings.warn(
            "autotune(use_cuda_graph=True) is not supported: configs are timed without "
            "CUDA graphs",
            stacklevel=2,
        )

    def decorator(fn: Any) -> Autotuner:
        return Autotuner(
            fn, fn.arg_names, configs, key, reset_to_zero, restore_value,
            pre_hook=pre_hook, post_hook=post_hook, prune_configs_by=prune_configs_by,
            warmup=warmup, rep=rep, do_bench=do_bench,
        )

    return decorator


# ---------------------------------------------------------------------------
# arrays and tensors: zero, copy, restore
# ---------------------------------------------------------------------------
def _unwrapped(x: Any) -> Any:
    """The array a tessel.reinterpret wrapper holds (its bytes are the
    argument's), or ``x``."""
    from .driver import TensorWrapper

    return x.base if isinstance(x, TensorWrapper) else x


def _zero(x: Any) -> None:
    x = _unwrapped(x)
    if hasattr(x, "zero_"):
        x.zero_()
    else:
        x[...] = 0


def _clone(x: Any) -> Any:
    x = _unwrapped(x)
    return x.clone() if hasattr(x, "clone") else x.copy()


def _copy_into(dst: Any, src: Any) -> None:
    dst = _unwrapped(dst)
    if hasattr(dst, "copy_"):
        dst.copy_(src)
    else:
        dst[...] = src


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _warn(message: str) -> None:
    """An AutotuneWarning attributed to the first caller outside tessel (the
    launch in the user's code)."""
    level = 2
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    warnings.warn(message, AutotuneWarning, stacklevel=level)


def _first(timing: Any) -> float:
    """The time compared: do_bench's value, or the first of its list."""
    if isinstance(timing, (list, tuple)):
        timing = timing[0] if timing else _INF
    try:
        t = float(timing)
    except (TypeError, ValueError):
        return _INF
    return _INF if math.isnan(t) else t


def _format_ms(timing: Any) -> str:
    t = _first(timing)
    return f"{t:.4f} ms" if t < _INF else "no timing"


def _describe(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    lines = text.splitlines()
    head = lines[0]
    if type(error).__name__ not in head:
        head = f"{type(error).__name__}: {head}"
    return head + (" ..." if len(lines) > 1 else "")


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "0").strip().lower() not in ("", "0", "false", "no", "off")


def _device_of(values: Iterable[Any]) -> Any:
    """The device of the first array or tensor among ``values``: "cpu" or
    ("cuda", index) (None when there is none)."""
    from .driver import handler_for

    for v in values:
        if type(v) in (int, float, bool, str) or v is None:
            continue
        handler = handler_for(type(v))
        if handler is None:
            continue
        try:
            _, _, device = handler(v)
        except Exception:  # noqa: BLE001 - a bad argument fails later, at launch
            continue
        if device is not None:
            return device if isinstance(device, tuple) else "cpu"
    return None


def _cache_root() -> str | None:
    """``$TESSEL_CACHE_DIR`` (None when it is ``0``), else the user's cache
    directory, as the compiled-kernel cache (lib/Compiler/DiskCache.cpp)."""
    d = os.environ.get("TESSEL_CACHE_DIR")
    if d is not None:
        return None if d in ("0", "") else d
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = xdg if xdg else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tessel")


def _device_description(device: Any) -> str:
    """What the timings depend on: the target and the device (GPU name, or
    the host CPU and the CPU backend's thread count)."""
    from .driver import target_for

    target = target_for(device)
    if isinstance(device, tuple):
        torch = sys.modules.get("torch")
        name = "?"
        if torch is not None:
            try:
                name = torch.cuda.get_device_name(device[1])
            except Exception:  # noqa: BLE001
                pass
        return f"{target} {name}"
    import platform

    return (
        f"{target} {platform.machine()} {_cpu_model()} cpus={os.cpu_count()} "
        f"threads={os.environ.get('TESSEL_NUM_THREADS', '')}"
    )


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor()


def _compiler_stamp() -> str:
    """The extension's identity (a rebuilt compiler tunes again)."""
    try:
        from .._ext import _C

        st = os.stat(_C.__file__)
        return f"{getattr(_C, '__version__', '')}:{st.st_size}:{st.st_mtime_ns}"
    except Exception:  # noqa: BLE001
        return ""


def _kernel_source(fn: Any) -> str:
    import inspect

    try:
        return inspect.getsource(fn.fn)
    except (OSError, TypeError, AttributeError):
        return repr(fn)


class _DiskEntry:
    """One tuning result on disk: ``<root>/autotune/<kernel>-<hash>.json``,
    the hash over the compiler, the kernel's source, the device, the tuning
    key and the configs compared."""

    def __init__(self, path: str, meta: dict[str, Any]) -> None:
        self.path = path
        self.meta = meta

    @classmethod
    def make(
        cls, tuner: Autotuner, key: tuple[Any, ...], configs: list[Config], device: Any
    ) -> "_DiskEntry | None":
        root = _cache_root()
        if root is None or any(c.pre_hook for c in configs):
            return None
        import hashlib
        import json
        base = tuner.base_fn
        name = getattr(base, "__name__", "kernel")
        meta = {
            "format": _DISK_FORMAT,
            "kernel": f"{getattr(base.fn, '__module__', '')}:{getattr(base.fn, '__qualname__', name)}",
            "device": _device_description(device),
            "key": [str(k) for k in key],
            "configs": [str(c) for c in configs],
        }
        h = hashlib.sha256()
        for part in (
            _compiler_stamp(),
            _kernel_source(base),
            os.environ.get("TESSEL_TARGET", ""),
            json.dumps(meta, sort_keys=True),
        ):
            h.update(part.encode("utf-8", "replace"))
            h.update(b"\0")
        safe = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in name)[:100]
        path = os.path.join(root, "autotune", f"{safe}-{h.hexdigest()[:32]}.json")
        return cls(path, meta)

    def load(self, configs: list[Config]) -> tuple[Config, dict[Config, Any]] | None:
        """(best config, timings), or None when there is no usable entry (a
        missing, damaged or foreign file is ignored: the caller tunes)."""
        import json

        try:
            with open(self.path, encoding="utf-8") as f:
                data = json.load(f)
            if not isinstance(data, dict) or any(data.get(k) != v for k, v in self.meta.items()):
                return None
            best = data["best"]
            raw = data["timings"]
            if (
                isinstance(best, bool)
                or not isinstance(best, int)
                or not 0 <= best < len(configs)
                or not isinstance(raw, list)
                or len(raw) != len(configs)
            ):
                return None
            timings = {c: _decode_timing(t) for c, t in zip(configs, raw)}
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return configs[best], timings

    def store(self, configs: list[Config], best: Config, timings: dict[Config, Any]) -> None:
        import json
        import tempfile

        data = dict(self.meta)
        data["best"] = configs.index(best)
        data["timings"] = [_encode_timing(timings.get(c)) for c in configs]
        text = json.dumps(data, indent=1)
        directory = os.path.dirname(self.path)
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


def _encode_timing(t: Any) -> Any:
    values = list(t) if isinstance(t, (list, tuple)) else [t]
    out = []
    for v in values:
        try:
            v = float(v)
        except (TypeError, ValueError):
            return None
        out.append(v if math.isfinite(v) else None)
    return out


def _decode_timing(t: Any) -> Any:
    if t is None:
        return [_INF]
    if not isinstance(t, list):
        raise ValueError("bad timing")
    return [_INF if v is None else float(v) for v in t]


class _Progress:
    """A one-line progress indicator on stderr while tuning (only when stderr
    is a terminal)."""

    def __init__(self, name: str, n: int) -> None:
        self.name = name
        stream = sys.stderr
        try:
            self.enabled = bool(stream is not None and stream.isatty())
        except (AttributeError, ValueError):
            self.enabled = False
        self.shown = False

    def show(self, text: str) -> None:
        if not self.enabled:
            return
        import shutil

        width = shutil.get_terminal_size((80, 24)).columns
        line = f"tessel autotune {self.name}: {text}"[: max(width - 1, 10)]
        sys.stderr.write("\r\x1b[K" + line)
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False
