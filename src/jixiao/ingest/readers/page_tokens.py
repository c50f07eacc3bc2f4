"""Page text (a form copied out of a web page or a PDF text layer) → cells in reading order.

Lines are split into cells on tabs, ``|`` or runs of spaces; what the copy broke is mended and
each mend recorded as a ``Repair``: document-metadata lines before the form's title, page
footers (``- 3 -``, ``第3页``) between rows or inside a sentence, numbers split by spaces
(``1, 714. 44``, ``90 .00``), labels glued to their values (``项目名称食品抽样…``) and a level
glued to the indicator's name. Which cell is which is decided later, by the labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.domain.framework import load_framework
from jixiao.domain.provenance import Repair
from jixiao.ingest.normalize import to_halfwidth

TITLE_WORDS = ("自评表", "目标表", "申报表", "审批表")
# Every label a single-project form prints, longest first (glued runs are split at them).
LABELS = tuple(
    sorted(
        {
            "项目名称", "主管部门及代码", "主管部门", "实施单位", "预算单位",
            "年初预算数", "全年预算数", "全年执行数", "执行率", "分值", "得分",
            "年度资金总额", "中期资金总额", "实施期资金总额", "资金总额", "其中：当年财政拨款",
            "其中：财政拨款", "当年财政拨款", "财政拨款", "上年结转资金", "其他资金",
            "年度总体目标", "总体目标", "预期目标", "实际完成情况", "中期目标", "实施期目标",
            "年度目标", "年度绩效目标", "绩效指标", "一级指标", "二级指标", "三级指标",
            "实施期指标值", "年度指标值", "指标性质", "指标值", "度量单位", "实际完成值", "权重",
            "指标解释", "偏差原因分析及改进措施", "预算执行率", "总分", "自评等级",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
_FUNDS_UNIT_TEXT = r"项目资金[（(]万?[元兀][)）]"
_FUNDS_UNIT = re.compile(rf"^{_FUNDS_UNIT_TEXT}$")
_LABEL_RUN = re.compile("|".join([_FUNDS_UNIT_TEXT, *(re.escape(label) for label in LABELS)]))
_FOOTER_LINE = re.compile(
    r"^(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?)$"
)
_FOOTER_INSIDE = re.compile(
    r"(?<=[\u4e00-\u9fff，。、；：）)])\s*"
    r"(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页\s*[,，/]?\s*共\s*\d+\s*页)\s*"
    r"(?=[\u4e00-\u9fff，。、；：（(])"
)
_SPACED_NUMBER = re.compile(r"^[+-]?\d[\d\s]*(?:\s*[,，]\s*\d{3})*(?:\s*\.\s*\d+)?%?$")
_TARGET = re.compile(r"[≥≤≧≦＞＜]\s*\d")
_WIDE = re.compile(r"[ \u3000\u00a0]+")


_FRAMEWORK = load_framework()
LEVEL1_NAMES = frozenset(n for c in _FRAMEWORK.level1 for n in (c.name, *c.synonyms))


def _levels() -> re.Pattern[str]:
    fw = _FRAMEWORK
    names = {*LEVEL1_NAMES} | {n for c in fw.level2 for n in (c.name, *c.synonyms)}
    words = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(
        rf"(?:\d{{1,2}}\s*[-—–.、．]\s*)?(?:{words})(?:\s*[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）])?"
    )


LEVEL = _levels()


@dataclass(frozen=True)
class Token:
    """One cell of the page: its text and the (1-based) text line it stands on."""

    text: str
    line: int


@dataclass
class Page:
    """The cells of a page in reading order, by line, and what was mended to get them."""

    lines: list[list[Token]] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    # lines before the first form that hold indicator rows (the end of an earlier form)
    fragment: list[tuple[int, str]] = field(default_factory=list)

    @property
    def tokens(self) -> list[Token]:
        return [t for line in self.lines for t in line]


def is_title(text: str) -> bool:
    return len(text) <= 60 and any(word in text for word in TITLE_WORDS)


def _starts_form(text: str) -> bool:
    squeezed = _WIDE.sub("", text).lstrip("|")
    return is_title(squeezed) or squeezed.startswith("项目名称")


def tokenize(text: str) -> Page:
    """The page's cells, line by line, from the first line of the first form on."""
    page = Page()
    lines = [
        _mend_footers(line.strip(), number, page)
        for number, line in enumerate(text.splitlines(), start=1)
    ]
    first = next((i for i, line in enumerate(lines) if line and _starts_form(line)), 0)
    junk = [line for line in lines[:first] if line and not _is_fragment(line)]
    page.fragment = [(n, line) for n, line in enumerate(lines[:first], 1) if _is_fragment(line)]
    if junk:
        page.repairs.insert(
            0,
            Repair("text", " / ".join(junk)[:120], None, f"删除表格前的文档信息（{len(junk)}行）"),
        )
    for number, line in enumerate(lines[first:], start=first + 1):
        pieces = [piece for cell in _split(line) if cell for piece in _unglue(cell, number, page)]
        tokens = [Token(piece, number) for piece in _join_numbers(pieces, number, page.repairs)]
        if tokens:
            page.lines.append(tokens)
    return page


