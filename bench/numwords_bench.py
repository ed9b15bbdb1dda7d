"""`make bench` (and on its own): number words, every integer from 1 to 1,000,000, read back.

Each integer is spelled by the test suite's independent spell-out (tests/test_numwords.py) twice:
canonically and in a variant drawn per integer (linh/lẻ, nghìn/ngàn, mốt/một, tư/bốn, lăm/nhăm,
the spoken short forms "một trăm hai" and "hai nghìn rưỡi"). Prints, for pipeline.numwords and,
when it is installed, the PyPI package vn-numberwords: integers read wrong and microseconds per
reading. vnpress does not depend on vn-numberwords (see README); `pip install vn-numberwords`
to compare.
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pipeline import numwords  # noqa: E402
from test_numwords import spell  # noqa: E402

N = 1_000_000


def _measure(name: str, read, spellings: dict[str, list[str]]) -> None:
    for kind, texts in spellings.items():
        start = time.perf_counter()
        wrong = [(n, t) for n, t in enumerate(texts, 1) if read(t) != n]
        elapsed = time.perf_counter() - start
        print(f"{name:17} {kind:9} wrong {len(wrong):7,} of {N:,}  {elapsed / N * 1e6:5.1f} µs/number"
              + (f"  e.g. {wrong[0][1]!r} ({wrong[0][0]})" if wrong else ""))


def main() -> None:
    spellings = {"canonical": [spell(n) for n in range(1, N + 1)],
                 "variants": [spell(n, random.Random(n).choice) for n in range(1, N + 1)]}
    _measure("pipeline.numwords", numwords.read, spellings)
    try:
        from vn_numberwords.core.word_parser import WordToNumberParser
    except ImportError:
        print("vn-numberwords    not installed (pip install vn-numberwords to compare)")
        return
    parser = WordToNumberParser()
    _measure("vn-numberwords", parser.parse_words, spellings)


if __name__ == "__main__":
    main()
