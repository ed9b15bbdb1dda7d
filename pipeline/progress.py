"""How a run shows its progress."""
from __future__ import annotations

import logging
import sys


def progress_bar(total: int):
    """A progress bar on a terminal; plain log lines (about every tenth of the work) otherwise."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, unit="doc", file=sys.stderr, leave=False)
        return bar.update
    done, step, log = [0], max(1, total // 10), logging.getLogger("vnpress")
    log.info("processing %d documents", total)

    def advance(n: int) -> None:
        before, done[0] = done[0], done[0] + n
        if done[0] // step > before // step or done[0] == total:
            log.info("processed %d/%d documents", done[0], total)
    return advance
