//===- tessel_ext.cpp - the _tessel Python extension ----------------------===//
//
// A thin layer: compile Tile IR text through the C++ pipeline, JIT it for the
// CPU, or load and launch a cubin through the CUDA driver. Argument packing is
// precomputed per kernel so that a launch costs a few microseconds.
//
//===----------------------------------------------------------------------===//
#include "Kernels.h"

namespace py = pybind11;
using namespace tessel;
using namespace tessel::runtime;
using tessel::python::CpuKernel;
using tessel::python::CudaKernel;

namespace {
struct CompileErrorTag {};

std::vector<ArgKind> parseKinds(const std::vector<std::string> &names) {
  std::vector<ArgKind> kinds;
  for (const std::string &n : names)
    kinds.push_back(parseArgKind(n));
  return kinds;
}

std::vector<KernelArg> convertArgs(const std::vector<ArgKind> &kinds,
                                   const py::sequence &args) {
  if (size_t(py::len(args)) != kinds.size())
    throw py::type_error("kernel takes " + std::to_string(kinds.size()) +
                         " arguments, got " + std::to_string(py::len(args)));
  std::vector<KernelArg> out;
  out.reserve(kinds.size());
  for (size_t i = 0; i < kinds.size(); ++i) {
    py::handle arg = args[i];
    ArgKind kind = kinds[i];
    if (kind == ArgKind::TensorMap) {
      // bytes of a CUtensorMap, alive in `args` for the launch call.
      if (!PyBytes_Check(arg.ptr()) ||
          size_t(PyBytes_GET_SIZE(arg.ptr())) != kTensorMapBytes)
        throw py::type_error("argument " + std::to_string(i) +
                             ": a tensor map parameter takes 128 bytes");
      out.push_back(KernelArg::fromTensorMap(PyBytes_AS_STRING(arg.ptr())));
    } else if (PyFloat_Check(arg.ptr())) {
      if (!isFloatKind(kind))
        throw py::type_error("argument " + std::to_string(i) +
                             ": a float was passed for a " + argKindName(kind) +
                             " parameter");
      out.push_back(KernelArg::fromDouble(kind, PyFloat_AsDouble(arg.ptr())));
    } else if (PyLong_Check(arg.ptr())) {
      if (kind == ArgKind::Ptr)
        out.push_back(
            KernelArg::fromPtr(PyLong_AsUnsignedLongLongMask(arg.ptr())));
      else if (isFloatKind(kind))
        out.push_back(KernelArg::fromDouble(kind, PyLong_AsDouble(arg.ptr())));
      else {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(arg.ptr(), &overflow);
        if (overflow > 0)
          v = (long long)PyLong_AsUnsignedLongLongMask(arg.ptr());
        else if (overflow < 0)
          throw py::type_error("argument " + std::to_string(i) +
                               ": integer out of range");
        out.push_back(KernelArg::fromInt(kind, v));
      }
    } else {
      throw py::type_error("argument " + std::to_string(i) +
                           ": expected int or float, got " +
                           std::string(py::str(py::type::handle_of(arg))));
    }
  }
  return out;
}

py::dict asmDict(const CompiledKernel &k) {
  py::dict d;
  for (auto &[name, text] : k.asmText)
    d[py::str(name)] = text;
  return d;
}

} // namespace

