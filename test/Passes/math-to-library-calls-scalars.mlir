// RUN: tessel-opt %s -split-input-file --tessel-math-to-library-calls | FileCheck %s --check-prefix=PASS

// The pass alone, on scalars, reads the target from the module: f64 calls
// the double variants, f16/bf16 are widened to f32.
// PASS-LABEL: func.func @nvidia_scalars
// PASS-SAME: (%[[A:.*]]: f64, %[[B:.*]]: f32, %[[C:.*]]: f16, %[[D:.*]]: bf16)
// PASS: llvm.call @__nv_exp(%[[A]]) : (f64) -> f64
// PASS: llvm.call @__nv_atan2f(%[[B]], %[[B]]) : (f32, f32) -> f32
// PASS: %[[CW:.*]] = llvm.fpext %[[C]] : f16 to f32
// PASS-NEXT: %[[CR:.*]] = llvm.call @__nv_tanhf(%[[CW]]) : (f32) -> f32
// PASS-NEXT: llvm.fptrunc %[[CR]] : f32 to f16
// PASS: %[[DW:.*]] = llvm.fpext %[[D]] : bf16 to f32
// PASS-NEXT: %[[DR:.*]] = llvm.call @__nv_logf(%[[DW]]) : (f32) -> f32
// PASS-NEXT: llvm.fptrunc %[[DR]] : f32 to bf16
// PASS: llvm.call @__nv_rsqrtf(%[[B]]) : (f32) -> f32
// PASS: llvm.call @__nv_powf(%[[B]], %[[B]]) : (f32, f32) -> f32
// PASS: math.sqrt %[[B]] : f32
// PASS: math.absf %[[B]] : f32
// PASS-DAG: llvm.func @__nv_exp(f64) -> f64
// PASS-DAG: llvm.func @__nv_atan2f(f32, f32) -> f32
module attributes {tilegpu.target = "nvidia:sm_80"} {
  func.func @nvidia_scalars(%a: f64, %b: f32, %c: f16, %d: bf16) -> (f64, f32, f16, bf16, f32, f32, f32, f32) {
    %0 = math.exp %a : f64
    %1 = math.atan2 %b, %b : f32
    %2 = math.tanh %c : f16
    %3 = math.log %d : bf16
    %4 = math.rsqrt %b : f32
    %5 = math.powf %b, %b : f32
    %6 = math.sqrt %b : f32
    %7 = math.absf %b : f32
    return %0, %1, %2, %3, %4, %5, %6, %7 : f64, f32, f16, bf16, f32, f32, f32, f32
  }
}

// -----

// PASS-LABEL: func.func @amd_scalars
// PASS: llvm.call @__ocml_exp_f64(%{{.*}}) : (f64) -> f64
// PASS: llvm.call @__ocml_atan2_f32(%{{.*}}, %{{.*}}) : (f32, f32) -> f32
// PASS: llvm.call @__ocml_log2_f32(%{{.*}}) : (f32) -> f32
// PASS: math.sqrt
module attributes {tilegpu.target = "amd:gfx90a"} {
  func.func @amd_scalars(%a: f64, %b: f32) -> (f64, f32, f32, f32) {
    %0 = math.exp %a : f64
    %1 = math.atan2 %b, %b : f32
    %2 = math.log2 %b : f32
    %3 = math.sqrt %b : f32
    return %0, %1, %2, %3 : f64, f32, f32, f32
  }
}

// -----

// On the CPU (also the default without a target) only functions without an
// LLVM intrinsic become libm calls.
// PASS-LABEL: func.func @cpu_scalars
// PASS: math.exp %{{.*}} : f64
// PASS: llvm.call @erf(%{{.*}}) : (f64) -> f64
// PASS: llvm.call @tanhf(%{{.*}}) : (f32) -> f32
// PASS: llvm.call @cbrtf(%{{.*}}) : (f32) -> f32
// PASS: math.log %{{.*}} : f32
// PASS: math.sin %{{.*}} : f32
module {
  func.func @cpu_scalars(%a: f64, %b: f32) -> (f64, f64, f32, f32, f32, f32) {
    %0 = math.exp %a : f64
    %1 = math.erf %a : f64
    %2 = math.tanh %b : f32
    %3 = math.cbrt %b : f32
    %4 = math.log %b : f32
    %5 = math.sin %b : f32
    return %0, %1, %2, %3, %4, %5 : f64, f64, f32, f32, f32, f32
  }
}

// -----

// AMD's backend stops with "no libcall available for frem" on some frem
// forms (found by the fuzzer: bfloat16 in a scan's combine region; float32
// vectors from Python): every float `%` calls OCML's fmod, half types on
// their float32 values, float64 on fmod_f64.
// PASS-LABEL: func.func @amd_remainder
// PASS: %[[W0:.*]] = llvm.fpext %arg0 : bf16 to f32
// PASS-NEXT: %[[W1:.*]] = llvm.fpext %arg1 : bf16 to f32
// PASS-NEXT: %[[R:.*]] = llvm.call @__ocml_fmod_f32(%[[W0]], %[[W1]]) : (f32, f32) -> f32
// PASS-NEXT: llvm.fptrunc %[[R]] : f32 to bf16
// PASS: llvm.call @__ocml_fmod_f32(%arg2, %arg2) : (f32, f32) -> f32
// PASS: llvm.call @__ocml_fmod_f64(%arg3, %arg3) : (f64, f64) -> f64
// PASS-NOT: arith.remf
module attributes {tilegpu.target = "amd:gfx942"} {
  func.func @amd_remainder(%a: bf16, %b: bf16, %c: f32, %d: f64) -> (bf16, f32, f64) {
    %0 = arith.remf %a, %b : bf16
    %1 = arith.remf %c, %c : f32
    %2 = arith.remf %d, %d : f64
    return %0, %1, %2 : bf16, f32, f64
  }
}
