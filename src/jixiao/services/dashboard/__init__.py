"""The dashboard (首页) figures for the actor's scope: counts, budgets, findings, grades, to-dos."""