def _is_fragment(line: str) -> bool:
    """A line of a form's table (a level, a target), not document metadata."""
    return bool(_TARGET.search(line)) or any(LEVEL.fullmatch(c) for c in _split(line) if c)


def _mend_footers(line: str, number: int, page: Page) -> str:
    """A line that is a page number is dropped; a page number inside a sentence is cut out."""
    if _FOOTER_LINE.match(line):
        page.repairs.append(Repair("text", line, None, f"删除第{number}行的页码"))
        return ""
    mended = _FOOTER_INSIDE.sub("", line)
    if mended != line:
        page.repairs.append(Repair("text", line, mended, f"删除第{number}行句中的页码"))
    return mended


def _split(line: str) -> list[str]:
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    if "|" in line:
        return [c.strip() for c in line.strip("|").split("|")]
    return _WIDE.split(line)


def _is_number_piece(text: str) -> bool:
    return bool(re.fullmatch(r"[+-]?[\d,.]*\d[\d,.]*%?", to_halfwidth(text)))


def _join_numbers(cells: list[str], line: int, repairs: list[Repair]) -> list[str]:
    """``90.`` ``00`` → ``90.00``; ``1,`` ``714.`` ``44`` → ``1,714.44``; a cell ``90. 00``
    loses its spaces."""
    out: list[str] = []
    for cell in cells:
        half = to_halfwidth(cell)
        if " " in cell and _SPACED_NUMBER.match(half) and re.search(r"[.,]", half):
            joined = re.sub(r"\s+", "", cell)
            repairs.append(Repair("text", cell, joined, f"删除第{line}行数字中的空格"))
            cell = joined
        prev = to_halfwidth(out[-1]) if out else ""
        if (
            out
            and _is_number_piece(prev)
            and _is_number_piece(half)
            and (prev.endswith((".", ",")) or half.startswith((".", ",")))
            and not prev.endswith("%")
        ):
            joined = out[-1] + cell
            repairs.append(
                Repair("text", f"{out[-1]} {cell}", joined, f"合并第{line}行被空格拆开的数字")
            )
            out[-1] = joined
            continue
        out.append(cell)
    return out


def _unglue(cell: str, line: int, page: Page) -> list[str]:
    """A cell that starts with a label is split at every label in it; levels written before
    an indicator's name are split off it."""
    key = to_halfwidth(cell).replace(" ", "")
    pieces: list[str]
    first = _LABEL_RUN.match(key)
    if first is not None and first.end() < len(key):
        pieces = [p for p in _label_pieces(key) if p]
    else:
        pieces = _level_pieces(cell)
    if len(pieces) > 1:
        page.repairs.append(
            Repair("text", cell, " | ".join(pieces), f"拆开第{line}行粘连在一起的单元格")
        )
    return [_funds_unit(piece, line, page) for piece in pieces]


def _funds_unit(piece: str, line: int, page: Page) -> str:
    """``项目资金（万兀）`` is the label ``项目资金（万元）`` with 元 misread (the only word of
    the label vocabulary it can be)."""
    if "兀" in piece and _FUNDS_UNIT.match(piece):
        fixed = piece.replace("兀", "元")
        page.repairs.append(Repair("text", piece, fixed, f"第{line}行“兀”按标签词表改为“元”"))
        return fixed
    return piece


def _label_pieces(text: str) -> list[str]:
    pieces: list[str] = []
    pos = 0
    for m in _LABEL_RUN.finditer(text):
        pieces.extend((text[pos : m.start()], m.group(0)))
        pos = m.end()
    pieces.append(text[pos:])
    return pieces


def _level_pieces(text: str) -> list[str]:
    pieces: list[str] = []
    rest = text
    while (m := LEVEL.match(rest)) is not None and m.end() < len(rest) and rest[0].isdigit():
        pieces.append(m.group(0))
        rest = rest[m.end() :]
    return [*pieces, rest] if pieces else [text]


def is_level(text: str) -> bool:
    return LEVEL.fullmatch(text.strip()) is not None


def is_level1(text: str) -> bool:
    """A 一级指标 cell: a one-digit code (``1-产出指标``), else a 一级 name of the framework."""
    t = text.strip()
    m = re.match(r"(\d{1,2})\s*[-—–.、．]", t)
    if m is not None:
        return len(m[1]) == 1
    return re.sub(r"[（(].*$", "", t) in LEVEL1_NAMES
