//===- ExpandFloat8Encode.cpp - float8 rounding in integer arithmetic ------===//
//
// x (float32) to a float8 code with `mantissa` stored bits and `bias`, on
// its bits u: the magnitude a = u & 0x7fffffff is m * 2^(e - 23) with
// m = frac | 2^23 (normal) or frac (subnormal, e = -126). Shifting m right
// by 23 - mantissa (plus however far e is below the format's smallest normal
// exponent, for the format's subnormals) keeps the format's bits; the bits
// shifted out round to nearest, ties to even. A normal result is
// ((e + bias) << mantissa) + r - 2^mantissa (r carries the implicit bit, so
// a rounding carry moves into the exponent). Then the largest finite code
// caps it (satfinite: infinities too), NaN gets the format's NaN, and the
// sign goes on top.
//
//===----------------------------------------------------------------------===//
#include "dialects/Tile/IR/TileDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"

namespace tessel {
#define GEN_PASS_DEF_EXPANDFLOAT8ENCODE
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;

namespace {
struct Float8Layout {
  int mantissa, bias, maxFinite, nan;
};

Float8Layout layoutOf(tile::Float8Format format) {
  if (format == tile::Float8Format::E4M3)
    return {3, 7, 0x7E, 0x7F}; // float8e4nv: no infinities, one NaN
  return {2, 15, 0x7B, 0x7F};  // float8e5 (infinities saturate too)
}

/// Integer arithmetic on values shaped like one float8_encode operand.
class Emitter {
public:
  Emitter(OpBuilder &b, Location loc, Type i32) : b(b), loc(loc), i32(i32) {}

  Value c(int64_t v) {
    Type elem = getElementTypeOrSelf(i32);
    auto attr = b.getIntegerAttr(elem, v);
    if (auto shaped = dyn_cast<ShapedType>(i32))
      return arith::ConstantOp::create(b, loc,
                                       DenseElementsAttr::get(shaped, attr));
    return arith::ConstantOp::create(b, loc, attr);
  }
  Value andI(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value orI(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value shl(Value x, Value y) { return arith::ShLIOp::create(b, loc, x, y); }
  Value shr(Value x, Value y) { return arith::ShRUIOp::create(b, loc, x, y); }
  Value max(Value x, Value y) { return arith::MaxSIOp::create(b, loc, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value cmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  Value widen(Value flag) { return arith::ExtUIOp::create(b, loc, i32, flag); }

private:
  OpBuilder &b;
  Location loc;
  Type i32;
};

Value expand(OpBuilder &b, tile::Float8EncodeOp op) {
  using P = arith::CmpIPredicate;
  Float8Layout f = layoutOf(op.getFormat());
  Location loc = op.getLoc();
  Type i32 = op.getSrc().getType();
  if (auto shaped = dyn_cast<ShapedType>(i32))
    i32 = shaped.clone(b.getI32Type());
  else
    i32 = b.getI32Type();
  Emitter e(b, loc, i32);
  Value u = arith::BitcastOp::create(b, loc, i32, op.getSrc());
  Value sign = e.andI(e.shr(u, e.c(31)), e.c(1));
  Value a = e.andI(u, e.c(0x7FFFFFFF));
  Value isNan = e.cmp(P::sgt, a, e.c(0x7F800000));
  Value fexp = e.shr(a, e.c(23));
  Value isSubnormal = e.cmp(P::eq, fexp, e.c(0));
  Value exp = e.sub(e.max(fexp, e.c(1)), e.c(127));
  Value frac = e.andI(a, e.c(0x7FFFFF));
  Value m = e.select(isSubnormal, frac, e.orI(frac, e.c(0x800000)));
  int emin = 1 - f.bias;
  Value below = e.max(e.sub(e.c(emin), exp), e.c(0));
  Value shift = e.min(e.add(below, e.c(23 - f.mantissa)), e.c(31));
  Value r = e.shr(m, shift);
  // Ties to even: up when the rest is above half, or half with r odd.
  Value rest = e.andI(m, e.sub(e.shl(e.c(1), shift), e.c(1)));
  Value half = e.shl(e.c(1), e.sub(shift, e.c(1)));
  Value odd = e.cmp(P::ne, e.andI(r, e.c(1)), e.c(0));
  Value up = arith::OrIOp::create(
      b, loc, e.cmp(P::ugt, rest, half),
      arith::AndIOp::create(b, loc, e.cmp(P::eq, rest, half), odd));
  r = e.add(r, e.widen(up));
  Value normal = e.sub(e.add(e.shl(e.add(exp, e.c(f.bias)), e.c(f.mantissa)), r),
                       e.c(1 << f.mantissa));
  Value bits = e.select(e.cmp(P::sge, exp, e.c(emin)), normal, r);
  bits = e.min(bits, e.c(f.maxFinite));
  bits = e.select(isNan, e.c(f.nan), bits);
  bits = e.orI(bits, e.shl(sign, e.c(7)));
  return arith::TruncIOp::create(b, loc, op.getType(), bits);
}

struct ExpandFloat8EncodePass
    : tessel::impl::ExpandFloat8EncodeBase<ExpandFloat8EncodePass> {
  void runOnOperation() override {
    SmallVector<tile::Float8EncodeOp> ops;
    getOperation().walk([&](tile::Float8EncodeOp op) { ops.push_back(op); });
    for (tile::Float8EncodeOp op : ops) {
      OpBuilder b(op);
      op.getResult().replaceAllUsesWith(expand(b, op));
      op.erase();
    }
  }
};
} // namespace
