"""A saved web page -> the page as text lines, the article first.

trafilatura (a maintained news-extraction library) finds the main text, title, author and date.
The rest of the page's visible text is kept after the article, line by line, to be labelled
boilerplate: nothing is dropped. Pages nested deeper than libxml2 parses (a few hundred levels,
or thousands of unclosed tags) are parsed with ``huge_tree`` and, if text was still lost,
flattened by an event parser first: their text is kept.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date
from html import escape as html_escape
from html.parser import HTMLParser

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


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIP = {"script", "style", "noscript", "template"}
_NONSPACE = re.compile(r"\S")
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.DOTALL | re.IGNORECASE)


def _tree(html: str):
    """An lxml tree of the page; libxml2's depth limit (256 levels; 2,048 with ``huge_tree``)
    would silently drop what is nested deeper, so a page whose tree lost text is rebuilt flat."""
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        tree = lxml.html.fromstring(html, parser=parser)
    except Exception:  # lxml raises ParserError and others for broken markup
        tree = None
    markup_text = len(_NONSPACE.findall(_TAGS.sub(" ", html)))
    kept = len(_NONSPACE.findall(tree.text_content())) if tree is not None else 0
    if markup_text and kept < 0.9 * markup_text:  # entities make the tree's text a little shorter
        flat = _flatten(html)
        try:
            tree = lxml.html.fromstring(flat, parser=parser)
        except Exception:
            return None
    return tree


class _Flattener(HTMLParser):
    """Any depth of nesting -> one level: the head's title and meta tags, then each block's
    text as a paragraph (an event parser has no depth limit)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.head: list[str] = []
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.skip = 0
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag == "meta":
            self.head.append("<meta " + " ".join(f'{k}="{html_escape(v or "")}"' for k, v in attrs) + ">")
        elif tag == "title":
            self.in_title = True
        elif tag in _BLOCK_TAGS - {"span", "a"} or tag == "br":
            self._end_line()

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in _BLOCK_TAGS - {"span", "a"}:
            self._end_line()

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_title:
            self.head.append(f"<title>{html_escape(data.strip())}</title>")
        else:
            self.line.append(data)

    def _end_line(self):
        text = " ".join("".join(self.line).split())
        if text:
            self.blocks.append(text)
        self.line = []


def _flatten(html: str) -> str:
    flattener = _Flattener()
    flattener.feed(html)
    flattener.close()
    flattener._end_line()
    body = "".join(f"<p>{html_escape(b)}</p>" for b in flattener.blocks)
    return f"<html><head>{''.join(flattener.head)}</head><body><article>{body}</article></body></html>"


def _visible_lines(tree) -> list[str]:
    if tree is None:
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


_FIGURES = {"table", "figure", "div"}


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
    paragraphs = []
    for child in best:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "p":
            paragraphs.append(" ".join(child.text_content().split()))
        elif child.tag in _FIGURES and child.xpath(".//img") and not child.xpath(".//a"):
            # a photo and its caption, in the article's place (a share bar or a list of related
            # articles links somewhere: no caption); a caption is a line or two
            lines = list(dict.fromkeys(line for line in _visible_lines(child) if line))
            if len(lines) <= 2:
                paragraphs += lines
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

    tree = _tree(html)
    source = copy.deepcopy(tree) if tree is not None else html  # trafilatura prunes the tree it is given
    found = trafilatura.bare_extraction(source, with_metadata=True, include_comments=False, include_tables=True)
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
    for line in _visible_lines(tree):
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
