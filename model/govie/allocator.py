"""Keep CPU memory flat over long predict() runs on glibc (Linux).

glibc raises its mmap threshold each time a large block is freed, so after the first batches the
encoder's multi-megabyte activations are carved from the heap and, once freed, stay resident:
memory then grows with the length of the input (measured on a 1 MB text: 1.3 GiB above the loaded
model). Giving the free pages back every few batches (malloc_trim; the predictor's TRIM_EVERY)
keeps the peak near the model's own size at little cost in speed; fixing the mmap threshold instead also bounds memory but
made news text 20% slower (page faults on every large buffer). Figures: eval/reports/memory.md.

GOVIE_MALLOC_TUNING=0 in the environment turns it off.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's malloc_trim, or None (not Linux, musl, or GOVIE_MALLOC_TUNING=0)."""
    if not sys.platform.startswith("linux") or os.environ.get("GOVIE_MALLOC_TUNING", "1") == "0":
        return None
    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # no libc found, or no malloc_trim in it
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Return the heap's free pages to the system; False where that is not available (or turned off)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
