//===- FastLaunch.cpp - the launch path of @jit kernels in C++ ------------===//
//
// `kernel[grid](*args, **kwargs)` for a specialization seen before: binds the
// arguments, forms a key of what the specialization depends on (argument
// kinds, 16-byte divisibility, dtypes, devices, constexpr values, launch
// options, TESSEL_TARGET/TESSEL_DEBUG), finds the compiled kernel and
// launches it, all without running Python code. Anything unusual (a type it
// does not know, a read-only or reversed array, a constexpr wrapper, a
// keyword option it does not handle, a device other than the current one)
// returns a miss, and the Python path (python/tessel/jit.py) handles the
// launch, raises the errors, and remembers the result for next time.
//
//===----------------------------------------------------------------------===//
#include "Kernels.h"

#include <pybind11/numpy.h>
#if PY_VERSION_HEX < 0x030C0000
#include <structmember.h>
#endif

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <map>
#include <tuple>

namespace py = pybind11;
using namespace tessel;
using namespace tessel::runtime;
using tessel::python::CpuKernel;
using tessel::python::CudaKernel;

namespace {

// NPY_ARRAY_WRITEABLE (numpy/ndarraytypes.h).
constexpr int kNumpyWriteable = 0x0400;
// Programs per launch: x < 2^31, y and z <= 65535 (CUDA's limits, which
// the Python path applies on every target).
constexpr long long kMaxGridX = (1LL << 31) - 1, kMaxGridYZ = 65535;

struct Entry {
  std::vector<py::object> consts; // constexpr values, compared with ==
  py::object compiled;            // the CompiledKernel @jit returns
  py::object launcher;            // _C.CpuKernel or _C.CudaKernel
  CpuKernel *cpu = nullptr;
  CudaKernel *cuda = nullptr;
  int device = -1;                // CUDA device index
  py::object numWarps, numStages; // for grid callables' META
  /// Whether the kernel reads its tensor map parameters (NVIDIA sm_90+);
  /// others get zeros, as on the Python path (runtime/tensormap.py).
  bool encodeTensorMaps = false;
};

/// What a host descriptor's tensor map encodes (CudaDriver::
/// encodeDescriptorTensorMap's inputs): a launch argument that becomes a
/// tensor map when the kernel has the parameter (TMA-eligible blocks).
struct TensorMapInputs {
  uint64_t address = 0;
  unsigned elementBytes = 0;
  int floatKind = 0;
  std::vector<uint64_t> shape, strides, block;
  bool operator<(const TensorMapInputs &o) const {
    return std::tie(address, elementBytes, floatKind, shape, strides, block) <
           std::tie(o.address, o.elementBytes, o.floatKind, o.shape, o.strides,
                    o.block);
  }
};

struct Miss {};

/// Appends the bytes of a value to a launch key.
void appendBytes(llvm::SmallVectorImpl<char> &key, const void *value,
                 size_t size) {
  const char *bytes = static_cast<const char *>(value);
  key.append(bytes, bytes + size);
}

constexpr long kNumWarps = -1, kNumStages = -2, kStream = -3, kNumCtas = -4;

class FastLauncher {
public:
  FastLauncher(std::vector<std::string> names, std::vector<bool> isConstexpr,
               std::vector<bool> noDivisibility, py::list defaults,
               py::object noDefault, py::object miss)
      : names(std::move(names)), isConstexpr(std::move(isConstexpr)),
        noDivisibility(std::move(noDivisibility)),
        defaults(std::move(defaults)), noDefault(std::move(noDefault)),
        miss(std::move(miss)) {
    for (size_t i = 0; i < this->names.size(); ++i)
      index[py::str(this->names[i])] = i;
    // Launch options the fast path understands (negative slots).
    index[py::str("num_warps")] = kNumWarps;
    index[py::str("num_stages")] = kNumStages;
    index[py::str("stream")] = kStream;
    index[py::str("num_ctas")] = kNumCtas;
  }

  /// (the CompiledKernel, None) on a hit; (None, key) on a miss the Python
  /// path may remember; (None, None) when the arguments are not for here.
  py::tuple launch(py::handle grid, py::args args, py::kwargs kwargs) {
    std::vector<PyObject *> flat;
    for (py::handle a : args)
      flat.push_back(a.ptr());
    py::tuple kwnames(kwargs.size());
    size_t k = 0;
    for (auto [name, value] : kwargs) {
      kwnames[k++] = name;
      flat.push_back(value.ptr());
    }
    try {
      return run(grid, flat.data(), args.size(), kwnames.ptr());
    } catch (const Miss &) {
      return py::make_tuple(py::none(), py::none());
    }
  }

