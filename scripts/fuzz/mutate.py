"""Token- and line-level mutations of Tile IR that stay close to valid MLIR.

Mutant `index` of run `seed` is a pure function of (corpus, seed, index): its random
generator is seeded with the string "tessel-fuzz:{seed}:{index}" (string seeds are
hashed with SHA-512 by `random`, independent of PYTHONHASHSEED)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from corpus import Seed

Lines = list[str]
Strategy = Callable[[random.Random, Lines], tuple[Lines, str] | None]

INT_EDGES: tuple[int, ...] = (
    0, 1, -1, 2, 3, 5, 7, 8, 15, 16, 31, 32, 33, 63, 64, 127, 128, 255, 256, 1023, 1024, 4096,
    65535, 65536, 1 << 24, 2**31 - 1, 2**31, -(2**31), 2**32 - 1, 2**32, 2**53, 2**63 - 1,
    2**63, -(2**63), 2**64, 2**100,
)
FLOAT_EDGES: tuple[str, ...] = (
    "0.0", "-0.0", "1.0", "-1.5", "1.0e+38", "3.40282347e+38", "1.0e+300", "1.0e-45",
    "0x7FC00000", "0x7F800000", "0xFFFFFFFF", "0x7FF8000000000000",
)
SCALAR_TYPES: tuple[str, ...] = ("i1", "i8", "i16", "i32", "i64", "f16", "bf16", "f32", "f64")
ODD_TYPES: tuple[str, ...] = (
    "index", "none", "i128", "i7", "f8E4M3FN", "!tile.ptr<f32>", "!tile.ptr<i8>", "!tile.ptr<i1>",
    "!tile.ptr<!tile.ptr<i8>>", "!tile.ptr<none>", "!tile.ptr<f64>", "tensor<4xi32>",
    "vector<4xf32>", "complex<f32>", "tensor<16x!tile.ptr<f16>>",
)
DIMS: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 8, 16, 32, 64, 128, 256, 1024, 4096, 65536, 16777216, 2**31)
ATTR_VALUES: tuple[str, ...] = (
    "0 : i32", "1 : i32", "-1 : i32", "3 : i32", "16 : i32", "2147483648 : i64", "1 : i64",
    "true", "false", "unit", '"x"', '""', "[]", "[0]", "[1, 0]", "[0, 0]", "[2, 1, 0]",
    "array<i32: 0>", "0.5 : f32", "-1 : i64",
)
# Op names that the corpus may not spell but the dialects (or upstream arith/math) have.
EXTRA_OPS: tuple[str, ...] = (
    "tile.program_id", "tile.num_programs", "tile.make_range", "tile.splat", "tile.broadcast",
    "tile.expand_dims", "tile.trans", "tile.reshape", "tile.join", "tile.split", "tile.xor_permute",
    "tile.gather", "tile.ptr_cast", "tile.addptr", "tile.load", "tile.store", "tile.atomic_rmw",
    "tile.atomic_cas", "tile.reduce", "tile.scan", "tile.barrier", "tile.hint", "tile.assume",
    "tile.extern_elementwise", "tile.inline_asm", "tile.print", "tile.assert", "tilegpu.convert_layout",
    "arith.addi", "arith.subi", "arith.muli", "arith.divsi", "arith.divui", "arith.remsi", "arith.remui",
    "arith.andi", "arith.ori", "arith.xori", "arith.shli", "arith.shrsi", "arith.shrui", "arith.maxsi",
    "arith.minsi", "arith.ceildivsi", "arith.floordivsi", "arith.addf", "arith.subf", "arith.mulf",
    "arith.divf", "arith.remf", "arith.maximumf", "arith.minimumf", "arith.maxnumf", "arith.negf",
    "arith.extsi", "arith.extui", "arith.trunci", "arith.extf", "arith.truncf", "arith.sitofp",
    "arith.uitofp", "arith.fptosi", "arith.fptoui", "arith.bitcast", "arith.index_cast", "arith.select",
    "arith.cmpi", "arith.cmpf", "arith.constant",
    "math.exp", "math.exp2", "math.log", "math.log2", "math.sqrt", "math.rsqrt", "math.sin", "math.cos",
    "math.tanh", "math.erf", "math.absf", "math.absi", "math.floor", "math.ceil", "math.fma",
    "math.powf", "math.atan2", "math.cbrt", "math.ctlz", "math.cttz", "math.ctpop",
)
# Ops that take and give the same kinds of values: swapping within a group keeps more
# mutants valid than swapping within a dialect.
OP_GROUPS: tuple[tuple[str, ...], ...] = (
    ("tile.program_id", "tile.num_programs"),
    ("arith.addi", "arith.subi", "arith.muli", "arith.divsi", "arith.divui", "arith.remsi", "arith.remui",
     "arith.andi", "arith.ori", "arith.xori", "arith.shli", "arith.shrsi", "arith.shrui", "arith.maxsi",
     "arith.minsi", "arith.ceildivsi", "arith.floordivsi"),
    ("arith.addf", "arith.subf", "arith.mulf", "arith.divf", "arith.remf", "arith.maximumf",
     "arith.minimumf", "arith.maxnumf", "math.powf", "math.atan2"),
    ("math.exp", "math.exp2", "math.log", "math.log2", "math.sqrt", "math.rsqrt", "math.sin", "math.cos",
     "math.tanh", "math.erf", "math.absf", "math.floor", "math.ceil", "math.cbrt", "arith.negf"),
    ("math.absi", "math.ctlz", "math.cttz", "math.ctpop"),
    ("arith.extsi", "arith.extui", "arith.trunci"),
    ("arith.extf", "arith.truncf"),
    ("arith.sitofp", "arith.uitofp"),
    ("arith.fptosi", "arith.fptoui"),
    ("tile.trans", "tile.reshape"),
    ("tile.reduce", "tile.scan"),
    ("tile.atomic_rmw", "tile.atomic_cas"),
    ("tile.load", "tile.store"),
    ("tile.print", "tile.assert"),
)
FAMILIES: tuple[str, ...] = ("tile", "tilegpu", "arith", "math", "scf", "llvm", "nvvm", "rocdl")

_INT = re.compile(r"(?<![\w.%#@!$^])-?\d+(?![\w.]|\s*:\s*\w*\s*=)")
_FLOAT = re.compile(r"(?<![\w.%#@!$])-?\d+\.\d+(?:[eE][+-]?\d+)?(?![\w.])|\b0x[0-9A-Fa-f]+\b")
_TYPE = re.compile(r"(?:(?<=\dx)|(?<![\w.%#@$^]))(?:i1|i8|i16|i32|i64|f16|bf16|f32|f64)(?!\w)")
_SHAPE = re.compile(r"(?<=tensor<)(?:\d+x)+")
_OP = re.compile(r'^(\s*(?:%[^=]*=\s*)?"?)((?:' + "|".join(FAMILIES) + r")\.[a-z_0-9.]+)")
_SSA = re.compile(r"%[A-Za-z_0-9$.-]+(?:#\d+)?")
_ATTR = re.compile(r"(?<=[{,])\s*([A-Za-z_][\w.]*)\s*=\s*([^,{}<>\[\]]+|\[[^\[\]]*\])(?=\s*[,}])")
_ARRAY = re.compile(r"\[(-?\d+(?:\s*,\s*-?\d+)*)?\]")
_WORD = re.compile(r"(?<![\w.%#@!$^\"])[a-z_][a-z_0-9]*(?![\w.<\"(])")
_KEYWORDS = frozenset({"to", "x", "y", "z", "true", "false", "attributes", "step", "iter_args", "into"})


@dataclass(frozen=True)
class Mutant:
    index: int
    seed_name: str
    mutations: tuple[str, ...]
    text: str


def _pick_match(rng: random.Random, lines: Lines, pattern: re.Pattern[str]) -> tuple[int, re.Match[str]] | None:
    hits = [(i, m) for i, line in enumerate(lines) for m in pattern.finditer(line)]
    return rng.choice(hits) if hits else None


def _replace(lines: Lines, i: int, m: re.Match[str], new: str, group: int = 0) -> Lines:
    line = lines[i]
    out = list(lines)
    out[i] = line[: m.start(group)] + new + line[m.end(group):]
    return out


def _replace_everywhere(lines: Lines, pattern: re.Pattern[str], old: str, new: str) -> Lines:
    return [pattern.sub(lambda m: new if m.group(0) == old else m.group(0), line) for line in lines]


def _is_op_line(line: str) -> bool:
    return bool(_OP.match(line)) or line.lstrip().startswith(("%", "return", "scf.", "func.call"))


class Mutator:
    """Mutation strategies over pools (op names, lines, attribute entries, keywords)
    gathered from the corpus."""

    def __init__(self, corpus: Sequence[Seed]) -> None:
        if not corpus:
            raise ValueError("empty corpus")
        self.corpus = list(corpus)
        # Mutating inputs that are valid keeps more mutants valid; inputs that expect
        # an error are still picked now and then.
        self.valid = [s for s in self.corpus if not s.expects_error] or self.corpus
        ops: dict[str, set[str]] = {f: set() for f in FAMILIES}
        words: set[str] = set()
        attrs: set[str] = set()
        lines: list[str] = []
        for seed in self.corpus:
            for line in seed.text.splitlines():
                if m := _OP.match(line):
                    ops[m.group(2).split(".")[0]].add(m.group(2))
                    words.update(w for w in _WORD.findall(line[m.end():]) if w not in _KEYWORDS)
                    lines.append(line)
                attrs.update(f"{a} = {v.strip()}" for a, v in _ATTR.findall(line))
        for op in EXTRA_OPS:
            ops[op.split(".")[0]].add(op)
        self.ops = {f: sorted(names) for f, names in ops.items() if names}
        self.words = sorted(words)
        self.attrs = sorted(attrs)
        self.lines = lines
        self.strategies: list[tuple[str, int, Strategy]] = [
            ("int", 6, self.mutate_int),
            ("float", 1, self.mutate_float),
            ("type", 5, self.mutate_type),
            ("shape", 4, self.mutate_shape),
            ("op", 5, self.mutate_op),
            ("delete-line", 3, self.delete_line),
            ("duplicate-line", 2, self.duplicate_line),
            ("swap-lines", 1, self.swap_lines),
            ("ssa", 4, self.swap_ssa),
            ("to-module-scope", 1, self.move_to_module_scope),
            ("attr", 3, self.mutate_attr),
            ("array", 2, self.mutate_array),
            ("word", 2, self.mutate_word),
            ("splice", 2, self.splice_line),
        ]

    # -- mutants -----------------------------------------------------------------------

    def mutant(self, seed: int, index: int, originals_first: bool = False) -> Mutant:
        """Mutant `index` of run `seed`. With originals_first, indices below the corpus
        size are the unmutated corpus chunks, in order."""
        if originals_first and index < len(self.corpus):
            s = self.corpus[index]
            return Mutant(index, s.name, (), s.text)
        rng = random.Random(f"tessel-fuzz:{seed}:{index}")
        base = rng.choice(self.valid if rng.random() < 0.85 else self.corpus)
        lines = base.text.splitlines()
        applied: list[str] = []
        for _ in range(rng.choice((1, 1, 1, 1, 2, 2, 3))):
            for _attempt in range(10):
                name, strategy = self._choose(rng)
                result = strategy(rng, lines)
                if result is not None:
                    lines, what = result
                    applied.append(f"{name}: {what}")
                    break
        return Mutant(index, base.name, tuple(applied), "\n".join(lines) + "\n")

    def _choose(self, rng: random.Random) -> tuple[str, Strategy]:
        total = sum(w for _, w, _ in self.strategies)
        x = rng.randrange(total)
        for name, weight, strategy in self.strategies:
            if x < weight:
                return name, strategy
            x -= weight
        raise AssertionError("unreachable")

    # -- strategies: each returns (new lines, description) or None when it does not apply

    def mutate_int(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        hit = _pick_match(rng, lines, _INT)
        if hit is None:
            return None
        i, m = hit
        old = int(m.group(0))
        new = rng.choice(INT_EDGES) if rng.random() < 0.7 else rng.choice((old + 1, old - 1, -old, old * 2, old // 2))
        return _replace(lines, i, m, str(new)), f"line {i + 1}: {old} -> {new}"

    def mutate_float(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        hit = _pick_match(rng, lines, _FLOAT)
        if hit is None:
            return None
        i, m = hit
        new = rng.choice(FLOAT_EDGES)
        return _replace(lines, i, m, new), f"line {i + 1}: {m.group(0)} -> {new}"

    def mutate_type(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        hit = _pick_match(rng, lines, _TYPE)
        if hit is None:
            return None
        i, m = hit
        old = m.group(0)
        new = rng.choice(SCALAR_TYPES) if rng.random() < 0.7 else rng.choice(ODD_TYPES)
        if rng.random() < 0.5:  # everywhere: keeps the program consistent, often valid
            return _replace_everywhere(lines, _TYPE, old, new), f"every {old} -> {new}"
        return _replace(lines, i, m, new), f"line {i + 1}: {old} -> {new}"

    def mutate_shape(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        hit = _pick_match(rng, lines, _SHAPE)
        if hit is None:
            return None
        i, m = hit
        old = m.group(0)
        dims = [int(d) for d in old.rstrip("x").split("x")]
        how = rng.randrange(4)
        if how == 0 or len(dims) == 1 and how == 2:
            dims[rng.randrange(len(dims))] = rng.choice(DIMS)
        elif how == 1:
            dims.insert(rng.randrange(len(dims) + 1), rng.choice((1, 2, 4, 32)))
        elif how == 2:
            del dims[rng.randrange(len(dims))]
        else:
            rng.shuffle(dims)
        new = "".join(f"{d}x" for d in dims)
        if rng.random() < 0.5:
            return _replace_everywhere(lines, _SHAPE, old, new), f"every tensor<{old}> -> tensor<{new}>"
        return _replace(lines, i, m, new), f"line {i + 1}: tensor<{old}> -> tensor<{new}>"

    def mutate_op(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        hit = _pick_match(rng, lines, _OP)
        if hit is None:
            return None
        i, m = hit
        old = m.group(2)
        group = next((g for g in OP_GROUPS if old in g), ())
        family = list(group) if group and rng.random() < 0.7 else self.ops.get(old.split(".")[0], [])
        choices = [op for op in family if op != old]
        if not choices:
            return None
        new = rng.choice(choices)
        return _replace(lines, i, m, new, group=2), f"line {i + 1}: {old} -> {new}"

    def delete_line(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        if len(lines) < 2:
            return None
        i = rng.randrange(len(lines))
        return lines[:i] + lines[i + 1:], f"line {i + 1}"

    def duplicate_line(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        if not lines:
            return None
        i = rng.randrange(len(lines))
        return lines[: i + 1] + lines[i:], f"line {i + 1}"

    def swap_lines(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        if len(lines) < 2:
            return None
        i = rng.randrange(len(lines) - 1)
        j = min(len(lines) - 1, i + rng.choice((1, 1, 2, 3)))
        out = list(lines)
        out[i], out[j] = out[j], out[i]
        return out, f"lines {i + 1} and {j + 1}"

    def swap_ssa(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        names = sorted({n for line in lines for n in _SSA.findall(line)})
        hit = _pick_match(rng, lines, _SSA)
        if hit is None or len(names) < 2:
            return None
        i, m = hit
        new = rng.choice([n for n in names if n != m.group(0)])
        return _replace(lines, i, m, new), f"line {i + 1}: {m.group(0)} -> {new}"

    def move_to_module_scope(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        candidates = [i for i, line in enumerate(lines) if _is_op_line(line) and line.startswith("  ")]
        # Mostly ops without operands (barrier, program_id, make_range, constants): the
        # others only reach "use of undeclared value".
        closed = [i for i in candidates if "%" not in lines[i].split("=", 1)[-1]]
        if closed and rng.random() < 0.8:
            candidates = closed
        if not candidates:
            return None
        i = rng.choice(candidates)
        op = lines[i].strip()
        rest = lines[:i] + lines[i + 1:]
        at = next((k + 1 for k, line in enumerate(rest) if re.match(r"^\s*module\b.*\{\s*$", line)), 0)
        if rng.random() < 0.5:  # keep it in the function too: a use at module scope
            rest = list(lines)
            at = next((k + 1 for k, line in enumerate(rest) if re.match(r"^\s*module\b.*\{\s*$", line)), 0)
        return rest[:at] + [op] + rest[at:], f"line {i + 1} to module scope"

    def mutate_attr(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        hit = _pick_match(rng, lines, _ATTR)
        if hit is None:
            return None
        i, m = hit
        how = rng.randrange(4)
        if how == 0 and self.attrs:
            new_entry = rng.choice(self.attrs)
            return _replace(lines, i, m, " " + new_entry), f"line {i + 1}: {m.group(0).strip()} -> {new_entry}"
        if how == 1:
            line = lines[i]
            start, end = m.start(), m.end()
            if end < len(line) and line[end] == ",":
                end += 1
            elif start > 0 and line[start - 1] == "," :
                start -= 1
            out = list(lines)
            out[i] = line[:start] + line[end:]
            return out, f"line {i + 1}: drop {m.group(1)}"
        new = rng.choice(ATTR_VALUES)
        return _replace(lines, i, m, new, group=2), f"line {i + 1}: {m.group(1)} = {m.group(2).strip()} -> {new}"

    def mutate_array(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        hit = _pick_match(rng, lines, _ARRAY)
        if hit is None:
            return None
        i, m = hit
        items = [s.strip() for s in (m.group(1) or "").split(",") if s.strip()]
        how = rng.randrange(3)
        if how == 0 or not items:
            items.insert(rng.randrange(len(items) + 1), str(rng.choice((0, 1, 2, 4, 32, -1))))
        elif how == 1:
            del items[rng.randrange(len(items))]
        else:
            rng.shuffle(items)
        new = "[" + ", ".join(items) + "]"
        return _replace(lines, i, m, new), f"line {i + 1}: {m.group(0)} -> {new}"

    def mutate_word(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        """Swaps a bare keyword after an op name (program_id x, atomic kinds, orderings)."""
        hits = []
        for i, line in enumerate(lines):
            if op := _OP.match(line):
                hits += [(i, w) for w in _WORD.finditer(line, op.end()) if w.group(0) not in _KEYWORDS]
        if not hits or not self.words:
            return None
        i, m = rng.choice(hits)
        new = rng.choice(self.words)
        return _replace(lines, i, m, new), f"line {i + 1}: {m.group(0)} -> {new}"

    def splice_line(self, rng: random.Random, lines: Lines) -> tuple[Lines, str] | None:
        """Inserts an op line of another corpus input."""
        if not self.lines:
            return None
        new = self.lines[rng.randrange(len(self.lines))]
        body = [i for i, line in enumerate(lines) if _is_op_line(line)]
        at = rng.choice(body) if body else rng.randrange(len(lines) + 1)
        return lines[:at] + [new] + lines[at:], f"before line {at + 1}: {new.strip()[:80]}"
