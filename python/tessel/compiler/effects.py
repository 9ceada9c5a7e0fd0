"""Which pointer arguments a kernel may store through.

``stored_arguments(ir)`` reads the Tile IR text the frontend produced (the
kernel and its ``noinline`` functions) and returns the positions of the
kernel's runtime arguments that a ``tile.store``, an atomic or an opaque op
(inline assembly, an external function) may write through.  The launcher uses
it to refuse read-only NumPy arrays for those arguments.

The analysis is a may-alias provenance over SSA values, conservative by
construction (it may name an argument that is never written, never miss one):

- each kernel argument is its own source; a value's sources are those of the
  operands it is computed from (``tile.addptr`` from its base pointer,
  ``arith.select`` from its two choices, the shape ops from all operands);
- pointers whose origin is unknown (loaded from memory, returned by an op the
  analysis does not model) may be any argument;
- region ops pass sources along their SSA edges: ``scf.for``/``scf.while``
  iteration arguments from their initial values and from every ``scf.yield``/
  ``scf.condition``, results from the terminators; other region ops (reduce,
  scan) from every operand and terminator value;
- calls bind the callee's parameters to the call's operands and the call's
  results to the callee's ``return`` (one summary per function, shared by
  every call site).

Values that are not pointers cannot become pointers in Tile IR (the frontend
has no integer-to-pointer cast), so only pointer provenance is tracked; any
line the analysis does not understand makes every pointer argument count as
stored through.
"""

from __future__ import annotations

import re
from typing import Iterable

__all__ = ["stored_arguments", "UNKNOWN"]

#: A source standing for "any pointer argument".
UNKNOWN = -1

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_VALUE = re.compile(r"%[\w$.\-]+(?:#\d+)?")
_DEF = re.compile(r"^(%[\w$.\-]+)(?::(\d+))?\s*=\s*")
_OP = re.compile(r"^([a-z_][\w]*(?:\.[\w]+)+|return)\b")
_PAIR = re.compile(r"(%[\w$.\-]+)\s*=\s*(%[\w$.\-]+(?:#\d+)?)")
_FUNC = re.compile(r"^func\.func\s+(?:private\s+)?@([\w$.\-]+)\((.*?)\)\s*(?:->|attributes|\{)")
_CALL = re.compile(r"func\.call\s+@([\w$.\-]+)\((.*?)\)")

# Ops whose results carry exactly their operands' sources.
_PROPAGATE = frozenset({
    "tile.splat", "tile.broadcast", "tile.expand_dims", "tile.reshape", "tile.trans",
    "tile.join", "tile.split", "tile.xor_permute", "tile.gather", "tile.ptr_cast",
    "tile.hint",
})
# Memory reads: a result is a pointer only when memory holds pointers.
_READS = frozenset({"tile.load", "tile.atomic_rmw", "tile.atomic_cas"})
# Ops writing memory through their first pointer operand.
_WRITES_FIRST = frozenset({"tile.store", "tile.atomic_rmw", "tile.atomic_cas"})
# Tile ops known not to write memory; any other tile op (and inline assembly,
# external calls) is taken to write through every pointer operand.
_NO_WRITE = frozenset({
    "tile.load", "tile.addptr", "tile.make_range", "tile.program_id", "tile.num_programs",
    "tile.reduce", "tile.reduce.return", "tile.scan", "tile.scan.return", "tile.dot",
    "tile.barrier", "tile.print", "tile.assert", "tile.assume",
} | _PROPAGATE)
_TERMINATORS = frozenset({"scf.yield", "scf.condition", "tile.reduce.return",
                          "tile.scan.return"})


class _Unsupported(Exception):
    """A line the analysis cannot read: be conservative."""


class _Frame:
    """An open region op: its kind, results, head-defined block arguments and
    the terminators seen in each of its regions."""

    def __init__(self, op: str, results: list[str], head: str) -> None:
        self.op = op
        self.results = results
        self.head = head
        self.head_uses: list[str] = []
        self.block_args: list[list[str]] = [[]]   # per region, from ^bb labels
        self.terminators: list[list[tuple[str, list[str]]]] = [[]]
        self.iter_args: list[str] = []            # scf.for iter_args / scf.while before args
        self.iter_inits: list[str] = []


