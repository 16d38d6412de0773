"""Fictional tenants: names combined at random from built-in lists, fictional contact details."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from . import names
from .rentcal import NO_END
from .stock import GARAGE_T, LICENCE, NON_SECURE, Lettings
from .writer import numbered

CHANNELS = ("letter", "email", "sms", "phone")
LETTER, EMAIL, SMS, PHONE = range(4)
VULNERABLE_SHARE = 0.15
JOINT_SHARE = 0.22


@dataclass
class People:
    """Per-tenancy facts about the lead tenant that behaviour depends on, and tenants.csv."""

    age_at_end: np.ndarray  # lead tenant's age (years) at the end of the tenancy or history
    vulnerable: np.ndarray
    mental_health: np.ndarray
    channel: np.ndarray  # preferred channel code into CHANNELS
    frame: pl.DataFrame


def _pick(rng: np.random.Generator, words: tuple[str, ...], n: int) -> np.ndarray:
    """n words drawn uniformly from a list."""
    return np.array(words)[rng.integers(0, len(words), n)]


def _weighted(rng: np.random.Generator, pairs: tuple[tuple[str, int], ...], n: int) -> np.ndarray:
    """n codes drawn from (code, weight) pairs."""
    codes = np.array([c for c, _ in pairs])
    w = np.array([w for _, w in pairs], dtype=float)
    return codes[np.searchsorted(np.cumsum(w / w.sum()), rng.random(n), side="right")]


def _people(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Titles and first names that go together."""
    sex = rng.random(n)
    female, male = sex < 0.55, (sex >= 0.55) & (sex < 0.97)
    first = np.where(
        female,
        _pick(rng, names.FIRST_NAMES_F, n),
        np.where(male, _pick(rng, names.FIRST_NAMES_M, n), _pick(rng, names.FIRST_NAMES_N, n)),
    )
    t = rng.random(n)
    title = np.where(
        female,
        np.where(t < 0.45, "Ms", np.where(t < 0.7, "Mrs", np.where(t < 0.85, "Miss", ""))),
        np.where(male, np.where(t < 0.85, "Mr", ""), np.where(t < 0.5, "Mx", "")),
    )
    title = np.where(rng.random(n) < 0.01, "Dr", title)
    return title, first


def build_people(
    lettings: Lettings, end_day: int, refs: list[str], rng: np.random.Generator
) -> People:
    """Lead (and some joint) tenants of every tenancy."""
    m = len(lettings)
    tenure = lettings.tenure
    temporary = (tenure == LICENCE) | (tenure == NON_SECURE)
    age_at_start = np.where(temporary, 18 + rng.gamma(2.0, 5.0, m), 18 + rng.gamma(2.2, 9.0, m))
    last_day = np.where(lettings.end == NO_END, end_day, np.minimum(lettings.end, end_day))
    years = (last_day - lettings.start) / 365.25
    age_at_start = np.minimum(age_at_start, np.maximum(18, 97 - years))
    age_at_end = age_at_start + years
    dob = (lettings.start - age_at_start * 365.25 - rng.integers(0, 365, m)).astype(np.int64)

    title, first = _people(rng, m)
    last = _pick(rng, names.LAST_NAMES, m)
    email_p = np.clip(0.85 - age_at_end / 120, 0.15, 0.75)
    has_email = rng.random(m) < email_p
    has_mobile = rng.random(m) < np.clip(1.05 - age_at_end / 250, 0.5, 0.92)
    has_phone = rng.random(m) < np.clip(age_at_end / 150, 0.1, 0.6)
    domain = _pick(rng, ("example.com", "example.net", "example.org"), m)
    email = np.char.add(
        np.char.add(np.char.add(np.char.lower(first), "."), np.char.lower(last)),
        np.char.add(rng.integers(1, 99, m).astype(str), np.char.add("@", domain)),
    )
    # Ofcom's drama ranges: numbers reserved for fiction, never a real subscriber.
    mobile = numbered("07700900", rng.integers(0, 1000, m), 3)
    phone = numbered("01632960", rng.integers(0, 1000, m), 3)

    vulnerable = (rng.random(m) < VULNERABLE_SHARE) & (tenure != GARAGE_T)
    vcode = _weighted(rng, names.VULNERABILITIES, m)
    second = _weighted(rng, names.VULNERABILITIES, m)
    two = (rng.random(m) < 0.2) & (second != vcode)
    vuln = np.where(two, np.char.add(np.char.add(vcode, ";"), second), vcode)
    mental = vulnerable & (np.char.find(vuln, "mental_health") >= 0)
    language = np.where(rng.random(m) < 0.07, _weighted(rng, names.LANGUAGES, m), "")

    r = rng.random(m)
    channel = np.where(
        has_email & (r < 0.4), EMAIL, np.where(has_mobile & (r < 0.75), SMS, LETTER)
    ).astype(np.int8)
    channel[(channel == LETTER) & (rng.random(m) < 0.15)] = PHONE

    joint = (rng.random(m) < JOINT_SHARE) & ~temporary & (tenure != GARAGE_T)
    j = np.flatnonzero(joint)
    jt, jf = _people(rng, len(j))
    same = rng.random(len(j)) < 0.7
    jl = np.where(same, last[j], _pick(rng, names.LAST_NAMES, len(j)))
    jdob = dob[j] + rng.integers(-6 * 365, 6 * 365, len(j))
    jdob = np.minimum(jdob, lettings.start[j] - 18 * 366)

    refs_a = np.array(refs)
    lead = pl.DataFrame(
        {
            "tenancy_ref": refs_a,
            "person_ref": np.char.add(refs_a, "-1"),
            "title": title,
            "first_name": first,
            "last_name": last,
            "date_of_birth": pl.Series(dob.astype(np.int32)).cast(pl.Date),
            "email": np.where(has_email, email, ""),
            "mobile": np.where(has_mobile, mobile, ""),
            "phone": np.where(has_phone, phone, ""),
            "is_lead": np.ones(m, dtype=bool),
            "vulnerabilities": np.where(vulnerable, vuln, ""),
            "language": language,
            "_order": np.arange(m) * 2,
        }
    )
    second_rows = pl.DataFrame(
        {
            "tenancy_ref": refs_a[j],
            "person_ref": np.char.add(refs_a[j], "-2"),
            "title": jt,
            "first_name": jf,
            "last_name": jl,
            "date_of_birth": pl.Series(jdob.astype(np.int32)).cast(pl.Date),
            "email": np.full(len(j), ""),
            "mobile": np.where(
                rng.random(len(j)) < 0.6,
                numbered("07700900", rng.integers(0, 1000, len(j)), 3),
                "",
            ),
            "phone": np.full(len(j), ""),
            "is_lead": np.zeros(len(j), dtype=bool),
            "vulnerabilities": np.full(len(j), ""),
            "language": language[j],
            "_order": j * 2 + 1,
        }
    )
    frame = pl.concat([lead, second_rows]).sort("_order").drop("_order")
    frame = frame.with_columns(
        [
            pl.col(c).replace("", None)
            for c in ("title", "email", "mobile", "phone", "vulnerabilities", "language")
        ]
    )
    return People(age_at_end, vulnerable, mental, channel, frame)
