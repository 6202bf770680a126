"""`iamgraph simulate` (implemented with the evaluator)."""
