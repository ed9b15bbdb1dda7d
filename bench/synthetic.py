"""A corpus of distinct, realistic press releases made from the seeds, for tests and benchmarks.

Each document is a seed with its people, province and numbers replaced (the seeds' names come
from their gold files, read here, never written into code), so content hashes and facts differ
while the writing stays real.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
GOLD = ROOT / "tests" / "gold"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Đức", "Thu", "Hoài"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hạnh", "Khoa", "Lan", "Mai", "Nam", "Phúc", "Quân", "Sơn",
         "Tâm", "Uyên", "Vinh", "Xuân", "Yến"]
PROVINCES = ["Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Nghệ An", "Thanh Hóa", "Quảng Ninh", "Lào Cai",
             "Lai Châu", "Điện Biên", "Sơn La", "Gia Lai", "Đắk Lắk", "Khánh Hòa", "An Giang", "Cà Mau"]
_NUMBER = re.compile(r"(?<![\d/.\-])\b(\d{1,3})\b(?![/.\-]\d)")


def _seeds() -> list[tuple[str, dict]]:
    return [(p.read_text(encoding="utf-8"), json.loads((GOLD / f"{p.stem}.json").read_text(encoding="utf-8")))
            for p in sorted(SEEDS.glob("*.txt"))]


def variant(text: str, gold: dict, rng: random.Random, i: int) -> str:
    for person in gold.get("persons", []):
        text = text.replace(person["name"], f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}")
    if gold.get("province"):
        text = text.replace(gold["province"], rng.choice(PROVINCES))

    def number(m: re.Match[str]) -> str:
        width = len(m.group(1))
        return str(rng.randint(2, 9 if width == 1 else 99 if width == 2 else 999)).zfill(width)
    text = _NUMBER.sub(number, text)
    return f"{text.rstrip()}\n\nMã bài viết: {i:07d}\n"


def _variants(n: int, seed: int):
    """(i, text) of ``n`` distinct variants of the seeds, in turn."""
    rng = random.Random(seed)
    seeds = _seeds()
    for i in range(n):
        text, gold = seeds[i % len(seeds)]
        yield i, variant(text, gold, rng, i)


def make_corpus(out_dir: Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` distinct documents under ``out_dir``; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in _variants(n, seed):
        path = out_dir / f"doc_{i:06d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def make_small_corpus(out_dir: Path, n: int, seed: int = 0) -> list[Path]:
    """``n`` distinct short items (a headline and the lead sentence, ~50 words): the shape of a
    crawl of news teasers, where per-document bookkeeping, not text, is what a run holds."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in _variants(n, seed):
        lines = [line for line in text.split("\n") if len(line.split()) > 6]
        lead = lines[1].split(". ")[0].rstrip(".") + "."
        path = out_dir / f"{i % 100:02d}" / f"item_{i:06d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"{lines[0]}\n\n{lead}\n\nMã bài viết: {i:07d}\n", encoding="utf-8")
        paths.append(path)
    return paths


def large_document(n_bytes: int, seed: int = 0) -> str:
    """One long press release of about ``n_bytes`` of UTF-8: a headline, then the seeds' body
    paragraphs (names and numbers varied) until the size is reached."""
    rng = random.Random(seed)
    seeds = _seeds()
    parts, size, i = ["Tổng hợp tin hoạt động của các sở, ban, ngành trong tháng"], 0, 0
    while size < n_bytes:
        text, gold = seeds[i % len(seeds)]
        body = [line for line in variant(text, gold, rng, i).split("\n") if len(line.split()) > 12]
        for line in body:
            parts.append(line)
            size += len(line.encode()) + 2
        i += 1
    return "\n\n".join(parts) + "\n"
