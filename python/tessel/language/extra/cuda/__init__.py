"""``triton.language.extra.cuda``: ``libdevice`` and the helpers
``num_warps``, ``num_threads``, ``globaltimer``, ``smid`` (see utils.py)."""

from .. import libdevice
from .utils import globaltimer, num_threads, num_warps, smid

__all__ = ["libdevice", "num_warps", "num_threads", "globaltimer", "smid"]
