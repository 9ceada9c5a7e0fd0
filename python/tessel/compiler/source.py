"""Parsed kernel source: the AST of a Python function and where it came from."""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import CompilationError
from ..language.core import is_const_annotation, is_constexpr_annotation

NO_DEFAULT = inspect.Parameter.empty


@dataclass(frozen=True)
class Param:
    name: str
    is_constexpr: bool
    default: Any = NO_DEFAULT
    #: annotated ``tl.const``: its pointers are ``tl.const_pointer_type``
    is_const: bool = False


@dataclass
class FunctionSource:
    """The AST of ``fn`` with offsets mapping AST positions to file positions."""

    fn: Callable[..., Any]
    name: str
    filename: str
    tree: ast.FunctionDef
    line_offset: int
    col_offset: int
    params: list[Param]
    globals: dict[str, Any]
    closure: dict[str, Any] = field(default_factory=dict)

    def position(self, node: ast.AST) -> tuple[int, int]:
        """(1-based line, 0-based column) of ``node`` in the file."""
        return (
            getattr(node, "lineno", 1) + self.line_offset,
            getattr(node, "col_offset", 0) + self.col_offset,
        )

    def error(self, node: ast.AST, message: str) -> CompilationError:
        line, col = self.position(node)
        return CompilationError(message, self.filename, line, col)


def signature_params(fn: Callable[..., Any]) -> list[Param]:
    params = []
    for p in inspect.signature(fn).parameters.values():
        if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
            raise TypeError(
                f"{fn.__name__}: *args and **kwargs parameters are not supported "
                "in @tessel.jit functions"
            )
        params.append(Param(p.name, is_constexpr_annotation(p.annotation), p.default,
                            is_const_annotation(p.annotation)))
    return params


def parse_function(fn: Callable[..., Any]) -> FunctionSource:
    filename = inspect.getsourcefile(fn) or fn.__code__.co_filename
    try:
        lines, start = inspect.getsourcelines(fn)
    except (OSError, TypeError) as e:
        raise CompilationError(f"cannot read the source of {fn.__name__}: {e}") from None
    text = "".join(lines)
    dedented = textwrap.dedent(text)
    first = next((ln for ln in lines if ln.strip()), "")
    first_dedented = next((ln for ln in dedented.splitlines() if ln.strip()), "")
    indent = len(first.rstrip("\n")) - len(first_dedented)
    module = ast.parse(dedented, filename=filename)
    tree = module.body[0] if module.body else None
    if not isinstance(tree, ast.FunctionDef):
        raise CompilationError(f"{fn.__name__} is not a plain `def` function", filename, start, 0)
    closure: dict[str, Any] = {}
    for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
        try:
            closure[name] = cell.cell_contents
        except ValueError:  # empty cell
            pass
    return FunctionSource(
        fn=fn,
        name=fn.__name__,
        filename=filename,
        tree=tree,
        line_offset=start - 1,
        col_offset=indent,
        params=signature_params(fn),
        globals=fn.__globals__,
        closure=closure,
    )
