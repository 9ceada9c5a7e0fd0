"""Shared by the profile probes: one compiled kernel's resources, cubin and SASS."""
import os
import subprocess


def report_and_dump(name: str, compiled, error: str, out: str, stem: str) -> None:
    """Prints `name`'s error, registers, spills and shared memory; writes
    OUT/STEM.cubin and OUT/STEM.sass (cuobjdump). `compiled` is Tessel's or
    Triton's compiled-kernel object."""
    print(f"{name}: {error}, regs {getattr(compiled, 'n_regs', '?')}, "
          f"spills {getattr(compiled, 'n_spills', '?')}, shared {compiled.metadata.shared}")
    cubin = compiled.asm["cubin"] if name == "triton" else compiled.binary
    path = os.path.join(out, f"{stem}.cubin")
    with open(path, "wb") as f:
        f.write(cubin)
    sass = subprocess.run(["cuobjdump", "--dump-sass", path], capture_output=True, text=True)
    with open(os.path.join(out, f"{stem}.sass"), "w") as f:
        f.write(sass.stdout + sass.stderr)
