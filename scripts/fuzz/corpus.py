"""The seed corpus: the lit inputs, without RUN lines and FileCheck/verifier comments,
split into one module per `// -----` chunk."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SPLIT_MARKER = re.compile(r"^\s*//\s*-----\s*$", re.MULTILINE)
_COMMENT_LINE = re.compile(r"^\s*//")


@dataclass(frozen=True)
class Seed:
    """One chunk of one lit input."""

    name: str  # "test/Dialect/Tile/ops.mlir#0"
    text: str
    expects_error: bool = False  # the lit test expects a diagnostic (expected-error)


def _strip_trailing_comment(line: str) -> str:
    """Drops a `// ...` comment that is not inside a string literal."""
    in_string = False
    i = 0
    while i < len(line) - 1:
        c = line[i]
        if c == "\\" and in_string:
            i += 2
            continue
        if c == '"':
            in_string = not in_string
        elif not in_string and line.startswith("//", i):
            return line[:i].rstrip()
        i += 1
    return line


def strip_comments(text: str) -> str:
    """Removes comment lines (RUN, CHECK, expected-error, prose) and trailing comments;
    keeps blank-line structure out (blank lines are dropped too)."""
    out: list[str] = []
    for line in text.splitlines():
        if _COMMENT_LINE.match(line):
            continue
        line = _strip_trailing_comment(line)
        if line.strip():
            out.append(line)
    return "\n".join(out) + ("\n" if out else "")


def split_chunks(text: str) -> list[str]:
    """Splits a lit input on `// -----` and strips the comments of each chunk."""
    return [c for c, _ in _split(text)]


def _split(text: str) -> list[tuple[str, bool]]:
    out = []
    for part in SPLIT_MARKER.split(text):
        chunk = strip_comments(part)
        if chunk.strip():
            out.append((chunk, "expected-error" in part))
    return out


def load_corpus(root: Path, pattern: str = "test/**/*.mlir") -> list[Seed]:
    """Every chunk of every lit input under `root`, in a stable (sorted) order."""
    seeds: list[Seed] = []
    for path in sorted(root.glob(pattern)):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        for i, (chunk, invalid) in enumerate(_split(path.read_text(encoding="utf-8", errors="replace"))):
            seeds.append(Seed(f"{rel}#{i}", chunk, invalid))
    return seeds
