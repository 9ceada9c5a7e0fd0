"""Types and values of the Tessel language: dtypes, constexpr, and tensor.

A ``tensor`` is a symbolic SSA value of the kernel being compiled; its
operators emit Tile IR through the builder that the code generator installs
(see ``builder_scope``).  Everything that is not a ``tensor`` is a
compile-time (constexpr) value.
"""

from __future__ import annotations

import contextlib
import enum
import operator
from typing import Any, Callable, Iterator, Sequence

__all__ = [
    "dtype",
    "pointer_type",
    "const_pointer_type",
    "const",
    "block_type",
    "constexpr",
    "tensor",
    "builtin",
    "int1",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "void",
]

TRITON_MAX_TENSOR_NUMEL = 1 << 20


# ---------------------------------------------------------------------------
# dtypes
# ---------------------------------------------------------------------------
class dtype:
    """A scalar element type (``tl.float32``, ``tl.uint8``, ...)."""

    class KIND(enum.IntEnum):
        BOOLEAN = 0
        INTEGRAL = 1
        FLOATING = 2

    class SIGNEDNESS(str, enum.Enum):
        """``int_signedness`` of integer types (also equal to the strings
        ``"signed"``/``"unsigned"``)."""

        SIGNED = "signed"
        UNSIGNED = "unsigned"

    SINT_TYPES = ("int1", "int8", "int16", "int32", "int64")
    UINT_TYPES = ("uint8", "uint16", "uint32", "uint64")
    FP8_TYPES = ("fp8e4nv", "fp8e5", "fp8e4b15")
    FP_TYPES = ("fp8e4nv", "fp8e5", "fp8e4b15", "fp16", "bf16", "fp32", "fp64")
    STANDARD_FP_TYPES = ("fp16", "bf16", "fp32", "fp64")
    OTHER_TYPES = ("void",)
    #: (bits, explicit mantissa bits, exponent bias) of each float format
    _FP_BITS = {
        "fp8e4nv": (8, 3, 7),
        "fp8e5": (8, 2, 15),
        "fp8e4b15": (8, 3, 15),
        "fp16": (16, 10, 15),
        "bf16": (16, 7, 127),
        "fp32": (32, 23, 127),
        "fp64": (64, 52, 1023),
    }
    # float8 values travel as their bytes (i8); conversions are emitted by
    # the frontend (see fp8.py).
    _FP_IR = {"fp8e4nv": "i8", "fp8e5": "i8", "fp8e4b15": "i8", "fp16": "f16", "bf16": "bf16", "fp32": "f32",
              "fp64": "f64"}

    def __init__(self, name: str) -> None:
        self.name = name
        if name in self.SINT_TYPES:
            self.int_signedness: "dtype.SIGNEDNESS | str" = dtype.SIGNEDNESS.SIGNED
            self.int_bitwidth = int(name[3:])
            self.primitive_bitwidth = self.int_bitwidth
            self.fp_mantissa_width = 0
            self._ir = f"i{self.int_bitwidth}"
        elif name in self.UINT_TYPES:
            self.int_signedness = dtype.SIGNEDNESS.UNSIGNED
            self.int_bitwidth = int(name[4:])
            self.primitive_bitwidth = self.int_bitwidth
            self.fp_mantissa_width = 0
            self._ir = f"i{self.int_bitwidth}"
        elif name in self.FP_TYPES:
            self.int_signedness = ""
            self.int_bitwidth = 0
            self.primitive_bitwidth, self.fp_mantissa_width, self.exponent_bias = (
                self._FP_BITS[name]
            )
            self._ir = self._FP_IR[name]
        elif name == "void":
            # Triton's tl.void: the type of no value (a tensor, a constant or
            # a pointee never has it); comparisons and predicates only.
            self.int_signedness = ""
            self.int_bitwidth = 0
            self.primitive_bitwidth = 0
            self.fp_mantissa_width = 0
            self._ir = ""
        elif not name.startswith(("pointer<", "const_pointer<")):
            raise ValueError(f"unknown dtype {name!r}")

    # -- predicates (Triton's names) --
    def is_int(self) -> bool:
        return self.name in self.SINT_TYPES or self.name in self.UINT_TYPES

    def is_int_signed(self) -> bool:
        return self.name in self.SINT_TYPES

    def is_int_unsigned(self) -> bool:
        return self.name in self.UINT_TYPES

    def is_bool(self) -> bool:
        return self.name == "int1"

    def is_int1(self) -> bool:
        return self.name == "int1"

    def is_floating(self) -> bool:
        return self.name in self.FP_TYPES

    def is_fp8(self) -> bool:
        return self.name in self.FP8_TYPES

    def is_fp8e4nv(self) -> bool:
        return self.name == "fp8e4nv"

    def is_fp8e5(self) -> bool:
        return self.name == "fp8e5"

    def is_fp8e4b15(self) -> bool:
        return self.name == "fp8e4b15"

    def is_fp16(self) -> bool:
        return self.name == "fp16"

    def is_bf16(self) -> bool:
        return self.name == "bf16"

    def is_fp32(self) -> bool:
        return self.name == "fp32"

    def is_fp64(self) -> bool:
        return self.name == "fp64"

    def is_standard_floating(self) -> bool:
        return self.name in self.STANDARD_FP_TYPES

    def is_ptr(self) -> bool:
        return False

    def is_block(self) -> bool:
        return False

    def is_void(self) -> bool:
        """True for ``tl.void`` (Triton's static ``is_void`` raises instead)."""
        return self.name == "void"

    @staticmethod
    def is_const() -> bool:
        return False

    @staticmethod
    def is_dtype(type_str: str) -> bool:
        """True for the short names of scalar types (``"fp32"``, ``"int8"``...)
        and ``"void"``."""
        return type_str in (dtype.SINT_TYPES + dtype.UINT_TYPES + dtype.FP_TYPES
                            + dtype.OTHER_TYPES)

    def get_int_max_value(self) -> int:
        if not self.is_int():
            raise TypeError(f"{self} is not an integer type")
        if self.is_int_unsigned():
            return (1 << self.int_bitwidth) - 1
        return (1 << (self.int_bitwidth - 1)) - 1 if not self.is_bool() else 1

    def get_int_min_value(self) -> int:
        if not self.is_int():
            raise TypeError(f"{self} is not an integer type")
        if self.is_int_unsigned() or self.is_bool():
            return 0
        return -(1 << (self.int_bitwidth - 1))

    def codegen_name(self) -> str:
        """``float32``, ``bfloat16``, ``int8``...: the public name."""
        return _PUBLIC_NAME.get(self.name, self.name)

    def kind(self) -> "dtype.KIND":
        if self.name == "void":
            raise TypeError("tl.void has no arithmetic kind")
        if self.is_bool():
            return dtype.KIND.BOOLEAN
        if self.is_int():
            return dtype.KIND.INTEGRAL
        return dtype.KIND.FLOATING

    @property
    def scalar(self) -> "dtype":
        return self

    @property
    def shape(self) -> tuple[int, ...]:
        return ()

    def to_ir(self) -> str:
        if not self._ir:
            raise TypeError(
                f"{self!r} has no values: it cannot be the type of a tensor, a constant "
                "or a pointee"
            )
        return self._ir

    def __eq__(self, other: object) -> bool:
        other = _unwrap(other)
        return isinstance(other, dtype) and self.name == other.name

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.name)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"tl.{_PUBLIC_NAME.get(self.name, self.name)}"

    def __call__(self, value: Any) -> Any:  # tl.float32(x) casts, like Triton
        from . import semantic

        return semantic.cast(current_builder(), semantic.to_tensor(current_builder(), value), self)


