"""The limits every edge enforces alike: import, the command line, forms and query strings.

One place decides which references, dates, amounts and texts are acceptable, so a value the
web refuses is refused by the import too, and every accepted value can be put in a URL,
exported and imported again. Pure Python (no Django), so the engine side may use it too.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

# References (tenancy, property, person, payment, claim, notice...), patch codes and usernames:
# letters, digits, full stop, hyphen and underscore, starting with a letter or digit. No "/"
# (every ref is a URL segment), no spaces or invisible characters (a BOM or BEL would make a
# second, look-alike ref), nothing a terminal or spreadsheet interprets.
REF_MAX_LENGTH = 64
REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
# Python's $ also matches before a final newline (Rust's, in Polars, does not): \Z here.
REF_RE = re.compile(REF_PATTERN.removesuffix("$") + r"\Z")
REF_RULE = (
    "use letters, digits, full stops, hyphens and underscores only, starting with a letter "
    f"or digit, at most {REF_MAX_LENGTH} characters"
)

# Dates outside these years are typing slips (0202 for 2020), not data; the interchange
# format accepts the same range, so whatever is stored can be exported and imported again.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2199, 12, 31)
DATE_RULE = "must be between 1 Jan 1900 and 31 Dec 2199"
# Rent is posted at most this far past today unless the operator forces it: a slip in a year
# would otherwise write years of debits into an append-only ledger.
POSTING_HORIZON_DAYS = 62

# One transaction, charge, instalment or promise: more than £1m is a slip, and refusing it at
# the edges keeps every engine sum far inside 64 bits.
AMOUNT_MAX_PENCE = 100_000_000
AMOUNT_RULE = "must be no more than £1,000,000.00"

# Free text (notes, reasons, descriptions): bounded, and free of control characters.
NOTE_MAX_LENGTH = 2000
SHORT_TEXT_MAX_LENGTH = 200

# Both Python's re and Polars' (Rust) regex read this class the same way, so the import's
# vectorised checks and the forms refuse exactly the same characters. Tab, LF and CR are
# allowed (a note may have several lines).
CONTROL_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]"
_CONTROL = re.compile(CONTROL_PATTERN)

# Usernames and patch codes are also URL segments next to fixed ones: /admin/users/add/ and
# /admin/patches/add/ would hide a user or a patch called "add".
RESERVED_CODES = frozenset({"add"})


def ref_problem(value: str) -> str | None:
    """Why a reference, code or username is refused, or None when it is acceptable."""
    if REF_RE.fullmatch(value):
        return None
    return f"is not a valid reference: {REF_RULE}"


def code_problem(value: str) -> str | None:
    """Why a username or patch code is refused (a reference, and not a reserved word), or None."""
    if problem := ref_problem(value):
        return problem
    if value.lower() in RESERVED_CODES:
        return f"'{value}' is reserved: choose another"
    return None


def date_problem(value: datetime.date) -> str | None:
    """Why a date is refused (outside 1900-2199), or None when it is acceptable."""
    if DATE_MIN <= value <= DATE_MAX:
        return None
    return DATE_RULE


def posting_problem(through: datetime.date, today: datetime.date) -> str | None:
    """Why posting rent up to this date needs --force, or None when it is near enough."""
    if problem := date_problem(through):
        return problem
    latest = today + datetime.timedelta(days=POSTING_HORIZON_DAYS)
    if through > latest:
        return (
            f"is more than {POSTING_HORIZON_DAYS} days after today (latest "
            f"{latest.isoformat()}); use --force if you mean it"
        )
    return None


def amount_problem(pence: int) -> str | None:
    """Why an amount in pence is refused (above £1m either way), or None."""
    if abs(pence) <= AMOUNT_MAX_PENCE:
        return None
    return AMOUNT_RULE


def text_problem(value: str, max_length: int = NOTE_MAX_LENGTH) -> str | None:
    """Why free text is refused (control or invisible characters, too long), or None."""
    if _CONTROL.search(value):
        return "contains a control or invisible character"
    if len(value) > max_length:
        return f"must be {max_length:,} characters or fewer"
    return None


def printable(value: str) -> str:
    """The text with control and invisible characters shown as escapes (safe for a terminal)."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if _CONTROL.match(ch) or unicodedata.category(ch) in ("Cc", "Cf")
        else ch
        for ch in value
    )


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will show as text, not run as a formula (OWASP CSV injection)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
