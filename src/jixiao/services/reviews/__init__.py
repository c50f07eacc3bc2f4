"""Review findings: store a review run, list, waive with a reason, re-run."""