  void remember(py::tuple key, py::object compiled, py::object launcher,
                int device, py::object numWarps, py::object numStages) {
    Entry e;
    e.consts = key[1].cast<std::vector<py::object>>();
    e.compiled = std::move(compiled);
    e.launcher = std::move(launcher);
    if (py::isinstance<CpuKernel>(e.launcher))
      e.cpu = e.launcher.cast<CpuKernel *>();
    else if (py::isinstance<CudaKernel>(e.launcher))
      e.cuda = e.launcher.cast<CudaKernel *>();
    else
      return;
    e.device = device;
    // NVIDIA from sm_90 reads tensor maps (runtime/tensormap.py's
    // reads_tensormaps).
    if (py::hasattr(e.compiled, "target")) {
      std::string target = py::str(e.compiled.attr("target"));
      llvm::StringRef arch(target);
      unsigned sm = 0;
      if (arch.consume_front("nvidia:sm_"))
        arch.take_while(llvm::isDigit).getAsInteger(10, sm);
      e.encodeTensorMaps = sm >= 90;
    }
    e.numWarps = std::move(numWarps);
    e.numStages = std::move(numStages);
    table[key[0].cast<std::string>()].push_back(std::move(e));
  }

  /// Drops the entries; swapped out first, since releasing them may run
  /// Python code (finalizers) that launches again.
  void clear() {
    llvm::StringMap<std::vector<Entry>> old;
    std::swap(old, table);
  }
  void setStreamGetters(py::object current, py::object stream) {
    currentDevice = std::move(current);
    currentStream = std::move(stream);
  }

