"""Python AST -> Tile IR text (see ``make_ir``), and the compile step."""

from .compiler import ArgSpec, generate, make_ir, parse_type
from .source import FunctionSource, parse_function

__all__ = ["ArgSpec", "FunctionSource", "generate", "make_ir", "parse_function", "parse_type"]
