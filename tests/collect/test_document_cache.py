"""The document and statement caches of the loader: a document is keyed by its Version and every
statement in order (key order too, as `raw` is kept for reports); a statement seen again at another
index is re-indexed."""

from __future__ import annotations

from gaad_builders import gaad, managed

from iamgraph.collect.gaad import parse_gaad


def test_document_cache_key_holds_version_and_every_statement_in_order():
    """Mutation check of the (Version, statement reprs) key: each part changes the result."""
    a = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    b = {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}
    docs = [
        {"Version": "2012-10-17", "Statement": [a, b]},
        {"Version": "2008-10-17", "Statement": [a, b]},
        {"Version": "2012-10-17", "Statement": [b, a]},
        {"Version": "2012-10-17", "Statement": [a]},
        {"Statement": [a, b], "Version": "2012-10-17"},  # other key order: raw differs
    ]
    policies = [managed(f"p{i}", ("v1", True, d)) for i, d in enumerate(docs)]
    snap = parse_gaad(gaad(policies=policies), file="in.json")
    got = [snap.policies[p["Arn"]].default_document for p in policies]
    assert [d.version for d in got] == ["2012-10-17", "2008-10-17", "2012-10-17", "2012-10-17", "2012-10-17"]
    assert [[(s.effect.value, s.index) for s in d.statements] for d in got] == [
        [("Allow", 0), ("Deny", 1)],
        [("Allow", 0), ("Deny", 1)],
        [("Deny", 0), ("Allow", 1)],
        [("Allow", 0)],
        [("Allow", 0), ("Deny", 1)],
    ]
    assert [list(d.raw) for d in got][4] == ["Statement", "Version"]  # type: ignore[call-overload]
