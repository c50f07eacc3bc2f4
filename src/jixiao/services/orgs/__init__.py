"""Organisations (财政局 → 部门 → 单位) and budget years."""