class pointer_type(dtype):
    """Pointer to global memory holding ``element_ty`` values; ``const=True``
    (``tl.const_pointer_type``) marks read-only data: storing through it is
    an error, as in Triton."""

    def __init__(self, element_ty: dtype, address_space: int = 1, const: bool = False) -> None:
        element_ty = _unwrap(element_ty)
        if not isinstance(element_ty, dtype) or element_ty.is_ptr() or element_ty.is_void():
            raise TypeError(f"pointer_type expects a scalar dtype, got {element_ty!r}")
        const = bool(_unwrap(const))
        super().__init__(f"{'const_' if const else ''}pointer<{element_ty.name}>")
        self.element_ty = element_ty
        self.address_space = int(_unwrap(address_space))
        self.const = const
        self.int_signedness = ""
        self.int_bitwidth = 0
        self.primitive_bitwidth = 64
        self.fp_mantissa_width = 0
        # Booleans live in memory as bytes (as in Triton).
        pointee = "i8" if element_ty.is_bool() else element_ty.to_ir()
        self._ir = f"!tile.ptr<{pointee}>"

    def is_ptr(self) -> bool:
        return True

    def is_const(self) -> bool:  # type: ignore[override]
        return self.const

    def kind(self) -> "dtype.KIND":
        raise TypeError("pointers have no arithmetic kind")

    def __repr__(self) -> str:
        if self.const:
            return f"tl.const_pointer_type({self.element_ty!r})"
        return f"tl.pointer_type({self.element_ty!r})"


