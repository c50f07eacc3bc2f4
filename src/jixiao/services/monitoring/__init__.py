"""Mid-year monitoring (双监控) of a project: record, light, explain and export each round."""
