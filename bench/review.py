"""Benchmark the review engine: generated projects per second, and growth from 10k to 100k.

Run as ``python -m bench.review`` (or through ``make bench``). Projects are generated from a
pool of realistic indicators with planted defects at random, grouped into departments of 40
projects (one target table each), and reviewed with the national profile: that is throughput,
linear by construction since the tables are independent. Growth is measured on one table of
1,000 and of 10,000 projects, where the cross-project rules could make it superlinear. The
baseline is a bare loop over the same projects (a floor, not a comparable program).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import time
from decimal import Decimal
from typing import Any

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import TargetValue, parse_target
from jixiao.review import load_profile, review_document, review_project

DEPARTMENT_SIZE = 40
LEVELS = {
    "11": ("1", "产出指标", "数量指标"),
    "12": ("1", "产出指标", "质量指标"),
    "13": ("1", "产出指标", "时效指标"),
    "14": ("1", "产出指标", "成本指标"),
    "21": ("2", "效益指标", "经济效益"),
    "22": ("2", "效益指标", "社会效益"),
    "23": ("2", "效益指标", "生态效益"),
    "24": ("2", "效益指标", "可持续影响"),
    "31": ("3", "满意度指标", "服务对象满意度"),
}
POOL = [
    ("11", "{}培训人次", ["≥500人次", "1200人次", "≥300人次"]),
    ("11", "{}检查户数", ["≥1500户", "800户"]),
    ("11", "{}抽检批次", ["3710批次", "≥200批次", "100%"]),
    ("12", "{}验收合格率", ["≥95%", "100%", "≤95%", "良好"]),
    ("12", "{}按期完工率", ["100%", "达100%"]),
    ("13", "{}办理时限", ["≤5个工作日", "≥5天", "按时完成"]),
    ("13", "{}完成时间", ["2023年12月31日前", "2024年6月30日前"]),
    ("14", "{}人均成本", ["≤800元/人次", "≤1200元/人次"]),
    ("14", "项目成本", ["{budget}万元", "{over}万元"]),
    ("21", "{}节约成本", ["≥10万元", "效果明显"]),
    ("22", "{}违法案件发生率", ["≤2%", "≥2%"]),
    ("22", "{}群众知晓率", ["≥85%", "显著提升"]),
    ("23", "{}纸张耗材使用量", ["下降20%", "≤5吨"]),
    ("24", "{}长效机制建立情况", ["建立并运行", "持续优化"]),
    ("31", "{}服务对象满意度", ["≥90%", "100%", "≥95%"]),
    ("31", "服务对象满意度", ["≥95%"]),
    ("22", "用户友好性", ["≥95%"]),
]
SUBJECTS = ["食品安全", "特种设备", "知识产权", "农贸市场", "消费维权", "广告监测", "计量检定"]
KINDS = ["专项经费", "工作经费", "建设项目", "政府购买服务费", "运行维护项目"]
GOALS = [
    "开展{s}监管工作，全年完成检查任务，提升辖区{s}水平，保障群众安全。",
    "建设{s}信息系统，实现数据实时采集与预警，提高监管效率。",
    "通过政府购买服务开展{s}相关工作，确保服务质量达标，群众满意。",
]
_TARGETS: dict[str, TargetValue] = {}


def _target(text: str) -> TargetValue:
    found = _TARGETS.get(text)
    if found is None:
        found = _TARGETS[text] = parse_target(text)
    return found


def _indicator(rng: random.Random, subject: str, budget: Decimal) -> Indicator:
    code, template, values = rng.choice(POOL)
    c1, n1, n2 = LEVELS[code]
    if rng.random() < 0.02:  # planted level-pair mismatch
        c1, n1 = "2", "效益指标"
    value = rng.choice(values).format(budget=budget, over=budget * 2)
    annual = value if rng.random() > 0.05 else "0%"
    return Indicator(
        name=template.format(subject),
        level1=LevelRef(c1, n1),
        level2=LevelRef(code, n2),
        period=_target(value),
        annual=_target(annual),
    )


def generate_projects(count: int, seed: int = 2023) -> list[Project]:
    rng = random.Random(seed)
    projects = []
    for i in range(count):
        subject = rng.choice(SUBJECTS)
        budget = Decimal(rng.randint(100, 500_000)) / 100
        fiscal = budget if rng.random() > 0.03 else budget - 1
        projects.append(
            Project(
                name=f"{subject}{rng.choice(KINDS)}{i}",
                amounts=Amounts(budget, fiscal),
                goal=rng.choice(GOALS).format(s=subject),
                indicators=[_indicator(rng, subject, budget) for _ in range(rng.randint(4, 10))],
            )
        )
    return projects


def departments(projects: list[Project]) -> list[Document]:
    return [
        Document(projects[i : i + DEPARTMENT_SIZE], unit=MoneyUnit.WAN_YUAN, year=2023)
        for i in range(0, len(projects), DEPARTMENT_SIZE)
    ]


def time_review(docs: list[Document]) -> tuple[float, int]:
    """CPU seconds this process spends reviewing ``docs`` (other processes' load excluded)."""
    profile = load_profile()
    start = time.process_time()
    findings = sum(len(review_document(doc, profile).findings) for doc in docs)
    return time.process_time() - start, findings


def _worker(count: int, seed: int, barrier: Any, results: Any) -> None:
    docs = departments(generate_projects(count, seed))
    gc.freeze()
    time_review(docs[:5])  # warm the caches like a running service would have them
    barrier.wait()
    start = time.perf_counter()
    _, findings = time_review(docs)
    results.put((start, time.perf_counter(), findings))


def parallel_review(total: int, workers: int) -> tuple[float, int]:
    """Wall time for ``workers`` processes to review ``total`` projects together."""
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(workers), ctx.Queue()
    share = total // workers
    procs = [
        ctx.Process(target=_worker, args=(share, 2023 + i, barrier, results))
        for i in range(workers)
    ]
    for proc in procs:
        proc.start()
    spans = [results.get() for _ in procs]
    for proc in procs:
        proc.join()
    wall = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    return wall, sum(n for _, _, n in spans)


def live_latency() -> float:
    """Mean seconds for ``review_project`` on one 10-indicator project (the edit form's check)."""
    project = next(p for p in generate_projects(200, seed=7) if len(p.indicators) == 10)
    profile = load_profile()
    review_project(project, profile)
    start = time.process_time()
    for _ in range(500):
        review_project(project, profile)
    return (time.process_time() - start) / 500


def walk(docs: list[Document]) -> float:
    """Baseline: CPU seconds to visit every project and indicator once, doing nothing else."""
    start = time.process_time()
    total = 0
    for doc in docs:
        for p in doc.projects:
            total += len(p.name) + len(p.goal or "")
            for i in p.indicators:
                total += len(i.name) + len(i.period.raw if i.period else "")
    return max(time.process_time() - start, 1e-9)


def main() -> None:
    projects = generate_projects(100_000)
    indicators = sum(len(p.indicators) for p in projects)
    small, large = departments(projects[:10_000]), departments(projects)
    gc.freeze()  # the generated input stands for stored data: keep it out of GC scans
    print(
        f"  100,000 个生成项目，{indicators:,} 条指标；每张表 {DEPARTMENT_SIZE} 个项目"
        "（输入数据已 gc.freeze()）"
    )
    base = walk(large)
    print(
        f"  基线：纯 Python 循环把每个项目与指标各访问一次 {base:.3f} s（CPU；"
        "只是下限，不是可比的程序）"
    )
    time_review(small[:10])  # warm-up
    t_small, _ = time_review(small)
    t_large, n_found = time_review(large)
    print(f"  单进程 10,000 项目：{t_small:.2f} s（CPU），{10_000 / t_small:,.0f} 项目/秒")
    print(
        f"  单进程 100,000 项目：{t_large:.2f} s（CPU），{100_000 / t_large:,.0f} 项目/秒，"
        f"{n_found:,} 条发现；为基线的 {t_large / base:,.0f} 倍"
    )
    print(
        f"  t(100k)/t(10k) = {t_large / t_small:.2f}：表与表彼此独立，按构造即为线性，"
        "只说明吞吐；增长见下面的单张表"
    )
    del small, large, projects
    wall, _ = parallel_review(100_000, 2)
    print(
        f"  双进程 100,000 项目：{wall:.2f} s（墙钟，负载 {os.getloadavg()[0]:.1f}），"
        f"{100_000 / wall:,.0f} 项目/秒"
    )
    print(f"  单个项目实时校验（review_project，10条指标）：{live_latency() * 1000:.2f} ms（CPU）")
    whole = generate_projects(10_000, seed=11)
    gc.freeze()
    g_small, _ = time_review([Document(whole[:1_000], unit=MoneyUnit.WAN_YUAN, year=2023)])
    g_large, _ = time_review([Document(whole, unit=MoneyUnit.WAN_YUAN, year=2023)])
    print(
        f"  一张表含 1,000 / 10,000 个项目（跨项目规则的规模）：{g_small:.2f} s / {g_large:.2f} s，"
        f"增长比 {g_large / g_small:.2f}（线性为 10，目标 ≤ 10.5）"
    )


if __name__ == "__main__":
    main()
