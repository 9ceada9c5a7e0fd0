//===- RuntimeTest.cpp - tests of the kernel runtime ----------------------===//
#include "tessel/Runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>

using namespace tessel::runtime;

namespace {

TEST(ArgKindTest, Parse) {
  EXPECT_EQ(parseArgKind("ptr"), ArgKind::Ptr);
  EXPECT_EQ(parseArgKind("i1"), ArgKind::I1);
  EXPECT_EQ(parseArgKind("i8"), ArgKind::I8);
  EXPECT_EQ(parseArgKind("i16"), ArgKind::I16);
  EXPECT_EQ(parseArgKind("i32"), ArgKind::I32);
  EXPECT_EQ(parseArgKind("i64"), ArgKind::I64);
  EXPECT_EQ(parseArgKind("u8"), ArgKind::I8);
  EXPECT_EQ(parseArgKind("u16"), ArgKind::I16);
  EXPECT_EQ(parseArgKind("u32"), ArgKind::I32);
  EXPECT_EQ(parseArgKind("u64"), ArgKind::I64);
  EXPECT_EQ(parseArgKind("f16"), ArgKind::F16);
  EXPECT_EQ(parseArgKind("bf16"), ArgKind::BF16);
  EXPECT_EQ(parseArgKind("f32"), ArgKind::F32);
  EXPECT_EQ(parseArgKind("f64"), ArgKind::F64);
}

TEST(ArgKindTest, ParseInvalid) {
  for (const char *bad : {"", "i128", "F32", "float", "ptr "}) {
    try {
      parseArgKind(bad);
      FAIL() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument &e) {
      EXPECT_NE(std::string(e.what()).find("'" + std::string(bad) + "'"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(KernelArgTest, SmallFloats) {
  EXPECT_EQ(KernelArg::fromDouble(ArgKind::F16, 1.5).bits, 0x3E00u);
  EXPECT_EQ(KernelArg::fromDouble(ArgKind::BF16, 1.5).bits, 0x3FC0u);
  EXPECT_EQ(doubleToHalfBits(1.0), 0x3C00);
  EXPECT_EQ(doubleToHalfBits(-2.0), 0xC000);
  EXPECT_EQ(doubleToHalfBits(-0.0), 0x8000);
  EXPECT_EQ(doubleToHalfBits(65504.0), 0x7BFF);
  EXPECT_EQ(doubleToHalfBits(65519.0), 0x7BFF);
  EXPECT_EQ(doubleToHalfBits(65520.0), 0x7C00); // ties to even: inf
  EXPECT_EQ(doubleToHalfBits(1e10), 0x7C00);
  EXPECT_EQ(doubleToHalfBits(-INFINITY), 0xFC00);
  EXPECT_EQ(doubleToHalfBits(NAN) & 0x7FFF, 0x7E00);
  EXPECT_EQ(doubleToHalfBits(std::ldexp(1.0, -24)), 0x0001); // min subnormal
  EXPECT_EQ(doubleToHalfBits(std::ldexp(1.0, -25)), 0x0000); // tie to even
  EXPECT_EQ(doubleToHalfBits(std::ldexp(1.5, -24)), 0x0002); // tie to even
  EXPECT_EQ(doubleToHalfBits(std::ldexp(1.0, -14)), 0x0400); // min normal
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: rounds to even (1).
  EXPECT_EQ(doubleToHalfBits(1.0 + std::ldexp(1.0, -11)), 0x3C00);
  EXPECT_EQ(doubleToHalfBits(1.0 + std::ldexp(3.0, -11)), 0x3C02);
  // Just above the tie rounds up (a float-first conversion would not).
  EXPECT_EQ(doubleToHalfBits(1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40)),
            0x3C01);
  EXPECT_EQ(doubleToBF16Bits(1.0), 0x3F80);
  EXPECT_EQ(doubleToBF16Bits(1.0 + std::ldexp(1.0, -8)), 0x3F80);
  EXPECT_EQ(doubleToBF16Bits(1.0 + std::ldexp(3.0, -8)), 0x3F82);
  EXPECT_EQ(doubleToBF16Bits(3.4e38), 0x7F80);
  EXPECT_EQ(doubleToBF16Bits(-INFINITY), 0xFF80);
  // Decoding then encoding every finite value gives its bits back.
  for (uint32_t b = 0; b < 0x10000; ++b) {
    if ((b & 0x7C00) != 0x7C00)
      ASSERT_EQ(doubleToHalfBits(halfBitsToDouble(uint16_t(b))), b);
    if ((b & 0x7F80) != 0x7F80)
      ASSERT_EQ(doubleToBF16Bits(bf16BitsToDouble(uint16_t(b))), b);
  }
  EXPECT_EQ(halfBitsToDouble(0x3E00), 1.5);
  EXPECT_EQ(bf16BitsToDouble(0x3FC0), 1.5);
  EXPECT_EQ(halfBitsToDouble(0x0001), std::ldexp(1.0, -24));
}

TEST(KernelArgTest, Conversions) {
  EXPECT_EQ(KernelArg::fromInt(ArgKind::I8, -1).bits, 0xFFu);
  EXPECT_EQ(KernelArg::fromInt(ArgKind::I8, -1).toInt(), -1);
  EXPECT_EQ(KernelArg::fromInt(ArgKind::I32, -2).toInt(), -2);
  EXPECT_EQ(KernelArg::fromInt(ArgKind::I1, 7).bits, 1u);
  EXPECT_EQ(KernelArg::fromInt(ArgKind::F32, 3).toDouble(), 3.0);
  EXPECT_EQ(KernelArg::fromDouble(ArgKind::I64, 42.0).toInt(), 42);
  EXPECT_THROW(KernelArg::fromDouble(ArgKind::I32, 0.5), std::invalid_argument);
  EXPECT_THROW(KernelArg::fromDouble(ArgKind::Ptr, 1.0), std::invalid_argument);
  EXPECT_EQ(KernelArg::fromDouble(ArgKind::F64, 0.1).toDouble(), 0.1);
  EXPECT_EQ(KernelArg::fromDouble(ArgKind::F32, 0.1).toDouble(), double(0.1f));
}

TEST(ArgPackerTest, MixedSignature) {
  ArgPacker packer({ArgKind::Ptr, ArgKind::I32, ArgKind::F32, ArgKind::I64,
                    ArgKind::F16, ArgKind::I1, ArgKind::BF16, ArgKind::F64});
  ASSERT_EQ(packer.getNumArgs(), 8u);
  size_t expected[] = {0, 8, 12, 16, 24, 26, 28, 32};
  for (size_t i = 0; i < 8; ++i)
    EXPECT_EQ(packer.getOffset(i), expected[i]) << "argument " << i;
  EXPECT_EQ(packer.getStorageSize(), 40u);

  std::vector<KernelArg> args = {
      KernelArg::fromPtr(0x123456789ABCull),
      KernelArg::fromInt(ArgKind::I32, -7),
      KernelArg::fromDouble(ArgKind::F32, 2.5),
      KernelArg::fromInt(ArgKind::I64, int64_t(1) << 40),
      KernelArg::fromDouble(ArgKind::F16, 1.5),
      KernelArg::fromInt(ArgKind::I1, 1),
      KernelArg::fromDouble(ArgKind::BF16, 1.5),
      KernelArg::fromInt(ArgKind::I64, 3), // converted to the f64 parameter
  };
  std::vector<uint8_t> storage;
  std::vector<void *> ptrs;
  packer.pack(args, storage, ptrs);
  ASSERT_EQ(storage.size(), 40u);
  ASSERT_EQ(ptrs.size(), 8u);
  for (size_t i = 0; i < 8; ++i)
    EXPECT_EQ(ptrs[i], storage.data() + expected[i]);
  EXPECT_EQ(*static_cast<uint64_t *>(ptrs[0]), 0x123456789ABCull);
  EXPECT_EQ(*static_cast<int32_t *>(ptrs[1]), -7);
  EXPECT_EQ(*static_cast<float *>(ptrs[2]), 2.5f);
  EXPECT_EQ(*static_cast<int64_t *>(ptrs[3]), int64_t(1) << 40);
  EXPECT_EQ(*static_cast<uint16_t *>(ptrs[4]), 0x3E00);
  EXPECT_EQ(*static_cast<uint8_t *>(ptrs[5]), 1);
  EXPECT_EQ(*static_cast<uint16_t *>(ptrs[6]), 0x3FC0);
  EXPECT_EQ(*static_cast<double *>(ptrs[7]), 3.0);

  args.pop_back();
  EXPECT_THROW(packer.pack(args, storage, ptrs), std::invalid_argument);
  args.push_back(KernelArg::fromDouble(ArgKind::F64, 1.0));
  args[1] = KernelArg::fromDouble(ArgKind::F32, 1.0); // float for an i32
  EXPECT_THROW(packer.pack(args, storage, ptrs), std::invalid_argument);
}

TEST(ArgPackerTest, TensorMap) {
  // A 128-byte tensor map after an i32: its own 128-byte aligned slot,
  // copied from the caller's bytes.
  ArgPacker packer({ArgKind::I32, ArgKind::TensorMap, ArgKind::Ptr});
  EXPECT_EQ(packer.getOffset(1), kTensorMapBytes);
  EXPECT_EQ(packer.getOffset(2), 2 * kTensorMapBytes);
  EXPECT_EQ(packer.getStorageSize(), 2 * kTensorMapBytes + 8);
  EXPECT_EQ(parseArgKind("tensormap"), ArgKind::TensorMap);
  EXPECT_STREQ(argKindName(ArgKind::TensorMap), "tensormap");

  std::vector<uint8_t> map(kTensorMapBytes);
  for (size_t i = 0; i < map.size(); ++i)
    map[i] = uint8_t(i * 7 + 1);
  std::vector<KernelArg> args = {KernelArg::fromInt(ArgKind::I32, 5),
                                 KernelArg::fromTensorMap(map.data()),
                                 KernelArg::fromPtr(0x1000)};
  std::vector<uint8_t> storage;
  std::vector<void *> ptrs;
  packer.pack(args, storage, ptrs);
  EXPECT_EQ(std::memcmp(ptrs[1], map.data(), kTensorMapBytes), 0);
  EXPECT_EQ(*static_cast<uint64_t *>(ptrs[2]), 0x1000u);

  // A scalar for the tensor map, a tensor map for a scalar, or no bytes.
  args[1] = KernelArg::fromInt(ArgKind::I64, 0);
  EXPECT_THROW(packer.pack(args, storage, ptrs), std::invalid_argument);
  args[1] = KernelArg::fromTensorMap(nullptr);
  EXPECT_THROW(packer.pack(args, storage, ptrs), std::invalid_argument);
  args[1] = KernelArg::fromTensorMap(map.data());
  args[0] = KernelArg::fromTensorMap(map.data());
  EXPECT_THROW(packer.pack(args, storage, ptrs), std::invalid_argument);
}

TEST(ArgPackerTest, Empty) {
  ArgPacker packer({});
  std::vector<uint8_t> storage;
  std::vector<void *> ptrs;
  packer.pack({}, storage, ptrs);
  EXPECT_EQ(packer.getStorageSize(), 0u);
  EXPECT_TRUE(ptrs.empty());
}

// A kernel that counts each program id it runs in a table passed as argument
// 0 and records a mismatch of the grid size against arguments 1..3.
void recordKernel(void **args, int32_t x, int32_t y, int32_t z, int32_t nx,
                  int32_t ny, int32_t nz) {
  auto *counts = *static_cast<std::atomic<int> **>(args[0]);
  auto *bad = *static_cast<std::atomic<int> **>(args[4]);
  if (nx != *static_cast<int32_t *>(args[1]) ||
      ny != *static_cast<int32_t *>(args[2]) ||
      nz != *static_cast<int32_t *>(args[3]) || x < 0 || x >= nx || y < 0 ||
      y >= ny || z < 0 || z >= nz) {
    ++*bad;
    return;
  }
  ++counts[(int64_t(z) * ny + y) * nx + x];
}

struct GridRun {
  std::vector<std::atomic<int>> counts;
  std::atomic<int> bad{0};

  explicit GridRun(unsigned gx, unsigned gy, unsigned gz)
      : counts(size_t(gx) * gy * gz) {
    CpuLauncher launcher(
        recordKernel,
        {ArgKind::Ptr, ArgKind::I32, ArgKind::I32, ArgKind::I32, ArgKind::Ptr});
    launcher.launch(gx, gy, gz,
                    {KernelArg::fromPtr(uint64_t(uintptr_t(counts.data()))),
                     KernelArg::fromInt(ArgKind::I32, gx),
                     KernelArg::fromInt(ArgKind::I32, gy),
                     KernelArg::fromInt(ArgKind::I32, gz),
                     KernelArg::fromPtr(uint64_t(uintptr_t(&bad)))});
  }
  bool allOnce() const {
    for (const auto &c : counts)
      if (c != 1)
        return false;
    return true;
  }
};

TEST(CpuLauncherTest, EveryProgramOnce) {
  GridRun run(3, 5, 2);
  EXPECT_EQ(run.bad, 0);
  EXPECT_TRUE(run.allOnce());
}

TEST(CpuLauncherTest, EmptyGrid) {
  std::atomic<int> calls{0};
  static std::atomic<int> *counter;
  counter = &calls;
  CpuLauncher launcher([](void **, int32_t, int32_t, int32_t, int32_t, int32_t,
                          int32_t) { ++*counter; },
                       {});
  launcher.launch(0, 4, 4, {});
  launcher.launch(4, 0, 4, {});
  launcher.launch(4, 4, 0, {});
  EXPECT_EQ(calls, 0);
  launcher.launch(1, 1, 1, {});
  EXPECT_EQ(calls, 1);
  EXPECT_THROW(launcher.launch(1, 1, 1, {KernelArg::fromInt(ArgKind::I32, 0)}),
               std::invalid_argument);
}

TEST(CpuLauncherTest, LargeGrid) {
  GridRun run(10000, 1, 1);
  EXPECT_EQ(run.bad, 0);
  EXPECT_TRUE(run.allOnce());
  GridRun run2(7, 1, 1429); // 10003 programs, uneven split
  EXPECT_EQ(run2.bad, 0);
  EXPECT_TRUE(run2.allOnce());
}

TEST(CpuLauncherTest, RepeatedLaunches) {
  // Many back-to-back launches exercise the pool's hand-off between jobs.
  for (int i = 0; i < 200; ++i) {
    GridRun run(17, 3, 1);
    ASSERT_EQ(run.bad, 0);
    ASSERT_TRUE(run.allOnce()) << "launch " << i;
  }
  EXPECT_GE(CpuLauncher::getNumThreads(), 1u);
}

TEST(CudaDriverTest, AvailabilityDoesNotCrash) {
  CudaDriver &driver = CudaDriver::get();
  if (!driver.available())
    EXPECT_FALSE(driver.unavailableReason().empty());
  EXPECT_EQ(&driver, &CudaDriver::get());
}

TEST(CudaDriverTest, ModuleWithoutDriverThrows) {
  if (CudaDriver::get().available())
    GTEST_SKIP() << "a CUDA driver is present";
  try {
    CudaModule module("\x7f"
                      "ELF",
                      "my_kernel", {ArgKind::Ptr}, 4, 0);
    FAIL() << "constructing a CudaModule without a driver succeeded";
  } catch (const RuntimeError &e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("CUDA is unavailable"), std::string::npos) << msg;
    EXPECT_NE(msg.find("my_kernel"), std::string::npos) << msg;
  }
  EXPECT_THROW(CudaDriver::get().cudaMalloc(16), RuntimeError);
}

} // namespace