class const_pointer_type(pointer_type):
    """``tl.const_pointer_type(element_ty)``: a pointer to data the kernel
    may not store to (``tl.store``/atomics through it are compile errors);
    equal to ``tl.pointer_type(element_ty, const=True)``."""

    def __init__(self, element_ty: dtype, address_space: int = 1) -> None:
        super().__init__(element_ty, address_space, const=True)


class const:
    """Annotation of a pointer parameter (``x_ptr: tl.const``) whose data the
    kernel only reads, as Triton's: the parameter is a
    ``tl.const_pointer_type`` (type string ``"*kfp32"``), storing through it
    or through pointers computed from it is a ``CompilationError``, and the
    const and non-const pointer types differ (an ``if`` may not yield one on
    one path and the other on another)."""


class block_type:
    """The type of a tensor: a scalar or pointer type and a static shape."""

    def __init__(self, element_ty: dtype, shape: Sequence[int]) -> None:
        self.element_ty = element_ty
        self.shape = tuple(int(s) for s in shape)
        if not self.shape:
            raise ValueError("block_type needs a non-empty shape")
        self.numel = 1
        for s in self.shape:
            self.numel *= s

    @staticmethod
    def make(element_ty: dtype, shape: Sequence[int]) -> "dtype | block_type":
        return block_type(element_ty, shape) if len(shape) else element_ty

    @property
    def scalar(self) -> dtype:
        return self.element_ty

    def is_block(self) -> bool:
        return True

    def is_ptr(self) -> bool:
        return False

    def to_ir(self) -> str:
        dims = "x".join(str(s) for s in self.shape)
        return f"tensor<{dims}x{self.element_ty.to_ir()}>"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, block_type)
            and self.shape == other.shape
            and self.element_ty == other.element_ty
        )

    def __hash__(self) -> int:
        return hash((self.element_ty, self.shape))

    def __str__(self) -> str:
        return f"<{list(self.shape)}, {self.element_ty}>"

    __repr__ = __str__


for _static in (dtype.is_const, dtype.is_dtype):  # callable from kernels
    _static.__tessel_builtin__ = True  # type: ignore[attr-defined]


def _name_predicate(type_name: str) -> Callable[[dtype], bool]:
    def predicate(self: dtype) -> bool:
        return self.name == type_name

    predicate.__name__ = f"is_{type_name}"
    return predicate


for _type_name in dtype.SINT_TYPES[1:] + dtype.UINT_TYPES:  # is_int8() ... is_uint64()
    setattr(dtype, f"is_{_type_name}", _name_predicate(_type_name))


