"""Data files shipped with iamgraph (see NOTICE)."""