  /// The launch in vectorcall form: `nargs` positional arguments, then one
  /// value per name in `kwnames` (a tuple, or null).
  py::tuple run(py::handle grid, PyObject *const *args, size_t nargs,
                PyObject *kwnames) {
    size_t n = names.size();
    if (nargs > n)
      throw Miss();
    // On the stack: a launch allocates nothing for kernels of up to 16
    // parameters.
    llvm::SmallVector<py::handle, 16> values(n);
    for (size_t i = 0; i < nargs; ++i)
      values[i] = args[i];
    py::handle stream, numWarps, numStages, numCtas;
    size_t numKeywords = kwnames ? size_t(PyTuple_GET_SIZE(kwnames)) : 0;
    for (size_t k = 0; k < numKeywords; ++k) {
      py::handle v = args[nargs + k];
      // borrowed
      PyObject *slot =
          PyDict_GetItem(index.ptr(), PyTuple_GET_ITEM(kwnames, k));
      if (!slot)
        throw Miss();
      long i = PyLong_AsLong(slot);
      if (i == kNumCtas) {
        // 1 or 2 (part of the key: it selects the compile); anything else
        // goes to Python, which raises.
        int overflow = 0;
        long ctas = Py_TYPE(v.ptr()) == &PyLong_Type
                        ? PyLong_AsLongAndOverflow(v.ptr(), &overflow)
                        : 0;
        if (overflow || (ctas != 1 && ctas != 2))
          throw Miss();
        numCtas = v;
        continue;
      }
      if (i == kNumWarps)
        numWarps = v;
      else if (i == kNumStages)
        numStages = v;
      else if (i == kStream)
        stream = v;
      else if (values[i])
        throw Miss();
      else
        values[i] = v;
    }
    for (size_t i = 0; i < n; ++i)
      if (!values[i]) {
        // Borrowed from the list, which keeps the default alive.
        py::handle fallback = PyList_GET_ITEM(defaults.ptr(), Py_ssize_t(i));
        if (fallback.is(noDefault))
          throw Miss();
        values[i] = fallback;
      }

    // Bounded, as the Python path's cache; emptied only here, before this
    // launch takes pointers to encodings.
    if (tensorMaps.size() >= kMaxTensorMaps)
      tensorMaps.clear();
    // The key: one record per argument, then the options and environment.
    llvm::SmallString<128> key;
    llvm::SmallVector<py::object, 8> consts;
    llvm::SmallVector<KernelArg, 16>
        runtime; // kinds fixed once the entry is known
    // Host descriptors' tensor maps: runtime entries of kind TensorMap whose
    // bits index `maps`; packed only where the kernel has the parameter.
    llvm::SmallVector<TensorMapInputs, 2> maps;
    int device = -2; // -2: none yet, -1: the CPU, >= 0: a CUDA device
    auto setDevice = [&](int d) {
      if (device != -2 && device != d)
        throw Miss();
      device = d;
    };
    auto constant = [&](py::handle v) {
      PyTypeObject *t = Py_TYPE(v.ptr());
      if (!(t == &PyLong_Type || t == &PyFloat_Type || t == &PyBool_Type ||
            t == &PyUnicode_Type || v.is_none()))
        throw Miss();
      key.push_back('c');
      appendBytes(key, &t, sizeof t);
      Py_hash_t h = PyObject_Hash(v.ptr());
      appendBytes(key, &h, sizeof h);
      consts.push_back(py::reinterpret_borrow<py::object>(v));
    };
    for (size_t i = 0; i < n; ++i) {
      py::handle v = values[i];
      if (isConstexpr[i]) {
        constant(v);
        continue;
      }
      PyTypeObject *t = Py_TYPE(v.ptr());
      bool divisible = false;
      if (t == &PyBool_Type) {
        key.push_back('b');
        runtime.push_back({ArgKind::I1, uint64_t(v.ptr() == Py_True)});
        continue;
      }
      if (t == &PyLong_Type) {
        int overflow = 0;
        long long x = PyLong_AsLongLongAndOverflow(v.ptr(), &overflow);
        if (overflow)
          throw Miss(); // u64 and beyond: the Python path
        if (x == 1 && !noDivisibility[i]) {
          // Compiled in as the constant 1 (the Python path's `(_CONST, 1)`).
          constant(v);
          continue;
        }
        char cls = x >= INT32_MIN && x <= INT32_MAX ? '4' : '8';
        divisible = x % 16 == 0;
        key.push_back('i');
        key.push_back(cls);
        runtime.push_back({ArgKind::I64, uint64_t(x)});
      } else if (t == &PyFloat_Type) {
        key.push_back('f');
        double d = PyFloat_AS_DOUBLE(v.ptr());
        uint64_t bits;
        memcpy(&bits, &d, 8);
        runtime.push_back({ArgKind::F64, bits});
        continue;
      } else if (isTensorDescriptor(t)) {
        descriptorArg(v, i, key, runtime, maps, setDevice);
        continue;
      } else if (pointerArg(v, t, key, runtime, setDevice)) {
        divisible = runtime.back().bits % 16 == 0;
      } else {
        throw Miss();
      }
      key.push_back(divisible && !noDivisibility[i] ? '1' : '0');
    }
    key.push_back('|');
    for (py::handle option : {numWarps, numStages, numCtas})
      if (option)
        constant(option);
      else
        key.push_back('-');
    for (const char *env : {"TESSEL_TARGET", "TESSEL_DEBUG"}) {
      const char *value = std::getenv(env);
      key.append(llvm::StringRef(value ? value : ""));
      key.push_back('\0');
    }

    auto missed = [&] {
      return py::make_tuple(py::none(),
                            py::make_tuple(py::bytes(key.data(), key.size()),
                                           py::cast(std::vector<py::object>(
                                               consts.begin(), consts.end()))));
    };
    auto bucket = table.find(key.str());
    if (bucket == table.end())
      return missed();
    Entry *entry = nullptr;
    for (Entry &e : bucket->second) {
      bool same = true;
      for (size_t i = 0; same && i < consts.size(); ++i)
        same = Py_TYPE(consts[i].ptr()) == Py_TYPE(e.consts[i].ptr()) &&
               PyObject_RichCompareBool(consts[i].ptr(), e.consts[i].ptr(),
                                        Py_EQ) == 1;
      if (same) {
        entry = &e;
        break;
      }
    }
    if (!entry)
      return missed();

    // Python runs from here on (a grid callable, torch's device and stream
    // getters) and may remember or clear entries: keep what the launch
    // needs, not `entry`.
    py::object keepLauncher = entry->launcher, compiled = entry->compiled;
    py::object entryWarps = entry->numWarps, entryStages = entry->numStages;
    CpuKernel *cpu = entry->cpu;
    CudaKernel *cuda = entry->cuda;
    int entryDevice = entry->device;
    bool encodeTensorMaps = entry->encodeTensorMaps;
    entry = nullptr;

    unsigned gx = 1, gy = 1, gz = 1;
    resolveGrid(grid, values, entryWarps, entryStages, gx, gy, gz);
    if (gx == 0 || gy == 0 || gz == 0)
      return py::make_tuple(compiled, py::none());
    // CUDA: on the current device, on the given or the current stream.
    uint64_t cudaStream = 0;
    if (cuda) {
      if (!currentDevice || currentDevice().cast<int>() != entryDevice)
        throw Miss();
      cudaStream = stream && !stream.is_none()
                       ? stream.cast<uint64_t>()
                       : currentStream(entryDevice).cast<uint64_t>();
    }
    const std::vector<ArgKind> &kinds = cpu ? cpu->kinds : cuda->kinds;
    // Per thread (another may launch while this one runs without the GIL);
    // no Python runs between packing and the launch.
    thread_local std::vector<KernelArg> packed;
    packed.clear();
    size_t next = 0;
    for (const KernelArg &a : runtime) {
      if (a.kind == ArgKind::TensorMap) {
        // A descriptor's tensor map, where the kernel has the parameter.
        if (next < kinds.size() && kinds[next] == ArgKind::TensorMap) {
          packed.push_back(KernelArg::fromTensorMap(
              encodeTensorMaps ? encoded(maps[a.bits]) : kZeroTensorMap));
          ++next;
        }
        continue;
      }
      if (next >= kinds.size())
        throw Miss();
      size_t i = next++;
      if (kinds[i] == ArgKind::Ptr)
        packed.push_back(a);
      else if (a.kind == ArgKind::F64) {
        if (!isFloatKind(kinds[i]))
          throw Miss();
        double d;
        memcpy(&d, &a.bits, 8);
        packed.push_back(KernelArg::fromDouble(kinds[i], d));
      } else if (isFloatKind(kinds[i]))
        packed.push_back(
            KernelArg::fromDouble(kinds[i], double(int64_t(a.bits))));
      else
        packed.push_back(KernelArg::fromInt(kinds[i], int64_t(a.bits)));
    }
    if (next != kinds.size())
      throw Miss();
    if (cpu) {
      {
        py::gil_scoped_release release;
        cpu->launcher->launch(gx, gy, gz, packed);
      }
      std::string failure;
      if (takeCpuAssertFailure(failure)) {
        PyErr_SetString(PyExc_AssertionError, failure.c_str());
        throw py::error_already_set();
      }
      return py::make_tuple(compiled, py::none());
    }
    cuda->module->launch(gx, gy, gz, cudaStream, packed);
    return py::make_tuple(compiled, py::none());
  }

private:
  /// Appends the key record and the pointer of an array or tensor `v`
  /// (type `t`); false when it is neither (or one the Python path checks).
  template <typename SetDevice>
  bool pointerArg(py::handle v, PyTypeObject *t, llvm::SmallString<128> &key,
                  llvm::SmallVectorImpl<KernelArg> &runtime,
                  SetDevice &setDevice) {
    if (py::isinstance<py::array>(v) &&
        t == py::detail::npy_api::get().PyArray_Type_) {
      auto *a = py::detail::array_proxy(v.ptr());
      if (!(a->flags & kNumpyWriteable))
        throw Miss(); // read-only arrays are checked on the Python path
      for (int d = 0; d < a->nd; ++d)
        if (a->strides[d] < 0)
          throw Miss();
      uint64_t address = uint64_t(reinterpret_cast<uintptr_t>(a->data));
      key.push_back('a');
      appendBytes(key, &a->descr, sizeof(void *));
      setDevice(-1);
      runtime.push_back(KernelArg::fromPtr(address));
      return true;
    }
    if (!isTorchTensor(t))
      return false;
    py::object dtype = tensorDtype(v);
    PyObject *dtypePtr = dtype.ptr();
    uint64_t address =
        callTensorMethod(torch_.dataPtr, names_.dataPtr, v).cast<uint64_t>();
    // get_device() is -1 for CPU tensors.
    int d = callTensorMethod(torch_.getDevice, names_.getDevice, v).cast<int>();
    setDevice(d);
    key.push_back('t');
    appendBytes(key, &dtypePtr, sizeof(void *));
    appendBytes(key, &d, sizeof d);
    runtime.push_back(KernelArg::fromPtr(address));
    return true;
  }

