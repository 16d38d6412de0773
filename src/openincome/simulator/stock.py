"""Housing stock (patches, properties, addresses) and the tenancies each property has had."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from . import names
from .rentcal import NO_END, Calendar, day_number_of

# Property types as codes; index = code.
PROPERTY_TYPES = ("house", "flat", "bungalow", "maisonette", "bedsit", "garage")
HOUSE, FLAT, BUNGALOW, MAISONETTE, BEDSIT, GARAGE = range(6)
# Shares of the stock (homes and garages); garages are a small lettings sideline.
TYPE_SHARES = np.array([0.35, 0.38, 0.08, 0.06, 0.04, 0.09])

TENURES = (
    "secure",
    "flexible",
    "introductory",
    "assured",
    "starter",
    "licence",
    "non_secure",
    "garage",
)
SECURE, FLEXIBLE, INTRODUCTORY, ASSURED, STARTER, LICENCE, NON_SECURE, GARAGE_T = range(8)

HOMES_PER_PATCH = 300  # a patch officer's homes (Leeds: 250-405)
COUNCIL_SHARE = 0.6  # streets of council stock; the rest are assured (housing association)
TEMPORARY_SHARE = 0.03  # homes used as temporary accommodation (licences, non-secure)
MEAN_YEARS = {"general": 13.0, "temporary": 1.5, "garage": 6.0}  # mean length of a letting
MAX_YEARS = 45  # the longest letting


@dataclass
class Stock:
    """The properties, as parallel arrays indexed by property number."""

    ptype: np.ndarray
    bedrooms: np.ndarray  # -1 for garages
    patch: np.ndarray
    council: np.ndarray  # council-origin stock: secure tenancies, water charges collected
    temporary: np.ndarray
    water: np.ndarray  # the landlord collects water charges for the water company here
    service: np.ndarray  # in a block or estate with a service charge
    frame: pl.DataFrame  # properties.csv, ready to write

    def __len__(self) -> int:
        return len(self.ptype)


def _choice(rng: np.random.Generator, n: int, p: np.ndarray) -> np.ndarray:
    """n draws of codes 0..len(p)-1 with probabilities p (normalised)."""
    p = np.asarray(p, dtype=float)
    return np.searchsorted(np.cumsum(p / p.sum()), rng.random(n), side="right").astype(np.int8)


def build_stock(n: int, rng: np.random.Generator) -> Stock:
    """n properties in patches of about HOMES_PER_PATCH, on fictional streets."""
    n_patches = max(1, round(n / HOMES_PER_PATCH))
    # Properties come in streets of one type, so blocks of flats and rows of houses read true.
    ptype = np.empty(n, dtype=np.int8)
    street = np.empty(n, dtype=np.int32)
    number = np.empty(n, dtype=np.int32)
    pos, s = 0, 0
    sizes = rng.integers(12, 60, size=n // 12 + 2)
    kinds = _choice(rng, len(sizes), TYPE_SHARES)
    while pos < n:
        size = min(int(sizes[s]) if kinds[s] != GARAGE else int(sizes[s]) // 3 + 4, n - pos)
        ptype[pos : pos + size] = kinds[s]
        street[pos : pos + size] = s
        number[pos : pos + size] = np.arange(1, size + 1)
        pos += size
        s += 1
    n_streets = s
    patch = np.minimum((np.arange(n) * n_patches) // n, n_patches - 1).astype(np.int32)
    # Whole streets came from the council or from a housing association (stock transfers and
    # acquisitions), so even a small landlord has both secure and assured tenancies.
    street_council = rng.random(n_streets) < COUNCIL_SHARE
    patch_water = rng.random(n_patches) < 0.6
    council = street_council[street]
    bedrooms = np.full(n, -1, dtype=np.int8)
    beds_by_type = {
        HOUSE: ([2, 3, 4], [0.34, 0.56, 0.10]),
        FLAT: ([1, 2, 3], [0.46, 0.45, 0.09]),
        BUNGALOW: ([1, 2], [0.6, 0.4]),
        MAISONETTE: ([2, 3], [0.5, 0.5]),
        BEDSIT: ([0], [1.0]),
    }
    for t, (values, probs) in beds_by_type.items():
        m = ptype == t
        bedrooms[m] = np.array(values, dtype=np.int8)[_choice(rng, int(m.sum()), probs)]
    small = (ptype == FLAT) | (ptype == BEDSIT)
    temporary = small & (rng.random(n) < TEMPORARY_SHARE / 0.42)
    homes = ptype != GARAGE
    water = patch_water[patch] & council & homes
    service = ((ptype == FLAT) | (ptype == MAISONETTE) | (ptype == BEDSIT)) | (
        (ptype == HOUSE) & (rng.random(n) < 0.1)
    )
    council = np.where(ptype == GARAGE, True, council)
    frame = _property_frame(rng, ptype, bedrooms, patch, street, number, n_streets, n_patches)
    return Stock(ptype, bedrooms, patch, council, temporary, water, service & homes, frame)


def _property_frame(
    rng: np.random.Generator,
    ptype: np.ndarray,
    bedrooms: np.ndarray,
    patch: np.ndarray,
    street: np.ndarray,
    number: np.ndarray,
    n_streets: int,
    n_patches: int,
) -> pl.DataFrame:
    """properties.csv: fictional addresses, postcodes in the unused 'OI' area."""
    words = np.array(names.STREET_WORDS)
    street_word = words[rng.integers(0, len(words), n_streets)]
    street_kind = np.array(names.STREET_KINDS)[rng.integers(0, len(names.STREET_KINDS), n_streets)]
    block_kind = np.array(names.BLOCK_KINDS)[rng.integers(0, len(names.BLOCK_KINDS), n_streets)]
    n_towns = max(1, n_patches // 8)
    heads = np.array(names.TOWN_HEADS)
    tails = np.array(names.TOWN_TAILS)
    combos = np.array([h + t for h in heads for t in tails])
    towns = combos[rng.permutation(len(combos))[: min(n_towns, len(combos))]]
    patch_town = (np.arange(n_patches) * len(towns)) // n_patches
    area = np.array([a.upper() for a in names.AREA_NAMES])
    patch_codes = np.array(
        [f"{area[i % len(area)]}-{i // len(area) + 1:02d}" for i in range(n_patches)]
    )
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
    st_district = (np.arange(n_streets) // 40) % 99 + 1
    st_sector = np.arange(n_streets) % 10
    st_unit = (
        letters[np.arange(n_streets) % len(letters)]
        + letters[(np.arange(n_streets) // len(letters) + 7) % len(letters)]
    )
    postcode = np.char.add(
        np.char.add(np.char.add("OI", st_district.astype(str)), " "),
        np.char.add(st_sector.astype(str), st_unit),
    )
    road = np.char.add(np.char.add(street_word, " "), street_kind)
    block = np.char.add(np.char.add(street_word, " "), block_kind)
    n = len(ptype)
    pt = np.array(PROPERTY_TYPES)[ptype]
    num = number.astype(str)
    is_flat = (ptype == FLAT) | (ptype == BEDSIT) | (ptype == MAISONETTE)
    line1 = np.where(
        is_flat,
        np.char.add(np.char.add(np.char.add("Flat ", num), ", "), block[street]),
        np.where(
            ptype == GARAGE,
            np.char.add(np.char.add("Garage ", num), np.char.add(", ", road[street])),
            np.char.add(np.char.add(num, " "), road[street]),
        ),
    )
    # A block of flats stands at one street number on its road.
    block_number = ((street * 7) % 90 + 1).astype(str)
    line2 = np.where(is_flat, np.char.add(np.char.add(block_number, " "), road[street]), "")
    beds = np.where(ptype == GARAGE, None, bedrooms.astype(np.int64)).tolist()
    return pl.DataFrame(
        {
            "property_ref": [f"P{i + 1:06d}" for i in range(n)],
            "address_line_1": line1.tolist(),
            "address_line_2": [x or None for x in line2.tolist()],
            "town": towns[patch_town[patch]].tolist(),
            "postcode": postcode[street].tolist(),
            "property_type": pt.tolist(),
            "bedrooms": pl.Series(beds, dtype=pl.Int64),
            "patch": patch_codes[patch].tolist(),
        }
    )


@dataclass
class Lettings:
    """Every tenancy current at some point of the simulated weeks, sorted by start date."""

    prop: np.ndarray  # property index
    start: np.ndarray  # int32 day numbers (Mondays)
    end: np.ndarray  # int32 day numbers (Sundays) or NO_END
    tenure: np.ndarray  # code into TENURES

    def __len__(self) -> int:
        return len(self.prop)


def _monday_before(days: np.ndarray) -> np.ndarray:
    """The Monday on or before each day number (day 0, 1970-01-01, was a Thursday)."""
    return days - (days + 3) % 7


def build_lettings(stock: Stock, cal: Calendar, rng: np.random.Generator) -> Lettings:
    """Tenancies of each property back from the end of the history, with voids between them."""
    n = len(stock)
    end_day = cal.end_day
    horizon = cal.first_day  # lettings that ended before the history are not exported
    mean_days = (
        np.where(
            stock.ptype == GARAGE,
            MEAN_YEARS["garage"],
            np.where(stock.temporary, MEAN_YEARS["temporary"], MEAN_YEARS["general"]),
        )
        * 365.25
    )
    # The current letting: how long ago it began (a stationary renewal process looks back
    # an exponential time with the same mean), up to MAX_YEARS.
    back = np.minimum(rng.exponential(mean_days), MAX_YEARS * 365.25).astype(np.int64)
    start = _monday_before(end_day - back)
    props, starts, ends = [np.arange(n)], [start], [np.full(n, NO_END, dtype=np.int64)]
    todo = np.flatnonzero(start > horizon)
    cur_start = start
    while len(todo):
        void_weeks = 1 + rng.geometric(1 / np.where(stock.temporary[todo], 1.5, 4.0))
        prev_end = cur_start[todo] - 7 * (void_weeks - 1) - 1  # a Sunday
        length = np.clip(rng.exponential(mean_days[todo]), 28, MAX_YEARS * 365.25).astype(np.int64)
        prev_start = _monday_before(prev_end + 1 - length)
        keep = prev_end >= horizon
        todo, prev_start, prev_end = todo[keep], prev_start[keep], prev_end[keep]
        props.append(todo)
        starts.append(prev_start)
        ends.append(prev_end)
        nxt = np.full(n, 0, dtype=np.int64)
        nxt[todo] = prev_start
        cur_start = nxt
        todo = todo[prev_start > horizon]
    prop = np.concatenate(props)
    st = np.concatenate(starts)
    en = np.concatenate(ends)
    order = np.lexsort((prop, st))
    prop, st, en = prop[order], st[order], en[order]
    tenure = _tenures(stock, prop, st, en, end_day, rng)
    return Lettings(prop.astype(np.int32), st.astype(np.int32), en.astype(np.int32), tenure)


def _tenures(
    stock: Stock,
    prop: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    end_day: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Tenure of each letting: a trial tenancy still in its trial keeps its trial tenure (the
    first year, or 18 months where the trial was extended)."""
    m = len(prop)
    last = np.minimum(end, end_day)
    in_trial = ((last - start) < 365) | (trial_extended(m) & ((last - start) < TRIAL_EXTENDED_DAYS))
    council = stock.council[prop]
    tenure = np.where(council, SECURE, ASSURED).astype(np.int8)
    tenure[council & in_trial & (rng.random(m) < 0.85)] = INTRODUCTORY
    tenure[~council & in_trial & (rng.random(m) < 0.7)] = STARTER
    # Fixed-term flexible tenancies were let by some councils between 2012 and 2020.
    flex_window = (start >= day_number_c(2012, 4, 1)) & (start < day_number_c(2020, 4, 1))
    tenure[council & flex_window & ~in_trial & (rng.random(m) < 0.08)] = FLEXIBLE
    temp = stock.temporary[prop]
    tenure[temp] = np.where(council[temp], NON_SECURE, LICENCE)
    tenure[stock.ptype[prop] == GARAGE] = GARAGE_T
    return tenure


# One letting in nine has its trial extended to 18 months (a landlord may extend an
# introductory or starter tenancy by six months); chosen by position, so no random draw moves.
TRIAL_EXTENDED_MONTHS = 18
TRIAL_EXTENDED_DAYS = 548


def trial_extended(m: int) -> np.ndarray:
    """Which of m lettings have an extended trial (if their tenure is a trial one)."""
    return np.arange(m) % 9 == 4


def day_number_c(y: int, m: int, d: int) -> int:
    """Day number of a calendar date given as numbers."""
    return day_number_of(y, m, d)
