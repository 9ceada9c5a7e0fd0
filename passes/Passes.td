//===- Passes.td - Tessel passes and conversions ------------*- tablegen -*-===//
#ifndef TESSEL_PASSES
#define TESSEL_PASSES

include "mlir/Pass/PassBase.td"

def TestAxisInfo : Pass<"tessel-test-axis-info", "::mlir::func::FuncOp"> {
  let summary = "Print the axis analysis (contiguity, divisibility, constancy)";
  let description = [{
    Attaches the axis analysis of every op result as a remark, for lit tests.
  }];
}

def ConvertTileToTileGPU : Pass<"convert-tile-to-tilegpu", "::mlir::ModuleOp"> {
  let summary = "Assign a data layout to every tensor";
  let description = [{
    Gives every tensor a blocked layout chosen from its rank, the number of
    warps and the widest memory access; inputs of expand_dims get the slice of
    their result's layout, propagated backwards through layout-agnostic ops,
    with convert_layout only where a value is needed in two layouts.
  }];
  let options = [
    Option<"target", "target", "std::string", "\"cpu\"",
           "Target: cpu, nvidia:sm_XX, amd:gfxXXX">,
    Option<"numWarps", "num-warps", "unsigned", "4", "Warps per program">,
  ];
  let dependentDialects = ["::tessel::tilegpu::TileGPUDialect"];
}

def ConvertTileGPUToLLVM : Pass<"convert-tilegpu-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower tile operations on laid-out tensors to per-thread LLVM";
  let description = [{
    Each tensor becomes the vector of elements held by one thread (its
    registers in the linear layout). Tile ops become LLVM and NVVM/ROCDL ops;
    elementwise arith/math ops are kept, retyped to vectors, for the standard
    lowering that follows; masked memory accesses become scf.if around wide
    loads (GPU) or LLVM masked intrinsics (CPU).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect", "::mlir::NVVM::NVVMDialect",
                           "::mlir::ROCDL::ROCDLDialect", "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect"];
}

def LowerToLLVM : Pass<"tessel-lower-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower arith, math, scf, cf and func to the LLVM dialect";
  let description = [{
    The standard lowerings, plus math functions mapped to libdevice (NVIDIA)
    or OCML (AMD) calls, and kernel attributes for the target.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif
