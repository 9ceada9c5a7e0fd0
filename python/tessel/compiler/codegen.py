"""AST -> Tile IR: expressions, statements, names and calls.

Runtime values are ``tl.tensor``; everything else is a compile-time Python
value.  Calls to other @jit functions are inlined.  Control flow (if/for/
while) lives in control.py.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import operator
import types
from typing import Any, Callable

from .. import language as tl
from ..errors import CompilationError
from ..language import builtins as tlb
from ..language import semantic
from ..language import tuples as tlt
from ..language.core import (
    _unwrap,
    block_type,
    builder_scope,
    constexpr,
    dtype,
    is_constexpr_annotation,
    tensor,
)
from .control import RETURN, ControlFlowMixin, contains_return
from .ir import Builder, function, location
from .pybuiltins import MINMAX, python_minmax
from .source import NO_DEFAULT, FunctionSource

#: Python builtins kernels may call (on compile-time values).
PY_BUILTINS: dict[str, Any] = {
    name: getattr(builtins, name)
    for name in (
        "range",
        "len",
        "min",
        "max",
        "abs",
        "int",
        "float",
        "bool",
        "isinstance",
        "tuple",
        "list",
        "enumerate",
        "zip",
        "getattr",
        "hasattr",
        "str",
        "repr",
        "round",
        "all",
        "any",
        "reversed",
        "sorted",
        "print",
    )
}
_PY_BUILTIN_IDS = {id(v) for v in PY_BUILTINS.values()}
_CALLABLE_CLASSES = (constexpr, tl.constexpr_type, tl.pointer_type, tl.block_type,
                     tlb.static_range, tlb.range, tlt.tuple, tlt.tuple_type)
_METHOD_OWNERS = (tensor, dtype, block_type, constexpr, str, tuple, list, int, float)

_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
    ast.MatMult: operator.matmul,
}
_CMPOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_USER_ERRORS = (
    TypeError,
    ValueError,
    NameError,
    IndexError,
    AttributeError,
    NotImplementedError,
    AssertionError,
    ZeroDivisionError,
    OverflowError,
)
_UNSUPPORTED = {
    "With": "`with` statements",
    "AsyncWith": "`async with`",
    "Lambda": "lambda expressions",
    "Try": "`try` statements",
    "TryStar": "`try` statements",
    "Raise": "`raise`",
    "Import": "`import`",
    "ImportFrom": "`import`",
    "Global": "`global`",
    "Nonlocal": "`nonlocal`",
    "Delete": "`del`",
    "ClassDef": "class definitions",
    "FunctionDef": "nested functions",
    "AsyncFunctionDef": "nested functions",
    "Break": "`break`",
    "Continue": "`continue`",
    "SetComp": "set comprehensions",
    "DictComp": "dict comprehensions",
    "GeneratorExp": "generator expressions",
    "Yield": "`yield`",
    "YieldFrom": "`yield`",
    "Await": "`await`",
    "NamedExpr": "`:=`",
    "Dict": "dict literals",
    "Set": "set literals",
    "Match": "`match`",
    "AsyncFor": "`async for`",
}


#: Deepest nesting of @jit calls (recursion bounded by constexpr arguments).
MAX_CALL_DEPTH = 64

class CodeGenerator(ControlFlowMixin, ast.NodeVisitor):
    """Emits the body of one function (the kernel, or an inlined callee)."""

    def __init__(
        self,
        src: FunctionSource,
        builder: Builder,
        scope: dict[str, Any],
        call_stack: tuple[Any, ...],
        *,
        kernel: bool,
    ) -> None:
        self.src = src
        self.b = builder
        self.scope = scope
        self.call_stack = call_stack
        self.kernel = kernel
        self.loop_depth = 0
        self.dropped: dict[str, str] = {}  # names out of scope after runtime control flow
        # How names were bound, for `.type` (see _holds_constexpr): "=" for a
        # plain `=` of a number (Triton makes it a tensor), "constexpr" for
        # `name: tl.constexpr = ...`.
        self.bound_by: dict[str, str] = {}
        self.carried_templates: dict[str, Any] = {}

    # ------------------------------------------------------------------ driver
    def run_body(self) -> Any:
        """Visits the function body; returns the returned value (or None)."""
        self.b.loc = self.loc_of(self.src.tree)
        body = self.src.tree.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # docstring
        self.visit_block(body)
        return self.scope.get(RETURN)

    def loc_of(self, node: ast.AST) -> str:
        line, col = self.src.position(node)
        return location(self.src.filename, line, col + 1)

    def visit(self, node: ast.AST) -> Any:
        prev = self.b.loc
        if hasattr(node, "lineno"):
            self.b.loc = self.loc_of(node)
        try:
            return ast.NodeVisitor.visit(self, node)
        except CompilationError:
            raise
        except _USER_ERRORS as e:  # report against the innermost node
            if not str(e):
                raise self.src.error(node, type(e).__name__) from e
            # The located error's __cause__ is the error itself (as Triton's,
            # whose tests read it), without the compiler's own frames.
            raise self.src.error(node, str(e)) from e.with_traceback(None)
        except Exception as e:
            raise self.src.error(node, f"{type(e).__name__}: {e}") from e
        finally:
            self.b.loc = prev

    def generic_visit(self, node: ast.AST) -> Any:
        what = _UNSUPPORTED.get(type(node).__name__, type(node).__name__)
        raise NotImplementedError(f"unsupported syntax in a tessel kernel: {what}")

    # -------------------------------------------------------------- statements
    def visit_block(self, stmts: list[ast.stmt]) -> bool:
        """Visits statements; True when the block ended in a return."""
        for i, stmt in enumerate(stmts):
            if isinstance(stmt, ast.If) and contains_return(stmt):
                if self.loop_depth:
                    raise self.src.error(stmt, "`return` inside a loop is not supported")
                # Early return: the rest of the block runs only on paths that
                # did not return, so it joins both branches.
                return bool(self.visit_If(stmt, rest=stmts[i + 1 :]))
            if self.visit(stmt) is True:
                return True
        return False

    def visit_Expr(self, node: ast.Expr) -> None:
        if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            self.visit(node.value)

    def visit_Pass(self, node: ast.Pass) -> None:
        return None

    def visit_Assign(self, node: ast.Assign) -> None:
        value = self.visit(node.value)
        for target in node.targets:
            self.assign(target, value, "=")

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is None:
            return
        value = self.visit(node.value)
        annotation = self.visit(node.annotation)
        if is_constexpr_annotation(annotation) and isinstance(value, tensor):
            raise TypeError("cannot assign a runtime value to a tl.constexpr variable")
        self.assign(node.target, value,
                    "constexpr" if is_constexpr_annotation(annotation) else "=")

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if not isinstance(node.target, ast.Name):
            raise NotImplementedError("augmented assignment is only supported to names")
        current = self.lookup(node.target.id)
        self.assign(node.target, self.binary(node.op, current, self.visit(node.value)), "=")

    def assign(self, target: ast.expr, value: Any, statement: str = "") -> None:
        """Binds ``target``; ``statement`` is "=" for an assignment without
        annotation, "constexpr" for one annotated ``tl.constexpr``."""
        value = _unwrap(value)
        if isinstance(target, ast.Name):
            self.scope[target.id] = value
            if statement == "constexpr" or (
                statement == "=" and isinstance(value, (bool, int, float))
            ):
                self.bound_by[target.id] = statement
            else:
                self.bound_by.pop(target.id, None)
        elif isinstance(target, (ast.Tuple, ast.List)):
            if not isinstance(value, (tuple, list)):
                what = f"a {value.type} tensor" if isinstance(value, tensor) else \
                    type(value).__name__
                raise TypeError(f"cannot unpack {what} into {len(target.elts)} names")
            elts = target.elts
            starred = [i for i, t in enumerate(elts) if isinstance(t, ast.Starred)]
            if len(starred) > 1:
                raise ValueError("multiple starred names in one assignment")
            if starred:  # a, *rest = t: the starred name takes a tl.tuple
                k, after = starred[0], len(elts) - starred[0] - 1
                if len(value) < len(elts) - 1:
                    raise ValueError(f"cannot unpack {len(value)} values into at least "
                                     f"{len(elts) - 1} names")
                middle = tlt.tuple(list(value)[k:len(value) - after])
                value = [*list(value)[:k], middle, *list(value)[len(value) - after:]]
                elts = [*elts[:k], elts[k].value, *elts[k + 1:]]
            if len(value) != len(elts):
                raise ValueError(f"cannot unpack {len(value)} values into {len(elts)} names")
            for t, v in zip(elts, value):
                self.assign(t, v, statement)
        elif isinstance(target, ast.Subscript) and isinstance(self.visit(target.value), tuple):
            raise TypeError(
                "tuples are immutable, as in Triton: build a new one instead of assigning "
                "an element (t = t[:i] + (v,) + t[i + 1:])"
            )
        else:
            raise NotImplementedError(
                "assignment is only supported to names and tuples of names "
                "(use tl.store to write memory)"
            )

    def visit_Return(self, node: ast.Return) -> bool:
        value = self.visit(node.value) if node.value is not None else None
        if self.kernel and value is not None:
            raise TypeError("a kernel cannot return a value")
        self.scope[RETURN] = value
        return True

    def visit_Assert(self, node: ast.Assert) -> None:
        test = self.visit(node.test)
        if isinstance(test, tensor):
            # A device assertion: compiled in with debug only, as in Triton.
            msg = self.visit(node.msg) if node.msg is not None else ""
            self.call(tl.device_assert, [test, msg], {}, node)
            return
        if not test:
            msg = self.visit(node.msg) if node.msg is not None else ""
            raise AssertionError(f"assertion failed: {msg}" if msg else "assertion failed")

    # ------------------------------------------------------------- expressions
    def visit_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def visit_Name(self, node: ast.Name) -> Any:
        return self.lookup(node.id)

    def visit_Tuple(self, node: ast.Tuple) -> tlt.tuple:
        return tlt.tuple(self._elements(node.elts))

    def visit_ListComp(self, node: ast.ListComp) -> tlt.tuple:
        """``[f(v) for v in t if c]`` over compile-time iterables (tuples,
        lists, ``range``/``tl.static_range`` of constexprs): unrolled, as
        Triton's; the result is a ``tl.tuple``. The names it binds are local
        to it, as in Python."""
        bound = {n.id for g in node.generators for n in ast.walk(g.target)
                 if isinstance(n, ast.Name)}
        saved = {n: self.scope[n] for n in bound if n in self.scope}
        out: list[Any] = []

        def generate(level: int) -> None:
            if level == len(node.generators):
                out.append(_unwrap(self.visit(node.elt)))
                return
            gen = node.generators[level]
            if gen.is_async:
                raise NotImplementedError("unsupported syntax in a tessel kernel: `async for`")
            iterable = _unwrap(self.visit(gen.iter))
            if isinstance(iterable, tensor) or isinstance(iterable, tlb.range):
                raise TypeError(
                    "a comprehension in a kernel iterates at compile time: over a tuple, a "
                    "list or a range of constexprs, not a runtime value"
                )
            if not hasattr(iterable, "__iter__"):
                raise TypeError(f"cannot iterate over {type(iterable).__name__} in a kernel")
            for value in iterable:
                self.assign(gen.target, value)
                keep = True
                for cond_node in gen.ifs:
                    cond = _unwrap(self.visit(cond_node))
                    if isinstance(cond, tensor):
                        raise TypeError(
                            "the `if` of a comprehension must be a compile-time condition, "
                            f"got a runtime {cond.type} value"
                        )
                    if not cond:
                        keep = False
                        break
                if keep:
                    generate(level + 1)

        try:
            generate(0)
        finally:
            for n in bound:
                if n in saved:
                    self.scope[n] = saved[n]
                else:
                    self.scope.pop(n, None)
        return tlt.tuple(out)

    def visit_List(self, node: ast.List) -> list[Any]:
        return self._elements(node.elts)

    def visit_Dict(self, node: ast.Dict) -> dict[Any, Any]:
        """Dicts of compile-time values (extern_elementwise's symbol table)."""
        out: dict[Any, Any] = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                out.update(self.visit(v))
                continue
            key = self.visit(k)
            try:
                hash(key)
            except TypeError:
                raise TypeError("dict keys in a kernel must be compile-time constants") from None
            out[key] = self.visit(v)
        return out

    def _elements(self, elts: list[ast.expr]) -> list[Any]:
        out: list[Any] = []
        for e in elts:
            if isinstance(e, ast.Starred):
                out.extend(self._iterable(self.visit(e.value)))
            else:
                out.append(self.visit(e))
        return out

    @staticmethod
    def _iterable(v: Any) -> list[Any]:
        if isinstance(v, tensor) or not isinstance(v, (tuple, list)):
            raise TypeError(f"cannot unpack {type(v).__name__} with `*`")
        return list(v)

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        base = self.visit(node.value)
        if node.attr == "type" and self._holds_constexpr(node.value, base):
            return tl.constexpr_type(base)
        if (
            isinstance(base, (bool, int, float))
            and not hasattr(base, node.attr)
            and hasattr(tensor, node.attr)
        ):
            # A number used as a value (``x = 10; x.dtype``, ``x.to(...)``):
            # Triton turns it into a scalar tensor, of the type to_tensor gives.
            base = semantic.to_tensor(self.b, base)
        try:
            return _unwrap(getattr(base, node.attr))
        except AttributeError:
            owner = "tl.tensor" if isinstance(base, tensor) else type(base).__name__
            if isinstance(base, types.ModuleType):
                owner = f"module {base.__name__}"
            raise AttributeError(f"{owner} has no attribute '{node.attr}'") from None

    def _holds_constexpr(self, expr: ast.expr, value: Any) -> bool:
        """Whether Triton holds ``expr`` (of value ``value``) as a
        tl.constexpr, whose ``.type`` is ``tl.constexpr_type(value)``: a name
        annotated ``tl.constexpr``, a tuple parameter, or a number unless
        ``expr`` reads a name a plain ``=`` bound to a number (Triton makes
        those tensors, so ``x = 10; x.type`` is ``int32``)."""
        if isinstance(expr, ast.Name) and self.bound_by.get(expr.id) == "constexpr":
            return True
        if type(value) is tuple:
            return True
        return isinstance(value, (bool, int, float)) and not any(
            isinstance(n, ast.Name) and self.bound_by.get(n.id) == "="
            for n in ast.walk(expr)
        )

    def visit_Subscript(self, node: ast.Subscript) -> Any:
        base = self.visit(node.value)
        index = self.visit(node.slice)
        if isinstance(index, tensor):
            raise TypeError("indexing with a runtime value is not supported")
        return _unwrap(base[index])

    def visit_Slice(self, node: ast.Slice) -> slice:
        parts = [
            self.visit(p) if p is not None else None for p in (node.lower, node.upper, node.step)
        ]
        if any(isinstance(p, tensor) for p in parts):
            raise TypeError("slice bounds must be compile-time constants")
        return slice(*parts)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> str:
        return "".join(str(self.visit(v)) for v in node.values)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> str:
        value = self.visit(node.value)
        if isinstance(value, tensor):  # as Triton: only constexprs are formatted
            raise TypeError(
                f"an f-string cannot format the runtime value `{ast.unparse(node.value)}` "
                f"({value.type}): only compile-time (constexpr) values can be formatted; "
                "print runtime values with tl.device_print(\"prefix\", value) or "
                "print(\"prefix\", value)"
            )
        conversions: dict[int, Callable[[Any], str]] = {115: str, 114: repr, 97: ascii}
        conv = conversions.get(node.conversion)
        if conv is not None:
            value = conv(value)
        spec = self.visit(node.format_spec) if node.format_spec is not None else ""
        return format(value, spec)

    def binary(self, op: ast.operator, lhs: Any, rhs: Any) -> Any:
        fn = _BINOPS.get(type(op))
        if fn is None:
            raise NotImplementedError(f"unsupported operator {type(op).__name__}")
        return _unwrap(fn(lhs, rhs))

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        return self.binary(node.op, self.visit(node.left), self.visit(node.right))

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        v = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return v.logical_not() if isinstance(v, tensor) else not v
        fn: dict[type, Callable[[Any], Any]] = {
            ast.USub: operator.neg,
            ast.UAdd: operator.pos,
            ast.Invert: operator.invert,
        }
        return _unwrap(fn[type(node.op)](v))

    def visit_BoolOp(self, node: ast.BoolOp) -> Any:
        is_and = isinstance(node.op, ast.And)
        result = self.visit(node.values[0])
        for value_node in node.values[1:]:
            if not isinstance(result, tensor):
                if bool(result) != is_and:  # short circuit on a constexpr
                    return result
                result = self.visit(value_node)
            else:
                result = semantic.logical(
                    self.b, "and" if is_and else "or", result, self.visit(value_node)
                )
        return result

    def visit_Compare(self, node: ast.Compare) -> Any:
        if len(node.ops) != 1:
            raise NotImplementedError(
                "chained comparisons (a < b < c) are not supported; "
                "combine two comparisons with `&`"
            )
        lhs, rhs = self.visit(node.left), self.visit(node.comparators[0])
        op = type(node.ops[0])
        if op in (ast.In, ast.NotIn) and (isinstance(lhs, tensor) or isinstance(rhs, tensor)):
            raise TypeError("`in` is only supported on compile-time values")
        return _unwrap(_CMPOPS[op](lhs, rhs))

    # ------------------------------------------------------------------- names
    def lookup(self, name: str) -> Any:
        if name in self.scope:
            return self.scope[name]
        for table in (self.src.closure, self.src.globals):
            if name in table:
                return self._global(name, table[name])
        if name in PY_BUILTINS:
            return PY_BUILTINS[name]
        if name in self.dropped:
            raise NameError(f"name '{name}' is not defined here: {self.dropped[name]}")
        raise NameError(f"name '{name}' is not defined")

    def _global(self, name: str, value: Any) -> Any:
        if isinstance(value, constexpr):
            return value.value
        if isinstance(value, bool | int | float):
            annotations = self.src.globals.get("__annotations__", {})
            if is_constexpr_annotation(annotations.get(name)):
                return value
            raise NameError(
                f"global variable '{name}' cannot be used in a kernel unless it is a "
                f"constexpr: write `{name} = tl.constexpr({value!r})` or "
                f"`{name}: tl.constexpr = {value!r}`, or pass it as an argument"
            )
        return value

    # ------------------------------------------------------------------- calls
    def visit_Call(self, node: ast.Call) -> Any:
        fn = self.visit(node.func)
        args = self._elements(node.args)
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            if kw.arg is None:
                raise NotImplementedError("`**kwargs` in calls is not supported")
            kwargs[kw.arg] = self.visit(kw.value)
        return self.call(fn, args, kwargs, node)

    def call(self, fn: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        if fn is print:  # Python's print prints from the device, as in Triton
            words = []
            while args and isinstance(_unwrap(args[0]), str):
                words.append(_unwrap(args.pop(0)))
            fn, args = tl.device_print, [" ".join(words), *args]
            kwargs = {k: v for k, v in kwargs.items() if k == "hex"}
        if getattr(fn, "__tessel_jit__", False):
            if getattr(fn, "noinline", False):
                return self.call_function(fn, args, kwargs, node)
            return self.inline(fn, args, kwargs, node)
        if _is_namedtuple_class(fn):
            # A NamedTuple built in a kernel: a tl.tuple with its field names.
            return tlt.as_tuple(fn(*(_unwrap(a) for a in args),
                                   **{k: _unwrap(v) for k, v in kwargs.items()}))
        if not self._may_call(fn):
            name = getattr(fn, "__qualname__", None) or repr(fn)
            raise TypeError(
                f"cannot call '{name}' in a kernel: only @tessel.jit functions, "
                "tessel.language functions and some Python builtins on "
                "compile-time values can be called"
            )
        if any(fn is f for f in MINMAX):  # tl.minimum/tl.maximum on runtime values, as in Triton
            return python_minmax(fn, args, kwargs)
        runtime_args = any(isinstance(a, tensor) for a in [*args, *kwargs.values()])
        if (
            id(fn) in _PY_BUILTIN_IDS
            and runtime_args
            and fn not in (isinstance, abs, len, getattr, hasattr)
        ):
            raise TypeError(f"Python's {fn.__name__}() does not work on runtime tensors")
        if runtime_args and isinstance(getattr(fn, "__self__", None), str):
            raise TypeError(
                f"str.{fn.__name__}() cannot use runtime values: only compile-time "
                "(constexpr) values can be formatted into strings"
            )
        prev = self.b.inline
        self.b.inline = lambda jit_fn, fn_args: self.inline(jit_fn, list(fn_args), {}, node)
        try:
            result = _unwrap(fn(*args, **kwargs))
        finally:
            self.b.inline = prev
        # As Triton: a builtin's plain tuple result is a tl.tuple.
        return tlt.tuple(result) if type(result) is tuple else result

    @staticmethod
    def _may_call(fn: Any) -> bool:
        if getattr(fn, "__tessel_builtin__", False) or id(fn) in _PY_BUILTIN_IDS:
            return True
        if isinstance(fn, dtype) or (isinstance(fn, type) and issubclass(fn, _CALLABLE_CLASSES)):
            return True
        return isinstance(getattr(fn, "__self__", None), _METHOD_OWNERS) and (
            inspect.ismethod(fn) or isinstance(fn, types.BuiltinMethodType)
        )

    def _frame(self, src: FunctionSource, scope: dict[str, Any]) -> tuple[Any, ...]:
        """A call's identity: the function and its compile-time arguments.
        Recursion is allowed while a constexpr argument changes (each call is
        another specialization, as in Triton); the same frame twice would
        never end."""
        consts = tuple(sorted((k, repr(v)) for k, v in scope.items() if not isinstance(v, tensor)))
        frame = (src.fn, consts)
        if frame in self.call_stack:
            raise NotImplementedError(
                f"recursive call to {src.name} with the same compile-time arguments would "
                "never end: recursion must change a tl.constexpr argument toward a base case"
            )
        if len(self.call_stack) >= MAX_CALL_DEPTH:
            raise NotImplementedError(
                f"calls nested deeper than {MAX_CALL_DEPTH} (in {src.name}): a recursion "
                "bounded by a constexpr argument must end sooner"
            )
        return frame

    def inline(self, jit_fn: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        src: FunctionSource = jit_fn.source()
        scope = self._bind(src, args, kwargs)
        frame = self._frame(src, scope)
        callee = CodeGenerator(src, self.b, scope, self.call_stack + (frame,), kernel=False)
        try:
            return callee.run_body()
        except CompilationError as e:
            line, _ = self.src.position(node)
            e.add_note(f"  inlined from {self.src.filename}:{line}")
            raise
        finally:
            self.b.loc = self.loc_of(node)

    def call_function(
        self, jit_fn: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        """A ``noinline`` callee: one private function per specialization
        (runtime argument types and compile-time values), then a call."""
        src: FunctionSource = jit_fn.source()
        scope = self._bind(src, args, kwargs)
        self._frame(src, scope)
        # Tensors, and the tensors inside tuples (flattened), are arguments;
        # the rest is compile-time, part of the specialization.
        runtime = [t for v in scope.values() for t in tlt.tensor_leaves(v)]
        consts = tuple(sorted((k, tlt.signature(v)) for k, v in scope.items()
                              if not isinstance(v, tensor)))
        key = (src.fn, tuple(v.type.to_ir() for v in runtime), consts)
        entry = self.b.function_keys.get(key)
        if entry is None:
            entry = self._emit_function(src, scope, runtime, node)
            self.b.function_keys[key] = entry
        name, result_types, shape = entry
        operands = ", ".join(v.handle for v in runtime)
        arg_types = ", ".join(v.type.to_ir() for v in runtime)
        signature = f"({arg_types}) -> ({', '.join(t.to_ir() for t in result_types)})"
        if not result_types:
            self.b.emit(f"func.call @{name}({operands}) : {signature}")
            return shape  # None, or a tuple of compile-time values
        res = self.b.fresh()
        n = len(result_types)
        self.b.emit(f"{res}{':' + str(n) if n > 1 else ''} = func.call @{name}({operands}) : {signature}")
        values = [tensor(f"{res}#{i}" if n > 1 else res, t) for i, t in enumerate(result_types)]
        return values[0] if shape is None else tlt.replace_tensors(shape, values)

    def _emit_function(
        self, src: FunctionSource, scope: dict[str, Any], runtime: list[tensor],
        node: ast.AST,
    ) -> tuple[str, list[Any], Any]:
        """The private function of one specialization: (its name, its result
        types, the returned tuple with its tensors standing for the results,
        or None when it returns one tensor or nothing)."""
        callee_b = Builder(self.b.debug, module_of=self.b)
        params = [tensor(f"%arg{i}", v.type) for i, v in enumerate(runtime)]
        decls = [f"{p.handle}: {p.type.to_ir()}" for p in params]
        it = iter(params)
        callee_scope = {k: tlt.replace_tensors(v, it) for k, v in scope.items()}
        gen = CodeGenerator(
            src, callee_b, callee_scope, self.call_stack + (self._frame(src, scope),), kernel=False
        )
        try:
            with builder_scope(callee_b):
                result = gen.run_body()
        except CompilationError as e:
            line, _ = self.src.position(node)
            e.add_note(f"  called from {self.src.filename}:{line}")
            raise
        finally:
            self.b.loc = self.loc_of(node)
        shape = result if isinstance(result, tuple) else None
        results = tlt.tensor_leaves(result)
        if result is not None and not isinstance(result, tuple) and not results:
            raise TypeError(
                f"noinline function {src.name} must return tensors, tuples of them "
                f"(or nothing), got {result!r}"
            )
        name = f"{src.name}__{len(self.b.function_keys)}"
        callee_b.loc = gen.loc_of(src.tree)
        if results:
            callee_b.emit(
                f"return {', '.join(r.handle for r in results)} : "
                f"{', '.join(r.type.to_ir() for r in results)}"
            )
        else:
            callee_b.emit("return")
        lines = function(
            name, decls, callee_b.body, kernel=False, loc=callee_b.loc,
            results=[r.type.to_ir() for r in results],
        )
        self.b.functions.append(lines)
        return name, [r.type for r in results], shape

    @staticmethod
    def _bind(src: FunctionSource, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        if len(args) > len(src.params):
            raise TypeError(
                f"{src.name}() takes {len(src.params)} arguments but {len(args)} were given"
            )
        scope: dict[str, Any] = {}
        for p, v in zip(src.params, args):
            scope[p.name] = v
        for k, v in kwargs.items():
            if k in scope or k not in {p.name for p in src.params}:
                raise TypeError(f"{src.name}() got an unexpected or repeated argument '{k}'")
            scope[k] = v
        for p in src.params:
            if p.name not in scope:
                if p.default is NO_DEFAULT:
                    raise TypeError(f"{src.name}() missing argument '{p.name}'")
                scope[p.name] = p.default
            # As in Triton, a called function's tl.constexpr annotations do
            # not bind: a runtime value passed there stays runtime (Triton's
            # tutorial 06 passes offsets that way); only the kernel's own
            # constexpr parameters are specialization constants.
            scope[p.name] = _unwrap(scope[p.name])
        return scope


def _is_namedtuple_class(fn: Any) -> bool:
    """A ``typing.NamedTuple`` (or ``collections.namedtuple``) class."""
    return isinstance(fn, type) and issubclass(fn, tuple) and hasattr(fn, "_fields")


__all__ = ["CodeGenerator", "PY_BUILTINS"]
