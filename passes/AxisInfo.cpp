//===- AxisInfo.cpp - contiguity, divisibility, constancy -----------------===//
#include "passes/AxisInfo.h"

#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include <numeric>

using namespace mlir;
using namespace tessel;

static constexpr int64_t kMaxDivisor = int64_t(1) << 30;

int64_t tessel::highestPowerOf2Divisor(int64_t value) {
  if (value == 0)
    return kMaxDivisor;
  // In unsigned arithmetic: negating INT64_MIN overflows a signed value
  // (a negative "divisor" then sent later loops around forever).
  uint64_t bits = uint64_t(value);
  return int64_t(std::min<uint64_t>(kMaxDivisor, bits & (~bits + 1)));
}

static unsigned rankOf(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.getRank();
  return 0;
}

static ArrayRef<int64_t> shapeOf(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.getShape();
  return {};
}

static int64_t elementBytes(Type ptrLike) {
  Type elem = getElementTypeOrSelf(ptrLike);
  if (auto ptr = dyn_cast<tile::PointerType>(elem))
    elem = ptr.getPointeeType();
  return std::max<int64_t>(1, tile::getElementBitWidth(elem) / 8);
}

AxisInfoAnalysis::AxisInfoAnalysis(Operation *root) { walkOps(root); }

void AxisInfoAnalysis::walkOps(Operation *root) {
  root->walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (auto func = dyn_cast<func::FuncOp>(op)) {
      for (BlockArgument arg : func.getArguments()) {
        AxisInfo info = AxisInfo::unknown(rankOf(arg.getType()));
        if (auto div = func.getArgAttrOfType<IntegerAttr>(
                arg.getArgNumber(), tile::kDivisibilityAttrName))
          info.divisibility[0] = div.getInt();
        infos[arg] = info;
      }
      return WalkResult::advance();
    }
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      visitLoop(loop);
      return WalkResult::skip();
    }
    visit(op);
    return WalkResult::advance();
  });
}

/// What holds for either of two values: the weaker fact per dimension (all
/// facts are powers of two).
static AxisInfo join(const AxisInfo &a, const AxisInfo &b) {
  AxisInfo out = a;
  for (unsigned d = 0; d < a.rank(); ++d) {
    out.contiguity[d] = std::min(a.contiguity[d], b.contiguity[d]);
    out.divisibility[d] = std::min(a.divisibility[d], b.divisibility[d]);
    out.constancy[d] = std::min(a.constancy[d], b.constancy[d]);
  }
  return out;
}

void AxisInfoAnalysis::visitLoop(scf::ForOp loop) {
  // The counter starts at the lower bound and moves by the step: it is a
  // multiple of whatever divides both (cols = i + arange(0, BN) in a
  // `for i in range(0, n, BN)` loop keeps 16-byte accesses).
  AxisInfo iv = AxisInfo::unknown(1);
  iv.divisibility[0] = std::gcd(get(loop.getLowerBound()).divisibility[0],
                                get(loop.getStep()).divisibility[0]);
  infos[loop.getInductionVar()] = iv;
  // Loop-carried values start with their initial facts; each pass through
  // the body can only weaken them (ptrs += BLOCK keeps contiguity and
  // alignment), so a few rounds reach a fixpoint. If not, nothing is known.
  auto carried = loop.getRegionIterArgs();
  for (auto [arg, init] : llvm::zip(carried, loop.getInitArgs()))
    infos[arg] = get(init);
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  constexpr unsigned kRounds = 4;
  for (unsigned round = 0; round <= kRounds; ++round) {
    for (Operation &op : loop.getBody()->getOperations())
      walkOps(&op);
    if (round == kRounds)
      break;
    bool changed = false;
    for (auto [arg, next] : llvm::zip(carried, yield.getOperands())) {
      AxisInfo joined = join(get(arg), get(next));
      if (!(joined == get(arg))) {
        infos[arg] = joined;
        changed = true;
      }
    }
    if (!changed)
      break;
    if (round + 1 == kRounds)
      for (BlockArgument arg : carried)
        infos[arg] = AxisInfo::unknown(rankOf(arg.getType()));
  }
  for (auto [result, arg] : llvm::zip(loop.getResults(), carried))
    infos[result] = get(arg);
}

AxisInfo AxisInfoAnalysis::get(Value value) const {
  auto it = infos.find(value);
  if (it != infos.end())
    return it->second;
  return AxisInfo::unknown(rankOf(value.getType()));
}

static int64_t gcd(int64_t a, int64_t b) { return std::gcd(a, b); }

