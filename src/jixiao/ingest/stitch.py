"""Rows → projects: join the pieces of rows that a page break split.

A row without a name (an *orphan*) continues the project above, unless its indicator text
starts a fresh item while the next named row's indicator text starts in the middle of one —
then the orphan is the beginning of the project below. A named row whose indicator text starts
mid-item, right after a project whose text stopped mid-item, is the rest of that project (its
name cell was split too). Each decision is recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.domain.provenance import ParseWarning, Repair, SourceRef
from jixiao.ingest.indicator_anchors import code_split_across, ends_at_boundary, starts_fresh
from jixiao.ingest.normalize import clean_text
from jixiao.ingest.rows import RowPiece


@dataclass
class ProjectDraft:
    pieces: list[RowPiece] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(sorted(p.line for p in self.pieces))

    @property
    def indicator_text(self) -> str:
        return "".join(p.clean_indicator for p in self.pieces)


def _ind(piece: RowPiece | None) -> str:
    return piece.clean_indicator if piece is not None else ""


def _lines(pieces: list[RowPiece]) -> str:
    return "、".join(str(p.line) for p in pieces)


_SENTENCE_END = re.compile(r"[。;；!！?？]")
_ITEM_NUMBER = re.compile(r"(?<![\d.])(\d{1,3})\s*、")


def _numbers(text: str) -> list[int]:
    return [int(n) for n in _ITEM_NUMBER.findall(text)]


def _numbered_for_below(above: ProjectDraft, orphans: list[RowPiece], below_text: str) -> bool:
    """Numbering says so: the orphans restart at 1 and the row below continues their count."""
    text = "".join(_ind(o) for o in orphans)
    own, after, before = _numbers(text), _numbers(below_text), _numbers(above.indicator_text)
    if not own or not after or own[0] != 1 or after[0] != own[-1] + 1:
        return False
    return not before or before[-1] + 1 != own[0]


def _split_orphans(
    orphans: list[RowPiece], above: ProjectDraft | None, below: RowPiece | None
) -> tuple[int, str]:
    """How many leading orphans continue the project above (the rest open the one below)."""
    if above is None:
        return 0, _BELOW_FIRST
    below_text = _ind(below)
    if below is None or not below_text:
        return len(orphans), ""
    if starts_fresh(below_text):
        fresh = all(o.indicator and starts_fresh(_ind(o)) for o in orphans)
        clean = ends_at_boundary(above.indicator_text)
        if fresh and clean and _numbered_for_below(above, orphans, below_text):
            return 0, _BELOW_NUMBERED
        return len(orphans), ""
    for index, orphan in enumerate(orphans):
        if starts_fresh(_ind(orphan)):
            return index, _BELOW_JOINS
    return len(orphans), ""


_BELOW_JOINS = "跨页续行：该行指标文字从第1项开始，而下一项目的指标文字从半项开始，二者相接"
_BELOW_NUMBERED = "跨页续行：该行指标从第1项编号，下一项目的指标编号接着该行继续"
_BELOW_FIRST = "跨页续行：该行位于第一个项目之前"


def _continue_indicator_text(draft: ProjectDraft, orphan: RowPiece) -> None:
    """An orphan's lone text cell continues the indicators when those stopped mid-item."""
    if orphan.indicator is None and len(orphan.goal_texts) == 1:
        if not ends_at_boundary(draft.indicator_text):
            orphan.indicator = orphan.goal_texts.pop()
            orphan.__dict__.pop("clean_indicator", None)


def _attach_above(draft: ProjectDraft, orphans: list[RowPiece]) -> None:
    before = draft.indicator_text
    for orphan in orphans:
        _continue_indicator_text(draft, orphan)
        draft.pieces.append(orphan)
    evidence = "上一项目的指标文字在行中断" if not ends_at_boundary(before) else "续行无项目名称"
    texts = [_ind(o) for o in orphans if o.indicator]
    if ends_at_boundary(before) and texts and all(starts_fresh(t) for t in texts):
        draft.warnings.append(
            ParseWarning(
                "orphan_ambiguous",
                f"第{_lines(orphans)}行无项目名称，且与上下文都可衔接，暂并入上一项目",
                SourceRef(lines=tuple(o.line for o in orphans)),
            )
        )
    draft.repairs.append(
        Repair(
            "source",
            f"第{_lines(orphans)}行（无项目名称）",
            "并入上一项目",
            f"跨页续行：{evidence}",
        )
    )


def _attach_below(draft: ProjectDraft, orphans: list[RowPiece], reason: str) -> None:
    draft.pieces[:0] = orphans
    draft.repairs.append(
        Repair("source", f"第{_lines(orphans)}行（无项目名称）", "并入下一项目", reason)
    )


def _continues_above(piece: RowPiece, above: ProjectDraft | None) -> bool:
    text = _ind(piece)
    if above is None or not text:
        return False
    if starts_fresh(text):
        return code_split_across(above.indicator_text, text)
    return not ends_at_boundary(above.indicator_text)


_SPLIT_ROW = "跨页拆分的同一行：上一项目的指标文字在行中断，本行指标文字从半项接续"
_NAME_LINE = "本行只有项目名称的续行，没有金额、目标和指标"
_NAME_TAIL = "跨页拆分的同一行：本行项目名称只有一两个字且没有绩效目标，是上一项目名称的末尾"


def _merge_named(draft: ProjectDraft, piece: RowPiece, reason: str) -> None:
    draft.pieces.append(piece)
    draft.repairs.append(
        Repair(
            "source",
            f"第{piece.line}行（项目名称“{clean_text(piece.name or '')}”）",
            "并入上一项目",
            reason,
        )
    )


def _name_only(piece: RowPiece) -> bool:
    return not (piece.amounts or piece.goal_texts or piece.indicator)


def _name_tail(piece: RowPiece) -> bool:
    """A one- or two-character name with no goal of its own: the tail of the name above."""
    name = clean_text(piece.name or "")
    return 0 < len(name) <= 2 and all(
        len(clean_text(g)) <= 4 and not _SENTENCE_END.search(g) for g in piece.goal_texts
    )


def stitch(pieces: list[RowPiece]) -> list[ProjectDraft]:
    """Group row pieces into projects in document order."""
    drafts: list[ProjectDraft] = []
    orphans: list[RowPiece] = []
    for piece in pieces:
        if piece.is_empty:
            continue
        if not piece.is_named:
            orphans.append(piece)
            continue
        above = drafts[-1] if drafts else None
        keep, reason = _split_orphans(orphans, above, piece)
        if keep and above is not None:
            _attach_above(above, orphans[:keep])
        below = orphans[keep:]
        orphans = []
        if not below and above is not None and _name_only(piece):
            _merge_named(above, piece, _NAME_LINE)
            continue
        if not below and _continues_above(piece, above) and above is not None:
            _merge_named(above, piece, _SPLIT_ROW)
            continue
        if not below and above is not None and _name_tail(piece):
            _merge_named(above, piece, _NAME_TAIL)
            continue
        draft = ProjectDraft([piece])
        if below:
            _attach_below(draft, below, reason)
        drafts.append(draft)
    if orphans:
        if drafts:
            _attach_above(drafts[-1], orphans)
        else:
            drafts.append(ProjectDraft(list(orphans)))
    return drafts
