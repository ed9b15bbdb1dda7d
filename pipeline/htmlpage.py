"""A saved web page -> the page as text lines, the article first.

trafilatura (a maintained news-extraction library) finds the main text, title, author and date.
The rest of the page's visible text is kept after the article, line by line, to be labelled
boilerplate: nothing is dropped.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

_BLOCK_TAGS = {"p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "caption",
               "blockquote", "pre", "dt", "dd", "address", "section", "article", "header", "footer", "nav",
               "aside", "span", "a", "title"}


@dataclass
class Page:
    text: str
    article_end: int            # offset where the text outside the article begins
    title: str | None
    authors: list[str]
    published: date | None


def _visible_lines(html: str) -> list[str]:
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # lxml raises ParserError and others for broken markup
        return []
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    lines = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCK_TAGS:
            continue
        if any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS - {"span", "a"} for c in element):
            continue  # only leaf blocks: their parents would repeat them
        text = " ".join(element.text_content().split())
        if text:
            lines.append(text)
    return lines


def _layout_cells(lines: list[str]) -> bool:
    """trafilatura took a layout table for the article: most of its lines are table cells."""
    cells = sum(1 for line in lines if line.startswith("|"))
    return bool(lines) and cells * 2 >= len(lines)


def _densest(html: str) -> tuple[str | None, list[str]]:
    """(heading, paragraphs) of the element whose own paragraphs hold the most text: where a
    portal built with layout tables keeps its article. The heading is the short element just
    before it (the article's title on such pages), if any."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:
        return None, []
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    best, best_len = None, 0
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        size = sum(len(p.text_content().strip()) for p in element if isinstance(p.tag, str) and p.tag == "p")
        if size > best_len:
            best, best_len = element, size
    if best is None:
        return None, []
    paragraphs = [" ".join(p.text_content().split()) for p in best if isinstance(p.tag, str) and p.tag == "p"]
    heading = None
    for sibling in best.itersiblings(preceding=True):
        if not isinstance(sibling.tag, str):
            continue
        text = " ".join(sibling.text_content().split())
        if text:
            heading = text if len(text) <= 250 else None
            break
    return heading, [p for p in paragraphs if p]


def parse(html: str) -> Page:
    import trafilatura

    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True)
    meta = found.as_dict() if found is not None and hasattr(found, "as_dict") else (found or {})
    article = [line.strip() for line in (meta.get("text") or "").split("\n") if line.strip()]
    title = (meta.get("title") or "").strip() or None
    if _layout_cells(article):  # the page's own structure, read directly; its metadata is the site's
        heading, paragraphs = _densest(html)
        if paragraphs:
            article, title = paragraphs, heading
            meta = {**meta, "date": None, "author": None}
    if title and (not article or article[0] != title):
        article.insert(0, title)
    seen = set(article)
    rest = []
    for line in _visible_lines(html):
        if line not in seen and not any(line in a for a in article):
            seen.add(line)
            rest.append(line)
    head = "\n\n".join(article)
    text = head + ("\n\n" + "\n\n".join(rest) if rest else "")
    authors = [a.strip() for a in (meta.get("author") or "").replace(";", ",").split(",") if a.strip()]
    published = None
    if meta.get("date"):
        try:
            published = date.fromisoformat(str(meta["date"])[:10])
        except ValueError:
            published = None
    return Page(text, len(head), title, authors, published)
