"""The review rule catalogue and engine: explainable findings on target tables."""
