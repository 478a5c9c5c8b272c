"""The Japanese morphological analyser (SudachiPy, core dictionary), shared by the name matcher
(readings of names) and the directory (furigana)."""

import threading
from functools import cache

_local = threading.local()


def tokenizer():
    """One tokenizer per thread: SudachiPy's may not be used by two threads at once (a threaded
    server, or the test server beside the test). Split mode C: the longest units (names)."""
    found = getattr(_local, "tokenizer", None)
    if found is None:
        from sudachipy import SplitMode

        found = _local.tokenizer = _dictionary().tokenizer(mode=SplitMode.C)
    return found


@cache
def _dictionary():
    from sudachipy import Dictionary

    return Dictionary(dict="core")
