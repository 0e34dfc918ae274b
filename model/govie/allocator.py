"""Keep CPU memory flat over long predict() runs on glibc (Linux).

glibc raises its mmap threshold each time a large block is freed, so after the first batches the
encoder's multi-megabyte activations are carved from the main heap, where long-lived Python objects
(the growing results) pin them: resident memory then grows with the length of the input (measured:
+146 MiB for 20k characters, +1.3 GiB for 1 MB of text, all of it freed memory glibc keeps). A fixed
threshold turns the dynamic adjustment off, so large blocks go back to the system when freed and the
peak stays near the model's own size (eval/bench_memory.py).

It is a process-wide setting, so it is applied once, only on glibc, and never when the user has
chosen for themselves: MALLOC_MMAP_THRESHOLD_ set in the environment, or GOVIE_MALLOC_TUNING=0.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_MMAP_THRESHOLD = -3  # from <malloc.h>
MMAP_THRESHOLD_BYTES = 4 * 1024 * 1024

_applied: bool | None = None


def fix_mmap_threshold() -> bool:
    """Set glibc's mmap threshold to 4 MiB once per process; True if it is now in effect."""
    global _applied
    if _applied is not None:
        return _applied
    _applied = False
    if not sys.platform.startswith("linux"):
        return False
    if os.environ.get("GOVIE_MALLOC_TUNING", "1") == "0" or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt  # absent on musl: AttributeError
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    _applied = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
    return _applied
