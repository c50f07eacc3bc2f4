"""jixiao — 预算项目支出绩效目标全过程管理.

The library API: read a published table into a :class:`~jixiao.domain.document.Document`,
review it, score it, export it. The database, web and CLI layers sit on top of this.
"""

__version__ = "0.1.0"
