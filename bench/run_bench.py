"""`make bench`: measured throughput, scaling, memory and incremental figures, printed.

All figures come from one invocation on the same generated text:
  * bare underthesea ``word_tokenize`` words/s (per line, as the pipeline calls it);
  * full pipeline words/s (words = rows of ``tokens``) with 1 worker and with 2, after a warm-up
    run on one document (model loading, timed apart);
  * extraction time as a share of segmentation time on the seeds;
  * peak RSS of a whole run at N and at 10×N documents (separate processes);
  * the time of a second, incremental run over unchanged input.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import make_corpus  # noqa: E402


def _bare_words_per_second(paths: list[Path]) -> tuple[int, float]:
    from underthesea import word_tokenize

    from pipeline.normalize import normalize_text

    lines = [line for p in paths for line in normalize_text(p.read_text(encoding="utf-8")).split("\n") if line.strip()]
    word_tokenize(lines[0])
    t0 = time.perf_counter()
    words = sum(len(word_tokenize(line, use_token_normalize=False)) for line in lines)
    return words, words / (time.perf_counter() - t0)


def _run(corpus: Path, out: Path, workers: int) -> tuple[float, int]:
    from pipeline import write
    from pipeline.runner import run

    t0 = time.perf_counter()
    run([corpus], out, engine="serial" if workers == 1 else "process", workers=workers)
    return time.perf_counter() - t0, write.read(out, "tokens").num_rows


def _peak_rss_mib(corpus: Path, workers: int) -> float:
    """Peak RSS of a whole `vnpress run` in a fresh process (the driver; workers counted apart)."""
    code = ("import resource, sys, tempfile; from pathlib import Path; from pipeline.runner import run; "
            f"run([Path({str(corpus)!r})], Path(tempfile.mkdtemp()), engine='serial', workers={workers}); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def _extraction_share() -> float:
    from pipeline.extract import extract
    from pipeline.ingest import read_document
    from pipeline.segment import segment

    docs = [read_document(p) for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))] * 4
    extract(segment(docs[0]))
    t0 = time.perf_counter()
    segs = [segment(d) for d in docs]
    seg_time = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in segs:
        extract(s)
    return (time.perf_counter() - t0) / seg_time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=100, help="documents in the base corpus (N)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vnpress-bench-"))
    try:
        small, large = work / "n", work / "n10"
        paths = make_corpus(small, args.n, seed=1)
        make_corpus(large, args.n * 10, seed=2)
        words, bare = _bare_words_per_second(paths)
        cold, _ = _run(Path(paths[0]), work / "warm", 1)  # loads the models: measured, not counted
        t1, tokens = _run(small, work / "out1", 1)
        t2, _ = _run(small, work / "out2", 2)
        t_again, _ = _run(small, work / "out1", 1)
        share = _extraction_share()
        rss_n, rss_10n = _peak_rss_mib(small, 1), _peak_rss_mib(large, 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures = {
        "documents": args.n, "words": tokens, "cold_start_one_document_s": round(cold, 2),
        "bare_word_tokenize_words_per_s": round(bare), "pipeline_1_worker_words_per_s": round(tokens / t1),
        "pipeline_2_workers_words_per_s": round(tokens / t2), "first_run_s": round(t1, 2),
        "incremental_rerun_s": round(t_again, 2), "extraction_share_of_segmentation": round(share, 3),
        "peak_rss_mib_n": round(rss_n), "peak_rss_mib_10n": round(rss_10n),
    }
    targets = [
        ("full pipeline >= 0.7x bare word_tokenize (1 worker)", tokens / t1 / bare, 0.7),
        ("2 workers >= 1.7x one worker", t1 / t2, 1.7),
        ("peak RSS at 10xN <= 1.2x at N", 1.2 / (rss_10n / rss_n), 1.0),
        ("unchanged rerun < 5% of the first run", 0.05 / (t_again / t1), 1.0),
        ("extraction adds <= 30% to segmentation", 0.30 / share, 1.0),
    ]
    print(f"vnpress bench: N={args.n} documents, {tokens} words (10xN = {args.n * 10} documents)")
    print(f"  cold start (models, 1 document): {cold:10.2f} s (not counted below)")
    print(f"  bare underthesea word_tokenize : {bare:10.0f} words/s")
    print(f"  pipeline, 1 worker             : {tokens / t1:10.0f} words/s ({t1:.1f} s)")
    print(f"  pipeline, 2 workers            : {tokens / t2:10.0f} words/s ({t2:.1f} s, {t1 / t2:.2f}x)")
    print(f"  incremental rerun (unchanged)  : {t_again:10.2f} s ({100 * t_again / t1:.1f}% of the first run)")
    print(f"  extraction / segmentation      : {100 * share:10.1f} %")
    print(f"  peak RSS at N / 10xN           : {rss_n:.0f} MiB / {rss_10n:.0f} MiB ({rss_10n / rss_n:.2f}x)")
    for label, ratio, need in targets:
        print(f"  [{'met' if ratio >= need else 'MISSED'}] {label}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
