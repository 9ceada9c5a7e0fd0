"""Tests of the compiler fuzzer itself (scripts/fuzz): mutants are reproducible from a
seed, the classifier reads canned tool outputs right, the allowlist of known issues covers
exactly its entries, the shrinker finds a minimum."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import pytest

_FUZZ = Path(__file__).resolve().parents[2] / "scripts" / "fuzz"
sys.path.insert(0, str(_FUZZ))

from classify import Outcome, classify, stack_frames  # noqa: E402
from corpus import Seed, load_corpus, split_chunks, strip_comments  # noqa: E402
from known import KnownIssue, load_known_issues, match_known  # noqa: E402
from runner import CONFIGS  # noqa: E402
from mutate import Mutator  # noqa: E402
from shrink import ShrinkStats, ddmin  # noqa: E402

KERNEL = """\
func.func @k(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) attributes {tile.kernel} {
  %pid = tile.program_id x : i32
  %c = arith.constant 1024 : i32
  %r = tile.make_range 0 to 1024 : tensor<1024xi32>
  %s = tile.splat %pid : tensor<1024xi32>
  %o = arith.addi %s, %r : tensor<1024xi32>
  %ps = tile.splat %p : tensor<1024x!tile.ptr<f32>>
  %a = tile.addptr %ps, %o : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %v = tile.load %a : tensor<1024x!tile.ptr<f32>>
  %e = math.exp %v : tensor<1024xf32>
  tile.store %a, %e : tensor<1024x!tile.ptr<f32>>
  return
}
"""
CORPUS = [Seed("a.mlir#0", KERNEL), Seed("b.mlir#0", "module {\n" + KERNEL + "}\n")]


# -- corpus -----------------------------------------------------------------------------

def test_corpus_strips_run_and_check_lines_and_splits() -> None:
    text = ("// RUN: tessel-opt %s | FileCheck %s\n// CHECK: foo\nfunc.func @a() {\n  return // trailing\n}\n"
            "// -----\n// expected-error @+1 {{bad}}\nfunc.func @b() {\n  return\n}\n")
    chunks = split_chunks(text)
    assert chunks == ["func.func @a() {\n  return\n}\n", "func.func @b() {\n  return\n}\n"]
    assert strip_comments('  tile.print "a // b" // c\n') == '  tile.print "a // b"\n'


def test_corpus_loads_the_lit_inputs() -> None:
    seeds = load_corpus(_FUZZ.parents[1])
    assert len(seeds) > 50
    assert not any("RUN:" in s.text or "CHECK" in s.text for s in seeds)
    assert any(s.expects_error for s in seeds) and any(not s.expects_error for s in seeds)


# -- mutations ----------------------------------------------------------------------------

def test_mutants_are_reproducible_from_the_seed() -> None:
    a, b = Mutator(CORPUS), Mutator(CORPUS)
    first = [a.mutant(7, i) for i in range(50)]
    assert first == [b.mutant(7, i) for i in range(50)]
    # Order independent: mutant i does not depend on the mutants generated before it.
    assert [b.mutant(7, i) for i in reversed(range(50))][::-1] == first
    assert [m.text for m in first] != [a.mutant(8, i).text for i in range(50)]
    assert all(m.mutations for m in first)
    bases = {seed.name: seed.text for seed in CORPUS}
    assert sum(m.text != bases[m.seed_name] for m in first) > 40


def test_originals_come_first() -> None:
    m = Mutator(CORPUS)
    assert m.mutant(1, 0, originals_first=True).text == KERNEL
    assert m.mutant(1, 1, originals_first=True).mutations == ()
    assert m.mutant(1, 2, originals_first=True).mutations != ()


@pytest.mark.parametrize("name", ["int", "type", "shape", "op", "ssa", "to-module-scope", "attr",
                                  "delete-line", "duplicate-line", "splice", "word"])
def test_each_strategy_changes_the_kernel(name: str) -> None:
    import random

    m = Mutator(CORPUS)
    strategy = next(s for n, _, s in m.strategies if n == name)
    changed = 0
    for k in range(20):
        result = strategy(random.Random(k), KERNEL.splitlines())
        if result is not None and "\n".join(result[0]) + "\n" != KERNEL:
            changed += 1
    assert changed >= 10, name


def test_int_and_type_mutations_keep_the_tokens_apart() -> None:
    import random

    m = Mutator(CORPUS)
    for k in range(30):
        lines, what = m.mutate_int(random.Random(k), KERNEL.splitlines()) or ([], "")
        # Never the digits of a type (i32), an SSA name or a shape dimension.
        assert "tensor<1024x" in "\n".join(lines) or "tensor" in what
        assert "%pid" in "\n".join(lines)
        lines, what = m.mutate_type(random.Random(k), KERNEL.splitlines()) or ([], "")
        assert what.split()[-3] in {"i32", "f32"}, what


# -- classifier ---------------------------------------------------------------------------

SEGV = """\
PLEASE submit a bug report to https://github.com/llvm/llvm-project/issues/ and include the crash backtrace.
Stack dump:
0.\tProgram arguments: build/bin/tessel-opt in.mlir --tessel-pipeline=target=cpu
 #0 0x0000562b1aedee26 llvm::sys::PrintStackTrace(llvm::raw_ostream&, int) (build/bin/tessel-opt+0x1071e26)
 #1 0x0000562b1aedc833 llvm::sys::RunSignalHandlers() (build/bin/tessel-opt+0x106f833)
 #2 0x0000562b1aedfb74 SignalHandler(int, siginfo_t*, void*) TestAxisInfo.cpp:0:0
 #3 0x00007fe8f005a050 (/lib/x86_64-linux-gnu/libc.so.6+0x3c050)
 #4 0x0000562b1adb07b8 mlir::FloatType::getWidth() (build/bin/tessel-opt+0xf437b8)
 #5 0x0000562b1aded010 mlir::Type::getIntOrFloatBitWidth() const (build/bin/tessel-opt+0xf80010)
 #6 0x0000562b1a38ebda (anonymous namespace)::ConvertTileToTileGPUPass::runOnOperation() TileToTileGPU.cpp:0:0
 #7 0x0000562b1acd5427 mlir::detail::OpToOpPassAdaptor::run(mlir::Pass*) (build/bin/tessel-opt+0xe68427)