def get_int_dtype(bitwidth: Any, signed: Any) -> dtype:
    """The integer type of ``bitwidth`` bits (Triton's ``tl.core.get_int_dtype``)."""
    bits, is_signed = int(_unwrap(bitwidth)), bool(_unwrap(signed))
    if bits == 1:
        return int1
    name = f"{'' if is_signed else 'u'}int{bits}"
    if name not in dtype.SINT_TYPES + dtype.UINT_TYPES:
        raise ValueError(f"no {'signed' if is_signed else 'unsigned'} integer type of {bits} bits")
    return DTYPE_BY_NAME[name]


get_int_dtype.__tessel_builtin__ = True  # type: ignore[attr-defined]

int1 = dtype("int1")
int8 = dtype("int8")
int16 = dtype("int16")
int32 = dtype("int32")
int64 = dtype("int64")
uint8 = dtype("uint8")
uint16 = dtype("uint16")
uint32 = dtype("uint32")
uint64 = dtype("uint64")
float16 = dtype("fp16")
bfloat16 = dtype("bf16")
float32 = dtype("fp32")
float64 = dtype("fp64")
float8e4nv = dtype("fp8e4nv")
float8e5 = dtype("fp8e5")
float8e4b15 = dtype("fp8e4b15")
void = dtype("void")

_PUBLIC_NAME = {
    "fp16": "float16",
    "bf16": "bfloat16",
    "fp32": "float32",
    "fp64": "float64",
    "fp8e4nv": "float8e4nv",
    "fp8e5": "float8e5",
    "fp8e4b15": "float8e4b15",
}

#: every name a dtype can be spelled with (Triton's, NumPy's, MLIR's)
DTYPE_BY_NAME: dict[str, dtype] = {}
for _t in (
    int1,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    float16,
    bfloat16,
    float32,
    float64,
    float8e4nv,
    float8e5,
    float8e4b15,
):
    DTYPE_BY_NAME[_t.name] = _t
    DTYPE_BY_NAME[_PUBLIC_NAME.get(_t.name, _t.name)] = _t
    if _t.is_int_unsigned():
        DTYPE_BY_NAME[f"u{_t.int_bitwidth}"] = _t
    elif not _t.is_fp8():
        DTYPE_BY_NAME[_t.to_ir()] = _t
DTYPE_BY_NAME.update({"bool": int1, "half": float16, "float": float32, "double": float64,
                      "float8_e4m3fn": float8e4nv, "float8_e5m2": float8e5})


# ---------------------------------------------------------------------------
# constexpr
# ---------------------------------------------------------------------------
def _unwrap(x: Any) -> Any:
    return x.value if isinstance(x, constexpr) else x


