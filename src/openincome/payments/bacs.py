"""Bacs Standard 18 files, written and read as fixed-width text: a Direct Debit collection
file (data records and a contra) and an AUDDIS lodgement (0N new, 0C cancelled).

Pure functions of their arguments (no database), so the same input always gives the same
bytes: the golden files in tests/payments/golden/ hold them. The layout is documented record
by record in docs/payments/standard-18.md; labels are 80 characters, data records 100.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

# Bacs transaction codes a landlord collecting rent uses.
FIRST_COLLECTION, COLLECTION, REPRESENTED, FINAL_COLLECTION = "01", "17", "18", "19"
NEW_INSTRUCTION, CANCEL_INSTRUCTION = "0N", "0C"
CONTRA_CREDIT = "99"
DEBIT_CODES = (FIRST_COLLECTION, COLLECTION, REPRESENTED, FINAL_COLLECTION)
AUDDIS_CODES = (NEW_INSTRUCTION, CANCEL_INSTRUCTION)
NEWLINE = "\n"
# Bacs' character set: upper-case letters, digits, full stop, slash, hyphen, ampersand, space.
_NOT_BACS = re.compile(r"[^A-Z0-9./&\- ]")


@dataclass(frozen=True)
class Originator:
    """The landlord as a Bacs service user: its number and the account collections go to."""

    service_user_number: str
    name: str
    sort_code: str
    account_number: str


@dataclass(frozen=True)
class Item:
    """One data record: a collection (a debit code, amount in pence) or an instruction (0N or
    0C, no amount)."""

    sort_code: str
    account_number: str
    payer_name: str
    reference: str
    code: str
    amount: int = 0


def bacs_text(text: str, width: int) -> str:
    """Text in the Bacs character set, upper case, cut or padded to `width`."""
    return _NOT_BACS.sub(" ", text.upper())[:width].ljust(width)


def _digits(value: str, width: int, what: str) -> str:
    if not (value.isdigit() and len(value) == width):
        raise ValueError(f"{what} must be {width} digits")
    return value


def julian(day: datetime.date) -> str:
    """A date as Bacs labels write it: a space, the year's last two digits, the day of year."""
    return f" {day:%y}{day.timetuple().tm_yday:03d}"


def from_julian(text: str) -> datetime.date:
    """The date a label's ` yyddd` field names."""
    year, yday = 2000 + int(text[1:3]), int(text[3:6])
    return datetime.date(year, 1, 1) + datetime.timedelta(days=yday - 1)


def _amount(pence: int) -> str:
    if not 0 <= pence < 10**11:
        raise ValueError("an amount must be 0 to 99,999,999,999 pence")
    return f"{pence:011d}"


def _vol1(sun: str, serial: str) -> str:
    return "VOL1" + serial + "0" + " " * 20 + " " * 6 + " " * 4 + sun + " " * 4 + " " * 28 + "1"


def _hdr1(label: str, sun: str, serial: str, created: datetime.date) -> str:
    ident = f"A{sun}S  {sun} "
    return (label + ident + serial + "0001" + "0001" + " " * 4 + " " * 2 + julian(created)
            + julian(created) + " " + "000000" + " " * 13 + " " * 7)


def _hdr2(label: str) -> str:
    return label + "F" + "02000" + "00100" + " " * 35 + "00" + " " * 28


def _uhl1(processing: datetime.date, file_number: int) -> str:
    return ("UHL1" + julian(processing) + "999999    " + "00" + "000000" + "1 DAILY  "
            + f"{file_number:03d}" + " " * 7 + " " * 7 + " " * 26)


def _utl1(debits: int, credits: int, debit_count: int, credit_count: int) -> str:
    return ("UTL1" + f"{debits:013d}" + f"{credits:013d}" + f"{debit_count:07d}"
            + f"{credit_count:07d}" + " " * 8 + " " * 28)


def _data(item: Item, origin: Originator) -> str:
    return (_digits(item.sort_code, 6, "a sort code") + _digits(item.account_number, 8,
                                                                 "an account number")
            + "0" + item.code + origin.sort_code + origin.account_number + " " * 4
            + _amount(item.amount) + bacs_text(origin.name, 18) + bacs_text(item.reference, 18)
            + bacs_text(item.payer_name, 18))


