"""The document and statement caches of the loader: a document is keyed by its Version and every
statement in order (key order too, as `raw` is kept for reports); a statement seen again at another
index is re-indexed."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import datetime
from typing import Any

from gaad_builders import doc, gaad, managed

from iamgraph.collect.gaad import parse_gaad
from iamgraph.collect.policy_parse import raw_keys, reindexed
from iamgraph.model import Statement


def test_document_cache_key_holds_version_and_every_statement_in_order():
    """Mutation check of the (Version, statement raw_keys) key: each part changes the result."""
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


def test_raw_keys_tell_apart_what_json_tells_apart():
    """The statement key (marshal format 2) is equal exactly for the same JSON: types (1, 1.0,
    true, "1"), -0.0, key order and nesting all count; equal values built apart share a key."""
    values: list[Any] = [
        1,
        1.0,
        True,
        "1",
        [1],
        -0.0,
        0.0,
        {"a": 1, "b": 2},
        {"b": 2, "a": 1},
        {"a": [1]},
        {"a": "[1]"},
        ["a", "b"],
        ["ab"],
        "\ud800",
        None,
        10**30,
    ]
    keys = raw_keys(values)
    assert keys is not None
    assert len(set(keys)) == len(values)
    assert raw_keys(json.loads(json.dumps(values[7:12]))) == keys[7:12]
    shared = "".join(["x", "yz"])  # format 2 writes no back-references: sharing and reference counts do not matter
    assert raw_keys([[shared, shared]]) == raw_keys([["".join(["x", "yz"]), "".join(["xy", "z"])]])


def test_raw_keys_refuse_what_marshal_cannot_write():
    """Values marshal cannot write are not keyed (their documents are parsed uncached)."""

    class S(str):
        pass

    assert raw_keys([{"a": S("x")}]) is None
    assert raw_keys([{"a": datetime(2020, 1, 1)}]) is None


def test_uncacheable_documents_parse_as_cached_ones():
    """A document raw_keys cannot key (a str subclass inside) gives the document the cache gives."""

    class S(str):
        pass

    stmt = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    odd = {"Version": "2012-10-17", "Statement": [{**stmt, "Resource": S("*")}]}
    snap = parse_gaad(gaad(policies=[managed("a", ("v1", True, odd)), managed("b", ("v1", True, doc(stmt)))]), file="f")
    docs = [mp.default_document for mp in snap.policies.values()]
    assert docs[0] == docs[1] and docs[0] is not docs[1]


def test_reindexed_is_replace_of_index():
    """reindexed copies every field of Statement but the index (fails when a field is added to
    Statement and not to reindexed)."""
    s = Statement(**{f.name: ("value of", f.name) for f in fields(Statement)})  # type: ignore[arg-type]
    r = reindexed(s, 7)
    assert r == replace(s, index=7)
    assert [getattr(r, f.name) for f in fields(Statement)] == [
        7 if f.name == "index" else ("value of", f.name) for f in fields(Statement)
    ]
