"""Keep CPU memory flat over long predict() runs on glibc (Linux).

glibc raises its mmap threshold each time a large block is freed, so after the first batches the
encoder's multi-megabyte activations are carved from the heap and, once freed, stay resident:
memory then grows with the length of the input (measured on a 1 MB text: 1.3 GiB above the loaded
model). Giving the free pages back after each batch (malloc_trim) keeps the peak near the model's
own size at no measurable cost in speed; fixing the mmap threshold instead also bounds memory but
made news text 20% slower (page faults on every large buffer). Figures: eval/reports/memory.md.

GOVIE_MALLOC_TUNING=0 in the environment turns it off.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

_malloc_trim = None
_looked_up = False


def _lookup():
    global _malloc_trim, _looked_up
    _looked_up = True
    if not sys.platform.startswith("linux") or os.environ.get("GOVIE_MALLOC_TUNING", "1") == "0":
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim  # glibc only: absent on musl (AttributeError)
    except (OSError, AttributeError):
        return
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    _malloc_trim = trim


def release_free_memory() -> bool:
    """Return the heap's free pages to the system; False where that is not available (or turned off)."""
    if not _looked_up:
        _lookup()
    if _malloc_trim is None:
        return False
    _malloc_trim(0)
    return True
