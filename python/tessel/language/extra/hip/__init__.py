"""``triton.language.extra.hip``: ``libdevice``."""

from .. import libdevice

__all__ = ["libdevice"]
