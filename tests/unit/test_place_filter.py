"""Every view filters by region the same way: by a range on the code's
digits (an index in both databases), never by LIKE. These run that filter
on a real SQLite table with codes on both sides of each boundary."""

from __future__ import annotations

import sqlite3

import pytest

from ledger.projections.store import and_within, prefix_range, within

CODES = ["31", "3101", "3101011001", "3101011001001", "3101011001999", "3102", "3109", "3109991", "311", "32",
         "99", "9999", "999999"]


@pytest.fixture(scope="module")
def db():
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (code TEXT)")
    con.executemany("INSERT INTO t VALUES (?)", [(c,) for c in CODES])
    yield con
    con.close()


@pytest.mark.parametrize("place", ["", "3", "31", "3101", "3101011001", "3109", "99", "999"])
def test_a_place_keeps_exactly_the_codes_that_start_with_it(db, place):
    conditions, params = within("code", place)
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    got = sorted(row[0] for row in db.execute("SELECT code FROM t" + where, params))
    assert got == sorted(c for c in CODES if c.startswith(place))
    clause, params = and_within("code", place)
    assert sorted(row[0] for row in db.execute("SELECT code FROM t WHERE 1 = 1" + clause, params)) == got


def test_the_upper_bound_is_the_next_digit_string():
    assert prefix_range("3101") == ("3101", "3102")
    assert prefix_range("3109") == ("3109", "311")
    assert prefix_range("99") == ("99", None)
    assert within("dest", "") == ([], [])
    assert within("dest", "99") == (["dest >= ?"], ["99"])
