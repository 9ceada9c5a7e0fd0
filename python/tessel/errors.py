"""Errors reported against kernel source code."""

from __future__ import annotations

import linecache
import re

__all__ = ["TritonError", "CompilationError", "OutOfResources", "AutotunerError"]

_DIAG = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<sev>error|warning|note|remark): (?P<msg>.*)$"
)


def _excerpt(filename: str, lineno: int, col: int) -> list[str]:
    """The source line and a caret under 0-based column ``col``."""
    text = linecache.getline(filename, lineno).rstrip("\n")
    if not text.strip():
        return []
    prefix = "".join(c if c == "\t" else " " for c in text[: max(col, 0)])
    return [f"    {text}", f"    {prefix}^"]


class TritonError(Exception):
    """The base of the errors tessel raises compiling and launching kernels,
    under Triton's name (``except triton.TritonError`` code keeps working):
    ``CompilationError``, ``OutOfResources``, ``AutotunerError``."""


class CompilationError(TritonError):
    """A kernel could not be compiled.

    ``str(err)`` reads ``file:line:col: error: message`` followed by the source
    line and a caret.  ``filename``, ``lineno`` (1-based), ``col`` (0-based)
    and ``message`` (also ``error_message``, as in Triton) are attributes.
    """

    def __init__(
        self,
        message: str,
        filename: str | None = None,
        lineno: int | None = None,
        col: int = 0,
        notes: list[str] | None = None,
        *,
        formatted: str | None = None,
    ) -> None:
        self.message = message
        self.filename = filename
        self.lineno = lineno
        self.col = col
        self.notes = list(notes or [])
        self._formatted = formatted
        super().__init__(self._render())

    @property
    def error_message(self) -> str:
        """The message alone (Triton's ``CompilationError.error_message``)."""
        return self.message

    @property
    def source_line(self) -> str:
        if self.filename is None or self.lineno is None:
            return ""
        return linecache.getline(self.filename, self.lineno).rstrip("\n")

    def _render(self) -> str:
        if self._formatted is not None:
            return self._formatted
        if self.filename is None or self.lineno is None:
            lines = [f"error: {self.message}"]
        else:
            lines = [
                f"{self.filename}:{self.lineno}:{self.col + 1}: error: {self.message}",
                *_excerpt(self.filename, self.lineno, self.col),
            ]
        return "\n".join(lines + self.notes)

    def add_note(self, note: str) -> None:  # type: ignore[override]
        """Appends a line (e.g. the call site of an inlined function)."""
        self.notes.append(note)
        if self._formatted is not None:
            self._formatted += "\n" + note
        self.args = (self._render(),)

    def __str__(self) -> str:
        return self._render()

    @classmethod
    def from_diagnostics(cls, text: str) -> "CompilationError":
        """Turns the compiler's ``file:line:col: error: msg`` diagnostics into
        an error that also shows the source lines."""
        out: list[str] = []
        first: re.Match[str] | None = None
        for line in text.strip().splitlines():
            out.append(line)
            m = _DIAG.match(line)
            if m is None:
                continue
            if first is None or (first["sev"] != "error" and m["sev"] == "error"):
                first = m
            out += _excerpt(m["file"], int(m["line"]), int(m["col"]) - 1)
        if first is None:
            return cls(text.strip() or "compilation failed", formatted=text.strip() or None)
        return cls(
            first["msg"],
            first["file"],
            int(first["line"]),
            int(first["col"]) - 1,
            formatted="\n".join(out),
        )


class OutOfResources(CompilationError):
    """A kernel needs more of a resource than the target has (Triton's
    ``OutOfResources``): ``required``, ``limit`` and ``name`` ("shared
    memory"). Reducing block sizes or ``num_stages`` may help; the autotuner
    skips such configs."""

    _PATTERN = re.compile(r"out of resource: (?P<name>[\w ]+), Required: (?P<required>\d+), "
                          r"Hardware limit: (?P<limit>\d+)")

    def __init__(self, required: int, limit: int, name: str, located: CompilationError | None = None) -> None:
        self.required, self.limit, self.name = required, limit, name
        if located is not None:
            super().__init__(located.message, located.filename, located.lineno, located.col,
                             located.notes, formatted=located._formatted)
        else:
            super().__init__(f"out of resource: {name}, Required: {required}, "
                             f"Hardware limit: {limit}. Reducing block sizes or `num_stages` may help.")

    @classmethod
    def from_error(cls, err: CompilationError) -> CompilationError:
        """``err`` as an OutOfResources when its message is one."""
        m = cls._PATTERN.search(err.message)
        if m is None:
            return err
        return cls(int(m.group("required")), int(m.group("limit")), m.group("name"), err)


class AutotunerError(TritonError, RuntimeError):
    """Autotuning found no config to run: every config failed to compile or
    to run (the message lists why, config by config), or ``early_config_prune``
    returned none."""
