// RUN: tessel-translate %s --to=llvmir --target=amd:gfx942 | FileCheck %s

// OCKL's group count is 64-bit; tile.num_programs is i32 and mixes with
// tile.program_id (this used to produce `add i32 %a, i64 %b`).
// CHECK-LABEL: define amdgpu_kernel void @pid_plus_count
// CHECK-DAG: %[[PID:.*]] = {{.*}}call i32 @llvm.amdgcn.workgroup.id.x()
// CHECK-DAG: %[[N:.*]] = load i32, ptr addrspace(4)
// CHECK: add i32 %[[N]], %[[PID]]
func.func @pid_plus_count(%p: !tile.ptr<i32>) attributes {tile.kernel} {
  %0 = tile.program_id x : i32
  %1 = tile.num_programs x : i32
  %2 = arith.addi %0, %1 : i32
  tile.store %p, %2 : !tile.ptr<i32>
  return
}
