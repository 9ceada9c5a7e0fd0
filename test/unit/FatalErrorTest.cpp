//===- FatalErrorTest.cpp - LLVM fatal errors fail the compile ------------===//
#include "lib/Compiler/FatalErrors.h"

#include "llvm/Support/ErrorHandling.h"

#include <gtest/gtest.h>
#include <thread>

using tessel::runCatchingFatalErrors;

// What a backend does when it cannot lower an operation: report_fatal_error,
// which without the guard would exit the process.
TEST(FatalErrors, AFatalErrorFailsTheWorkInsteadOfExiting) {
  std::string error;
  bool ok = runCatchingFatalErrors(
      [] {
        llvm::report_fatal_error("no libcall available for frem");
        return true;
      },
      error, "compiling for amd:gfx942 failed in LLVM");
  EXPECT_FALSE(ok);
  EXPECT_EQ(error, "error: compiling for amd:gfx942 failed in LLVM: no libcall "
                   "available for frem\n");
}

TEST(FatalErrors, WorkWithoutErrorsReturnsItsResult) {
  std::string error;
  EXPECT_TRUE(runCatchingFatalErrors([] { return true; }, error, "x"));
  EXPECT_FALSE(runCatchingFatalErrors([] { return false; }, error, "x"));
  EXPECT_TRUE(error.empty());
}

// Nested guards: the inner one catches, the outer one runs on; after a
// caught error the next guarded work (and another thread's) still works.
TEST(FatalErrors, NestedAndRepeatedGuards) {
  std::string outerError, innerError;
  bool outer = runCatchingFatalErrors(
      [&] {
        bool inner = runCatchingFatalErrors(
            [] {
              llvm::report_fatal_error("inner");
              return true;
            },
            innerError, "inner work");
        EXPECT_FALSE(inner);
        return true;
      },
      outerError, "outer work");
  EXPECT_TRUE(outer);
  EXPECT_EQ(innerError, "error: inner work: inner\n");
  for (int i = 0; i < 3; ++i) {
    std::string error;
    EXPECT_FALSE(runCatchingFatalErrors(
        [] {
          llvm::report_fatal_error("again");
          return true;
        },
        error, "repeat"));
    EXPECT_EQ(error, "error: repeat: again\n");
  }
  std::string threadError;
  std::thread([&] {
    EXPECT_FALSE(runCatchingFatalErrors(
        [] {
          llvm::report_fatal_error("on a thread");
          return true;
        },
        threadError, "thread"));
  }).join();
  EXPECT_EQ(threadError, "error: thread: on a thread\n");
}