class constexpr_type:
    """The type of a compile-time value, as Triton's: two are equal when
    their values are (``tl.constexpr(4).type == tl.constexpr_type(4)``)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = _unwrap(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, constexpr_type) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"constexpr_type[{self.value!r}]"


class constexpr:
    """A compile-time value.  As a parameter annotation it marks the
    parameter as a specialization constant; as a wrapper (``tl.constexpr(4)``)
    it lets a global be used inside kernels."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = _unwrap(value)

    @property
    def type(self) -> constexpr_type:
        return constexpr_type(self.value)

    def __repr__(self) -> str:
        return f"constexpr[{self.value!r}]"

    def __hash__(self) -> int:
        return hash(self.value)

    def __bool__(self) -> bool:
        return bool(self.value)

    def __index__(self) -> int:
        return operator.index(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __float__(self) -> float:
        return float(self.value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.value(*args, **kwargs)


def _make_constexpr_binop(op: Callable[[Any, Any], Any], reflected: bool) -> Callable:
    def method(self: constexpr, other: Any) -> Any:
        if isinstance(other, tensor):
            return NotImplemented
        a, b = self.value, _unwrap(other)
        return constexpr(op(b, a) if reflected else op(a, b))

    return method


for _name, _op in [
    ("add", operator.add),
    ("sub", operator.sub),
    ("mul", operator.mul),
    ("truediv", operator.truediv),
    ("floordiv", operator.floordiv),
    ("mod", operator.mod),
    ("pow", operator.pow),
    ("and", operator.and_),
    ("or", operator.or_),
    ("xor", operator.xor),
    ("lshift", operator.lshift),
    ("rshift", operator.rshift),
]:
    setattr(constexpr, f"__{_name}__", _make_constexpr_binop(_op, False))
    setattr(constexpr, f"__r{_name}__", _make_constexpr_binop(_op, True))
for _name, _op in [
    ("eq", operator.eq),
    ("ne", operator.ne),
    ("lt", operator.lt),
    ("le", operator.le),
    ("gt", operator.gt),
    ("ge", operator.ge),
]:
    setattr(constexpr, f"__{_name}__", _make_constexpr_binop(_op, False))
for _name, _uop in [("neg", operator.neg), ("pos", operator.pos), ("invert", operator.invert)]:
    setattr(constexpr, f"__{_name}__", lambda self, _f=_uop: constexpr(_f(self.value)))


def is_const_annotation(annotation: Any) -> bool:
    """True for ``tl.const`` (also as a string, for postponed annotations)."""
    if annotation is const:
        return True
    if isinstance(annotation, str):
        return annotation == "const" or annotation.endswith(".const")
    return False


def is_constexpr_annotation(annotation: Any) -> bool:
    """True for ``tl.constexpr`` (also as a string, for postponed annotations)."""
    if annotation is constexpr:
        return True
    if isinstance(annotation, str):
        return annotation == "constexpr" or annotation.endswith(".constexpr")
    return False


# ---------------------------------------------------------------------------
# the current builder
# ---------------------------------------------------------------------------
_BUILDERS: list[Any] = []


def current_builder() -> Any:
    if not _BUILDERS:
        raise RuntimeError(
            "tessel.language functions and tensor operations can only "
            "be used inside a @tessel.jit function"
        )
    return _BUILDERS[-1]


@contextlib.contextmanager
def builder_scope(builder: Any) -> Iterator[Any]:
    _BUILDERS.append(builder)
    try:
        yield builder
    finally:
        _BUILDERS.pop()


def builtin(fn: Callable) -> Callable:
    """Marks ``fn`` as callable from kernels (it emits IR itself)."""
    fn.__tessel_builtin__ = True  # type: ignore[attr-defined]
    return fn


# ---------------------------------------------------------------------------
# tensor
# ---------------------------------------------------------------------------
class tensor:
    """A value of the kernel being compiled: a scalar or a block."""

    __slots__ = ("handle", "type")

    def __init__(self, handle: str, type: "dtype | block_type") -> None:
        self.handle = handle
        self.type = type

    @property
    def dtype(self) -> dtype:
        return self.type.scalar

    @property
    def shape(self) -> shape_tuple:
        return shape_tuple(self.type.shape)

    @property
    def numel(self) -> int:
        n = 1
        for s in self.shape:
            n *= s
        return n

    def __repr__(self) -> str:
        return f"tensor({self.handle}, {self.type})"

    def __bool__(self) -> bool:
        raise TypeError(
            "a runtime tensor has no compile-time truth value; use tl.where, "
            "tl.minimum/tl.maximum, or an `if` on a scalar"
        )

    __hash__ = object.__hash__

    # -- arithmetic --
    def __add__(self, o: Any) -> "tensor":
        return semantic.add(current_builder(), self, o)

    def __radd__(self, o: Any) -> "tensor":
        return semantic.add(current_builder(), o, self)

    def __sub__(self, o: Any) -> "tensor":
        return semantic.sub(current_builder(), self, o)

    def __rsub__(self, o: Any) -> "tensor":
        return semantic.sub(current_builder(), o, self)

    def __mul__(self, o: Any) -> "tensor":
        return semantic.mul(current_builder(), self, o)

    def __rmul__(self, o: Any) -> "tensor":
        return semantic.mul(current_builder(), o, self)

    def __truediv__(self, o: Any) -> "tensor":
        return semantic.truediv(current_builder(), self, o)

    def __rtruediv__(self, o: Any) -> "tensor":
        return semantic.truediv(current_builder(), o, self)

    def __floordiv__(self, o: Any) -> "tensor":
        return semantic.floordiv(current_builder(), self, o)

    def __rfloordiv__(self, o: Any) -> "tensor":
        return semantic.floordiv(current_builder(), o, self)

    def __mod__(self, o: Any) -> "tensor":
        return semantic.mod(current_builder(), self, o)

    def __rmod__(self, o: Any) -> "tensor":
        return semantic.mod(current_builder(), o, self)

    def __neg__(self) -> "tensor":
        return semantic.neg(current_builder(), self)

    def __pos__(self) -> "tensor":
        return self

    def __abs__(self) -> "tensor":
        return semantic.abs_(current_builder(), self)

    def __invert__(self) -> "tensor":
        return semantic.invert(current_builder(), self)

    # -- bitwise --
    def __and__(self, o: Any) -> "tensor":
        return semantic.bitwise(current_builder(), "and", self, o)

    def __rand__(self, o: Any) -> "tensor":
        return semantic.bitwise(current_builder(), "and", o, self)

    def __or__(self, o: Any) -> "tensor":
        return semantic.bitwise(current_builder(), "or", self, o)

    def __ror__(self, o: Any) -> "tensor":
        return semantic.bitwise(current_builder(), "or", o, self)

    def __xor__(self, o: Any) -> "tensor":
        return semantic.bitwise(current_builder(), "xor", self, o)

    def __rxor__(self, o: Any) -> "tensor":
        return semantic.bitwise(current_builder(), "xor", o, self)

    def __lshift__(self, o: Any) -> "tensor":
        return semantic.bitwise(current_builder(), "shl", self, o)

    def __rlshift__(self, o: Any) -> "tensor":
        return semantic.bitwise(current_builder(), "shl", o, self)

    def __rshift__(self, o: Any) -> "tensor":
        return semantic.bitwise(current_builder(), "shr", self, o)

    def __rrshift__(self, o: Any) -> "tensor":
        return semantic.bitwise(current_builder(), "shr", o, self)

    # -- comparisons --
    def __lt__(self, o: Any) -> "tensor":
        return semantic.compare(current_builder(), "lt", self, o)

    def __le__(self, o: Any) -> "tensor":
        return semantic.compare(current_builder(), "le", self, o)

    def __gt__(self, o: Any) -> "tensor":
        return semantic.compare(current_builder(), "gt", self, o)

    def __ge__(self, o: Any) -> "tensor":
        return semantic.compare(current_builder(), "ge", self, o)

    def __eq__(self, o: Any) -> "tensor":  # type: ignore[override]
        return semantic.compare(current_builder(), "eq", self, o)

    def __ne__(self, o: Any) -> "tensor":  # type: ignore[override]
        return semantic.compare(current_builder(), "ne", self, o)

    def logical_not(self) -> "tensor":
        return semantic.logical_not(current_builder(), self)

    # -- shape manipulation --
    def __getitem__(self, slices: Any) -> "tensor":
        return semantic.subscript(current_builder(), self, slices)

    def to(self, dtype: Any, fp_downcast_rounding: Any = None, bitcast: bool = False) -> "tensor":
        rounding = _unwrap(fp_downcast_rounding)
        if rounding not in (None, "rtne", "rtz"):
            raise ValueError(
                f"fp_downcast_rounding must be 'rtne' or 'rtz', got {rounding!r}"
            )
        return semantic.cast(
            current_builder(), self, _unwrap(dtype), bitcast=bool(_unwrap(bitcast)),
            rounding=rounding,
        )

    def broadcast_to(self, *shape: Any) -> "tensor":
        if len(shape) == 1 and isinstance(_unwrap(shape[0]), (tuple, list)):
            shape = tuple(_unwrap(shape[0]))
        return semantic.broadcast_to(current_builder(), self, semantic.as_shape(shape))


from . import semantic  # noqa: E402  (semantic needs the classes above)
from .tuples import shape_tuple  # noqa: E402  (tensor.shape; tuples needs tensor)
