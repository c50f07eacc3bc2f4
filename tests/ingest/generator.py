"""Random 项目支出绩效目标表 documents, rendered as OCR text with the defects real tables show.

``documents()`` draws the truth: a ``Document`` of projects with amounts, goals and indicators.
``rendered(noises)`` draws a document and renders it in the OCR-text layout of
``samples/baiyun-amr-2023-targets.ocr.txt`` (header lines, a column header row, one
tab-separated row per project), applying each requested noise class at random. Every drawing
decision goes through hypothesis, so failures shrink to small inputs.

The noises are made only where the truth stays recoverable by reading the text the way a person
would; for example an empty money cell is dropped only when no amount follows it, since
``总计, 财政拨款, 其他资金`` with the 财政专户 cell gone could not be told from ``…, 财政专户拨款``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from hypothesis import strategies as st

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.framework import load_framework
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import parse_target

Draw = Any  # hypothesis' draw function inside @st.composite


class Noise(StrEnum):
    WRAP_SPACES = "wrap_spaces"  # stray spaces inside names, goals and indicator text
    BROKEN_NUMBERS = "broken_numbers"  # 90. 00, 1, 714. 44, 0 10, <b>8.</b> 19
    DROPPED_CELLS = "dropped_cells"  # empty money cells left out: rows of 5–7 cells
    BLED_FRAGMENTS = "bled_fragments"  # short goal debris in an empty money column
    PAGE_BREAKS = "page_breaks"  # indicator (and goal) text continued on a later line
    ORPHAN_BEFORE = "orphan_before"  # a project's first indicators on a line before its name
    SEPARATORS = "separators"  # ;, ; ， , between items; : 。 · inside items; spaces
    RESTART_NUMBERING = "restart_numbering"  # 1、2、1、2、3 and repeated numbers
    LOST_PREFIX = "lost_prefix"  # N、1-产出指标 lost, only 12-质量指标 written
    DUPLICATE_VALUES = "duplicate_values"  # 年度指标值:100%,年度指标值:100%
    GARBAGE = "garbage"  # debris between items: 方、1-产出指标, 73、, ≥95%,4年度指标值
    SPLIT_NAME = "split_name"  # a row cut at a page break through its name, amounts repeated
    # the same, cut right after an item's name and its ``;`` (…,服务对象满意度; | 实施周期指标值:…)
    SPLIT_NAME_AFTER_BARE_ITEM = "split_name_after_bare_item"
    # the same, cut inside a level-2 code whose N、1-产出指标 prefix was lost, after a ，
    # (…年度指标值:365天，12-质 | 量指标,验收通过率;…)
    SPLIT_NAME_IN_BARE_LEVEL = "split_name_in_bare_level"
    GB18030 = "gb18030"  # the file is GB18030, not UTF-8


# --- vocabulary ------------------------------------------------------------------------------

PLACES = ["白云区", "越秀区", "海珠区", "天河区", "番禺区", "花都区", "从化区", "增城区"]
BUREAUS = ["市场监督管理局", "教育局", "卫生健康局", "民政局", "交通运输局", "司法局"]
SUBJECTS = [
    "综合业务监管平台建设", "物业管理", "公务用车更新购置", "机构改革专项", "政府雇员工资",
    "后勤人员专项", "执法办案专项", "食品抽样检验", "视频会议系统设备采购", "罚没物品仓储",
    "信息化运行维护", "农贸市场升级改造补助", "知识产权专项资助", "标准化战略资助",
    "商事登记业务资料规范化处理", "特种设备运行管理系统", "举报奖励专项", "打假专项",
]  # fmt: skip
PROJECT_ENDINGS = ["项目", "经费", "费", "专项经费", "工作经费", "服务费", "补助经费", "资金"]
GOAL_PHRASES = [
    "保障我局机关大楼及周边办公区的日常办公需求", "依法依规按时足额将工资福利核发到位",
    "保障劳动者的基本权利", "为完成市场监管工作目标提供基础保障", "推动辖区经济社会健康发展",
    "查处各类市场监管领域违法行为", "维护辖区市场秩序规范有序", "全力营造放心消费环境",
    "实现对视频资源数据的高效检索", "降低资产盘亏概率", "防止国有资产流失",
    "根据《广州市知识产权工作专项资金管理办法》", "对符合条件的农贸市场进行补助",
    "提高人民群众幸福感获得感", "数字化图像质量、上传数据准确率达到100%",
    "按市商改办要求(云委办【2019】48号)", "在预算总额内,根据上级有关规定",
]  # fmt: skip
INDICATOR_NAMES = [
    "环境可变性", "硬件兼容性", "用户友好性", "服务对象满意度", "每月考评达标率",
    "服务质量书面投诉率", "提供全年日常物业管理服务天数", "验收通过率", "按期完工率",
    "统一标识执法车辆数", "工作任务完成率", "工作任务出错率", "工作任务持续时间", "工资福利金额",
    "就业岗位数", "违规事件识别数", "算法识别率", "运行启动时间", "平均响应时间",
    "用户故障请求受理率", "网上举报投诉完成率", "施工质量验收达标率(%)", "全年立案数",
    "罚没入库数", "办理时限压缩率", "窗口评价满意率", "企业、群众对打假工作的满意度",
    "食品安全抽检量(批次)", "重大事故发生次数(次)", "项目成本", "纸张硒鼓等耗材使用量",
    "2023年底前补助发放完成率", "产业规模(产值、销售额)", "专题调研报告", "开展案例剖析",
]  # fmt: skip
VALUES = [
    "≥95%", "95%以上", "达100%", "100%", "0%", "0", "不低于95%", "不少于10次", ">90%以上",
    "》90%", "≤5分钟", "≤5分种", "1800台", "≥1500宗", "≥5000万", "1次/季度", "每半年≥1次",
    "突破300亿元", ">49.85万户", "2023年12月31日前", "2023年底前", "1个小时内到位",
    "收到销毁指令三个月内完成销毁", "为期一年", "1年", "下降20%", "同比下降", "效果明显",
    "3个平台运营壮大", "2个(每个试点市场1个)", "等于或低于预算价格", "达≥95%", "≥100百分比",
    "持续优化", "满意", "显著提升", "按时、按量完成公示", "符合法律法规的要求", "1714.44万元",
    "365天", "196名", "≥80分", "≤5%", ">75%", "50%以上", "25万页", "3710批次", "比较合理",
    "提高企业自主创新能力和运用水平,促进全区财税稳定增长", "2023年,全区发明专利授权量达到1400件",
    "获得指定奖项或达到特定条件:对4项获得第23届中国专利奖优秀奖项目等实施扶持",
]  # fmt: skip
FRAGMENT_CHARS = "识位履根制和标士是开政保护示夏校"
TITLES = ["项目支出绩效目标表(含转移支付项目)", "项目支出绩效目标表", "2023年项目支出绩效目标表"]
HEADER_ROWS = [
    "项目名称(资金使用 单位)\t总计\t财政拨款\t财政专 户拨款\t其他资\t绩效目标\t绩效指标",
    "项目名称\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标",
]
UNIT_LINES = {MoneyUnit.WAN_YUAN: ["单位: 万元", "单位:万元"], MoneyUnit.YUAN: ["单位: 元"]}

ITEM_JOINERS = [";,", ";", "，", ",", ";, ", "；"]
LEVEL_SEPARATORS = [",", ", ", "，"]
NAME_VALUE_SEPARATORS = [";", ":", "。", "; "]
VALUE_SEPARATORS = [",", "，", "·", ", "]

# An indicator item begins with ``N、`` and/or ``code-name``: the format's own definition.
ITEM_START = re.compile(r"^[\s,，;；]*(?:\d{1,3}\s*、\s*)?\d{1,2}\s*-\s*[\u4e00-\u9fff]")
_ITEM_BEGUN = re.compile(r"\d、|\d-[\u4e00-\u9fff]")
_ALNUM = re.compile(r"[A-Za-z0-9]")


# --- the truth -------------------------------------------------------------------------------


def _level_pairs() -> list[tuple[LevelRef, LevelRef]]:
    """(level 1, level 2) as tables write them, e.g. 2-效益指标 with 22-社会效益."""
    fw = load_framework("classic")
    pairs = []
    for l2 in fw.level2:
        parent = fw.parent(l2)
        assert parent is not None
        for name in (l2.name, *l2.synonyms[:1]):
            pairs.append((LevelRef(parent.code, parent.name), LevelRef(l2.code, name)))
    return pairs


LEVEL_PAIRS = _level_pairs()
MISMATCHED_PAIR = (LevelRef("2", "效益指标"), LevelRef("31", "服务对象满意度"))

amounts_2dp = st.integers(min_value=1, max_value=400_000_000).map(lambda n: Decimal(n) / 100)
quantities = st.builds(
    lambda op, n, unit: f"{op}{n}{unit}",
    st.sampled_from(["", "≥", "≤", ">", "<", "达", "不低于", "不少于"]),
    st.integers(min_value=0, max_value=99999),
    st.sampled_from(["%", "台", "次", "宗", "天", "万元", "个", "人次", "批次", "分钟"]),
)
values = st.sampled_from(VALUES) | quantities


@st.composite
def indicators(draw: Draw) -> Indicator:
    level1, level2 = draw(st.sampled_from([*LEVEL_PAIRS, MISMATCHED_PAIR]))
    name = draw(st.sampled_from(INDICATOR_NAMES))
    period = draw(values)
    annual = draw(st.one_of(st.just(period), values, st.none()))
    return Indicator(
        name=name,
        level1=level1,
        level2=level2,
        period=parse_target(period),
        annual=None if annual is None else parse_target(annual),
    )


@st.composite
def project_names(draw: Draw) -> str:
    prefix = draw(st.sampled_from(["", "穗财商2022年55号", "2021年"]))
    place = draw(st.sampled_from(["", *PLACES]))
    subject = draw(st.sampled_from(SUBJECTS))
    ending = draw(st.sampled_from(PROJECT_ENDINGS))
    suffix = draw(st.sampled_from(["", "", "(预下达)"]))
    return f"{prefix}{place}{subject}{ending}{suffix}"


@st.composite
def goals(draw: Draw) -> str:
    phrases = draw(st.lists(st.sampled_from(GOAL_PHRASES), min_size=1, max_size=4, unique=True))
    return ",".join(phrases) + "。"


@st.composite
def amounts(draw: Draw) -> Amounts:
    fiscal = draw(amounts_2dp)
    special = draw(st.one_of(st.none(), st.none(), amounts_2dp))
    other = draw(st.one_of(st.none(), st.none(), amounts_2dp))
    total = fiscal + (special or 0) + (other or 0)
    return Amounts(total=total, fiscal=fiscal, special=special, other=other)


@st.composite
def projects(draw: Draw) -> Project:
    return Project(
        name=draw(project_names()),
        amounts=draw(amounts()),
        goal=draw(goals()),
        indicators=draw(st.lists(indicators(), min_size=1, max_size=8)),
    )


@st.composite
def documents(draw: Draw) -> Document:
    title = draw(st.sampled_from(TITLES))
    year = re.search(r"(20\d\d)年", title)
    return Document(
        projects=draw(st.lists(projects(), min_size=1, max_size=5)),
        title=title,
        department=draw(st.sampled_from(PLACES)) + draw(st.sampled_from(BUREAUS)) + "(本级)",
        unit=draw(st.sampled_from([MoneyUnit.WAN_YUAN, MoneyUnit.WAN_YUAN, MoneyUnit.YUAN])),
        year=int(year.group(1)) if year else None,
    )


# --- rendering -------------------------------------------------------------------------------


@dataclass
class RenderedProject:
    """Where a project was rendered (1-based line numbers) and the marks of what was done to
    it that the reader must report as repairs: ``name_wrap``, ``goal_wrap``, ``goal_joined``,
    ``amount_repaired``, ``lost_level1``, ``duplicate_annual``, ``fragment:<text>``."""

    lines: list[int] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)


@dataclass
class Rendered:
    """A document, the OCR text it was rendered to, and the noises that were applied."""

    document: Document
    text: str
    noises: frozenset[Noise]
    applied: set[str] = field(default_factory=set)
    projects: list[RenderedProject] = field(default_factory=list)

    @property
    def data(self) -> bytes:
        return self.text.encode("gb18030" if "gb18030" in self.applied else "utf-8")


class _Renderer:
    def __init__(self, draw: Draw, noises: frozenset[Noise], applied: set[str]) -> None:
        self.draw = draw
        self.noises = noises
        self.applied = applied
        self.marks: list[str] = []
        self.item_starts: list[int] = []

    def on(self, noise: Noise) -> bool:
        """Whether to apply ``noise`` at this spot (drawn, so shrinking can turn it off)."""
        if noise not in self.noises or not self.draw(st.booleans()):
            return False
        self.applied.add(noise.value)
        return True

    def choice(self, options: list[str], noise: Noise) -> str:
        return self.draw(st.sampled_from(options)) if self.on(noise) else options[0]

    # text noises

    def wrap(self, text: str, mark: str | None = None) -> str:
        """Insert 1–6 stray spaces where line wrapping puts them (never between two ASCII
        letters or digits, where a space would be real)."""
        if not self.on(Noise.WRAP_SPACES):
            return text
        spots = [i for i in range(1, len(text)) if not _both_alnum(text[i - 1], text[i])]
        if not spots:
            return text
        if mark:
            self.marks.append(mark)
        chosen = self.draw(st.lists(st.sampled_from(spots), min_size=1, max_size=6, unique=True))
        for i in sorted(chosen, reverse=True):
            text = text[:i] + " " + text[i:]
        return text

    def amount(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        plain = f"{value:.2f}"
        if not self.on(Noise.BROKEN_NUMBERS):
            return f"{value:,.2f}" if self.draw(st.booleans()) else plain
        whole, cents = f"{value:,.2f}".split(".")
        forms = [f"{whole.replace(',', ', ')}. {cents}", f"<b>{whole}.</b> {cents}"]
        if "," not in whole:
            forms.append(f"{whole} {cents}")  # the point lost: 0 10
        form = str(self.draw(st.sampled_from(forms)))
        if form != forms[0]:
            self.marks.append("amount_repaired")
        return form

    # indicator text

    def item(self, number: int, ind: Indicator, last: bool, first: bool, bare: bool) -> str:
        level_sep = self.choice(LEVEL_SEPARATORS, Noise.SEPARATORS)
        assert ind.level1 is not None
        assert ind.level2 is not None
        if bare or ((ind.level1, ind.level2) != MISMATCHED_PAIR and self.on(Noise.LOST_PREFIX)):
            head, levels = "", ind.level2.format()
            self.marks.append("lost_level1")
        else:
            head = self.garbled_number(number, first)
            levels = f"{ind.level1.format()}{level_sep}{ind.level2.format()}"
        text = f"{head}{levels}{level_sep}{ind.name}"
        text += self.choice(NAME_VALUE_SEPARATORS, Noise.SEPARATORS)
        assert ind.period is not None
        text += f"实施周期指标值:{ind.period.raw}"
        if ind.annual is not None:
            sep = self.choice(VALUE_SEPARATORS, Noise.SEPARATORS)
            if self.on(Noise.GARBAGE):
                sep += self.draw(st.sampled_from("123456789"))  # ≥95%,4年度指标值:≥95%
                self.marks.append("garbage_cut")
            text += f"{sep}年度指标值:{ind.annual.raw}"
            text += self.duplicates(sep, ind.annual.raw)
        return text + (";" if last else "")

    def garbled_number(self, number: int, first: bool) -> str:
        """``N、``, or as OCR garbles it: a stray digit before it (``73、``), or a character
        in its place (``方、``) that ends up after the value before it."""
        if not self.on(Noise.GARBAGE):
            return f"{number}、"
        if first or self.draw(st.booleans()):
            return f"{self.draw(st.sampled_from('123456789'))}{number}、"
        self.marks.append("garbage_cut")
        return f"{self.draw(st.sampled_from('方万才力'))}、"

    def duplicates(self, sep: str, annual: str) -> str:
        """The annual value repeated, as OCR repeats a cell's last line; the last copy may be
        cut short where the cell ended (``年度指标值:达``)."""
        if not self.on(Noise.DUPLICATE_VALUES):
            return ""
        self.marks.append("duplicate_annual")
        copies = [annual] * self.draw(st.integers(1, 3))
        if self.draw(st.booleans()):
            copies[-1] = annual[: self.draw(st.integers(1, len(annual)))]
        return "".join(f"{sep}年度指标值:{c}" for c in copies)

    def numbers(self, count: int) -> list[int]:
        numbers = list(range(1, count + 1))
        if count > 1 and self.on(Noise.RESTART_NUMBERING):
            restart = self.draw(st.integers(1, count - 1))
            numbers = numbers[:restart] + list(range(1, count - restart + 1))
            if self.draw(st.booleans()):
                i = self.draw(st.integers(1, count - 1))
                numbers[i] = numbers[i - 1]  # a number written twice: 6、6、
        return numbers

    def indicator_text(self, project: Project, bare_at: int | None = None) -> str:
        """The indicator cell; item ``bare_at`` loses its prefix and follows a ``，``."""
        count = len(project.indicators)
        numbered = enumerate(zip(self.numbers(count), project.indicators, strict=True))
        items = [
            self.item(n, ind, i == count - 1, i == 0, i == bare_at) for i, (n, ind) in numbered
        ]
        text = items[0]
        self.item_starts = [0]
        for index, item in enumerate(items[1:], start=1):
            joiner = "，" if index == bare_at else self.choice(ITEM_JOINERS, Noise.SEPARATORS)
            text += joiner
            self.item_starts.append(len(text))
            text += item
        return text


def _both_alnum(a: str, b: str) -> bool:
    return bool(_ALNUM.match(a) and _ALNUM.match(b))


def _split_points(text: str) -> list[int]:
    """Where a page break may cut an indicator text: inside an item (so the second part does
    not itself start an item) and with a complete ``指标值`` keyword on each side."""
    return [
        i
        for i in range(1, len(text))
        if "指标值" in text[:i]
        and "指标值" in text[i:]
        and not ITEM_START.match(text[i:])
        and text[:i].strip()
        and text[i:].strip()
    ]


@dataclass
class _Rows:
    """The physical lines of one project: lines before its name line, the name line, after."""

    before: list[list[str]] = field(default_factory=list)
    named: list[str] = field(default_factory=list)
    after: list[list[str]] = field(default_factory=list)


def _money_cells(r: _Renderer, amounts: Amounts) -> list[str]:
    cells = [r.amount(a) for a in (amounts.total, amounts.fiscal, amounts.special, amounts.other)]
    if not cells[2] and not cells[3] and r.on(Noise.BLED_FRAGMENTS):
        fragment = r.draw(st.text(FRAGMENT_CHARS, min_size=1, max_size=3))
        if len(fragment) > 1 and r.draw(st.booleans()):
            fragment = fragment[0] + " " + fragment[1:]
        cells[r.draw(st.sampled_from([2, 3]))] = fragment
        r.marks.append(f"fragment:{fragment}")
    while cells[-1] == "" and r.on(Noise.DROPPED_CELLS):
        cells.pop()  # only trailing empties: the amounts before them keep their order
    return cells


def _open_item_points(text: str, points: list[int], bare: bool) -> list[int]:
    """Split points where the first part visibly stops inside an item: after its last
    年度指标值 value another item has begun, or no 年度指标值 follows the last 实施周期指标值.

    With ``bare``, only the points right after an item's name and the ``;`` that ends it, where
    the values follow in the second part; without, every other such point."""
    found = []
    for i in points:
        head = text[:i].replace(" ", "")
        annual, period = head.rfind("年度指标值"), head.rfind("实施周期指标值")
        if not (annual < period or _ITEM_BEGUN.search(head[annual:])):
            continue
        if bare == (head.endswith(";") and text[i:].startswith("实施周期指标值")):
            found.append(i)
    return [i for i in found if not _in_bare_level(text[:i].replace(" ", ""))]


def _in_bare_level(head: str) -> bool:
    """The text stops in a level-2 code or name, after the last value and a joiner without
    ``;`` (``…:365天，12-质``): that case is SPLIT_NAME_IN_BARE_LEVEL."""
    last = max(head.rfind("年度指标值"), head.rfind("实施周期指标值"))
    tail = head[last:]
    return not re.search("[;；。、]", tail) and bool(re.search(r"\d-", tail))


def _forced_bare_level(r: _Renderer, project: Project) -> int | None:
    """For SPLIT_NAME_IN_BARE_LEVEL: the item to render bare and cut inside, if any."""
    candidates = [
        i
        for i, ind in enumerate(project.indicators)
        if i > 0 and (ind.level1, ind.level2) != MISMATCHED_PAIR
    ]
    if not candidates or len(project.name) < 2 or not r.on(Noise.SPLIT_NAME_IN_BARE_LEVEL):
        return None
    return int(r.draw(st.sampled_from(candidates)))


def _bare_level_cut(r: _Renderer, project: Project, text: str, index: int) -> int:
    """A cut right after the ``12-`` of item ``index`` or inside the level name after it."""
    level2 = project.indicators[index].level2
    assert level2 is not None
    start = r.item_starts[index] + len(f"{level2.code}-")
    return start + int(r.draw(st.integers(0, len(level2.name or "") - 1)))


def _split_name_points(r: _Renderer, indicators: str, points: list[int]) -> list[int]:
    """Where to cut a row through its name, if one of the two split-name noises applies."""
    for noise, bare in ((Noise.SPLIT_NAME, False), (Noise.SPLIT_NAME_AFTER_BARE_ITEM, True)):
        cuts = _open_item_points(indicators, points, bare)
        if cuts and r.on(noise):
            return cuts
    return []


def _split_row(r: _Renderer, project: Project, name_cut: int, rest: str) -> list[str]:
    """The second half of a row cut through its name: the name's end, the amounts printed
    again (or other amounts: a conflict to report), maybe goal debris, then the indicators."""
    amounts = project.amounts
    total, fiscal = amounts.total, amounts.fiscal
    if r.draw(st.booleans()):
        total = fiscal = r.draw(amounts_2dp.filter(lambda a: a != amounts.total))
        r.marks.append("amount_conflict")
    marks = list(r.marks)
    money = [r.amount(total), r.amount(fiscal)] if r.draw(st.booleans()) else []
    r.marks[:] = marks  # repairs are due for the amounts kept, those of the first part
    if "amount_conflict" in r.marks and not money:
        r.marks.remove("amount_conflict")
    r.marks.append("name_split")
    debris = [r.draw(st.text(FRAGMENT_CHARS, min_size=1, max_size=3))] if money else []
    r.marks.extend(f"fragment:{d}" for d in debris)
    return [r.wrap(project.name[-name_cut:]), *money, *debris, rest]


def _split_name_rows(r: _Renderer, project: Project, indicators: str, cut: int) -> _Rows:
    """A row cut through its name at a page break: two named rows."""
    assert project.goal is not None
    name_cut = r.draw(st.integers(1, min(4, len(project.name) - 1)))
    rows = _Rows(after=[_split_row(r, project, name_cut, indicators[cut:])])
    name = r.wrap(project.name[:-name_cut], "name_wrap")
    goal = r.wrap(project.goal, "goal_wrap")
    rows.named = [name, *_money_cells(r, project.amounts), goal, indicators[:cut]]
    return rows


def _project_rows(r: _Renderer, project: Project) -> _Rows:
    rows = _Rows()
    assert project.goal is not None
    goal = project.goal
    bare_at = _forced_bare_level(r, project)
    if bare_at is not None:
        text = r.indicator_text(project, bare_at)
        cut = _bare_level_cut(r, project, text, bare_at)
        head, tail = r.wrap(text[:cut]), r.wrap(text[cut:])  # wrap after cutting: offsets hold
        return _split_name_rows(r, project, head + tail, len(head))
    indicators = r.wrap(r.indicator_text(project))
    points = _split_points(indicators)
    if points and r.on(Noise.ORPHAN_BEFORE):
        cut = r.draw(st.sampled_from(points))
        rows.before.append(["", "", "", "", "", indicators[:cut]])
        indicators = indicators[cut:]
        points = []
    elif cuts := _split_name_points(r, indicators, points):
        return _split_name_rows(r, project, indicators, r.draw(st.sampled_from(cuts)))
    elif points and r.on(Noise.PAGE_BREAKS):
        cut = r.draw(st.sampled_from(points))
        rest = indicators[cut:]
        indicators = indicators[:cut]
        goal_cut = r.draw(st.integers(8, len(goal) - 8)) if len(goal) >= 16 else None
        if goal_cut is not None and r.draw(st.booleans()):
            rows.after.append(["", "", "", r.wrap(goal[goal_cut:]), rest])
            goal = goal[:goal_cut]
            r.marks.append("goal_joined")
        else:
            rows.after.append([""] * r.draw(st.sampled_from([5, 6])) + [rest])
    name = r.wrap(project.name, "name_wrap")
    rows.named = [name, *_money_cells(r, project.amounts), r.wrap(goal, "goal_wrap"), indicators]
    return rows


@st.composite
def rendered(draw: Draw, noises: frozenset[Noise] = frozenset()) -> Rendered:
    doc = draw(documents())
    applied: set[str] = set()
    r = _Renderer(draw, noises, applied)
    r.on(Noise.GB18030)  # decides the encoding of ``Rendered.data``
    assert doc.unit is not None
    lines = [
        f"## {doc.title}",
        "",
        f"部门名称:{doc.department}",
        "",
        draw(st.sampled_from(UNIT_LINES[doc.unit])),
        "",
        draw(st.sampled_from(HEADER_ROWS)),
    ]
    placed = []
    for project in doc.projects:
        r.marks = []
        rows = _project_rows(r, project)
        where = RenderedProject(marks=r.marks)
        for cells in [*rows.before, rows.named, *rows.after]:
            if draw(st.integers(0, 3)) == 0:
                lines.append("")  # blank lines between rows, as at the sample's page breaks
            lines.append("\t".join(cells))
            where.lines.append(len(lines))
        placed.append(where)
    return Rendered(doc, "\n".join(lines) + "\n", noises, applied, placed)


# --- comparing -------------------------------------------------------------------------------


def indicator_view(ind: Indicator) -> tuple[object, ...]:
    return (
        None if ind.level1 is None else (ind.level1.code, ind.level1.name),
        None if ind.level2 is None else (ind.level2.code, ind.level2.name),
        ind.name,
        None if ind.period is None else ind.period.raw,
        None if ind.annual is None else ind.annual.raw,
    )


def project_view(p: Project) -> tuple[object, ...]:
    a = p.amounts
    return (
        p.name,
        (a.total, a.fiscal, a.special, a.other),
        p.goal,
        [indicator_view(i) for i in p.indicators],
    )


def document_view(doc: Document) -> dict[str, object]:
    """What a reader must recover: header, and per project name, amounts, goal, indicators."""
    return {
        "title": doc.title,
        "department": doc.department,
        "unit": doc.unit,
        "year": doc.year,
        "projects": [project_view(p) for p in doc.projects],
    }


def unreported(rendered: RenderedProject, parsed: Project) -> list[str]:
    """The marks of ``rendered`` that ``parsed`` does not account for with a repair (or, for a
    duplicated value, a warning about the conflicting copy)."""
    fields = [r.field for r in parsed.repairs]
    missing = [m for m in dict.fromkeys(rendered.marks) if not _reported(m, parsed, fields)]
    for mark, word in (("lost_level1", "level1"), ("amount_repaired", "amounts")):
        if 0 < sum(word in f for f in fields) < rendered.marks.count(mark):
            missing.append(f"{mark} ×{rendered.marks.count(mark)}")
    return missing


def _reported(mark: str, parsed: Project, fields: list[str]) -> bool:
    if mark.startswith("fragment:"):
        return any(r.before == mark.removeprefix("fragment:") for r in parsed.repairs)
    if mark in ("name_split", "amount_conflict"):
        return any(w.code == mark for w in parsed.warnings)
    if mark == "garbage_cut":
        return any("period" in f or "annual" in f for f in fields)
    if mark == "duplicate_annual":
        conflicts = any(w.code == "value_conflict" for w in parsed.warnings)
        return conflicts or any("annual" in f for f in fields)
    if mark in ("goal_wrap", "goal_joined"):
        return any("goal" in r.field and r.after for r in parsed.repairs)
    word = {"name_wrap": "name", "amount_repaired": "amounts", "lost_level1": "level1"}[mark]
    return any(word in f for f in fields)
