"""Year-end self-evaluation (单位自评) of a project: record, score, reconcile and export."""
