"""In-kernel tuples: ``tl.tuple`` and ``tl.tuple_type``, as Triton's.

Every tuple a kernel sees is a ``tl.tuple``: a literal ``(a, b)``, the
result of a list comprehension, a builtin's tuple result, ``tl.tuple(iterable)``,
a ``typing.NamedTuple`` instance built in the kernel, and a tuple passed as a
kernel argument.  It is an immutable Python tuple (so every place that
accepts a tuple accepts it) whose elements are tensors and compile-time
values; it is indexed, sliced, measured (``len``) and unpacked at compile
time.  A tuple of named fields (a ``NamedTuple``) keeps its field names, so
``t.ptr`` works as in Triton.

Control flow sees a tuple through its tensors (its *leaves*): a runtime
``if`` merges tuples element by element, loops carry them (the ``_leaves``
protocol of ``compiler.control``, shared with block pointers) and
``noinline`` functions take and return them flattened.
"""

from __future__ import annotations

import builtins
import operator
from typing import Any, Iterable, Iterator, Sequence

from .core import _unwrap, constexpr_type, tensor

__all__ = ["tuple", "tuple_type", "shape_tuple", "make_tuple", "as_tuple", "field_names",
           "leaves", "with_leaves", "tensor_leaves", "replace_tensors", "signature"]

_tuple = builtins.tuple


def _element_type(value: Any) -> Any:
    """A tuple element's type: a tensor's type, a nested tuple's
    ``tuple_type``, else ``constexpr_type(value)`` (compile-time values)."""
    if isinstance(value, tensor):
        return value.type
    if isinstance(value, _tuple):
        return as_tuple(value).type
    return constexpr_type(value)


class tuple_type:
    """The type of a ``tl.tuple``: its elements' types and, for a tuple of
    named fields, the field names (``""`` each otherwise)."""

    __slots__ = ("types", "fields")

    def __init__(self, types: Iterable[Any], fields: Sequence[str] | None = None) -> None:
        self.types = _tuple(_unwrap(t) for t in types)
        self.fields = _tuple(fields) if fields else ("",) * len(self.types)
        if len(self.fields) != len(self.types):
            raise ValueError(
                f"tuple_type: {len(self.fields)} field names for {len(self.types)} types"
            )

    @property
    def name(self) -> str:
        return "[" + ",".join(f"{k}:{v}" for k, v in zip(self.fields, self.types)) + "]"

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"tl.tuple_type({self.name})"

    def __iter__(self) -> Iterator[Any]:
        return iter(self.types)

    def __len__(self) -> int:
        return len(self.types)

    def __getitem__(self, index: Any) -> Any:
        return self.types[_unwrap(index)]

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, tuple_type) and self.types == other.types
                and self.fields == other.fields)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash((self.types, self.fields))

    @staticmethod
    def is_block() -> bool:
        return False

    @staticmethod
    def is_ptr() -> bool:
        return False


