"""Checks emitted Tile IR text with an upstream ``mlir-opt`` (no tessel build).

The ``tile.*`` ops are rewritten into MLIR's generic form, which an
``mlir-opt --allow-unregistered-dialect`` parses; everything else (func,
arith, math, scf, locations, attributes) is then parsed and verified for
real.  Every type the generic form needs is recoverable from the op's own
text.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess

_LINE = re.compile(
    r"^(?P<indent>\s*)(?:(?P<res>%[\w#:]+) = )?tile\.(?P<op>\w+) (?P<rest>.*?)"
    r"(?P<loc> loc\(.*\))$"
)
_TENSOR = re.compile(r"^tensor<((?:\d+x)+)(.*)>$")
_PTR = re.compile(r"!tile\.ptr<([^<>]+)>")
_AXES = {"x": 0, "y": 1, "z": 2}


def find_mlir_opt() -> str | None:
    env = os.environ.get("MLIR_OPT")
    if env:
        return env
    found = shutil.which("mlir-opt")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/llvm-*/bin/mlir-opt"))
    return candidates[-1] if candidates else None


def _element(ty: str) -> str:
    m = _TENSOR.match(ty)
    return m.group(2) if m else ty


def _with_element(ty: str, elem: str) -> str:
    m = _TENSOR.match(ty)
    return f"tensor<{m.group(1)}{elem}>" if m else elem


def _pointee(ty: str) -> str:
    return _PTR.sub(lambda m: m.group(1), ty)


def _split_operands(text: str) -> tuple[list[str], str]:
    operands, _, types = text.partition(" : ")
    return [o.strip() for o in operands.split(",") if o.strip()], types.strip()


def _generic(op: str, rest: str) -> str:
    if op in ("program_id", "num_programs"):
        axis, _, ty = rest.partition(" : ")
        return f'"tile.{op}"() {{axis = {_AXES[axis.strip()]} : i32}} : () -> {ty}'
    if op == "make_range":
        m = re.match(r"(-?\d+) to (-?\d+) : (.*)", rest)
        assert m, rest
        return (
            f'"tile.make_range"() {{end = {m.group(2)} : i32, start = {m.group(1)} : i32}} '
            f": () -> {m.group(3)}"
        )
    if op == "splat":
        (x,), ty = _split_operands(rest)
        return f'"tile.splat"({x}) : ({_element(ty)}) -> {ty}'
    if op in ("broadcast", "expand_dims", "reshape"):
        m = re.match(r"(%\S+)(?: (\{.*\}))? : (.*) -> (.*)", rest)
        assert m, rest
        attrs = f" {m.group(2)}" if m.group(2) else ""
        return f'"tile.{op}"({m.group(1)}){attrs} : ({m.group(3)}) -> {m.group(4)}'
    if op == "addptr":
        ops, types = _split_operands(rest)
        ptr_ty = types.split(", ")[0]
        return f'"tile.addptr"({", ".join(ops)}) : ({types}) -> {ptr_ty}'
    if op == "load":
        ops, ptr_ty = _split_operands(rest)
        res = _pointee(ptr_ty)
        types = [ptr_ty, _with_element(ptr_ty, "i1"), res][: len(ops)]
        # ptr, mask, other; no tensor map or coordinates.
        seg = ", ".join(str(int(len(ops) > i)) for i in range(3)) + ", 0, 0"
        return (
            f'"tile.load"({", ".join(ops)}) {{operandSegmentSizes = array<i32: {seg}>}} '
            f": ({', '.join(types)}) -> {res}"
        )
    if op == "store":
        ops, ptr_ty = _split_operands(rest)
        types = [ptr_ty, _pointee(ptr_ty), _with_element(ptr_ty, "i1")][: len(ops)]
        return f'"tile.store"({", ".join(ops)}) : ({", ".join(types)}) -> ()'
    raise ValueError(f"unknown tile op {op}")


_REDUCE = re.compile(
    r"^(?P<indent>\s*)(?P<res>%[\w#:]+) = tile\.reduce\((?P<srcs>[^)]*)\) "
    r"axis = (?P<axis>\d+) : (?P<types>.*) \{$"
)
_REDUCE_RETURN = re.compile(
    r"^(?P<indent>\s*)tile\.reduce\.return (?P<rest>.*?)(?P<loc> loc\(.*\))$"
)
_CLOSE = re.compile(r"^(?P<indent>\s*)\} (?P<loc>loc\(.*\))$")


def to_generic(ir: str) -> str:
    out = []
    open_reduces: list[tuple[str, str]] = []  # (indent, generic tail) of tile.reduce ops
    for line in ir.splitlines():
        m = _REDUCE.match(line)
        if m is not None:
            out.append(f'{m["indent"]}{m["res"]} = "tile.reduce"({m["srcs"]}) ({{')
            tail = f"{{axis = {m['axis']} : i32}} : {m['types']}"
            open_reduces.append((m["indent"], tail))
            continue
        m = _REDUCE_RETURN.match(line)
        if m is not None:
            ops, types = _split_operands(m["rest"])
            out.append(
                f'{m["indent"]}"tile.reduce.return"({", ".join(ops)}) : ({types}) -> (){m["loc"]}'
            )
            continue
        m = _CLOSE.match(line)
        if m is not None and open_reduces and open_reduces[-1][0] == m["indent"]:
            _, tail = open_reduces.pop()
            out.append(f"{m['indent']}}}) {tail} {m['loc']}")
            continue
        m = _LINE.match(line)
        if m is None:
            out.append(line)
            continue
        res = f"{m['res']} = " if m["res"] else ""
        out.append(f"{m['indent']}{res}{_generic(m['op'], m['rest'])}{m['loc']}")
    return "\n".join(out) + "\n"


def check(ir: str, mlir_opt: str) -> None:
    """Raises AssertionError with mlir-opt's diagnostics if ``ir`` is invalid."""
    proc = subprocess.run(
        [mlir_opt, "--allow-unregistered-dialect", "-o", os.devnull],
        input=to_generic(ir),
        capture_output=True,
        text=True,
        timeout=60,
    )
    if proc.returncode != 0:
        raise AssertionError(f"mlir-opt rejected the IR:\n{proc.stderr}\n--- IR ---\n{ir}")