  /// A host TensorDescriptor (parameter `i`), as the Python path's
  /// _descriptor_handler flattens it: the base's pointer, each shape and
  /// stride (1: compiled in), then its tensor map (used where the kernel
  /// has that parameter). The block shape and padding are in the key.
  template <typename SetDevice>
  void descriptorArg(py::handle v, size_t i, llvm::SmallString<128> &key,
                     llvm::SmallVectorImpl<KernelArg> &runtime,
                     llvm::SmallVectorImpl<TensorMapInputs> &maps,
                     SetDevice &setDevice) {
    py::object base = v.attr(names_.base);
    key.push_back('D');
    if (!pointerArg(base, Py_TYPE(base.ptr()), key, runtime, setDevice))
      throw Miss();
    TensorMapInputs map;
    map.address = runtime.back().bits;
    key.push_back(map.address % 16 == 0 && !noDivisibility[i] ? '1' : '0');
    // Python ints only (others, e.g. NumPy integers: the Python path).
    auto ints = [&](py::handle list, std::vector<uint64_t> &out) {
      if (!PyList_Check(list.ptr()))
        throw Miss();
      for (py::handle x : list) {
        if (Py_TYPE(x.ptr()) != &PyLong_Type)
          throw Miss();
        int overflow = 0;
        long long n = PyLong_AsLongLongAndOverflow(x.ptr(), &overflow);
        if (overflow)
          throw Miss();
        out.push_back(uint64_t(n));
      }
    };
    ints(v.attr(names_.shape), map.shape);
    ints(v.attr(names_.strides), map.strides);
    ints(v.attr(names_.blockShape), map.block);
    for (const std::vector<uint64_t> *dims : {&map.shape, &map.strides})
      for (uint64_t n : *dims) {
        if (n == 1) {
          key.push_back('1');
          continue;
        }
        long long x = (long long)n;
        key.push_back(x >= INT32_MIN && x <= INT32_MAX ? '4' : '8');
        key.push_back(x % 16 == 0 && !noDivisibility[i] ? '1' : '0');
        runtime.push_back({ArgKind::I64, n});
      }
    key.push_back('[');
    for (uint64_t n : map.block)
      appendBytes(key, &n, sizeof n);
    py::object padding = v.attr(names_.padding);
    if (!PyUnicode_Check(padding.ptr()))
      throw Miss();
    key.append(llvm::StringRef(padding.cast<std::string>()));
    key.push_back(']');
    // The element: its size and float kind (CUtensorMap's data type).
    py::object dtype = base.attr(names_.dtype);
    auto [elementBytes, floatKind] = elementOf(dtype);
    map.elementBytes = elementBytes;
    map.floatKind = floatKind;
    runtime.push_back({ArgKind::TensorMap, uint64_t(maps.size())});
    maps.push_back(std::move(map));
  }

