"""Titles in a numbered list under a heading that names a body: "Đại hội đã bầu Ban Chấp hành Chi
đoàn … gồm 03 đồng chí:" then "1. Đồng chí A - Bí thư;", "2. Đồng chí B - Ủy viên.". Each item's
title without a body of its own is of the body the heading names; under an elected committee
("board" in agencies.jsonl) a member's seat ("member" in titles.jsonl) is of the committee and any
other title of the body the committee leads.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..normalize import fold_for_match
from ..rules import Rules, builder
from .context import Context
from .text import Span
from .titles import entry_of

_ITEM = re.compile(r"\s*(?:\d{1,2}\s*[.)](?!\d)|[-+•–*])\s*\S")   # "1. Đồng chí …", "- Đồng chí …"; not "15/3, …"
_MARKER = re.compile(r"\s*\d{1,2}\s*[.)]\s*")
# the heading lists the members of a body: "… bầu Ban Chấp hành Chi đoàn … gồm 03 đồng chí:"
_HEADING_END = re.compile(r"(?<!\w)gồm(?!\w)[^:;.]*:\s*$")


class Boards:
    def __init__(self, rules: Rules):
        self.forms = tuple(fold_for_match(r["form"]) + " " for r in rules.records("agencies")
                           if r["type"] == "subunit" and r.get("board"))


@builder
def boards_of(rules: Rules) -> Boards:
    return Boards(rules)


def _heading_body(ctx: Context, sent_idx: int, positions: dict[int, int], by_sentence: dict[int, list[Span]]) -> Span | None:
    """The body the list's heading names: the sentence before the run of items, ending in "gồm …:",
    the body named last before "gồm"."""
    order = ctx.sentences
    at = positions.get(sent_idx)

    def item(i: int) -> bool:  # an item, or the number the sentence splitter cut off before one ("1.")
        return bool(_ITEM.match(order[i].text) or _MARKER.fullmatch(order[i].text)
                    or i > 0 and order[i - 1].block_idx == order[i].block_idx and _MARKER.fullmatch(order[i - 1].text))
    if at is None or not item(at):
        return None
    while at > 0 and item(at - 1):
        at -= 1
    if at == 0 or not _HEADING_END.search(order[at - 1].text):
        return None
    heading = order[at - 1]
    listing = heading.start + _HEADING_END.search(heading.text).start()  # the body whose members follow
    named = [a for a in by_sentence.get(heading.idx, ()) if a.normalized and a.end <= listing]
    return max(named, key=lambda a: (a.end, a.end - a.start), default=None)


def resolve(ctx: Context, roles: list, spans: list[Span]) -> list:
    """``roles`` (``RoleFact``): each bodiless title of a list item takes the body of the list's heading."""
    boards = ctx.rules.compiled(boards_of).forms
    positions = {s.idx: i for i, s in enumerate(ctx.sentences)}
    by_sentence: dict[int, list[Span]] = {}
    for a in spans:
        by_sentence.setdefault(a.sent_idx, []).append(a)
    ids = {a.entity_id for a in spans}
    out = []
    for role in roles:
        if role.agency_id is None and (body := _heading_body(ctx, role.title_span.sent_idx, positions, by_sentence)):
            entry = entry_of(ctx, role.title)
            parent = body.attrs.get("parent_id")
            leads = fold_for_match(body.normalized or "").startswith(boards) and parent in ids
            role = replace(role, agency_id=parent if leads and not (entry and entry.get("member")) else body.entity_id)
        out.append(role)
    return out
