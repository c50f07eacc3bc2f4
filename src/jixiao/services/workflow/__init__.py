"""The approval workflow (草稿 → 已提交 → 部门审核 → 财政审核 → 已批复 → 已公开) and 调整."""