class tuple(_tuple):
    """A tuple of tensors and compile-time values (Triton's ``tl.tuple``).

    ``tl.tuple(iterable)`` builds one in a kernel (``tl.tuple([x, y])``); a
    second argument, a ``tl.tuple_type`` with field names, names its fields.
    """

    def __new__(cls, args: Iterable[Any] = (),
                type: tuple_type | None = None) -> "tuple":  # noqa: A002 - Triton's name
        args = _unwrap(args)
        if isinstance(args, tensor) or not hasattr(args, "__iter__") or isinstance(args, str):
            what = f"a {args.dtype} tensor" if isinstance(args, tensor) else repr(args)
            raise TypeError(f"tl.tuple expects a tuple or list of values, got {what}")
        plain = builtins.type(args) is _tuple or builtins.type(args) is list
        fields = field_names(args) if not plain and isinstance(args, _tuple) else None
        self = _tuple.__new__(cls, [_unwrap(v) for v in args])
        if type is not None:
            type = _unwrap(type)
            if not isinstance(type, tuple_type):
                raise TypeError(f"tl.tuple's type must be a tl.tuple_type, got {type!r}")
            if len(type) != len(self):
                raise ValueError(f"tl.tuple: a type of {len(type)} elements for "
                                 f"{len(self)} values")
            fields = type.fields if any(type.fields) else None
        if fields:
            self._tl_fields = _tuple(fields)
        return self

    # -- what Triton's tl.tuple has --
    @property
    def values(self) -> list[Any]:
        return list(self)

    @property
    def type(self) -> tuple_type:
        return tuple_type([_element_type(v) for v in self], self._names())

    def _names(self) -> _tuple[str, ...] | None:
        return self.__dict__.get("_tl_fields")

    def __getitem__(self, index: Any) -> Any:
        index = _unwrap(index)
        if isinstance(index, slice):
            bounds = (_unwrap(index.start), _unwrap(index.stop), _unwrap(index.step))
            return tuple(_tuple.__getitem__(self, slice(*bounds)))
        if isinstance(index, tensor):
            raise TypeError("tuple indices must be compile-time integers, not runtime tensors")
        if not hasattr(builtins.type(index), "__index__"):
            raise TypeError(
                f"tuple indices must be integers or slices, not {builtins.type(index).__name__}"
            )
        i, n = operator.index(index), len(self)
        if not -n <= i < n:
            raise IndexError(f"tuple index {i} is out of range for a tuple of {n} element"
                             f"{'' if n == 1 else 's'}")
        return _tuple.__getitem__(self, i)

    def __getattr__(self, name: str) -> Any:
        fields = None if name.startswith("__") else self.__dict__.get("_tl_fields")
        if fields and name in fields:
            return _tuple.__getitem__(self, fields.index(name))
        hint = f" (its fields: {', '.join(fields)})" if fields else ""
        raise AttributeError(f"tl.tuple has no attribute '{name}'{hint}")

    def __add__(self, other: Any) -> "tuple":
        other = _unwrap(other)
        if not isinstance(other, (_tuple, list)):
            return NotImplemented
        return tuple([*self, *other])

    def __radd__(self, other: Any) -> "tuple":
        other = _unwrap(other)
        if not isinstance(other, (_tuple, list)):
            return NotImplemented
        return tuple([*other, *self])

    def __mul__(self, count: Any) -> "tuple":
        count = _unwrap(count)
        if isinstance(count, tensor) or not hasattr(builtins.type(count), "__index__"):
            return NotImplemented
        return tuple(list(self) * operator.index(count))

    __rmul__ = __mul__

    def __eq__(self, other: object) -> bool:
        other = _unwrap(other)
        if not isinstance(other, (_tuple, list)) or len(other) != len(self):
            return False
        return all(a is b or bool(_unwrap(a) == _unwrap(b)) for a, b in zip(self, other))

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = _tuple.__hash__

    def __repr__(self) -> str:
        names = self._names()
        if names:
            return "tuple(" + ", ".join(f"{k}={v!r}" for k, v in zip(names, self)) + ")"
        return _tuple.__repr__(self)

    # -- loop carrying (compiler.control): the tensors may change --
    def _leaves(self) -> list[tensor]:
        return leaves(self)

    def _with_leaves(self, new: Sequence[tensor]) -> "tuple":
        return with_leaves(self, new)

    def _same_frame(self, other: Any) -> bool:
        return _frame_difference(self, other, "") is None

    def _frame_mismatch(self, name: str, other: Any) -> str:
        why = _frame_difference(self, other, "") or "it differs"
        return (f"'{name}' is the tuple {self!r} before the loop but {other!r} after an "
                f"iteration ({why}); a loop may only change the tensors of a tuple, each "
                "keeping its type")


class shape_tuple(tuple):
    """``tensor.shape``: a tuple of ints that also behaves like the list
    Triton code expects: it equals a list (or tuple) of the same ints or
    constexprs, concatenates with lists (``x.shape[:-1] + [k]``) and slices
    to ``shape_tuple``s."""

    def __getitem__(self, index: Any) -> Any:
        item = tuple.__getitem__(self, index)
        return shape_tuple(item) if isinstance(item, _tuple) else item

    def __add__(self, other: Any) -> "shape_tuple":
        return shape_tuple(_tuple(self) + _tuple(_unwrap(v) for v in _unwrap(other)))

    def __radd__(self, other: Any) -> "shape_tuple":
        return shape_tuple(_tuple(_unwrap(v) for v in _unwrap(other)) + _tuple(self))


def make_tuple(values: Iterable[Any], fields: Sequence[str] | None = None) -> tuple:
    """A ``tl.tuple`` of ``values``, with field names when ``fields``."""
    out = tuple(values)
    if fields:
        out._tl_fields = _tuple(fields)
    return out


def as_tuple(value: Any) -> tuple:
    """``value`` (a Python tuple or a NamedTuple) as a ``tl.tuple``."""
    return value if isinstance(value, tuple) else tuple(value)


def field_names(value: _tuple) -> _tuple[str, ...] | None:
    """The field names of a ``tl.tuple`` or a NamedTuple (None: unnamed)."""
    names = getattr(value, "_tl_fields", None) or getattr(builtins.type(value), "_fields", None)
    return _tuple(names) if names else None


def _rebuilt(template: _tuple, items: list[Any]) -> tuple:
    """A ``tl.tuple`` of ``items`` with ``template``'s field names."""
    return make_tuple(items, field_names(template))


# ---------------------------------------------------------------------------
# leaves: the runtime values inside (nested) tuples
# ---------------------------------------------------------------------------
def leaves(value: Any) -> list[tensor]:
    """The tensors of ``value`` (a tensor, or a tuple of them at any depth),
    and the offsets of block pointers among them: what a loop carries."""
    if isinstance(value, tensor):
        return [value]
    if isinstance(value, _tuple):
        return [leaf for v in value for leaf in leaves(v)]
    if hasattr(value, "_leaves"):
        return list(value._leaves())
    return []


def with_leaves(value: Any, new: Iterable[tensor]) -> Any:
    """``value`` with its ``leaves`` replaced, in order, by ``new`` (tuples
    without leaves are kept as they are)."""
    it = iter(new)

    def rebuild(v: Any) -> Any:
        if isinstance(v, tensor):
            return next(it)
        if isinstance(v, _tuple):
            return _rebuilt(v, [rebuild(e) for e in v]) if leaves(v) else v
        if hasattr(v, "_leaves"):
            return v._with_leaves([next(it) for _ in v._leaves()])
        return v

    return rebuild(value)


def tensor_leaves(value: Any) -> list[tensor]:
    """The tensors of ``value`` (tuples at any depth), nothing else."""
    if isinstance(value, tensor):
        return [value]
    if isinstance(value, _tuple):
        return [leaf for v in value for leaf in tensor_leaves(v)]
    return []


def replace_tensors(value: Any, new: Iterable[tensor]) -> Any:
    """``value`` with its ``tensor_leaves`` replaced, in order, by ``new``
    (tuples without tensors are kept as they are)."""
    it = iter(new)

    def rebuild(v: Any) -> Any:
        if isinstance(v, tensor):
            return next(it)
        if isinstance(v, _tuple):
            return _rebuilt(v, [rebuild(e) for e in v]) if tensor_leaves(v) else v
        return v

    return rebuild(value)


def signature(value: Any) -> str:
    """``repr(value)`` with each tensor written as its type: equal for the
    values one function specialization serves."""
    if isinstance(value, tensor):
        return f"<{value.type}>"
    if isinstance(value, _tuple):
        names = field_names(value)
        parts = [signature(v) for v in value]
        if names:
            parts = [f"{k}={p}" for k, p in zip(names, parts)]
        return "(" + ", ".join(parts) + ",)"
    return repr(value)


def number_paths(value: Any, path: _tuple[int, ...] = ()) -> list[_tuple[_tuple[int, ...], Any]]:
    """(path, number) of every Python number in the tuple ``value``."""
    if isinstance(value, _tuple):
        return [p for i, v in enumerate(value) for p in number_paths(v, path + (i,))]
    if isinstance(value, (bool, int, float)):
        return [(path, value)]
    return []


def at_path(value: Any, path: Sequence[int]) -> Any:
    """The element of nested tuples at ``path``, or None when there is none."""
    for i in path:
        if not isinstance(value, _tuple) or i >= len(value):
            return None
        value = _tuple.__getitem__(value, i)
    return value


def replace_at(value: Any, path: Sequence[int], new: Any) -> Any:
    """The tuple ``value`` with the element at ``path`` replaced by ``new``."""
    if not path:
        return new
    items = list(value)
    items[path[0]] = replace_at(items[path[0]], path[1:], new)
    return _rebuilt(value, items)


def _describe(value: Any) -> str:
    if isinstance(value, tensor):
        return f"a {value.type} tensor"
    if isinstance(value, _tuple):
        return f"a tuple of {len(value)}"
    return repr(value)


def _frame_difference(a: Any, b: Any, where: str) -> str | None:
    """Why ``b`` cannot take the place of ``a`` in a loop (None: it can):
    the same structure and compile-time values, tensors of the same types."""
    here = f"element {where}" if where else "the value"
    if isinstance(a, tensor):
        if isinstance(b, tensor) and b.type == a.type:
            return None
        return f"{here} is {_describe(a)} before and {_describe(b)} after"
    if isinstance(a, _tuple):
        if not isinstance(b, _tuple) or len(b) != len(a):
            return f"{here} is {_describe(a)} before and {_describe(b)} after"
        for i, (x, y) in enumerate(zip(a, b)):
            why = _frame_difference(x, y, f"{where}[{i}]")
            if why is not None:
                return why
        return None
    if hasattr(a, "_same_frame"):
        return None if a._same_frame(b) else f"{here} is {a!r} before and {b!r} after"
    if b is a:
        return None
    try:
        same = builtins.type(a) is builtins.type(b) and bool(a == b)
    except Exception:  # noqa: BLE001 - values that do not compare
        same = False
    return None if same else f"{here} is {_describe(a)} before and {_describe(b)} after"
