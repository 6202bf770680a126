"""The catalogue: `<service>.toml` files of `[[technique]]` specs (read by families/spec_file.py),
and one module per technique with hand-written cases (`iam-013` -> iam_013.py, defines TECHNIQUE)."""
