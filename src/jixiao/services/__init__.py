"""Use-cases per aggregate; no web framework imports. Services flush, callers commit."""
