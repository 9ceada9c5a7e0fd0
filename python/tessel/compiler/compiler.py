"""Kernel specializations -> Tile IR text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from ..language.core import DTYPE_BY_NAME, builder_scope, dtype, pointer_type, tensor
from .codegen import CodeGenerator
from .ir import Builder, function, module
from .source import NO_DEFAULT, FunctionSource, parse_function

__all__ = ["ArgSpec", "parse_type", "generate", "make_ir"]


@dataclass(frozen=True)
class ArgSpec:
    """A runtime kernel parameter: its name, type and 16-divisibility."""

    name: str
    type: dtype
    divisible: bool = False


def parse_type(spec: str | dtype) -> tuple[dtype, bool]:
    """``"*fp32"``, ``"*f16:16"``, ``"*kfp32"`` (a ``tl.const`` pointer, as
    Triton writes it), ``"i32"``, ``"u64"``, ``"bf16"``, ... -> (type,
    divisible by 16)."""
    if isinstance(spec, dtype):
        return spec, False
    text = spec.strip()
    divisible = text.endswith(":16")
    if divisible:
        text = text[:-3]
    is_ptr = text.startswith("*")
    name = text.lstrip("*")
    const = is_ptr and name.startswith("k") and name[1:] in DTYPE_BY_NAME
    if const:
        name = name[1:]
    if name not in DTYPE_BY_NAME:
        raise ValueError(f"unknown type {spec!r}")
    ty = DTYPE_BY_NAME[name]
    return (pointer_type(ty, const=const) if is_ptr else ty), divisible


def _source(fn: Any) -> FunctionSource:
    if hasattr(fn, "source"):
        return fn.source()
    return parse_function(fn)


def generate(
    src: FunctionSource,
    args: Sequence[ArgSpec],
    constexprs: Mapping[str, Any],
    debug: bool = False,
    num_warps: int = 4,
    composites: Mapping[str, Callable[[dict[str, Any]], Any]] | None = None,
    name: str | None = None,
) -> str:
    """Tile IR module text of the kernel ``src`` specialized to ``args``
    (runtime parameters, in order) and ``constexprs`` (the other ones);
    ``debug`` compiles device assertions in; ``num_warps`` is what
    ``tl.extra.cuda.num_warps()`` returns. ``composites`` builds parameters
    made of several runtime arguments (host tensor descriptors) from them."""
    b = Builder(debug, num_warps=num_warps)
    scope: dict[str, Any] = dict(constexprs)
    decls = []
    for i, spec in enumerate(args):
        handle = f"%arg{i}"
        attr = " {tile.divisibility = 16 : i32}" if spec.divisible else ""
        decls.append(f"{handle}: {spec.type.to_ir()}{attr}")
        scope[spec.name] = tensor(handle, spec.type)
    parts = dict(scope)
    for param, build in (composites or {}).items():
        scope[param] = build(parts)
    for spec in args:  # the parts of composites are not Python names
        if "." in spec.name:
            del scope[spec.name]
    with builder_scope(b):
        gen = CodeGenerator(src, b, scope, (src.fn,), kernel=True)
        gen.run_body()
    loc = gen.loc_of(src.tree)
    b.loc = loc
    b.emit("return")
    return module([function(name or src.name, decls, b.body, kernel=True, loc=loc),
                   *b.functions])


def make_ir(
    fn: Callable[..., Any] | Any,
    signature: Mapping[str, str | dtype] | Sequence[str | dtype],
    constexprs: Mapping[str, Any] | None = None,
    divisible: Sequence[str] = (),
) -> str:
    """IR text of ``fn`` (a @jit function or a plain function) without compiling.

    ``signature`` gives the runtime parameters' types, as a mapping by name or
    a list in parameter order (``"*fp32"``, ``"i32"``, ``"fp32"``, ``"i1"``...;
    a ``":16"`` suffix or a name in ``divisible`` marks 16-divisibility).
    ``constexprs`` gives every other parameter's value (defaults apply).
    """
    src = _source(fn)
    constexprs = dict(constexprs or {})
    runtime = [
        p
        for p in src.params
        if p.name not in constexprs
        and (not p.is_constexpr or p.name in (signature if isinstance(signature, Mapping) else ()))
    ]
    if isinstance(signature, Mapping):
        unknown = set(signature) - {p.name for p in src.params}
        if unknown:
            raise TypeError(f"{src.name}() has no parameter(s) {sorted(unknown)}")
        runtime = [p for p in runtime if p.name in signature]
        types = [signature[p.name] for p in runtime]
    else:
        runtime = [p for p in runtime if not p.is_constexpr]
        if len(signature) != len(runtime):
            raise TypeError(
                f"{src.name}() has {len(runtime)} runtime parameters "
                f"({[p.name for p in runtime]}) but the signature has {len(signature)}"
            )
        types = list(signature)
    args = []
    for p, t in zip(runtime, types):
        ty, div = parse_type(t)
        args.append(ArgSpec(p.name, ty, div or p.name in divisible))
    given = {a.name for a in args}
    for p in src.params:
        if p.name in given or p.name in constexprs:
            continue
        if p.default is NO_DEFAULT:
            raise TypeError(f"{src.name}(): no type or value given for parameter '{p.name}'")
        constexprs[p.name] = p.default
    return generate(src, args, constexprs)
