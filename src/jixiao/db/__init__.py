"""Persistence only: SQLAlchemy 2 models, sessions and the ORM ↔ domain mapping."""
