"""Every glyph of a PDF table stays inside its cell: none crosses or touches a drawn rule.

CJK wrapping lets a mark that may not start a line (，。、：；) hang past the line's end; drawn
as is, it runs over the cell's border. Random Chinese texts with such marks at every position
are drawn into the department table and the single-project form, and each glyph is checked
against the rules drawn across it.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pdfplumber
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jixiao.domain.document import Document
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import parse_target
from jixiao.export import render, target_sheets

GAP = 1.0  # points between a glyph's box and a rule

sentences = st.text(
    alphabet=st.sampled_from(
        "保障劳动者的基本权利使其安心履行有关义务完成市场监管工作目标ab12，。、：；）"
    ),
    min_size=1,
    max_size=120,
)
levels = st.builds(
    LevelRef,
    st.sampled_from(["1", "2", "3"]),
    st.sampled_from(["产出指标", "效益指标", "满意度指标"]),
)
level2s = st.builds(
    LevelRef,
    st.sampled_from(["11", "22", "31"]),
    st.text(alphabet=st.sampled_from("服务对象满意度社会效益指标，、"), min_size=2, max_size=14),
)
indicators = st.builds(
    Indicator,
    name=sentences,
    level1=levels,
    level2=level2s,
    period=sentences.map(parse_target),
    annual=sentences.map(parse_target),
)
projects = st.builds(
    Project,
    name=sentences,
    amounts=st.just(Amounts(total=Decimal("90.00"), fiscal=Decimal("90.00"))),
    goal=sentences,
    indicators=st.lists(indicators, min_size=1, max_size=10),
)


def crossings(pdf: bytes) -> list[str]:
    """Each glyph that lies on, or within GAP of, a rule drawn across it."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            rules = [e for e in page.edges if e["object_type"] == "line"]
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                mid_y = (ch["top"] + ch["bottom"]) / 2
                mid_x = (ch["x0"] + ch["x1"]) / 2
                for rule in rules:
                    if rule["orientation"] == "v":
                        across = rule["top"] <= mid_y <= rule["bottom"]
                        near = ch["x0"] - GAP < rule["x0"] < ch["x1"] + GAP
                    else:
                        across = rule["x0"] <= mid_x <= rule["x1"]
                        near = ch["top"] - GAP < rule["top"] < ch["bottom"] + GAP
                    if across and near:
                        found.append(f"page {page.page_number}: {ch['text']!r} at {ch['x0']:.1f}")
    return found


HANGS = "依法依规按时足额将工资福利核发到位，保障劳动者的基本权利，使其安心履行有关义务。" * 2


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(
    Project(
        HANGS,
        Amounts(total=Decimal("1")),
        goal=HANGS,
        indicators=[
            Indicator(
                HANGS,
                LevelRef("1", "产出指标"),
                LevelRef("31", "服务对象满意度，服务对象满意度"),
                parse_target(HANGS),
                parse_target("≥95%"),
            )
        ],
    )
)
@example(  # a centred label of marks that may not start a line: its lines hang as far as they may
    Project(
        "1",
        Amounts(total=Decimal("90.00")),
        goal="1",
        indicators=[
            Indicator(
                "1",
                LevelRef("1", "产出指标"),
                LevelRef("11", "、" * 10),
                parse_target("1"),
                parse_target("1"),
            )
        ],
    )
)
@given(projects)
def test_no_glyph_crosses_a_rule(project: Project) -> None:
    doc = Document(projects=[project], department="测试局")
    department = render(target_sheets(doc), "pdf")
    form = render(target_sheets(doc, project.name), "pdf")
    assert crossings(department) == []
    assert crossings(form) == []
