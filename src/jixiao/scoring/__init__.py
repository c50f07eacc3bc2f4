"""Deterministic self-evaluation scoring and monitoring lights; every point is explained."""
