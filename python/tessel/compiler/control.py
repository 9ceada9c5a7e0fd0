"""Control flow: if (static or scf.if), for (unrolled or scf.for), while.

Runtime control flow follows Triton's scoping: a name assigned in a branch
is visible after an ``if`` only when both branches assign it; names assigned
in a loop body that existed before the loop are loop-carried and must keep
their type; other names assigned in a loop do not outlive it.
"""

from __future__ import annotations

import ast
import builtins
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..language import builtins as tlb
from ..language import semantic, tileops
from ..language import tuples as tlt
from ..language.core import _unwrap, int1, tensor
from ..language.literals import scalar_dtype

if TYPE_CHECKING:
    from .ir import Builder
    from .source import FunctionSource

RETURN = "__tessel_return__"
#: separates a carried block pointer's name from its leaf's index
LEAF = "\x00"
_MISSING = object()


def contains_return(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Return) for n in ast.walk(node))


def _assigned_names(body: list[ast.stmt]) -> set[str]:
    return {
        n.id
        for n in ast.walk(ast.Module(body=body, type_ignores=[]))
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }


def _is_number(v: Any) -> bool:
    return isinstance(v, (bool, int, float))


def _frame_error(name: str, init: Any, new: Any) -> str:
    """Why ``new`` cannot replace the loop-carried ``init`` (a block
    pointer or a tuple) after an iteration."""
    mismatch = getattr(init, "_frame_mismatch", None)
    if mismatch is not None:
        return mismatch(name, new)
    return (f"'{name}' is a block pointer before the loop but {new!r} after an iteration; "
            "only its offsets may change (tl.advance)")


#: ops that may not run unconditionally in a selected branch
_EFFECTS = ("tile.store", "tile.atomic", "tile.print", "tile.assert", "func.call", "tile.barrier")


def _types(values: Sequence[tensor]) -> str:
    return ", ".join(v.type.to_ir() for v in values)


def _results(name: str, n: int) -> tuple[str, list[str]]:
    """The result binding (``%r`` or ``%r:3``) and the names of the results."""
    if n == 1:
        return name, [name]
    return f"{name}:{n}", [f"{name}#{i}" for i in range(n)]


