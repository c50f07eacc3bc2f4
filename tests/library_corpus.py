"""A generated multi-department corpus of indicators, for the library's suggestion quality.

Each department works in one sector with its own subjects (教师培训, 疫苗接种…) and some shared
ones (宣传, 培训, 检查); an indicator is a subject plus a measure of its level-2 category
(人次, 合格率, 及时率, 满意度…), chosen with a Zipf-like popularity, so that departments share
many indicators without sharing all. Names are written with the variants real tables show:
a wrap space, a bracketed unit, a dropped trailing 率 or 数.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

LEVEL2 = {
    "数量指标": ("产出指标", ["人次", "场次", "户数", "批次", "覆盖人数", "数量", "面积", "个数"]),
    "质量指标": ("产出指标", ["合格率", "达标率", "完成率", "验收合格率", "准确率"]),
    "时效指标": ("产出指标", ["及时率", "完成时间", "办结时限", "按时完成率"]),
    "成本指标": ("产出指标", ["人均成本", "单位成本", "成本控制"]),
    "社会效益指标": ("效益指标", ["知晓率", "覆盖率", "受益人数", "改善程度"]),
    "可持续影响指标": ("效益指标", ["长效机制", "持续发挥作用年限"]),
    "服务对象满意度指标": ("满意度指标", ["满意度", "群众满意度", "参与人员满意度"]),
}
UNITS = {
    "人次": ("人次", 50, 5000),
    "场次": ("场", 2, 200),
    "户数": ("户", 10, 3000),
    "批次": ("批次", 10, 2000),
    "覆盖人数": ("人", 100, 50000),
    "数量": ("个", 1, 100),
    "面积": ("平方米", 100, 20000),
    "个数": ("个", 1, 50),
    "受益人数": ("人", 100, 100000),
    "人均成本": ("元", 50, 5000),
    "单位成本": ("元", 10, 1000),
    "办结时限": ("个工作日", 1, 30),
    "持续发挥作用年限": ("年", 1, 10),
}
SHARED = ["宣传", "培训", "检查", "项目", "资金", "设备", "信息化"]
SECTORS = {
    "教育": ["教师培训", "学生资助", "校舍维修", "课后服务", "营养餐"],
    "卫生": ["疫苗接种", "健康体检", "家庭医生", "慢病管理", "卫生监督"],
    "农业": ["高标准农田", "农机补贴", "良种推广", "病虫害防治", "农技服务"],
    "市场监管": ["食品抽检", "特种设备", "计量检定", "广告监测", "消费维权"],
    "民政": ["低保救助", "养老服务", "儿童福利", "殡葬改革", "社区治理"],
    "交通": ["道路养护", "公交补贴", "桥梁检测", "客运监管", "农村公路"],
}


@dataclass(frozen=True)
class CorpusIndicator:
    name: str  # as written, with its variant
    level1: str
    level2: str
    target: str


@dataclass(frozen=True)
class CorpusProject:
    department: str
    name: str
    indicators: tuple[CorpusIndicator, ...]


def _zipf_pick(rng: random.Random, items: list[str], s: float = 1.1) -> str:
    weights = [1 / (i + 1) ** s for i in range(len(items))]
    return rng.choices(items, weights)[0]


def _variant(rng: random.Random, name: str, unit: str) -> str:
    roll = rng.random()
    if roll < 0.08 and len(name) > 3:
        cut = rng.randrange(2, len(name) - 1)
        return f"{name[:cut]} {name[cut:]}"  # a wrap space
    if roll < 0.14 and unit == "%":
        return f"{name}（%）"
    if roll < 0.18 and name[-1] in "率数":
        return name[:-1]
    return name


def _target(rng: random.Random, measure: str, level2: str) -> tuple[str, str]:
    if measure in UNITS:
        unit, low, high = UNITS[measure]
        op = "≤" if level2 in ("成本指标", "时效指标") else "≥"
        return f"{op}{rng.randint(low, high)}{unit}", unit
    if measure in ("长效机制", "改善程度", "完成时间"):
        return rng.choice(["有效改善", "逐步建立", "明显提升", "年底前完成"]), ""
    return f"≥{rng.choice([80, 85, 90, 92, 95, 98, 100])}%", "%"


def generate(
    seed: int = 7, departments_per_sector: int = 3, projects: int = 12, per_project: int = 8
) -> list[CorpusProject]:
    rng = random.Random(seed)
    out: list[CorpusProject] = []
    for sector, own in SECTORS.items():
        for d in range(departments_per_sector):
            department = f"{sector}部门{d + 1}"
            subjects = own + SHARED
            rng.shuffle(subjects)
            for p in range(projects):
                subject = _zipf_pick(rng, subjects, 0.8)
                inds = []
                for _ in range(per_project):
                    level2 = _zipf_pick(rng, list(LEVEL2), 0.5)
                    level1, measures = LEVEL2[level2]
                    measure = _zipf_pick(rng, measures)
                    item_subject = subject if rng.random() < 0.7 else _zipf_pick(rng, subjects)
                    target, unit = _target(rng, measure, level2)
                    name = _variant(rng, item_subject + measure, unit)
                    inds.append(CorpusIndicator(name, level1, level2, target))
                out.append(CorpusProject(department, f"{department}项目{p + 1}", tuple(inds)))
    return out