  /// (bytes, float kind: 16 float16, 17 bfloat16, else 0) of a NumPy or
  /// torch dtype, cached by the dtype object.
  std::pair<unsigned, int> elementOf(const py::object &dtype) {
    auto found = elements.find(dtype.ptr());
    if (found != elements.end())
      return found->second;
    unsigned bytes = dtype.attr("itemsize").cast<unsigned>();
    std::string name = py::str(dtype);
    int kind = (name == "float16" || name == "torch.float16")     ? 16
               : (name == "bfloat16" || name == "torch.bfloat16") ? 17
                                                                  : 0;
    elementsKeep.push_back(dtype);
    return elements[dtype.ptr()] = {bytes, kind};
  }

  /// The tensor map of `inputs`, encoded once (CudaDriver).
  const void *encoded(const TensorMapInputs &inputs) {
    auto found = tensorMaps.find(inputs);
    if (found != tensorMaps.end())
      return found->second.data();
    // Encoded first: an encoding that throws leaves nothing cached.
    std::array<char, kTensorMapBytes> out;
    CudaDriver::get().encodeDescriptorTensorMap(
        out.data(), inputs.elementBytes, inputs.floatKind, inputs.address,
        inputs.shape, inputs.strides, inputs.block);
    return tensorMaps.emplace(inputs, out).first->second.data();
  }

  bool isTensorDescriptor(PyTypeObject *t) {
    if (!descriptorType) {
      // Only ever passed when the caller imported the module.
      PyObject *m =
          PyImport_GetModule(py::str("tessel.tools.tensor_descriptor").ptr());
      if (!m) {
        PyErr_Clear();
        return false;
      }
      auto module = py::reinterpret_steal<py::object>(m);
      descriptorType = module.attr("TensorDescriptor");
    }
    return reinterpret_cast<PyObject *>(t) == descriptorType.ptr();
  }

  void resolveGrid(py::handle grid, llvm::ArrayRef<py::handle> values,
                   py::handle numWarps, py::handle numStages, unsigned &gx,
                   unsigned &gy, unsigned &gz) {
    py::object g = py::reinterpret_borrow<py::object>(grid);
    if (PyCallable_Check(grid.ptr())) {
      py::dict meta;
      for (size_t i = 0; i < names.size(); ++i)
        meta[py::str(names[i])] = values[i];
      meta["num_warps"] = numWarps;
      meta["num_stages"] = numStages;
      g = g(meta);
    }
    if (!PyTuple_Check(g.ptr()) && !PyList_Check(g.ptr()))
      throw Miss();
    py::sequence dims = g;
    size_t rank = dims.size();
    if (rank < 1 || rank > 3)
      throw Miss();
    unsigned out[3] = {1, 1, 1};
    for (size_t d = 0; d < rank; ++d) {
      py::handle x = dims[d];
      if (Py_TYPE(x.ptr()) != &PyLong_Type)
        throw Miss();
      int overflow = 0;
      long long v = PyLong_AsLongLongAndOverflow(x.ptr(), &overflow);
      if (overflow || v < 0 || v > (d == 0 ? kMaxGridX : kMaxGridYZ))
        throw Miss();
      out[d] = unsigned(v);
    }
    gx = out[0];
    gy = out[1];
    gz = out[2];
  }

