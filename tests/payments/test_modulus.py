"""The modulus check against the published VocaLink test cases, with the example table."""

import pytest

from openincome.payments.modulus import check, parse_table

from .conftest import SAMPLES

TABLE, PROBLEMS = parse_table((SAMPLES / "modulus-weights-EXAMPLE.txt").read_text())

VALID = [
    ("089999", "66374958"),  # MOD10
    ("107999", "88837491"),  # MOD11
    ("202959", "63748472"),  # MOD11 and DBLAL
    ("871427", "46238510"),  # exceptions 10 and 11: first passes, second fails
    ("872427", "46238510"),  # exceptions 10 and 11: first fails, second passes
    ("871427", "09123496"),  # exception 10, ab = 09 and g = 9
    ("871427", "99123496"),  # exception 10, ab = 99 and g = 9
    ("820000", "73688637"),  # exception 3, c = 6: second check ignored
    ("827999", "73988638"),  # exception 3, c = 9: second check ignored
    ("827101", "28748352"),  # exception 3, both checks
    ("134020", "63849203"),  # exception 4: remainder equals the check digits
    ("118765", "64371389"),  # exception 1: 27 added, DBLAL
    ("200915", "41011166"),  # exception 6: a foreign currency account
]
INVALID = [
    ("089999", "66374959"),  # fails MOD10
    ("107999", "88837493"),  # fails MOD11
    ("203099", "66831036"),  # passes MOD11, fails DBLAL
    ("203099", "58716970"),  # fails MOD11, passes DBLAL
]


def test_the_example_table_reads_cleanly():
    assert PROBLEMS == [] and len(TABLE) == 14


@pytest.mark.parametrize(("sort_code", "account"), VALID)
def test_published_valid_cases(sort_code, account):
    assert check(sort_code, account, TABLE).valid is True


@pytest.mark.parametrize(("sort_code", "account"), INVALID)
def test_published_invalid_cases(sort_code, account):
    assert check(sort_code, account, TABLE).valid is False


def test_what_cannot_be_checked_is_never_a_pass():
    assert check("999999", "12345678", TABLE).valid is None
    five = parse_table("938000 938696 MOD11 7 6 5 4 3 2 7 6 5 4 3 2 0 0 5\n")[0]
    result = check("938611", "07806039", five)
    assert result.valid is None and "exception 5" in result.reason
    assert check("08-99-99", "6637 4958", TABLE).valid is True
    assert check("0899", "66374958", TABLE).valid is False


def test_bad_table_lines_are_reported_by_line():
    _, problems = parse_table("# comment\n089000 089999 MOD12 0 0 0 0 0 0 7 1 3 7 1 3 7 1\n"
                              "089000 0899 MOD10 1 2\n")
    assert problems == [(2, "unknown method 'MOD12'"), (3, "expected 17 or 18 fields, found 5")]