"""


def test_classifies_ok_and_located_errors() -> None:
    assert classify(0, "").outcome is Outcome.OK
    assert classify(0, "in.mlir:3:5: warning: something\n").outcome is Outcome.OK
    v = classify(1, "in.mlir:3:5: error: 'tile.load' op bad\nin.mlir:3:5: note: see current operation\n")
    assert v.outcome is Outcome.LOCATED and not v.is_problem
    v = classify(1, 'loc.py:12:1: error: x\n"k.py":4:2: error: y\n')
    assert v.outcome is Outcome.LOCATED


def test_classifies_unlocated_errors() -> None:
    v = classify(1, "error: failed to legalize operation 'arith.addi'\n", tool="tessel-translate")
    assert v.outcome is Outcome.UNLOCATED and v.is_problem
    assert v.signature == "tessel-translate: failed to legalize operation 'arith.addi'"
    assert classify(1, "<unknown>:0: error: oops 42\n").signature == ": oops N"
    assert classify(1, "in.mlir:1:1: error: a\nerror: \n").outcome is Outcome.UNLOCATED
    assert classify(1, "in.mlir:1:1: error:\n").outcome is Outcome.UNLOCATED  # empty message
    assert classify(1, "tessel-translate: error: cannot emit\n").outcome is Outcome.UNLOCATED
    v = classify(1, "", tool="tessel-opt")
    assert v.outcome is Outcome.UNLOCATED and v.signature.endswith("(no output)")
    v = classify(1, "ptxas failed (/usr/bin/ptxas): ptxas /tmp/t-1.ptx, line 25; error   : bad\n", tool="t")
    assert v.signature == "t: exit 1 without an error: diagnostic: ptxas failed (<path>): ptxas <path>, line N; error   : bad"


def test_classifies_crashes_with_signatures() -> None:
    v = classify(-signal.SIGSEGV, SEGV, tool="tessel-opt")
    assert v.outcome is Outcome.CRASH
    assert v.signature == ("SIGSEGV: mlir::FloatType::getWidth() | mlir::Type::getIntOrFloatBitWidth() const"
                           " | (anonymous namespace)::ConvertTileToTileGPUPass::runOnOperation()")
    # Same frames at other addresses (another build): same signature.
    moved = SEGV.replace("0x0000562b", "0x00007777").replace("+0x", "+0x1")
    assert classify(-signal.SIGSEGV, moved, tool="tessel-opt").key == v.key
    v = classify(-signal.SIGABRT, "LLVM ERROR: Cannot select: 0x55d 42 nodes\n" + SEGV)
    assert v.outcome is Outcome.CRASH and v.signature == "LLVM ERROR: Cannot select: 0xN N nodes"
    v = classify(-signal.SIGABRT, "tessel-opt: Foo.cpp:12: void f(): Assertion `x && \"y\"' failed.\n")
    assert v.signature == "assertion: x && \"y\""
    assert classify(1, "PLEASE submit a bug report to x\n").outcome is Outcome.CRASH
    v = classify(-signal.SIGABRT, "Fatal glibc error: malloc.c:2599 (sysmalloc): assertion failed\n")
    assert v.outcome is Outcome.CRASH and v.signature.startswith("glibc: malloc.c:N")


def test_classifies_hangs_and_out_of_memory() -> None:
    assert classify(-signal.SIGKILL, "", timed_out=True).outcome is Outcome.HANG
    v = classify(-signal.SIGXCPU, SEGV, tool="tessel-opt")
    assert v.outcome is Outcome.HANG and "ConvertTileToTileGPUPass" in v.signature
    assert classify(-signal.SIGABRT, "LLVM ERROR: out of memory\n").outcome is Outcome.OOM
    assert classify(-signal.SIGABRT, "terminate called after throwing an instance of 'std::bad_alloc'\n"
                    ).outcome is Outcome.OOM
    assert classify(-signal.SIGABRT, "Fatal glibc error: malloc assertion failure in sysmalloc\n",
                    near_memory_limit=True).outcome is Outcome.OOM
    assert classify(-signal.SIGKILL, "").outcome is Outcome.OOM


def test_stack_frames_skip_handlers_and_unsymbolized_keep_module() -> None:
    frames = stack_frames(" #0 0x1 llvm::sys::PrintStackTrace(llvm::raw_ostream&, int) (t+0x1)\n"
                          " #1 0x2 (/lib/x86_64-linux-gnu/libc.so.6+0x3c050)\n"
                          " #2 0x3 (/tmp/x/bin/tessel-translate+0x47b5d39)\n"
                          " #3 0x4 foo() /src/a.cpp:10:3\n")
    assert frames == ["(tessel-translate)", "foo()"]


# -- shrinker ------------------------------------------------------------------------------

def test_ddmin_finds_the_minimal_pair() -> None:
    items = [f"line {i}" for i in range(40)]
    calls: list[int] = []

    def fails(candidate: list[str]) -> bool:
        calls.append(len(candidate))
        return "line 7" in candidate and "line 31" in candidate

    stats = ShrinkStats()
    assert ddmin(items, fails, stats=stats) == ["line 7", "line 31"]
    assert stats.tests == len(calls) and stats.tests < 200 and not stats.stopped_early


def test_ddmin_keeps_order_and_respects_the_test_budget() -> None:
    items = list("abcdefghijklmnop")

    def fails(candidate: list[str]) -> bool:
        return "".join(candidate).find("d") < "".join(candidate).find("k") and "d" in candidate

    assert ddmin(items, fails) == ["d", "k"]
    stats = ShrinkStats()
    partial = ddmin(items, fails, max_tests=3, stats=stats)
    assert stats.stopped_early and stats.tests == 3 and fails(partial)


def test_ddmin_single_item() -> None:
    assert ddmin(["x"], lambda c: True) == ["x"]
    assert ddmin(["a", "b", "c"], lambda c: True) in (["a"], ["b"], ["c"])


# -- allowlist of known, tracked issues ------------------------------------------------------

def _dump(tool: str, *frames: str, pretty: str = "") -> str:
    """A stack dump as LLVM prints it: the handler frames, then `frames` innermost first."""
    lines = ["PLEASE submit a bug report to https://github.com/llvm/llvm-project/issues/ and include the crash backtrace.",
             "Stack dump:", f"0.\tProgram arguments: /tmp/x/bin/{tool} repro.mlir", *pretty.splitlines(),
             f" #0 0x000055e5b4287666 llvm::sys::PrintStackTrace(llvm::raw_ostream&, int) (/tmp/x/bin/{tool}+0x1092666)",
             f" #1 0x000055e5b4285073 llvm::sys::RunSignalHandlers() (/tmp/x/bin/{tool}+0x1090073)",
             " #2 0x000055e5b42883b4 SignalHandler(int, siginfo_t*, void*) TestAxisInfo.cpp:0:0",
             " #3 0x00007f2e0585a050 (/lib/x86_64-linux-gnu/libc.so.6+0x3c050)"]
    lines += [f" #{i + 4} 0x000055e5b4{i:06x} {f} (/tmp/x/bin/{tool}+0xf6{i:04x})" for i, f in enumerate(frames)]
    return "\n".join(lines) + "\n"


DENSE_ARRAY_CRASH = _dump("tessel-opt", "mlir::FloatType::getWidth()", "mlir::Type::getIntOrFloatBitWidth() const",
                          "mlir::detail::Parser::parseDenseArrayAttr(mlir::Type)",
                          "mlir::detail::Parser::parseAttributeDict(mlir::NamedAttrList&)")
DENSE_ARRAY_INPUT = "func.func @f(%x: i32) {\n  %a = tile.hint %x {contiguity = array<index: 8>} : i32\n  return\n}\n"
ADDRESSOF_CRASH = _dump("tessel-opt", "mlir::IntegerAttr::getValue() const",
                        "mlir::LLVM::AddressOfOp::verifySymbolUses(mlir::SymbolTableCollection&)",
                        "mlir::detail::verifySymbolTable(mlir::Operation*)")
ADDRESSOF_INPUT = ("llvm.mlir.global internal @smem() {addr_space = [0]} : !llvm.array<16 x f32>\n"
                   "func.func @k() {\n  %p = llvm.mlir.addressof @smem : !llvm.ptr<3>\n  return\n}\n")
GLOBAL_INDEX_CRASH = _dump("tessel-translate", "llvm::ArrayType::get(llvm::Type*, unsigned long)",
                           "mlir::LLVM::detail::TypeToLLVMIRTranslatorImpl::translateType(mlir::Type)",
                           "mlir::LLVM::ModuleTranslation::convertGlobalsAndAliases()")
SLP_HANG = _dump("tessel-translate",
                 "llvm::slpvectorizer::BoUpSLP::getTreeCost(llvm::ArrayRef<llvm::Value*>)",
                 "llvm::SLPVectorizerPass::tryToVectorizeList(llvm::ArrayRef<llvm::Value*>, llvm::slpvectorizer::BoUpSLP&, bool)",
                 pretty='1.\tRunning pass "function<eager-inv>(SLPVectorizerPass)" on module "LLVMDialectModule"\n'
                        '2.\tRunning pass "SLPVectorizerPass" on function "copy_erf"')
ATOMIC_4096 = ("  %old = tile.atomic_rmw fadd, acq_rel, gpu, %xp, %one, %m : tensor<4096x!tile.ptr<f32>>\n")


def _known(issues: list[KnownIssue], rc: int, stderr: str, config: str, text: str, tool: str = "tessel-opt",
           near_memory_limit: bool = False) -> str | None:
    v = classify(rc, stderr, tool=tool, near_memory_limit=near_memory_limit)
    assert v.is_problem
    entry = match_known(issues, v, config, stderr, text)
    return entry.id if entry else None


# Entries the allowlist carried while the CPU backend unrolled whole tiles
# (issue 11, fixed by the loop lowering): they keep the stderr- and
# input-scoped matching tested.
CPU_BIG_TILE_ENTRIES = [
    {
        "id": "cpu-slp-vectorizer-big-tile",
        "outcome": "hang",
        "configs": [
            "opt-cpu",
            "translate-llvmir"
        ],
        "stderr": "^\\d+\\.\\s+Running pass \"SLPVectorizerPass\" on function ",
        "reason": "The CPU backend compiles big tiles slowly: a 1024-element math.erf kernel (test/Target/AMD/hsaco.mlir through the CPU target) spends ~30 s in LLVM's SLP vectorizer. Matched only when the CPU-time limit hits while SLPVectorizerPass runs, on the CPU configurations.",
        "tracked_by": "issue 11: CPU backend"
    },
    {
        "id": "cpu-masked-atomic-big-tile",
        "outcome": [
            "oom",
            "hang"
        ],
        "configs": [
            "opt-cpu",
            "translate-llvmir"
        ],
        "input": "tile\\.atomic_(?:rmw|cas)\\b[^\\n]*:\\s*tensor<(?:\\d+x)*(?:[4-9]\\d{3}|\\d{5,})x",
        "reason": "On the CPU, a masked tile.atomic_rmw/atomic_cas becomes one scf.if per element, and SCF-to-CF's block splitting grows memory quadratically (1024 elements: 0.3 GB, 2048: 1.1 GB, 4096: over the 4 GiB limit, as an out-of-memory or, when the CPU-time limit comes first, a hang in IfLowering). Malloc fails without a usable stack, so this matches the input: an atomic on a tensor with a dimension of at least 4000, on the CPU configurations only.",
        "tracked_by": "issue 11: CPU backend"
    }
]


def _fixture_issues(tmp_path: Path) -> list[KnownIssue]:
    path = tmp_path / "known.json"
    path.write_text(json.dumps({"issues": CPU_BIG_TILE_ENTRIES}), encoding="utf-8")
    return load_known_issues(path)


def test_the_allowlist_loads_and_every_entry_says_why_and_where_it_is_tracked() -> None:
    issues = load_known_issues()
    assert "upstream-parse-dense-array-of-index" in {k.id for k in issues}
    for k in issues:
        assert k.reason and k.tracked_by == "upstream MLIR 22", k.id
        assert k.signature or k.stack or k.stderr or k.input, k.id


def test_cpu_big_tiles_are_no_longer_allowlisted() -> None:
    # The CPU backend compiles tiles as loops now: a hang or an out-of-memory
    # on a big tile is a new finding again.
    issues = load_known_issues()
    assert _known(issues, -signal.SIGXCPU, SLP_HANG, "translate-llvmir", KERNEL, "tessel-translate") is None
    glibc = "Fatal glibc error: malloc assertion failure in sysmalloc: (old_top == initial_top (av))\n"
    assert _known(issues, -signal.SIGABRT, glibc, "translate-llvmir", KERNEL + ATOMIC_4096,
                  "tessel-translate", True) is None


def test_known_upstream_crashes_are_known() -> None:
    issues = load_known_issues()
    for config in ("opt-parse", "opt-cpu", "translate-ptx"):
        assert _known(issues, -signal.SIGSEGV, DENSE_ARRAY_CRASH, config, DENSE_ARRAY_INPUT) \
            == "upstream-parse-dense-array-of-index"
    assert _known(issues, -signal.SIGSEGV, ADDRESSOF_CRASH, "opt-parse", ADDRESSOF_INPUT) \
        == "upstream-addressof-non-integer-addr-space"
    index_global = "llvm.mlir.global internal @g() : !llvm.array<4 x index>\n"
    assert _known(issues, -signal.SIGSEGV, GLOBAL_INDEX_CRASH, "translate-amdgcn", index_global, "tessel-translate") \
        == "upstream-llvm-global-array-of-index"


def test_other_crashes_are_not_known() -> None:
    issues = load_known_issues()
    # The same innermost frames called from anywhere but the parser: a new bug.
    assert _known(issues, -signal.SIGSEGV, SEGV, "opt-cpu", DENSE_ARRAY_INPUT) is None
    # The parser's frames, but no dense array of index in the input.
    assert _known(issues, -signal.SIGSEGV, DENSE_ARRAY_CRASH, "opt-parse", KERNEL) is None
    # Another crash in the same verifier, or the same frame in another caller.
    other = ADDRESSOF_CRASH.replace("IntegerAttr::getValue() const", "Attribute::getContext() const")
    assert _known(issues, -signal.SIGSEGV, other, "opt-parse", ADDRESSOF_INPUT) is None
    # Globals of other non-LLVM element types crash alike but are not the tracked case.
    none_global = "llvm.mlir.global internal @g() : !llvm.array<4 x none>\n"
    assert _known(issues, -signal.SIGSEGV, GLOBAL_INDEX_CRASH, "translate-llvmir", none_global, "tessel-translate") is None
    inline_asm = _dump("tessel-translate", "llvm::SelectionDAGBuilder::visitInlineAsm(llvm::CallBase const&, llvm::BasicBlock const*)",
                       "llvm::SelectionDAGBuilder::visit(llvm::Instruction const&)")
    assert _known(issues, -signal.SIGSEGV, inline_asm, "translate-ptx", KERNEL, "tessel-translate") is None
    for stderr in ("tessel-opt: Foo.cpp:12: void f(): Assertion `x' failed.\n", "LLVM ERROR: Cannot select\n", ""):
        for config in CONFIGS:
            v = classify(-signal.SIGABRT, stderr, tool=config.tool)
            assert match_known(issues, v, config.name, stderr, DENSE_ARRAY_INPUT + ATOMIC_4096) is None


def test_stderr_and_input_scoped_entries_match_only_their_configs(tmp_path: Path) -> None:
    issues = _fixture_issues(tmp_path)
    assert _known(issues, -signal.SIGXCPU, SLP_HANG, "translate-llvmir", KERNEL, "tessel-translate") \
        == "cpu-slp-vectorizer-big-tile"
    assert _known(issues, -signal.SIGXCPU, SLP_HANG, "translate-ptx", KERNEL, "tessel-translate") is None
    # A hang anywhere else (here in a Tessel pass) is new.
    assert _known(issues, -signal.SIGXCPU, SEGV, "opt-cpu", KERNEL) is None
    # A big masked atomic on the CPU runs out of memory (no usable stack) or out of time.
    glibc = "Fatal glibc error: malloc assertion failure in sysmalloc: (old_top == initial_top (av))\n"
    big = KERNEL + ATOMIC_4096
    assert _known(issues, -signal.SIGABRT, glibc, "translate-llvmir", big, "tessel-translate", True) \
        == "cpu-masked-atomic-big-tile"
    assert _known(issues, -signal.SIGXCPU, SEGV, "opt-cpu", big) == "cpu-masked-atomic-big-tile"
    assert _known(issues, -signal.SIGABRT, glibc, "translate-ptx", big, "tessel-translate", True) is None
    assert _known(issues, -signal.SIGABRT, glibc, "opt-cpu", KERNEL + ATOMIC_4096.replace("4096", "64"),
                  near_memory_limit=True) is None
    # ... but not a crash on the same input.
    assert _known(issues, -signal.SIGSEGV, SEGV, "opt-cpu", big) is None


def test_allowlist_entries_must_be_narrow(tmp_path: Path) -> None:
    import json

    def load(entry: dict[str, object]) -> list[KnownIssue]:
        path = tmp_path / "known.json"
        path.write_text(json.dumps({"issues": [{"id": "x", "reason": "r", "tracked_by": "t", **entry}]}))
        return load_known_issues(path)

    assert load({"outcome": "crash", "stack": ["^foo$"]})[0].stack
    for bad in ({"outcome": "crash"},  # any crash
                {"outcome": "crash", "input": "tile"},  # a crash needs frames or a signature
                {"outcome": "crash", "configs": ["opt-cpu"], "stderr": "x"},
                {"outcome": "ok", "signature": "x"},
                {"outcome": "crash", "signature": "x", "configs": ["opt-gpu"]},
                {"outcome": "crash", "signature": "x", "frames": ["y"]}):
        with pytest.raises(ValueError):
            load(bad)


def _fake_tool(path: Path, stderr: str, sig: str = "SEGV") -> None:
    path.write_text(f"#!/bin/sh\ncat >&2 <<'EOF'\n{stderr}EOF\nkill -{sig} $$\n")
    path.chmod(0o755)


@pytest.mark.parametrize("stderr,allowlist,status,known", [
    (DENSE_ARRAY_CRASH, True, 0, 1),   # known: reported, does not fail
    (DENSE_ARRAY_CRASH, False, 1, 0),  # --no-known-issues: fails
    (SEGV, True, 1, 0),                # another crash: fails
])
def test_known_findings_do_not_fail_the_run(tmp_path: Path, stderr: str, allowlist: bool, status: int,
                                            known: int) -> None:
    import json

    import fuzz

    tools = tmp_path / "bin"
    tools.mkdir()
    _fake_tool(tools / "tessel-opt", stderr)
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "a.mlir").write_text("// RUN: tessel-opt %s\n" + DENSE_ARRAY_INPUT)
    out = tmp_path / "out"
    argv = ["--runs", "1", "--jobs", "1", "--configs", "opt-parse", "--tools-dir", str(tools),
            "--corpus-root", str(tmp_path), "--out", str(out), "--no-shrink", "-q"]
    assert fuzz.main(argv + ([] if allowlist else ["--no-known-issues"])) == status
    summary = json.loads((out / "summary.json").read_text())
    assert summary["known_findings"] == known and summary["new_findings"] == 1 - known
    if known:
        assert summary["known"][0]["known"]["id"] == "upstream-parse-dense-array-of-index"
        assert (out / f"known-{summary['known'][0]['key']}" / "command.sh").exists()