class _Analysis:
    def __init__(self) -> None:
        self.edges: dict[str, set[str]] = {}      # node -> nodes whose sources flow into it
        self.seeds: dict[str, set[int]] = {}
        self.written: set[str] = set()            # nodes stored through
        self.params: dict[str, list[str]] = {}    # function -> parameter nodes
        self.returns: dict[str, list[list[str]]] = {}
        self.calls: list[tuple[str, list[str], list[str]]] = []  # callee, operands, results
        self.kernel: str | None = None
        self.kernel_ptr_args: list[int] = []

    # -- graph --
    def flow(self, dst: str, srcs: Iterable[str]) -> None:
        self.edges.setdefault(dst, set()).update(srcs)

    def seed(self, node: str, source: int) -> None:
        self.seeds.setdefault(node, set()).add(source)

    # -- parsing --
    def run(self, ir: str) -> None:
        fn: str | None = None
        stack: list[_Frame] = []
        for raw in ir.splitlines():
            line = _STRING.sub('""', raw).strip()
            if not line or line in ("module {", "}") and fn is None:
                continue
            if line.startswith("func.func"):
                fn = self._function(line)
                continue
            if fn is None:
                raise _Unsupported(line)
            if line.startswith("}"):
                if not stack:           # the function's closing brace
                    fn = None
                    continue
                rest = line[1:].strip()
                if rest.endswith("{"):  # } else {  /  } do {
                    stack[-1].block_args.append([])
                    stack[-1].terminators.append([])
                    continue
                self._close(fn, stack.pop())
                continue
            if line.startswith("^"):
                if not stack:
                    raise _Unsupported(line)
                # ^bb0(%a: T, %b: T): the names before the colons
                stack[-1].block_args[-1] = [
                    self._node(fn, m.group(1))
                    for m in re.finditer(r"(%[\w$.\-]+)\s*:", line)
                ]
                continue
            results, op, body = self._split(fn, line)
            if line.endswith("{"):
                stack.append(self._open(fn, op, results, body))
                continue
            self._op(fn, op, results, body, stack)
        if stack or fn is not None or self.kernel is None:
            raise _Unsupported("unbalanced IR")

    def _node(self, fn: str, value: str) -> str:
        return f"{fn}:{value}"

    def _function(self, line: str) -> str:
        m = _FUNC.match(line)
        if m is None:
            raise _Unsupported(line)
        name, params = m.group(1), m.group(2)
        decls = [p for p in re.split(r",\s*(?=%)", params) if p.strip()]
        nodes = []
        kernel = "tile.kernel" in line
        for i, decl in enumerate(decls):
            v = _VALUE.match(decl.strip())
            if v is None:
                raise _Unsupported(line)
            node = self._node(name, v.group(0))
            nodes.append(node)
            if kernel:
                self.seed(node, i)
                if "!tile.ptr" in decl:
                    self.kernel_ptr_args.append(i)
        self.params[name] = nodes
        self.returns.setdefault(name, [])
        if kernel:
            if self.kernel is not None:
                raise _Unsupported("two kernels in one module")
            self.kernel = name
        return name

    def _split(self, fn: str, line: str) -> tuple[list[str], str, str]:
        """(result nodes, op name, the text after the op name)."""
        results: list[str] = []
        m = _DEF.match(line)
        rest = line
        if m is not None:
            name, count = m.group(1), m.group(2)
            if count is None:
                results = [self._node(fn, name)]
            else:
                results = [self._node(fn, f"{name}#{i}") for i in range(int(count))]
            rest = line[m.end():]
        op = _OP.match(rest)
        if op is None:
            raise _Unsupported(line)
        return results, op.group(1), rest[op.end():]

    def _uses(self, fn: str, text: str) -> list[str]:
        return [self._node(fn, v) for v in _VALUE.findall(text)]

    def _open(self, fn: str, op: str, results: list[str], body: str) -> _Frame:
        frame = _Frame(op, results, body)
        if op == "scf.for":
            m = re.search(r"iter_args\((.*?)\)\s*->", body)
            pairs = _PAIR.findall(m.group(1)) if m else []
            frame.iter_args = [self._node(fn, a) for a, _ in pairs]
            frame.iter_inits = [self._node(fn, i) for _, i in pairs]
        elif op == "scf.while":
            m = re.match(r"\s*\((.*?)\)\s*:", body)
            pairs = _PAIR.findall(m.group(1)) if m else []
            frame.iter_args = [self._node(fn, a) for a, _ in pairs]
            frame.iter_inits = [self._node(fn, i) for _, i in pairs]
        elif op != "scf.if":
            frame.head_uses = self._uses(fn, body)
        if len(frame.iter_args) != len(frame.iter_inits):
            raise _Unsupported(body)
        for a, i in zip(frame.iter_args, frame.iter_inits):
            self.flow(a, [i])
        return frame

    def _close(self, fn: str, f: _Frame) -> None:
        terms = f.terminators
        if f.op == "scf.if":
            for region in terms:
                for _, vals in region:
                    self._positional(f.results, vals)
        elif f.op == "scf.for":
            for _, vals in terms[0]:
                self._positional(f.iter_args, vals)
            self._positional(f.results, f.iter_args)
        elif f.op == "scf.while":
            if len(terms) != 2 or len(f.block_args) != 2:
                raise _Unsupported(f.head)
            for _, vals in terms[0]:            # scf.condition(%c) forwarded values
                self._positional(f.results, vals)
                self._positional(f.block_args[1], vals)
            for _, vals in terms[1]:            # scf.yield -> the before-region arguments
                self._positional(f.iter_args, vals)
        else:                                   # reduce, scan, anything else
            srcs = list(f.head_uses)
            for region in terms:
                for _, vals in region:
                    srcs += vals
            for region_args in f.block_args:
                for a in region_args:
                    self.flow(a, srcs)
            for r in f.results:
                self.flow(r, srcs)

    def _positional(self, dsts: list[str], vals: list[str]) -> None:
        if len(dsts) != len(vals):
            raise _Unsupported("mismatched region values")
        for d, v in zip(dsts, vals):
            self.flow(d, [v])

    def _op(self, fn: str, op: str, results: list[str], body: str, stack: list[_Frame]) -> None:
        uses = self._uses(fn, body)
        if op in _TERMINATORS:
            if not stack:
                raise _Unsupported(op)
            if op == "scf.condition":
                uses = uses[1:]             # the condition itself is not forwarded
            stack[-1].terminators[-1].append((op, uses))
            return
        if op == "return":
            if stack:
                raise _Unsupported("return inside a region")
            self.returns[fn].append(uses)
            return
        if op == "func.call":
            m = _CALL.match("func.call" + body)
            if m is None:
                raise _Unsupported(body)
            self.calls.append((m.group(1), self._uses(fn, m.group(2)), results))
            return
        if op in _WRITES_FIRST:
            if not uses:
                raise _Unsupported(body)
            self.written.add(uses[0])
        elif op not in _NO_WRITE and (op.startswith("tile.") or op.startswith("llvm.")):
            self.written.update(uses)       # inline asm, extern calls, unknown tile ops
        if not results:
            return
        if op in _READS:
            if "!tile.ptr<!tile.ptr" in body:
                for r in results:
                    self.seed(r, UNKNOWN)
            return
        if op == "tile.addptr":
            srcs = uses[:1]
        elif op == "arith.select":
            srcs = uses[1:]
        elif op in _PROPAGATE:
            srcs = uses
        else:
            # Arithmetic, math, constants, dot, ...: their results are not
            # pointers, unless the op is one this analysis does not model.
            srcs = []
            if "!tile.ptr" in body:
                for r in results:
                    self.seed(r, UNKNOWN)
        for r in results:
            self.flow(r, srcs)

    # -- solving --
    def solve(self) -> tuple[int, ...]:
        for callee, operands, results in self.calls:
            params = self.params.get(callee)
            if params is None or len(params) != len(operands):
                raise _Unsupported(f"call to {callee}")
            self._positional(params, operands)
            for ret in self.returns[callee]:
                self._positional(results, ret)
        users: dict[str, list[str]] = {}
        for dst, srcs in self.edges.items():
            for s in srcs:
                users.setdefault(s, []).append(dst)
        sources: dict[str, set[int]] = {n: set(s) for n, s in self.seeds.items()}
        work = list(sources)
        while work:
            node = work.pop()
            mine = sources.get(node)
            if not mine:
                continue
            for dst in users.get(node, ()):
                theirs = sources.setdefault(dst, set())
                if not mine <= theirs:
                    theirs |= mine
                    work.append(dst)
        stored: set[int] = set()
        for node in self.written:
            stored |= sources.get(node, set())
        if UNKNOWN in stored:
            return tuple(self.kernel_ptr_args)
        return tuple(i for i in self.kernel_ptr_args if i in stored)


def stored_arguments(ir: str) -> tuple[int, ...] | None:
    """Positions (among the kernel function's arguments, i.e. the runtime
    arguments of the launch) of the pointer arguments that the kernel in the
    Tile IR module ``ir`` may store through, in increasing order; None when
    the kernel's own signature cannot be read (then: every pointer argument)."""
    a = _Analysis()
    try:
        a.run(ir)
        return a.solve()
    except _Unsupported:
        return tuple(a.kernel_ptr_args) if a.kernel is not None else None
