"""A small builder for Tile IR *text*.

The builder hands out SSA names, appends op lines to the innermost open
region and stamps each line with the current source location.  Regions
(bodies of scf.for/scf.if/scf.while) are collected as lists of lines and
assembled by ``region_op``.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Sequence

UNKNOWN_LOC = "loc(unknown)"


def location(filename: str, line: int, col: int) -> str:
    """An MLIR file location; ``col`` is 1-based."""
    escaped = filename.replace("\\", "\\\\").replace('"', '\\"')
    return f'loc("{escaped}":{line}:{col})'


def _indent(lines: Sequence[str], by: str = "  ") -> list[str]:
    return [by + line for line in lines]


class Builder:
    """Accumulates the body of one ``func.func``."""

    def __init__(
        self, debug: bool = False, module_of: "Builder | None" = None, num_warps: int = 4
    ) -> None:
        #: ``tl.device_assert`` (and ``assert`` on tensors) are compiled in
        #: only with ``debug``, as in Triton.
        self.debug = debug
        #: the launch's ``num_warps`` (``tl.extra.cuda.num_warps()``)
        self.num_warps = module_of.num_warps if module_of else num_warps
        #: Functions beside the kernel (``noinline`` callees), shared by
        #: every builder of one module: their lines, and by specialization
        #: key their name and result types.
        self.functions: list[list[str]] = module_of.functions if module_of else []
        self.function_keys: dict[Any, tuple[str, list[Any], str]] = (
            module_of.function_keys if module_of else {}
        )
        self._next = 0
        self._regions: list[list[str]] = [[]]
        self.loc = UNKNOWN_LOC
        #: ``inline(jit_fn, args)``: emits a call to a @jit function here and
        #: returns its result.  The code generator installs it while a builtin
        #: runs (tl.reduce inlines its combine function through it).
        self.inline: Callable[[Any, list[Any]], Any] | None = None
        #: > 0 while ``tl.map_elementwise`` inlines its scalar function: an
        #: ``if`` on a block condition then evaluates both branches and
        #: selects per element (see ControlFlowMixin.visit_If).
        self.select_branches = 0

    # -- names --
    def fresh(self, prefix: str = "") -> str:
        n = self._next
        self._next += 1
        return f"%{prefix}{n}"

    # -- emission --
    def emit(self, text: str) -> None:
        """Appends one op (without results, or with results named in text)."""
        self._regions[-1].append(f"{text} {self.loc}")

    def op(self, rhs: str) -> str:
        """Appends ``%N = rhs`` and returns ``%N``."""
        name = self.fresh()
        self.emit(f"{name} = {rhs}")
        return name

    def region_op(
        self, head: str, bodies: Sequence[Sequence[str]], separators: Sequence[str] = (),
        attrs: str = "",
    ) -> None:
        """Appends an op with regions: ``head { b0 } sep { b1 } ... attrs loc``
        (``attrs``: an attribute dictionary after the regions, or "")."""
        lines = [f"{head} {{", *_indent(bodies[0])]
        for sep, body in zip(separators, bodies[1:]):
            lines += [f"}} {sep} {{", *_indent(body)]
        lines.append(f"}} {attrs + ' ' if attrs else ''}{self.loc}")
        self._regions[-1].extend(lines)

    def splice(self, lines: Sequence[str]) -> None:
        """Appends lines collected with ``region`` to the current region."""
        self._regions[-1].extend(lines)

    @contextlib.contextmanager
    def region(self, lines: list[str] | None = None) -> Iterator[list[str]]:
        """Redirects emission into ``lines`` (a new list by default)."""
        target = [] if lines is None else lines
        self._regions.append(target)
        try:
            yield target
        finally:
            self._regions.pop()

    @property
    def body(self) -> list[str]:
        return self._regions[0]


def function(
    name: str,
    args: Sequence[str],
    body: Sequence[str],
    *,
    kernel: bool,
    loc: str,
    results: Sequence[str] = (),
) -> list[str]:
    """Lines of a ``func.func`` with the given argument declarations; other
    functions than kernels are private and never inlined."""
    attrs = " attributes {tile.kernel}" if kernel else " attributes {tile.noinline}"
    visibility = "" if kernel else "private "
    ret = f" -> ({', '.join(results)})" if results else ""
    head = f"func.func {visibility}@{name}({', '.join(args)}){ret}{attrs} {{"
    return [head, *_indent(body), f"}} {loc}"]


def module(funcs: Sequence[Sequence[str]]) -> str:
    lines = ["module {"]
    for f in funcs:
        lines += _indent(f)
    lines.append("}")
    return "\n".join(lines) + "\n"
