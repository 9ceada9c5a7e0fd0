"""Target libraries, as ``triton.language.extra``: ``libdevice`` (also under
``extra.cuda`` and ``extra.hip``) calls the device math library of the target
(libdevice on NVIDIA, OCML on AMD, libm on the CPU)."""

from . import libdevice

__all__ = ["libdevice"]
