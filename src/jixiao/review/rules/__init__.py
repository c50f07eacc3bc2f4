"""review/rules."""