void AxisInfoAnalysis::visit(Operation *op) {
  if (op->getNumResults() != 1)
    return;
  Value result = op->getResult(0);
  unsigned rank = rankOf(result.getType());
  ArrayRef<int64_t> shape = shapeOf(result.getType());
  AxisInfo info = AxisInfo::unknown(rank);
  auto allConstant = [&](AxisInfo &i) {
    for (unsigned d = 0; d < rank; ++d)
      i.constancy[d] = shape[d];
  };
  auto operand = [&](unsigned i) { return get(op->getOperand(i)); };

  if (auto cst = dyn_cast<arith::ConstantOp>(op)) {
    Attribute value = cst.getValue();
    if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
      if (dense.isSplat()) {
        allConstant(info);
        value = dense.getSplatValue<Attribute>();
      } else if (dense.getElementType().isIntOrIndex()) {
        // Only what every element shares is known.
        int64_t div = kMaxDivisor;
        for (const APInt &v : dense.getValues<APInt>())
          div = std::min(div, highestPowerOf2Divisor(v.getSExtValue()));
        info.divisibility.assign(info.rank(), div);
        value = {};
      }
    } else {
      allConstant(info);
    }
    if (auto intAttr = dyn_cast_or_null<IntegerAttr>(value))
      info.divisibility.assign(info.rank(),
                               highestPowerOf2Divisor(intAttr.getInt()));
  } else if (auto range = dyn_cast<tile::MakeRangeOp>(op)) {
    info.contiguity[0] = shape[0];
    info.divisibility[0] = highestPowerOf2Divisor(range.getStartAttr().getInt());
  } else if (isa<tile::SplatOp>(op)) {
    allConstant(info);
    info.divisibility.assign(info.rank(), operand(0).divisibility[0]);
  } else if (isa<tilegpu::ConvertLayoutOp, tile::PtrCastOp>(op)) {
    info = operand(0);
  } else if (auto hint = dyn_cast<tile::HintOp>(op)) {
    info = operand(0);
    auto raise = [](AxisInfo::Dims &dims,
                    std::optional<ArrayRef<int64_t>> hinted) {
      if (hinted)
        for (auto [d, v] : llvm::enumerate(*hinted))
          dims[d] = std::max(dims[d], v);
    };
    raise(info.divisibility, hint.getDivisibility());
    raise(info.contiguity, hint.getContiguity());
    raise(info.constancy, hint.getConstancy());
  } else if (auto bcast = dyn_cast<tile::BroadcastOp>(op)) {
    AxisInfo src = operand(0);
    ArrayRef<int64_t> srcShape = shapeOf(bcast.getSrc().getType());
    info = src;
    for (unsigned d = 0; d < rank; ++d)
      if (srcShape[d] == 1 && shape[d] != 1) {
        info.constancy[d] = shape[d];
        info.contiguity[d] = 1;
      }
  } else if (auto expand = dyn_cast<tile::ExpandDimsOp>(op)) {
    info = operand(0);
    unsigned axis = expand.getAxis();
    // Along the new dimension every element starts a run, so its
    // divisibility is what all elements share: none once values vary.
    int64_t div = kMaxDivisor;
    for (unsigned d = 0; d < info.rank(); ++d)
      div = std::min(div, info.contiguity[d] > 1 ? 1 : info.divisibility[d]);
    info.contiguity.insert(info.contiguity.begin() + axis, 1);
    info.constancy.insert(info.constancy.begin() + axis, 1);
    info.divisibility.insert(info.divisibility.begin() + axis, div);
    info.contiguity.resize(rank);
    info.constancy.resize(rank);
    info.divisibility.resize(rank);
  } else if (isa<arith::AddIOp, tile::AddPtrOp>(op)) {
    AxisInfo lhs = operand(0), rhs = operand(1);
    int64_t scale = isa<tile::AddPtrOp>(op) ? elementBytes(result.getType()) : 1;
    for (unsigned d = 0; d < info.rank(); ++d) {
      info.contiguity[d] = std::max(gcd(lhs.contiguity[d], rhs.constancy[d]),
                                    gcd(lhs.constancy[d], rhs.contiguity[d]));
      info.divisibility[d] =
          gcd(lhs.divisibility[d], rhs.divisibility[d] * scale);
      info.constancy[d] = gcd(lhs.constancy[d], rhs.constancy[d]);
    }
  } else if (isa<arith::SubIOp>(op)) {
    AxisInfo lhs = operand(0), rhs = operand(1);
    for (unsigned d = 0; d < info.rank(); ++d) {
      info.contiguity[d] = gcd(lhs.contiguity[d], rhs.constancy[d]);
      info.divisibility[d] = gcd(lhs.divisibility[d], rhs.divisibility[d]);
      info.constancy[d] = gcd(lhs.constancy[d], rhs.constancy[d]);
    }
  } else if (isa<arith::MulIOp>(op)) {
    AxisInfo lhs = operand(0), rhs = operand(1);
    for (unsigned d = 0; d < info.rank(); ++d) {
      // The divisibility of a run's first element says nothing about the
      // other elements of a contiguous run.
      int64_t l = lhs.contiguity[d] > 1 ? 1 : lhs.divisibility[d];
      int64_t r = rhs.contiguity[d] > 1 ? 1 : rhs.divisibility[d];
      info.divisibility[d] = std::min(kMaxDivisor, l * r);
      info.constancy[d] = gcd(lhs.constancy[d], rhs.constancy[d]);
    }
    // x * 1 is x.
    for (int side = 0; side < 2; ++side)
      if (matchPattern(op->getOperand(1 - side), m_One()))
        info = side == 0 ? lhs : rhs;
  } else if (isa<arith::RemSIOp, arith::RemUIOp>(op)) {
    // x % m with m divisible by D and equal over the run (Triton's tutorial
    // `(pid_m * BM + arange(0, BM)) % M`): a run of x whose start is a
    // multiple of g = min(run, D, x's divisibility) can wrap to 0 only at
    // the start of a g-block, so blocks of g stay consecutive. As Triton's
    // analysis, this takes x >= 0 for the signed remainder (a negative x
    // wraps just after a multiple of m instead).
    AxisInfo lhs = operand(0), rhs = operand(1);
    for (unsigned d = 0; d < info.rank(); ++d) {
      // Within a run of m only its start's divisibility is known.
      int64_t m = rhs.contiguity[d] > 1 ? 1 : rhs.divisibility[d];
      int64_t g = std::min({lhs.contiguity[d], lhs.divisibility[d], m,
                            rhs.constancy[d]});
      info.contiguity[d] = g;
      // x - q m is a multiple of what divides both; a g-block that starts
      // inside a run of x starts at a multiple of g only.
      info.divisibility[d] = g == lhs.contiguity[d]
                                 ? gcd(lhs.divisibility[d], m)
                                 : g;
      info.constancy[d] = gcd(lhs.constancy[d], rhs.constancy[d]);
    }
  } else if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
    AxisInfo lhs = operand(0), rhs = operand(1);
    bool ordered = cmp.getPredicate() != arith::CmpIPredicate::eq &&
                   cmp.getPredicate() != arith::CmpIPredicate::ne;
    for (unsigned d = 0; d < info.rank(); ++d) {
      info.constancy[d] = gcd(lhs.constancy[d], rhs.constancy[d]);
      // A run of consecutive values compared with a constant keeps one
      // outcome over aligned blocks.
      if (ordered && rhs.constancy[d] > 1 && lhs.contiguity[d] > 1)
        info.constancy[d] = std::max(
            info.constancy[d],
            gcd(gcd(lhs.contiguity[d], rhs.constancy[d]),
                gcd(lhs.divisibility[d], rhs.divisibility[d])));
    }
  } else if (op->getNumOperands() > 0 &&
             llvm::all_of(op->getOperandTypes(), [&](Type t) {
               return rankOf(t) == rank;
             }) &&
             (isa<arith::ArithDialect>(op->getDialect()) ||
              op->getDialect()->getNamespace() == "math")) {
    // Any other elementwise op keeps runs where all operands are constant.
    for (unsigned d = 0; d < info.rank(); ++d) {
      int64_t c = shape.empty() ? 1 : shape[d];
      for (unsigned i = 0; i < op->getNumOperands(); ++i)
        c = gcd(c, operand(i).constancy[d]);
      info.constancy[d] = c;
    }
    if (isa<arith::ExtSIOp, arith::ExtUIOp, arith::TruncIOp>(op))
      info = operand(0);
  }
  infos[result] = info;
}

int64_t AxisInfoAnalysis::getPtrContiguity(Value ptr, unsigned dim) const {
  return get(ptr).contiguity[dim];
}

int64_t AxisInfoAnalysis::getPtrAlignment(Value ptr, unsigned dim) const {
  return get(ptr).divisibility[dim];
}

int64_t AxisInfoAnalysis::getMaskConstancy(Value mask, unsigned dim) const {
  if (!mask)
    return kMaxDivisor;
  return get(mask).constancy[dim];
}
