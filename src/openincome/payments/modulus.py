"""The VocaLink (Pay.UK) modulus check of a sort code and account number, with the weight
table the operator loads (it changes several times a year; nothing here has one built in).

Pure functions: `parse_table` reads valacdos.txt text, `check` runs the published algorithm
(MOD10, MOD11, DBLAL) for the one or two rows covering the sort code, with exceptions 1, 3, 4,
6, 7, 8, 10, 11, 12 and 13. Exceptions 2, 5, 9 and 14 need more than this (a substitution table,
alternative weights) and are reported as "cannot check", never as a pass. A sort code the
table does not cover cannot be checked either; the scheme treats it as valid.
"""

from __future__ import annotations

from dataclasses import dataclass

METHODS = ("MOD10", "MOD11", "DBLAL")
SUPPORTED_EXCEPTIONS = {1, 3, 4, 6, 7, 8, 10, 11, 12, 13}
# Positions of the 14 digits u v w x y z (sort code) a b c d e f g h (account).
A, B, C, G, H = 6, 7, 8, 12, 13


@dataclass(frozen=True)
class WeightRow:
    """One row of the weight table."""

    start: str
    end: str
    method: str
    weights: tuple[int, ...]
    exception: int | None


@dataclass(frozen=True)
class Result:
    """The outcome: valid True/False, or None when the account cannot be checked."""

    valid: bool | None
    reason: str


def parse_table(text: str) -> tuple[list[WeightRow], list[tuple[int, str]]]:
    """The rows of valacdos.txt text, and (line, problem) for every line that is not one."""
    rows: list[WeightRow] = []
    problems: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if len(parts) not in (17, 18):
            problems.append((number, f"expected 17 or 18 fields, found {len(parts)}"))
            continue
        start, end, method, *rest = parts
        if not (start.isdigit() and end.isdigit() and len(start) == len(end) == 6):
            problems.append((number, "sort codes must be six digits"))
        elif start > end:
            problems.append((number, "the range ends before it starts"))
        if method not in METHODS:
            problems.append((number, f"unknown method {method!r}"))
        if not all(p.lstrip("-").isdigit() for p in rest):
            problems.append((number, "weights and exception must be whole numbers"))
            continue
        values = [int(p) for p in rest]
        exception = values[14] if len(values) == 15 else None
        if exception is not None and not 1 <= exception <= 14:
            problems.append((number, f"unknown exception {exception}"))
        rows.append(WeightRow(start, end, method, tuple(values[:14]), exception))
    return rows, problems


def _digits(sort_code: str, account: str) -> list[int] | str:
    sort_code = sort_code.replace("-", "").replace(" ", "")
    account = account.replace(" ", "")
    if len(sort_code) != 6 or not sort_code.isdigit():
        return "a sort code is six digits"
    if not account.isdigit() or not 6 <= len(account) <= 8:
        return "an account number is six to eight digits"
    return [int(d) for d in sort_code + account.rjust(8, "0")]


def _passes(row: WeightRow, digits: list[int]) -> bool:
    weights = list(row.weights)
    if row.exception == 8:
        digits = [0, 9, 0, 1, 2, 6, *digits[A:]]
    zero_u_to_b = (row.exception == 7 and digits[G] == 9) or (
        row.exception == 10 and digits[A] in (0, 9) and digits[B] == 9 and digits[G] == 9)
    if zero_u_to_b:
        weights[: B + 1] = [0] * (B + 1)
    products = [d * w for d, w in zip(digits, weights, strict=True)]
    if row.method == "DBLAL":
        total = sum(p // 10 + p % 10 for p in products) + (27 if row.exception == 1 else 0)
        return total % 10 == 0
    total = sum(products)
    if row.method == "MOD10":
        return total % 10 == 0
    if row.exception == 4:
        return total % 11 == digits[G] * 10 + digits[H]
    return total % 11 == 0


def check(sort_code: str, account: str, table: list[WeightRow]) -> Result:
    """Run the modulus check of a sort code and account number against the weight table."""
    digits = _digits(sort_code, account)
    if isinstance(digits, str):
        return Result(False, digits)
    code = "".join(str(d) for d in digits[:6])
    rows = [r for r in table if r.start <= code <= r.end][:2]
    if not rows:
        return Result(None, "the weight table does not cover this sort code, so it cannot be "
                      "checked")
    unsupported = sorted({r.exception for r in rows} - SUPPORTED_EXCEPTIONS - {None})
    if unsupported:
        return Result(None, f"this sort code needs modulus exception {unsupported[0]}, which "
                      "is not supported: check the account another way")
    if rows[0].exception == 6 and 4 <= digits[A] <= 8 and digits[G] == digits[H]:
        return Result(True, "a foreign currency account: no modulus check applies")
    first = _passes(rows[0], digits)
    if len(rows) == 1:
        return Result(first, "passes the modulus check" if first else "fails the modulus check")
    either = {rows[0].exception, rows[1].exception} in ({10, 11}, {12, 13})
    if either:
        ok = first or _passes(rows[1], digits)
    elif rows[1].exception == 3 and digits[C] in (6, 9):
        ok = first
    else:
        ok = first and _passes(rows[1], digits)
    return Result(ok, "passes the modulus checks" if ok else "fails the modulus check")
