//===- SharedTiles.cpp - tiles in shared memory: layouts, ldmatrix --------===//
//
// See SharedTiles.h.
//
//===----------------------------------------------------------------------===//
#include "SharedTiles.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

Value tessel::stageBase(OpBuilder &b, Location loc, const LoweringState &state,
                       Value stage, int64_t stageBytes, int64_t offset) {
  Value bytes = LLVM::AddOp::create(
      b, loc, LLVM::MulOp::create(b, loc, stage, i32Const(b, loc, stageBytes)),
      i32Const(b, loc, offset));
  return sharedBase(b, loc, state, bytes);
}

int64_t tessel::elementBytesOf(RankedTensorType type) {
  Type elem = type.getElementType();
  if (auto ptr = dyn_cast<tile::PointerType>(elem))
    elem = ptr.getPointeeType();
  return tile::getElementBitWidth(elem) / 8;
}

Value SwizzledTile::offset(OpBuilder &b, Location loc, Value row,
                           Value column) const {
  auto c = [&](int64_t v) { return i32Const(b, loc, v); };
  Value slice =
      LLVM::LShrOp::create(b, loc, column, c(llvm::Log2_64(rowElements())));
  Value within = LLVM::AndOp::create(b, loc, column, c(rowElements() - 1));
  Value chunk =
      LLVM::LShrOp::create(b, loc, within, c(llvm::Log2_64(chunkElements())));
  Value phase = LLVM::AndOp::create(
      b, loc,
      LLVM::LShrOp::create(b, loc, row, c(llvm::Log2_64(128 / rowBytes))),
      c(rowBytes / 16 - 1));
  Value swizzled = LLVM::XOrOp::create(b, loc, chunk, phase);
  Value offset = LLVM::MulOp::create(b, loc, slice, c(sliceBytes()));
  offset = LLVM::AddOp::create(b, loc, offset,
                               LLVM::MulOp::create(b, loc, row, c(rowBytes)));
  offset = LLVM::AddOp::create(b, loc, offset,
                               LLVM::ShlOp::create(b, loc, swizzled, c(4)));
  Value element = LLVM::MulOp::create(
      b, loc, LLVM::AndOp::create(b, loc, within, c(chunkElements() - 1)),
      c(elementBytes));
  return LLVM::AddOp::create(b, loc, offset, element);
}

void tessel::forEachSwizzledRun(
    OpBuilder &b, Location loc, const LinearLayout &layout,
    const LoweringState &state, const SwizzledTile &tile, int64_t run,
    function_ref<void(int64_t, Value, int64_t)> body, bool transposed) {
  assert((!transposed || run == 1) && "transposed runs are single elements");
  SmallVector<Value> thread = threadCoordinates(b, loc, layout, state);
  if (transposed)
    std::swap(thread[0], thread[1]);
  // The coordinate bits any lane or warp can set, per dimension.
  int64_t threadBits[2] = {0, 0};
  for (auto dim : {LinearLayout::Lane, LinearLayout::Warp})
    for (const LinearLayout::Coord &basis : layout.getBases(dim))
      for (unsigned d = 0; d < 2; ++d)
        threadBits[d ^ transposed] |= basis[d];
  Value threadOffset;
  for (int64_t r = 0; r < layout.getSize(LinearLayout::Register); r += run) {
    if (layout.isDuplicateRegister(r))
      continue;
    LinearLayout::Coord coord = layout.applyPart(LinearLayout::Register, r);
    if (transposed)
      std::swap(coord[0], coord[1]);
    bool constantDelta = !(coord[0] & threadBits[0]) && coord[0] % 8 == 0 &&
                         !(coord[1] & threadBits[1]) &&
                         coord[1] % tile.rowElements() == 0;
    if (constantDelta) {
      if (!threadOffset)
        threadOffset = tile.offset(b, loc, thread[0], thread[1]);
      body(r, threadOffset,
           coord[0] * tile.rowBytes +
               coord[1] / tile.rowElements() * tile.sliceBytes());
      continue;
    }
    Value row =
        LLVM::XOrOp::create(b, loc, thread[0], i32Const(b, loc, coord[0]));
    Value col =
        LLVM::XOrOp::create(b, loc, thread[1], i32Const(b, loc, coord[1]));
    body(r, tile.offset(b, loc, row, col), 0);
  }
}