class ControlFlowMixin:
    b: "Builder"
    scope: dict[str, Any]
    src: "FunctionSource"
    loop_depth: int
    dropped: dict[str, str]
    #: block pointers carried by loops, by name (their offsets are the leaves)
    carried_templates: dict[str, Any]

    if TYPE_CHECKING:  # provided by CodeGenerator

        def visit(self, node: ast.AST) -> Any: ...
        def visit_block(self, stmts: list[ast.stmt]) -> bool: ...
        def assign(self, target: ast.expr, value: Any, statement: str = "") -> None: ...
        def call(self, fn: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any: ...
        def _elements(self, elts: list[ast.expr]) -> list[Any]: ...

    # ---------------------------------------------------------------- helpers
    def _condition(self, cond: tensor, what: str) -> tensor:
        if cond.type.is_block():
            hint = (
                " (inside tl.map_elementwise only `if` statements and conditional "
                "expressions may test per-element values)"
                if self.b.select_branches
                else ""
            )
            raise TypeError(
                f"the condition of {what} must be a scalar, got a block of shape "
                f"{list(cond.shape)}{hint}"
            )
        return semantic.cast(self.b, cond, int1)

    def _merge(self, name: str, values: list[Any], regions: list[list[str]]) -> list[tensor] | None:
        """Makes the values one name takes at the end of each region agree:
        None when they are one compile-time value, else tensors of one type
        (constants are materialized inside their region)."""
        if all(not isinstance(v, tensor) for v in values):
            if all(
                v is values[0] or (_is_number(v) and v == values[0] and type(v) is type(values[0]))
                for v in values
            ):
                return None
        ref = next((v for v in values if isinstance(v, tensor)), None)
        what = "the returned value" if name == RETURN else f"'{name}'"
        out = []
        for v, region in zip(values, regions):
            if isinstance(v, tensor):
                out.append(v)
            elif _is_number(v):
                with self.b.region(region):
                    out.append(
                        tileops.full(self.b, ref.shape, v, ref.dtype)
                        if ref is not None
                        else semantic.to_tensor(self.b, v)
                    )
            else:
                raise TypeError(
                    f"{what} is {v!r} on one path and a different value on "
                    "another; only tensors and numbers can differ between paths"
                )
        if any(v.type != out[0].type for v in out):
            raise TypeError(
                f"{what} has mismatched types on different paths: "
                + " vs ".join(str(v.type) for v in out)
            )
        return out

    def _merge_tree(self, label: str, key: str, values: list[Any], regions: list[list[str]],
                    merged: list[tuple[str, list[tensor]]]) -> tuple[Any, ...]:
        """Merges the values one name takes at the end of each region,
        element by element through tuples: appends each runtime leaf (its
        per-region tensors) to ``merged`` under a key of its own; returns
        how the value is rebuilt after the ``if`` (``_rebuild``)."""
        if any(isinstance(v, tuple) for v in values):
            first = values[0]
            for v in values:
                if not isinstance(v, tuple) or len(v) != len(first):
                    what = "the returned value" if label == RETURN else f"'{label}'"
                    raise TypeError(
                        f"{what} is {tlt._describe(first)} on one path and {tlt._describe(v)} "
                        "on another; a tuple must keep its length on every path"
                    )
            children = [
                self._merge_tree(label, f"{key}{LEAF}{i}", [v[i] for v in values], regions,
                                 merged)
                for i in range(len(first))
            ]
            if all(c[0] == "same" for c in children):
                return ("same", first)
            return ("tuple", first, children)
        if all(v is values[0] for v in values):
            return ("same", values[0])
        m = self._merge(label, values, regions)
        if m is None:
            return ("same", values[0])
        merged.append((key, m))
        return ("leaf", key)

    def _rebuild(self, spec: tuple[Any, ...]) -> Any:
        """The value after an ``if`` from ``_merge_tree``'s description (the
        merged leaves are in the scope under their keys, taken out here)."""
        if spec[0] == "same":
            return spec[1]
        if spec[0] == "leaf":
            return self.scope.pop(spec[1])
        return tlt.make_tuple([self._rebuild(c) for c in spec[2]], tlt.field_names(spec[1]))

    # --------------------------------------------------------------------- if
    def visit_If(self, node: ast.If, rest: list[ast.stmt] | None = None) -> bool:
        cond = self.visit(node.test)
        then_body, else_body = node.body + (rest or []), node.orelse + (rest or [])
        if not isinstance(cond, tensor):
            return self.visit_block(then_body if cond else else_body)
        if self.b.select_branches and cond.type.is_block():
            return self._select_if(cond, then_body, else_body, rest is not None)
        cond = self._condition(cond, "an `if`")
        saved = dict(self.scope)
        scopes, regions = [], []
        for body in (then_body, else_body):
            self.scope = dict(saved)
            with self.b.region() as lines:
                self.visit_block(body)
            scopes.append(self.scope)
            regions.append(lines)
        self.scope = dict(saved)
        if rest is not None:  # both branches run to the end of the function
            names = [RETURN]
        else:
            for n in (set(scopes[0]) ^ set(scopes[1])) - set(saved):
                self.dropped[n] = "it is assigned in only one branch of an `if` on a runtime value"

            names = [
                n
                for n in scopes[0]
                if n in scopes[1]
                and n != RETURN
                and (
                    scopes[0][n] is not saved.get(n, _MISSING)
                    or scopes[1][n] is not saved.get(n, _MISSING)
                )
            ]
        merged: list[tuple[str, list[tensor]]] = []
        specs = {n: self._merge_tree(n, n, [s.get(n) for s in scopes], regions, merged)
                 for n in names}
        self._emit_if(cond, regions, merged)
        for n, spec in specs.items():
            self.scope[n] = self._rebuild(spec)
        return rest is not None

    def _select_if(
        self, cond: tensor, then_body: list[ast.stmt], else_body: list[ast.stmt], returns: bool
    ) -> bool:
        """An ``if`` on a block condition inside ``tl.map_elementwise``'s
        scalar function: both branches run on every element and each name
        (or the returned value) they leave different is selected per element
        with ``where``.  The branches must be free of side effects."""
        cond = semantic.cast(self.b, cond, int1)
        saved = dict(self.scope)
        scopes = []
        for body in (then_body, else_body):
            self.scope = dict(saved)
            self._both_ways(lambda body=body: self.visit_block(body))
            scopes.append(self.scope)
        self.scope = dict(saved)
        if returns:
            names = [RETURN]
        else:
            for n in (set(scopes[0]) ^ set(scopes[1])) - set(saved):
                self.dropped[n] = "it is assigned in only one branch of an `if`"
            names = [n for n in scopes[0] if n in scopes[1] and n != RETURN]
        for n in names:
            self.scope[n] = self._select(n, cond, scopes[0].get(n), scopes[1].get(n))
        return returns

    def _both_ways(self, visit: Callable[[], Any]) -> Any:
        """Runs ``visit`` (a branch on a per-element condition: both branches
        run on every element) and keeps its code; side effects are refused."""
        with self.b.region() as lines:
            value = visit()
        effects = [op for op in _EFFECTS if any(op in ln for ln in lines)]
        if effects:
            raise NotImplementedError(
                "tl.map_elementwise: a branch on a per-element condition cannot have "
                f"side effects ({', '.join(effects)}): both branches run "
                "on every element"
            )
        self.b.splice(lines)
        return value

    def _select(self, name: str, cond: tensor, a: Any, b: Any) -> Any:
        if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
            return tlt.make_tuple([self._select(name, cond, x, y) for x, y in zip(a, b)],
                                  tlt.field_names(a))
        if not isinstance(a, tensor) and not isinstance(b, tensor):
            if a is b or (_is_number(a) and type(a) is type(b) and a == b):
                return a
        if not all(isinstance(v, tensor) or _is_number(v) for v in (a, b)):
            what = "the returned value" if name == RETURN else f"'{name}'"
            raise TypeError(
                f"{what} is {a!r} on one branch and {b!r} on the other; only tensors "
                "and numbers can differ between branches"
            )
        return semantic.where(self.b, cond, a, b)

    def _emit_if(
        self, cond: tensor, regions: list[list[str]], merged: list[tuple[str, list[tensor]]]
    ) -> None:
        if not merged:
            bodies = regions if regions[1] else regions[:1]
            self.b.region_op(f"scf.if {cond.handle}", bodies, ["else"])
            return
        for i, region in enumerate(regions):
            vals = [m[1][i] for m in merged]
            with self.b.region(region):
                self.b.emit(f"scf.yield {', '.join(v.handle for v in vals)} : {_types(vals)}")
        types = [m[1][0].type for m in merged]
        binding, names = _results(self.b.fresh(), len(merged))
        head = f"{binding} = scf.if {cond.handle} -> ({', '.join(t.to_ir() for t in types)})"
        self.b.region_op(head, regions, ["else"])
        for (n, _), h, t in zip(merged, names, types):
            self.scope[n] = tensor(h, t)

    def visit_IfExp(self, node: ast.IfExp) -> Any:
        cond = self.visit(node.test)
        if not isinstance(cond, tensor):
            return self.visit(node.body if cond else node.orelse)
        if self.b.select_branches and cond.type.is_block():
            c = semantic.cast(self.b, cond, int1)
            return self._select("", c, self._both_ways(lambda: self.visit(node.body)),
                                self._both_ways(lambda: self.visit(node.orelse)))
        cond = self._condition(cond, "a conditional expression")
        values, regions = [], []
        for expr in (node.body, node.orelse):
            with self.b.region() as lines:
                values.append(_unwrap(self.visit(expr)))
            regions.append(lines)
        merged: list[tuple[str, list[tensor]]] = []
        spec = self._merge_tree("the conditional expression", "", values, regions, merged)
        if spec[0] == "same":
            # One value on both paths (None when the branches are calls such
            # as tl.store): the chosen branch's side effects still run.
            if any(regions):
                self._emit_if(cond, regions, [])
            return spec[1]
        self._emit_if(cond, regions, merged)
        return self._rebuild(spec)

    # -------------------------------------------------------------------- for
    def visit_For(self, node: ast.For) -> None:
        if node.orelse:
            raise NotImplementedError("`for ... else` is not supported")
        if contains_return(ast.Module(body=node.body, type_ignores=[])):
            raise NotImplementedError("`return` inside a loop is not supported")
        it = node.iter
        if isinstance(it, ast.Call):
            fn = self.visit(it.func)
            args = self._elements(it.args)
            kwargs = {kw.arg: self.visit(kw.value) for kw in it.keywords if kw.arg}
            if fn is builtins.range or fn is tlb.range:
                r = tlb.range(*args, **kwargs)
                return self._scf_for(node, r.start, r.end, r.step, r.warp_specialize,
                                     r.num_stages)
            iterable = self.call(fn, args, kwargs, it)
        else:
            iterable = self.visit(it)
        if isinstance(iterable, tensor):
            raise TypeError("cannot iterate over a tensor")
        if not isinstance(
            iterable, (tlb.static_range, tuple, list, builtins.range)
        ) and not hasattr(iterable, "__iter__"):
            raise TypeError(f"cannot iterate over {type(iterable).__name__} in a kernel")
        for value in iterable:  # unrolled: the loop variable is a constexpr
            self.assign(node.target, value)
            self.loop_depth += 1
            try:
                self.visit_block(node.body)
            finally:
                self.loop_depth -= 1

    def _loop_body(
        self,
        body: list[ast.stmt],
        bindings: dict[str, Any],
        prologue: Callable[[], dict[str, Any]] | None = None,
    ) -> list[str]:
        with self.b.region() as lines:
            self.scope.update(bindings)
            if prologue is not None:  # values computed at the top of the body
                self.scope.update(prologue())
            self.loop_depth += 1
            try:
                self.visit_block(body)
            finally:
                self.loop_depth -= 1
        return lines

    def _loop_state(
        self, body: list[ast.stmt], target: str | None, dry_bindings: dict[str, Any]
    ) -> tuple[list[str], list[tensor]]:
        """Finds the loop-carried names by visiting ``body`` into a discarded
        region; returns them with their initial values (emitted here).

        Numbers the body assigns become tensors first (as in Triton), so the
        dry run does not fold them: their type is the one the body gives
        them (``acc = 0`` then ``acc += x`` starts ``acc`` as zeros like x).
        """
        saved = dict(self.scope)
        assigned = sorted(_assigned_names(body))
        numbers = {n: saved[n] for n in assigned if n != target and _is_number(saved.get(n))}
        types: dict[str, Any] = {n: scalar_dtype(v) for n, v in numbers.items()}
        # Numbers inside tuples the body assigns: those the body turns into
        # tensors (or other numbers) are carried as tensors too.
        in_tuples = {(n, path): v for n in assigned if n != target
                     and isinstance(saved.get(n), tuple) for path, v in tlt.number_paths(saved[n])}
        leaf_types: dict[tuple[str, tuple[int, ...]], Any] = {}
        for _ in range(4):  # a number's type may change once per dry run
            pre = dict(saved)
            pre.update({n: tensor(self.b.fresh("dry"), t) for n, t in types.items()})
            for (n, path), t in leaf_types.items():
                pre[n] = tlt.replace_at(pre[n], path, tensor(self.b.fresh("dry"), t))
            self.scope = dict(pre)
            self._loop_body(body, dry_bindings)
            post = self.scope
            retyped = {
                n: post[n].type
                for n in numbers
                if isinstance(post.get(n), tensor) and post[n].type != types[n]
            }
            releafed = {}
            for (n, path), v in in_tuples.items():
                after = tlt.at_path(post.get(n), path) if post.get(n) is not pre[n] else v
                if (n, path) in leaf_types:
                    if isinstance(after, tensor) and after.type != leaf_types[n, path]:
                        releafed[n, path] = after.type
                elif isinstance(after, tensor) or (_is_number(after) and after != v):
                    releafed[n, path] = scalar_dtype(v)
            if not retyped and not releafed:
                break
            types.update(retyped)
            leaf_types.update(releafed)
        self.scope = dict(saved)
        for n in set(post) - set(saved) - {RETURN}:
            self.dropped[n] = (
                "it is the variable of a runtime loop"
                if n == target
                else "it is first assigned inside a runtime loop (assign it before "
                "the loop to carry it out)"
            )
        for n, v in numbers.items():
            self.scope[n] = tileops.full(self.b, types[n].shape, v, types[n].scalar)
        for (n, path), t in leaf_types.items():
            number = in_tuples[n, path]
            self.scope[n] = tlt.replace_at(self.scope[n], path,
                                           tileops.full(self.b, t.shape, number, t.scalar))
        names, inits = [], []
        for n, before in pre.items():
            if n == target or n == RETURN or n not in post or post[n] is before:
                continue
            new, init = post[n], self.scope[n]
            if hasattr(init, "_leaves"):
                # A block pointer (its offsets) or a tuple (its tensors): the
                # leaves are carried, one tensor each.
                if not init._same_frame(new):
                    raise TypeError(_frame_error(n, init, new))
                self.carried_templates[n] = init
                for i, leaf in enumerate(init._leaves()):
                    names.append(f"{n}{LEAF}{i}")
                    inits.append(leaf)
                continue
            if not isinstance(new, tensor) and not isinstance(before, tensor) and new == before:
                continue
            if not isinstance(init, tensor):
                raise TypeError(
                    f"'{n}' changes in a loop but is {init!r} before it; only tensors "
                    "and numbers can be loop-carried"
                )
            if isinstance(new, tensor) and new.type != init.type:
                raise TypeError(
                    f"loop-carried variable '{n}' has type {init.type} before the loop "
                    f"but {new.type} after an iteration; cast it so the type stays "
                    "the same"
                )
            names.append(n)
            inits.append(init)
        return names, inits

    def _group(self, flat: dict[str, Any]) -> dict[str, Any]:
        """Loop-carried values by name: the leaves of a carried block pointer
        (``name<LEAF>i``) become the pointer again."""
        out: dict[str, Any] = {}
        leaves: dict[str, dict[int, tensor]] = {}
        for n, v in flat.items():
            if LEAF in n:
                name, i = n.split(LEAF)
                leaves.setdefault(name, {})[int(i)] = v
            else:
                out[n] = v
        for name, parts in leaves.items():
            out[name] = self.carried_templates[name]._with_leaves(
                [parts[i] for i in range(len(parts))]
            )
        return out

    def _carried_value(self, n: str) -> Any:
        if LEAF not in n:
            return self.scope.get(n)
        name, i = n.split(LEAF)
        v = self.scope.get(name)
        template = self.carried_templates[name]
        if not template._same_frame(v):
            raise TypeError(_frame_error(name, template, v))
        return v._leaves()[int(i)]

    def _yields(self, names: list[str], inits: list[tensor]) -> list[tensor]:
        out = []
        for n, init in zip(names, inits):
            v = self._carried_value(n)
            if _is_number(v):
                v = tileops.full(self.b, init.shape, v, init.dtype)
            if not isinstance(v, tensor) or v.type != init.type:
                got = v.type if isinstance(v, tensor) else repr(v)
                raise TypeError(
                    f"loop-carried variable '{n}' has type {init.type} before the "
                    f"loop but {got} after an iteration"
                )
            out.append(v)
        return out

    def _bounds(self, start: Any, end: Any, step: Any) -> tuple[list[tensor], Any]:
        step = _unwrap(step)
        if not isinstance(step, tensor) and (not isinstance(step, int) or step == 0):
            raise ValueError(f"range's step must be a non-zero integer, got {step!r}")
        values = [semantic.to_tensor(self.b, _unwrap(v)) for v in (start, end, step)]
        for v in values:
            if v.type.is_block() or not v.dtype.is_int() or v.dtype.is_bool():
                raise TypeError(f"range bounds must be integer scalars, got {v.type}")
        ty = values[0].dtype
        for v in values[1:]:
            ty = semantic.integer_promote(ty, v.dtype)
        return [semantic.cast(self.b, v, ty) for v in values], ty

    def _scf_for(self, node: ast.For, start: Any, end: Any, step: Any,
                 warp_specialize: bool = False, num_stages: int | None = None) -> None:
        """``scf.for`` over ``range(start, end, step)``.  A negative constexpr
        step runs as Triton does: the loop counts up from ``end`` to ``start``
        by ``-step`` and the body sees ``start + end - counter`` (the values
        Python's range gives, in the same order).  Runtime steps must be
        positive, as in Triton."""
        if not isinstance(node.target, ast.Name):
            raise NotImplementedError("the target of a range loop must be a name")
        step = _unwrap(step)
        descending = isinstance(step, int) and not isinstance(step, bool) and step < 0
        if descending:
            start, end, step = end, start, -step
        (lb, ub, st), iv_ty = self._bounds(start, end, step)
        target = node.target.id
        names, inits = self._loop_state(
            node.body, target, {target: tensor(self.b.fresh("iv"), iv_ty)}
        )
        saved = dict(self.scope)
        iv = self.b.fresh("iv")
        args = [self.b.fresh("it") for _ in names]
        bindings: dict[str, Any] = {target: tensor(iv, iv_ty)}
        bindings.update(self._group({n: tensor(a, i.type) for n, a, i in zip(names, args, inits)}))

        def reversed_counter() -> dict[str, Any]:
            down = semantic.sub(self.b, ub, tensor(iv, iv_ty))
            return {target: semantic.add(self.b, down, lb)}

        body = self._loop_body(node.body, bindings, reversed_counter if descending else None)
        with self.b.region(body):
            yields = self._yields(names, inits)
            if yields:
                self.b.emit(f"scf.yield {', '.join(y.handle for y in yields)} : {_types(yields)}")
        self.scope = dict(saved)
        head = f"scf.for {iv} = {lb.handle} to {ub.handle} step {st.handle}"
        if names:
            binding, results = _results(self.b.fresh(), len(names))
            iters = ", ".join(f"{a} = {i.handle}" for a, i in zip(args, inits))
            head = f"{binding} = {head} iter_args({iters}) -> ({_types(inits)})"
            self.scope.update(
                self._group({n: tensor(r, i.type) for n, r, i in zip(names, results, inits)})
            )
        # The loop's own pipelining options (tl.range's).
        loop_attrs = [f"tile.num_stages = {num_stages} : i32"] if num_stages else []
        if warp_specialize:
            loop_attrs.append("tile.warp_specialize")
        attrs = "{" + ", ".join(loop_attrs) + "}" if loop_attrs else ""
        self.b.region_op(f"{head} : {iv_ty.to_ir()}", [body], attrs=attrs)

    # ------------------------------------------------------------------ while
    def visit_While(self, node: ast.While) -> None:
        if node.orelse:
            raise NotImplementedError("`while ... else` is not supported")
        if contains_return(ast.Module(body=node.body, type_ignores=[])):
            raise NotImplementedError("`return` inside a loop is not supported")
        names, inits = self._loop_state(node.body, None, {})
        saved = dict(self.scope)
        before_args = [self.b.fresh("it") for _ in names]
        after_args = [self.b.fresh("it") for _ in names]
        with self.b.region() as before:
            self.scope.update(
                self._group({n: tensor(a, i.type) for n, a, i in zip(names, before_args, inits)})
            )
            cond = self.visit(node.test)
            if not isinstance(cond, tensor):
                self.scope = dict(saved)
                if cond:
                    raise NotImplementedError(
                        "a `while` condition that is always true is not "
                        "supported (there is no `break`)"
                    )
                return
            c = self._condition(cond, "a `while`")
            fwd = f" {', '.join(before_args)} : {_types(inits)}" if names else ""
            self.b.emit(f"scf.condition({c.handle}){fwd}")
        self.scope = dict(saved)
        label = [f"^bb0({', '.join(f'{a}: {i.type.to_ir()}' for a, i in zip(after_args, inits))}):"]
        body = self._loop_body(
            node.body,
            self._group({n: tensor(a, i.type) for n, a, i in zip(names, after_args, inits)}),
        )
        with self.b.region(body):
            yields = self._yields(names, inits)
            self.b.emit(
                f"scf.yield {', '.join(y.handle for y in yields)} : {_types(yields)}"
                if yields
                else "scf.yield"
            )
        self.scope = dict(saved)
        types = _types(inits)
        if names:
            binding, results = _results(self.b.fresh(), len(names))
            iters = ", ".join(f"{a} = {i.handle}" for a, i in zip(before_args, inits))
            head = f"{binding} = scf.while ({iters}) : ({types}) -> ({types})"
            self.scope.update(
                self._group({n: tensor(r, i.type) for n, r, i in zip(names, results, inits)})
            )
        else:
            head = "scf.while : () -> ()"
        self.b.region_op(head, [before, (label if names else []) + body], ["do"])