  bool isTorchTensor(PyTypeObject *t) {
    if (!torchTensorType) {
      // torch is only ever used when the caller imported it.
      PyObject *torch = PyImport_GetModule(py::str("torch").ptr());
      if (!torch) {
        PyErr_Clear();
        return false;
      }
      py::object module = py::reinterpret_steal<py::object>(torch);
      if (!py::hasattr(module, "Tensor"))
        return false;
      torchTensorType = module.attr("Tensor");
      // torch.Tensor's own C-level accessors, called directly: no attribute
      // lookup or bound method per call (the type check above keeps
      // subclasses, which may override them, off this path).
      auto descriptor = [&](const py::str &name, PyTypeObject *kind) {
        PyObject *d = PyObject_GetAttr(torchTensorType.ptr(), name.ptr());
        if (!d) {
          PyErr_Clear();
          return py::object();
        }
        auto owned = py::reinterpret_steal<py::object>(d);
        return Py_IS_TYPE(d, kind) ? owned : py::object();
      };
      torch_.dtype = descriptor(names_.dtype, &PyGetSetDescr_Type);
      torch_.dataPtr = descriptor(names_.dataPtr, &PyMethodDescr_Type);
      torch_.getDevice = descriptor(names_.getDevice, &PyMethodDescr_Type);
    }
    return reinterpret_cast<PyObject *>(t) == torchTensorType.ptr();
  }

  /// tensor.dtype, through the getset descriptor when there is one.
  py::object tensorDtype(py::handle tensor) {
    if (torch_.dtype) {
      PyObject *descr = torch_.dtype.ptr();
      PyObject *value = Py_TYPE(descr)->tp_descr_get(
          descr, tensor.ptr(),
          reinterpret_cast<PyObject *>(Py_TYPE(tensor.ptr())));
      if (!value)
        throw py::error_already_set();
      return py::reinterpret_steal<py::object>(value);
    }
    return tensor.attr(names_.dtype);
  }
  /// tensor.<name>(), through the method descriptor when there is one.
  py::object callTensorMethod(const py::object &method, const py::str &name,
                              py::handle tensor) {
    if (method) {
      PyObject *value = PyObject_CallOneArg(method.ptr(), tensor.ptr());
      if (!value)
        throw py::error_already_set();
      return py::reinterpret_steal<py::object>(value);
    }
    return tensor.attr(name)();
  }

  struct AttributeNames {
    py::str dtype{"dtype"}, dataPtr{"data_ptr"}, getDevice{"get_device"};
    py::str base{"base"}, shape{"shape"}, strides{"strides"},
        blockShape{"block_shape"}, padding{"padding"};
  } names_;
  static constexpr size_t kMaxTensorMaps = 4096;
  static constexpr std::array<char, kTensorMapBytes> kZeroTensorMapBytes{};
  static constexpr const void *kZeroTensorMap = kZeroTensorMapBytes.data();
  std::map<TensorMapInputs, std::array<char, kTensorMapBytes>> tensorMaps;
  llvm::DenseMap<PyObject *, std::pair<unsigned, int>> elements;
  std::vector<py::object> elementsKeep; // the dtypes `elements` is keyed by
  py::object descriptorType;
  std::vector<std::string> names;
  std::vector<bool> isConstexpr, noDivisibility;
  py::list defaults;
  py::object noDefault;
  /// Keyword -> parameter position, or a kNumWarps/kNumStages/kStream slot.
  py::dict index;
  llvm::StringMap<std::vector<Entry>> table;
  py::object torchTensorType;
  /// torch.Tensor's descriptors of dtype, data_ptr and get_device (null
  /// when torch has other kinds: then the attributes are looked up).
  struct {
    py::object dtype, dataPtr, getDevice;
  } torch_;
  py::object currentDevice, currentStream;

public:
  /// `miss(grid, args, kwargs, key)`: the Python path (JITFunction._run_miss).
  py::object miss;
  /// kernel[grid] objects handed out before, for grids of plain ints (by
  /// value) and callables (by identity); a few dozen at most.
  struct BoundEntry {
    PyObject *callable; // null for an int tuple
    int rank;
    long long dims[3];
    py::object grid, bound;
  };
  std::vector<BoundEntry> boundCache;

  /// Visits every Python object held (the type is garbage-collected: the
  /// JITFunction, its `miss` method and the objects here form cycles).
  int traverse(visitproc visit, void *arg) {
    Py_VISIT(miss.ptr());
    for (BoundEntry &e : boundCache) {
      Py_VISIT(e.grid.ptr());
      Py_VISIT(e.bound.ptr());
    }
    for (auto &bucket : table)
      for (Entry &e : bucket.getValue()) {
        Py_VISIT(e.compiled.ptr());
        Py_VISIT(e.launcher.ptr());
      }
    return 0;
  }
  void clearReferences() {
    miss = py::none();
    std::vector<BoundEntry> oldBound;
    std::swap(oldBound, boundCache);
    clear();
  }
};
/// `kernel[grid]` (FastLauncher.bind): a callable that launches through
/// run() and hands a miss to the owner's `miss(grid, args, kwargs, key)`,
/// the Python path. A CPython type with vectorcall rather than a pybind11
/// class: a hit then costs no Python frame and no argument tuple or dict.
struct BoundLaunch {
  PyObject_HEAD vectorcallfunc vectorcall;
  PyObject *owner; // the FastLauncher's Python object, keeping it alive
  FastLauncher *launcher;
  PyObject *grid;

