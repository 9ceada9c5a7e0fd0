//===- ArgPacker.cpp - kernel argument values and packing -----------------===//
//
// Argument kinds, their encodings (f16/bf16 rounding included) and the
// packing shared by the CUDA and CPU launchers.
//
//===----------------------------------------------------------------------===//
#include "tessel/Runtime.h"

#include <cmath>
#include <cstring>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "packing copies the low bytes of KernelArg::bits: little-endian only"
#endif

namespace tessel::runtime {

ArgKind parseArgKind(const std::string &name) {
  static const struct {
    const char *name;
    ArgKind kind;
  } table[] = {
      {"ptr", ArgKind::Ptr}, {"i1", ArgKind::I1},   {"i8", ArgKind::I8},
      {"i16", ArgKind::I16}, {"i32", ArgKind::I32}, {"i64", ArgKind::I64},
      {"u8", ArgKind::I8},   {"u16", ArgKind::I16}, {"u32", ArgKind::I32},
      {"u64", ArgKind::I64}, {"f16", ArgKind::F16}, {"bf16", ArgKind::BF16},
      {"f32", ArgKind::F32}, {"f64", ArgKind::F64},
      {"tensormap", ArgKind::TensorMap}};
  for (const auto &entry : table)
    if (name == entry.name)
      return entry.kind;
  throw std::invalid_argument("unknown kernel argument kind '" + name + "'");
}

const char *argKindName(ArgKind kind) {
  switch (kind) {
  case ArgKind::Ptr:
    return "ptr";
  case ArgKind::I1:
    return "i1";
  case ArgKind::I8:
    return "i8";
  case ArgKind::I16:
    return "i16";
  case ArgKind::I32:
    return "i32";
  case ArgKind::I64:
    return "i64";
  case ArgKind::F16:
    return "f16";
  case ArgKind::BF16:
    return "bf16";
  case ArgKind::F32:
    return "f32";
  case ArgKind::F64:
    return "f64";
  case ArgKind::TensorMap:
    return "tensormap";
  }
  return "?";
}

size_t argKindSize(ArgKind kind) {
  switch (kind) {
  case ArgKind::I1:
  case ArgKind::I8:
    return 1;
  case ArgKind::I16:
  case ArgKind::F16:
  case ArgKind::BF16:
    return 2;
  case ArgKind::I32:
  case ArgKind::F32:
    return 4;
  case ArgKind::Ptr:
  case ArgKind::I64:
  case ArgKind::F64:
    return 8;
  case ArgKind::TensorMap:
    return kTensorMapBytes;
  }
  return 8;
}

bool isFloatKind(ArgKind kind) {
  return kind == ArgKind::F16 || kind == ArgKind::BF16 ||
         kind == ArgKind::F32 || kind == ArgKind::F64;
}

// Rounds straight from double (not through float, which would round twice)
// to a format with `mantBits` stored mantissa bits and minimum normal
// exponent `minExp`; `infBits` is +inf, `nanBits` a quiet NaN.
static uint16_t roundToSmallFloat(double value, int mantBits, int minExp,
                                  uint16_t infBits, uint16_t nanBits) {
  uint16_t sign = std::signbit(value) ? 0x8000 : 0;
  if (std::isnan(value))
    return sign | nanBits;
  double mag = std::fabs(value);
  if (mag == 0)
    return sign;
  if (std::isinf(mag))
    return sign | infBits;
  int exp;
  std::frexp(mag, &exp); // mag = f * 2^exp, f in [0.5, 1)
  int e = std::max(exp - 1, minExp);
  // Exact: scaling by a power of two. q counts units of the last place.
  double scaled = std::ldexp(mag, mantBits - e);
  double q = std::floor(scaled);
  double rem = scaled - q;
  if (rem > 0.5 || (rem == 0.5 && std::fmod(q, 2.0) != 0))
    q += 1;
  // For normals q is in [2^m, 2^(m+1)]: the implicit bit adds one to the
  // exponent field and a rounding carry moves to the next binade for free.
  uint32_t bits = (uint32_t(e - minExp) << mantBits) + uint32_t(q);
  return sign | uint16_t(std::min<uint32_t>(bits, infBits));
}

uint16_t doubleToHalfBits(double value) {
  return roundToSmallFloat(value, 10, -14, 0x7C00, 0x7E00);
}

uint16_t doubleToBF16Bits(double value) {
  return roundToSmallFloat(value, 7, -126, 0x7F80, 0x7FC0);
}

static double smallFloatToDouble(uint16_t bits, int mantBits, int bias) {
  int expField = (bits & 0x7FFF) >> mantBits;
  int maxExp = 0x7FFF >> mantBits;
  uint32_t mant = bits & ((1u << mantBits) - 1);
  double mag;
  if (expField == maxExp)
    mag = mant ? NAN : INFINITY;
  else if (expField == 0)
    mag = std::ldexp(double(mant), 1 - bias - mantBits);
  else
    mag =
        std::ldexp(double(mant | (1u << mantBits)), expField - bias - mantBits);
  return (bits & 0x8000) ? -mag : mag;
}

double halfBitsToDouble(uint16_t bits) {
  return smallFloatToDouble(bits, 10, 15);
}

double bf16BitsToDouble(uint16_t bits) {
  return smallFloatToDouble(bits, 7, 127);
}

KernelArg KernelArg::fromInt(ArgKind kind, int64_t value) {
  if (isFloatKind(kind))
    return fromDouble(kind, double(value));
  uint64_t bits = uint64_t(value);
  switch (kind) {
  case ArgKind::I1:
    bits = value != 0;
    break;
  case ArgKind::I8:
    bits &= 0xFF;
    break;
  case ArgKind::I16:
    bits &= 0xFFFF;
    break;
  case ArgKind::I32:
    bits &= 0xFFFFFFFF;
    break;
  default:
    break;
  }
  return {kind, bits};
}

KernelArg KernelArg::fromDouble(ArgKind kind, double value) {
  switch (kind) {
  case ArgKind::F16:
    return {kind, doubleToHalfBits(value)};
  case ArgKind::BF16:
    return {kind, doubleToBF16Bits(value)};
  case ArgKind::F32: {
    float f = float(value);
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    return {kind, bits};
  }
  case ArgKind::F64: {
    uint64_t bits;
    std::memcpy(&bits, &value, 8);
    return {kind, bits};
  }
  default:
    // Silently truncating a float into an integer parameter hides bugs.
    if (kind == ArgKind::Ptr || !std::isfinite(value) ||
        value != std::trunc(value) || std::fabs(value) >= 0x1p63)
      throw std::invalid_argument("cannot pass " + std::to_string(value) +
                                  " as a " + argKindName(kind) + " argument");
    return fromInt(kind, int64_t(value));
  }
}

int64_t KernelArg::toInt() const {
  switch (kind) {
  case ArgKind::I1:
    return bits & 1;
  case ArgKind::I8:
    return int8_t(bits);
  case ArgKind::I16:
    return int16_t(bits);
  case ArgKind::I32:
    return int32_t(bits);
  case ArgKind::Ptr:
  case ArgKind::I64:
    return int64_t(bits);
  default:
    return int64_t(toDouble());
  }
}

double KernelArg::toDouble() const {
  switch (kind) {
  case ArgKind::F16:
    return halfBitsToDouble(uint16_t(bits));
  case ArgKind::BF16:
    return bf16BitsToDouble(uint16_t(bits));
  case ArgKind::F32: {
    float f;
    uint32_t b = uint32_t(bits);
    std::memcpy(&f, &b, 4);
    return f;
  }
  case ArgKind::F64: {
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  default:
    return double(toInt());
  }
}

ArgPacker::ArgPacker(std::vector<ArgKind> kindsIn) : kinds(std::move(kindsIn)) {
  offsets.reserve(kinds.size());
  for (ArgKind kind : kinds) {
    // Natural alignment == size (a tensor map: 128, past the 64 it needs).
    size_t size = argKindSize(kind);
    storageSize = (storageSize + size - 1) / size * size;
    offsets.push_back(storageSize);
    storageSize += size;
  }
}

void ArgPacker::pack(const std::vector<KernelArg> &args,
                     std::vector<uint8_t> &storage,
                     std::vector<void *> &ptrs) const {
  if (args.size() != kinds.size())
    throw std::invalid_argument("expected " + std::to_string(kinds.size()) +
                                " kernel arguments, got " +
                                std::to_string(args.size()));
  // operator new aligns the buffer to at least 16 bytes, enough for any kind
  // (the driver copies a tensor map from it; its 64-byte alignment is the
  // parameter space's).
  storage.assign(storageSize, 0);
  ptrs.resize(kinds.size());
  for (size_t i = 0, e = kinds.size(); i != e; ++i) {
    KernelArg arg = args[i];
    uint8_t *slot = storage.data() + offsets[i];
    ptrs[i] = slot;
    if ((arg.kind == ArgKind::TensorMap) != (kinds[i] == ArgKind::TensorMap))
      throw std::invalid_argument("kernel argument " + std::to_string(i) +
                                  " is " + argKindName(arg.kind) +
                                  " but the kernel expects " +
                                  argKindName(kinds[i]));
    if (arg.kind == ArgKind::TensorMap) {
      if (!arg.bits)
        throw std::invalid_argument("kernel argument " + std::to_string(i) +
                                    ": a tensor map needs its 128 bytes");
      std::memcpy(slot, reinterpret_cast<const void *>(uintptr_t(arg.bits)),
                  kTensorMapBytes);
      continue;
    }
    if (arg.kind != kinds[i]) {
      if (isFloatKind(kinds[i]))
        arg = KernelArg::fromDouble(kinds[i], arg.toDouble());
      else if (!isFloatKind(arg.kind))
        arg = KernelArg::fromInt(kinds[i], arg.toInt());
      else
        throw std::invalid_argument("kernel argument " + std::to_string(i) +
                                    " is " + argKindName(arg.kind) +
                                    " but the kernel expects " +
                                    argKindName(kinds[i]));
    }
    std::memcpy(slot, &arg.bits, argKindSize(kinds[i]));
  }
}

} // namespace tessel::runtime