std::optional<LinearLayout> tessel::ldmatrixRows(const TargetInfo &target,
                                                 const LinearLayout &to,
                                                 int64_t elementBytes) {
  // ldmatrix: sm_75 and later.
  if (target.smVersion() < 75 || elementBytes != 2 || to.getRank() != 2 ||
      to.getNumBits(LinearLayout::Lane) != 5 ||
      to.getNumBits(LinearLayout::Register) < 3)
    return std::nullopt;
  ArrayRef<LinearLayout::Coord> regs = to.getBases(LinearLayout::Register);
  ArrayRef<LinearLayout::Coord> lanes = to.getBases(LinearLayout::Lane);
  using C = LinearLayout::Coord;
  bool plain = regs[0] == C{0, 1} && lanes[0] == C{0, 2} &&
               lanes[1] == C{0, 4} && lanes[2] == C{1, 0} &&
               lanes[3] == C{2, 0} && lanes[4] == C{4, 0};
  bool transposed = regs[0] == C{1, 0} && lanes[0] == C{2, 0} &&
                    lanes[1] == C{4, 0} && lanes[2] == C{0, 1} &&
                    lanes[3] == C{0, 2} && lanes[4] == C{0, 4};
  if (!plain && !transposed)
    return std::nullopt;
  auto aligned = [](const C &c) { return c[0] % 8 == 0 && c[1] % 8 == 0; };
  for (unsigned i = 1; i < regs.size(); ++i)
    if (!aligned(regs[i]))
      return std::nullopt;
  for (const C &w : to.getBases(LinearLayout::Warp))
    if (!aligned(w))
      return std::nullopt;
  LinearLayout rows(to.getShape());
  for (int64_t step : {1, 2, 4})
    rows.addBasis(LinearLayout::Lane, C{step, 0});
  rows.addBasis(LinearLayout::Lane, regs[1]);
  rows.addBasis(LinearLayout::Lane, regs[2]);
  for (const C &w : to.getBases(LinearLayout::Warp))
    rows.addBasis(LinearLayout::Warp, w);
  for (unsigned i = 3; i < regs.size(); ++i)
    rows.addBasis(LinearLayout::Register, regs[i]);
  return rows;
}

SmallVector<Value> tessel::loadMatrices(OpBuilder &b, Location loc, Value ptr,
                                        bool transpose) {
  Type i32 = b.getI32Type();
  Value address = LLVM::PtrToIntOp::create(b, loc, i32, ptr);
  auto resultType = LLVM::LLVMStructType::getLiteral(b.getContext(),
                                                     SmallVector<Type>(4, i32));
  std::string text = std::string("ldmatrix.sync.aligned.m8n8.x4") +
                     (transpose ? ".trans" : "") +
                     ".shared.b16 {$0, $1, $2, $3}, [$4];";
  // Side effects: it reads shared memory, so it must stay after the
  // barrier that publishes the tile.
  auto asmOp = LLVM::InlineAsmOp::create(
      b, loc, resultType, ValueRange{address}, text, "=r,=r,=r,=r,r",
      /*has_side_effects=*/true, /*is_align_stack=*/false,
      LLVM::tailcallkind::TailCallKind::None,
      LLVM::AsmDialectAttr::get(b.getContext(), LLVM::AsmDialect::AD_ATT),
      /*operand_attrs=*/ArrayAttr());
  SmallVector<Value> words;
  for (int64_t i = 0; i < 4; ++i)
    words.push_back(
        LLVM::ExtractValueOp::create(b, loc, asmOp.getResult(0), i));
  return words;
}