PYBIND11_MODULE(_tessel, m) {
  m.doc() = "Tessel compiler and runtime";
  static py::exception<CompileErrorTag> compileError(m, "CompileError");
  py::register_exception<RuntimeError>(m, "RuntimeError", PyExc_RuntimeError);
  m.attr("__version__") = getVersion();

  m.def(
      "compile",
      [](const std::string &ir, const std::string &target, unsigned numWarps,
         const std::string &dumpDir, unsigned numStages, bool emitObject,
         const std::map<std::string, std::string> &extra) {
        CompileOptions options;
        options.target = target;
        options.numWarps = numWarps;
        options.numStages = numStages;
        options.dumpDir = dumpDir;
        options.emitObject = emitObject;
        // Further options by Triton's names, checked where they are defined.
        for (const auto &[name, value] : extra) {
          std::string error;
          if (!options.set(name, value, error))
            throw py::value_error(error);
        }
        CompiledKernel kernel;
        std::string error;
        bool ok;
        {
          py::gil_scoped_release release;
          ok = compile(ir, options, kernel, error);
        }
        if (!ok) {
          PyErr_SetString(compileError.ptr(), error.c_str());
          throw py::error_already_set();
        }
        py::dict d;
        d["name"] = kernel.name;
        d["asm"] = asmDict(kernel);
        d["binary"] = py::bytes(kernel.binary);
        d["binary_kind"] = kernel.binaryKind;
        d["shared"] = kernel.sharedBytes;
        d["num_warps"] = kernel.numWarps;
        d["cluster_ctas"] = kernel.clusterCtas;
        d["threads_per_warp"] = kernel.threadsPerWarp;
        d["arg_types"] = kernel.argTypes;
        d["from_disk_cache"] = kernel.fromDiskCache;
        return d;
      },
      py::arg("ir"), py::arg("target") = "cpu", py::arg("num_warps") = 4,
      py::arg("dump_dir") = "", py::arg("num_stages") = 3,
      py::arg("emit_object") = false,
      py::arg("options") = std::map<std::string, std::string>());

  py::class_<CpuKernel>(m, "CpuKernel")
      .def(py::init([](const std::string &ir, const std::string &dumpDir,
                       unsigned numStages) {
             auto k = std::make_unique<CpuKernel>();
             std::string error;
             {
               py::gil_scoped_release release;
               k->jit = CpuJitKernel::create(ir, error, dumpDir, numStages);
             }
             if (!k->jit) {
               PyErr_SetString(compileError.ptr(), error.c_str());
               throw py::error_already_set();
             }
             k->kinds = parseKinds(k->jit->getInfo().argTypes);
             k->launcher = std::make_unique<CpuLauncher>(
                 reinterpret_cast<CpuLauncher::KernelFn>(k->jit->getEntry()),
                 k->kinds);
             return k;
           }),
           py::arg("ir"), py::arg("dump_dir") = "", py::arg("num_stages") = 1)
      .def_property_readonly(
          "arg_types",
          [](const CpuKernel &k) { return k.jit->getInfo().argTypes; })
      .def_property_readonly(
          "name", [](const CpuKernel &k) { return k.jit->getInfo().name; })
      .def_property_readonly(
          "asm", [](const CpuKernel &k) { return asmDict(k.jit->getInfo()); })
      .def_property_readonly(
          "from_disk_cache",
          [](const CpuKernel &k) { return k.jit->getInfo().fromDiskCache; })
      .def(
          "launch",
          [](CpuKernel &k, unsigned gx, unsigned gy, unsigned gz,
             const py::sequence &args, bool cooperative) {
            std::vector<KernelArg> packed = convertArgs(k.kinds, args);
            {
              py::gil_scoped_release release;
              k.launcher->launch(gx, gy, gz, packed, cooperative);
            }
            std::string failure;
            if (takeCpuAssertFailure(failure)) {
              PyErr_SetString(PyExc_AssertionError, failure.c_str());
              throw py::error_already_set();
            }
          },
          py::arg("gx"), py::arg("gy"), py::arg("gz"), py::arg("args"),
          py::arg("cooperative") = false);

  py::class_<CudaKernel>(m, "CudaKernel")
      .def(py::init([](const py::bytes &binary, const std::string &name,
                       const std::vector<std::string> &argTypes,
                       unsigned numWarps, unsigned shared,
                       const std::string &ptx, unsigned clusterCtas) {
             auto k = std::make_unique<CudaKernel>();
             k->kinds = parseKinds(argTypes);
             k->module = std::make_unique<CudaModule>(
                 std::string(binary), name, k->kinds, numWarps, shared,
                 /*threadsPerWarp=*/32, ptx, clusterCtas);
             return k;
           }),
           py::arg("binary"), py::arg("name"), py::arg("arg_types"),
           py::arg("num_warps"), py::arg("shared") = 0, py::arg("ptx") = "",
           py::arg("cluster_ctas") = 1)
      .def(
          "launch",
          [](CudaKernel &k, unsigned gx, unsigned gy, unsigned gz,
             uint64_t stream, const py::sequence &args, bool cooperative) {
            std::vector<KernelArg> packed = convertArgs(k.kinds, args);
            k.module->launch(gx, gy, gz, stream, packed, cooperative);
          },
          py::arg("gx"), py::arg("gy"), py::arg("gz"), py::arg("stream"),
          py::arg("args"), py::arg("cooperative") = false);

  python::registerFastLaunch(m);

  m.def(
      "cuda_capability",
      [](int index) {
        // CUdevice_attribute: COMPUTE_CAPABILITY_MAJOR = 75, MINOR = 76.
        CudaDriver &cu = CudaDriver::get();
        cu.requireAvailable("cuda_capability");
        CUdevice device = 0;
        int major = 0, minor = 0;
        cu.check(cu.cuDeviceGet(&device, index), "cuDeviceGet");
        cu.check(cu.cuDeviceGetAttribute(&major, 75, device),
                 "cuDeviceGetAttribute");
        cu.check(cu.cuDeviceGetAttribute(&minor, 76, device),
                 "cuDeviceGetAttribute");
        return py::make_tuple(major, minor);
      },
      py::arg("index") = 0,
      "(major, minor) compute capability of CUDA device `index`, from the "
      "driver (no torch needed)");

  m.def("cuda_available", [] { return CudaDriver::get().available(); });
  m.def("cuda_unavailable_reason",
        [] { return CudaDriver::get().unavailableReason(); });
  m.def(
      "encode_tensormap",
      [](uint64_t address, unsigned elementBytes, int floatKind,
         std::vector<uint64_t> shape, std::vector<uint64_t> strides,
         std::vector<uint64_t> block) {
        std::string out(kTensorMapBytes, '\0');
        {
          py::gil_scoped_release release;
          CudaDriver::get().encodeDescriptorTensorMap(out.data(), elementBytes,
                                                      floatKind, address, shape,
                                                      strides, block);
        }
        return py::bytes(out);
      },
      py::arg("address"), py::arg("element_bytes"), py::arg("float_kind"),
      py::arg("shape"), py::arg("strides"), py::arg("block"),
      "The 128 bytes of the CUtensorMap a kernel's tensormap parameter takes "
      "for a host descriptor (CudaDriver::encodeDescriptorTensorMap)");
}
