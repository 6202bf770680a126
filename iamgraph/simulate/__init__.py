"""The simulator's request formats: JSONL batch lines (self-contained or against a snapshot)."""