  static PyObject *call(PyObject *self, PyObject *const *args, size_t nargsf,
                        PyObject *kwnames);
  static PyObject *fallBack(BoundLaunch *b, PyObject *const *args, size_t nargs,
                            PyObject *kwnames, py::handle key);
  static int traverse(PyObject *self, visitproc visit, void *arg) {
    auto *b = reinterpret_cast<BoundLaunch *>(self);
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(b->owner);
    Py_VISIT(b->grid);
    return 0;
  }
  static int clear(PyObject *self) {
    auto *b = reinterpret_cast<BoundLaunch *>(self);
    Py_CLEAR(b->owner);
    Py_CLEAR(b->grid);
    b->launcher = nullptr;
    return 0;
  }
  static void dealloc(PyObject *self) {
    PyTypeObject *type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    clear(self);
    type->tp_free(self);
    Py_DECREF(type);
  }
};

PyObject *BoundLaunch::fallBack(BoundLaunch *b, PyObject *const *args,
                                size_t nargs, PyObject *kwnames,
                                py::handle key) {
  py::tuple positional(nargs);
  for (size_t i = 0; i < nargs; ++i)
    positional[i] = py::handle(args[i]);
  py::dict keywords;
  size_t numKeywords = kwnames ? size_t(PyTuple_GET_SIZE(kwnames)) : 0;
  for (size_t k = 0; k < numKeywords; ++k)
    keywords[PyTuple_GET_ITEM(kwnames, k)] = py::handle(args[nargs + k]);
  return b->launcher->miss(py::handle(b->grid), positional, keywords, key)
      .release()
      .ptr();
}

PyObject *BoundLaunch::call(PyObject *self, PyObject *const *args,
                            size_t nargsf, PyObject *kwnames) {
  auto *b = reinterpret_cast<BoundLaunch *>(self);
  size_t nargs = PyVectorcall_NARGS(nargsf);
  try {
    if (!b->launcher) {
      PyErr_SetString(PyExc_RuntimeError, "launch of a cleared kernel[grid]");
      return nullptr;
    }
    py::tuple result;
    try {
      result = b->launcher->run(b->grid, args, nargs, kwnames);
    } catch (const Miss &) {
      return fallBack(b, args, nargs, kwnames, py::none());
    }
    if (!result[0].is_none())
      return py::object(result[0]).release().ptr();
    return fallBack(b, args, nargs, kwnames, result[1]);
  } catch (py::error_already_set &e) {
    e.restore();
    return nullptr;
  } catch (...) {
    // The launch's own errors (a CUDA error from cuLaunchKernel, ...) become
    // the Python exceptions the module registered, as in a pybind11 call.
    py::detail::try_translate_exceptions();
    return nullptr;
  }
}

PyTypeObject *boundLaunchType() {
  static PyTypeObject *type = [] {
#if PY_VERSION_HEX >= 0x030C0000
    constexpr int kSsizeMember = Py_T_PYSSIZET, kReadOnly = Py_READONLY;
#else // structmember.h's names before Python 3.12
    constexpr int kSsizeMember = T_PYSSIZET, kReadOnly = READONLY;
#endif
    static PyMemberDef members[] = {
        {"__vectorcalloffset__", kSsizeMember,
         Py_ssize_t(offsetof(BoundLaunch, vectorcall)), kReadOnly, nullptr},
        {nullptr, 0, 0, 0, nullptr}};
    static PyType_Slot slots[] = {
        {Py_tp_call, reinterpret_cast<void *>(PyVectorcall_Call)},
        {Py_tp_traverse, reinterpret_cast<void *>(BoundLaunch::traverse)},
        {Py_tp_clear, reinterpret_cast<void *>(BoundLaunch::clear)},
        {Py_tp_dealloc, reinterpret_cast<void *>(BoundLaunch::dealloc)},
        {Py_tp_members, members},
        {0, nullptr}};
    static PyType_Spec spec = {
        "tessel._C.BoundLaunch", int(sizeof(BoundLaunch)), 0,
        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL |
            Py_TPFLAGS_DISALLOW_INSTANTIATION,
        slots};
    return reinterpret_cast<PyTypeObject *>(PyType_FromSpec(&spec));
  }();
  return type;
}

py::object newBoundLaunch(py::handle owner, py::handle grid) {
  PyTypeObject *type = boundLaunchType();
  if (!type)
    throw py::error_already_set();
  auto *b = PyObject_GC_New(BoundLaunch, type);
  if (!b)
    throw py::error_already_set();
  b->vectorcall = BoundLaunch::call;
  b->launcher = owner.cast<FastLauncher *>();
  b->owner = owner.inc_ref().ptr();
  b->grid = grid.inc_ref().ptr();
  PyObject_GC_Track(b);
  return py::reinterpret_steal<py::object>(reinterpret_cast<PyObject *>(b));
}

/// FastLauncher.bind(grid): the kernel[grid] object for this grid, the same
/// one as last time for a grid of plain ints or the same closure-free
/// function. Grids
/// that are equal but not of ints ((1.0,) == (1,)) are not shared, so the
/// launch still rejects them.
py::object bindLaunchImpl(py::handle self, py::handle grid) {
  FastLauncher &fast = self.cast<FastLauncher &>();
  FastLauncher::BoundEntry key{nullptr, 0, {0, 0, 0}, {}, {}};
  bool cacheable = false;
  if (PyTuple_CheckExact(grid.ptr())) {
    Py_ssize_t rank = PyTuple_GET_SIZE(grid.ptr());
    cacheable = rank >= 1 && rank <= 3;
    for (Py_ssize_t d = 0; cacheable && d < rank; ++d) {
      PyObject *x = PyTuple_GET_ITEM(grid.ptr(), d);
      int overflow = 0;
      cacheable = Py_TYPE(x) == &PyLong_Type;
      if (cacheable)
        key.dims[d] = PyLong_AsLongLongAndOverflow(x, &overflow);
      cacheable = cacheable && !overflow;
    }
    key.rank = int(rank);
  } else if (PyFunction_Check(grid.ptr()) &&
             !PyFunction_GetClosure(grid.ptr())) {
    // A function without a closure, kept by identity (a lambda written at
    // the launch is a new object each time and would pin what its closure
    // holds, such as tensors, until the cache turns over: not kept).
    key.callable = grid.ptr();
    cacheable = true;
  }
  if (!cacheable)
    return newBoundLaunch(self, grid);
  for (FastLauncher::BoundEntry &e : fast.boundCache)
    if (e.callable == key.callable && e.rank == key.rank &&
        std::equal(e.dims, e.dims + 3, key.dims))
      return e.bound;
  if (fast.boundCache.size() >= 64) {
    std::vector<FastLauncher::BoundEntry> old;
    std::swap(old, fast.boundCache);
  }
  key.grid = py::reinterpret_borrow<py::object>(grid);
  key.bound = newBoundLaunch(self, grid);
  fast.boundCache.push_back(key);
  return key.bound;
}

/// bind as a METH_O method: kernel[grid] sits on every launch, and a
/// pybind11 dispatch would cost more than the lookup itself.
PyObject *bindLaunch(PyObject *self, PyObject *grid) {
  try {
    return bindLaunchImpl(self, grid).release().ptr();
  } catch (py::error_already_set &e) {
    e.restore();
  } catch (...) {
    py::detail::try_translate_exceptions();
  }
  return nullptr;
}
} // namespace