def _contra(total: int, origin: Originator) -> str:
    return (origin.sort_code + origin.account_number + "0" + CONTRA_CREDIT + origin.sort_code
            + origin.account_number + " " * 4 + _amount(total) + bacs_text("DD COLLECTIONS", 18)
            + bacs_text("CONTRA", 18) + bacs_text(origin.name, 18))


def _check_origin(origin: Originator) -> None:
    _digits(origin.service_user_number, 6, "the service user number")
    _digits(origin.sort_code, 6, "the landlord's sort code")
    _digits(origin.account_number, 8, "the landlord's account number")


def write_file(origin: Originator, items: Iterable[Item], *, processing: datetime.date,
               created: datetime.date, file_number: int = 1) -> str:
    """A Standard 18 file: collections (with their contra) or AUDDIS instructions, never
    both; `processing` is the Bacs processing day (the day before money moves)."""
    _check_origin(origin)
    items = list(items)
    codes = {i.code for i in items}
    if not items:
        raise ValueError("a Bacs file needs at least one record")
    if not (codes <= set(DEBIT_CODES) or codes <= set(AUDDIS_CODES)):
        raise ValueError("a file holds either collections or AUDDIS instructions")
    collecting = codes <= set(DEBIT_CODES)
    if collecting and any(i.amount <= 0 for i in items):
        raise ValueError("every collection needs an amount above zero")
    serial = f"{file_number % 1_000_000:06d}"
    sun = origin.service_user_number
    lines = [_vol1(sun, serial), _hdr1("HDR1", sun, serial, created), _hdr2("HDR2"),
             _uhl1(processing, file_number % 1000)]
    lines.extend(_data(i, origin) for i in items)
    total = sum(i.amount for i in items)
    if collecting:
        lines.append(_contra(total, origin))
    lines += [_hdr1("EOF1", sun, serial, created), _hdr2("EOF2"),
              _utl1(total, total if collecting else 0, len(items), 1 if collecting else 0)]
    return NEWLINE.join(lines) + NEWLINE


@dataclass(frozen=True)
class ReadFile:
    """What a Standard 18 file says: its service user, processing day, records and totals."""

    service_user_number: str
    processing: datetime.date
    items: list[Item]
    contra: int | None
    debit_total: int
    credit_total: int


def read_file(text: str) -> ReadFile:
    """Parse a Standard 18 file written by `write_file` (checking its labels and totals);
    raises ValueError naming the line of any problem."""
    lines = text.split(NEWLINE)
    if lines and lines[-1] == "":
        lines.pop()
    want = ("VOL1", "HDR1", "HDR2", "UHL1")
    for n, tag in enumerate(want):
        if n >= len(lines) or not lines[n].startswith(tag):
            raise ValueError(f"line {n + 1}: expected the {tag} label")
    if len(lines) < 8 or [x[:4] for x in lines[-3:]] != ["EOF1", "EOF2", "UTL1"]:
        raise ValueError("the file does not end with EOF1, EOF2 and UTL1")
    items, contra = [], None
    for n, line in enumerate(lines[4:-3], start=5):
        if len(line) != 100:
            raise ValueError(f"line {n}: a data record is 100 characters, found {len(line)}")
        code = line[15:17]
        if code == CONTRA_CREDIT:
            contra = int(line[35:46])
            continue
        items.append(Item(sort_code=line[0:6], account_number=line[6:14],
                          payer_name=line[82:100].rstrip(), reference=line[64:82].rstrip(),
                          code=code, amount=int(line[35:46])))
    trailer = lines[-1]
    debit_total, credit_total = int(trailer[4:17]), int(trailer[17:30])
    if debit_total != sum(i.amount for i in items) or int(trailer[30:37]) != len(items):
        raise ValueError(f"line {len(lines)}: the UTL1 totals do not add up")
    return ReadFile(service_user_number=lines[0][41:47], processing=from_julian(lines[3][4:10]),
                    items=items, contra=contra, debit_total=debit_total,
                    credit_total=credit_total)