void tessel::python::registerFastLaunch(py::module_ &m) {
  // Garbage-collected: a JITFunction, its FastLauncher (holding the
  // JITFunction's `_run_miss`) and the kernel[grid] objects form cycles.
  auto gcSetup = py::custom_type_setup([](PyHeapTypeObject *heapType) {
    PyTypeObject *type = &heapType->ht_type;
    type->tp_flags |= Py_TPFLAGS_HAVE_GC;
    type->tp_traverse = [](PyObject *self, visitproc visit, void *arg) {
      Py_VISIT(Py_TYPE(self));
      if (!py::detail::is_holder_constructed(self))
        return 0;
      return py::cast<FastLauncher &>(py::handle(self)).traverse(visit, arg);
    };
    type->tp_clear = [](PyObject *self) {
      if (py::detail::is_holder_constructed(self))
        py::cast<FastLauncher &>(py::handle(self)).clearReferences();
      return 0;
    };
  });
  py::class_<FastLauncher> cls(m, "FastLauncher", gcSetup);
  cls.def(py::init<std::vector<std::string>, std::vector<bool>,
                   std::vector<bool>, py::list, py::object, py::object>(),
          py::arg("names"), py::arg("is_constexpr"), py::arg("no_divisibility"),
          py::arg("defaults"), py::arg("no_default"), py::arg("miss"))
      .def("launch", &FastLauncher::launch)
      .def("remember", &FastLauncher::remember, py::arg("key"),
           py::arg("compiled"), py::arg("launcher"), py::arg("device"),
           py::arg("num_warps"), py::arg("num_stages"))
      .def("clear", &FastLauncher::clear)
      .def("set_stream_getters", &FastLauncher::setStreamGetters);
  static PyMethodDef bindDef = {
      "bind", reinterpret_cast<PyCFunction>(bindLaunch), METH_O,
      "bind(grid): the kernel[grid] callable (reused per grid)"};
  PyObject *descriptor =
      PyDescr_NewMethod(reinterpret_cast<PyTypeObject *>(cls.ptr()), &bindDef);
  if (!descriptor)
    throw py::error_already_set();
  cls.attr("bind") = py::reinterpret_steal<py::object>(descriptor);
}
