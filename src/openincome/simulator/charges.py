"""Weekly charges of each tenancy for each rent year, and the effective-dated charges.csv rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from .rentcal import ANCHOR_RENT_YEAR, NO_END, WATER_INCREASE, Calendar, rent_index
from .stock import BEDSIT, FLAT, GARAGE, HOUSE, MAISONETTE, Lettings, Stock

CHARGE_CODES = ("rent", "service", "water", "heating")
RENT, SERVICE, WATER, HEATING = range(4)

# 2025/26 weekly social rent on a 52-week basis, by bedrooms (0 = bedsit).
BASE_RENT = np.array([82.0, 92.0, 104.0, 116.0, 130.0])
COUNCIL_FACTOR, HA_FACTOR = 0.95, 1.06
# The landlord charges 50 weeks a year (two rent-free weeks at Christmas), so each weekly
# charge is the 52-week figure x 52/50; a rent year with 53 Mondays charges 51 weeks.
FIFTY_WEEK_UPLIFT = 52 / 50


@dataclass
class Charges:
    """Weekly amounts in pence, shape (tenancies, rent years, 4 charge codes)."""

    weekly: np.ndarray

    def total(self) -> np.ndarray:
        """Total weekly charge per tenancy and rent year (pence)."""
        return self.weekly.sum(axis=2)

    def eligible(self) -> np.ndarray:
        """The part of the weekly charge housing benefit and UC can cover (not water)."""
        return self.weekly[:, :, RENT] + self.weekly[:, :, SERVICE] + self.weekly[:, :, HEATING]


def build_charges(
    stock: Stock, lettings: Lettings, cal: Calendar, rng: np.random.Generator
) -> Charges:
    """Rents by bedrooms and regime, service, water and heating charges, raised each April."""
    m = len(lettings)
    p = lettings.prop
    ptype = stock.ptype[p]
    beds = np.clip(stock.bedrooms[p], 0, 4)
    temporary = stock.temporary[p]
    council = stock.council[p]
    rent = BASE_RENT[beds] * np.where(council, COUNCIL_FACTOR, HA_FACTOR)
    rent *= rng.lognormal(0.0, 0.06, m)
    rent = np.where(temporary, rng.uniform(135, 190, m), rent)
    rent = np.where(ptype == GARAGE, rng.uniform(11.5, 16.5, m), rent)
    service = np.zeros(m)
    svc = stock.service[p]
    service = np.where(svc & (ptype == FLAT), rng.uniform(6, 22, m), service)
    service = np.where(svc & (ptype == BEDSIT), rng.uniform(8, 20, m), service)
    service = np.where(svc & (ptype == MAISONETTE), rng.uniform(4, 12, m), service)
    service = np.where(svc & (ptype == HOUSE), rng.uniform(2, 6, m), service)
    service *= np.where(council, 0.8, 1.0)
    water = np.where(stock.water[p], 6.5 + 1.2 * beds + rng.uniform(-0.5, 0.5, m), 0.0)
    heating = np.where(temporary, rng.uniform(9, 14, m), 0.0)

    idx = rent_index(cal.rent_years)
    widx = np.array([(1 + WATER_INCREASE) ** (y - ANCHOR_RENT_YEAR) for y in cal.rent_years])
    n_years = len(cal.rent_years)
    weekly = np.zeros((m, n_years, 4), dtype=np.int64)
    base = np.stack([rent, service, water, heating], axis=1) * FIFTY_WEEK_UPLIFT * 100
    # Each landlord rounds its own way; a little per-year noise keeps rents from moving in step.
    jitter = 1 + rng.normal(0, 0.002, (m, n_years))
    for y in range(n_years):
        f = np.array([idx[y], idx[y], widx[y], idx[y]])
        weekly[:, y, :] = np.round(base * f[None, :] * jitter[:, y, None]).astype(np.int64)
    weekly[:, :, SERVICE] = np.where(weekly[:, :, SERVICE] < 50, 0, weekly[:, :, SERVICE])
    return Charges(weekly)


def charge_rows(
    charges: Charges, lettings: Lettings, end: np.ndarray, cal: Calendar, refs: np.ndarray
) -> pl.DataFrame:
    """charges.csv: one row per tenancy, charge code and rent year of the exported history."""
    first = cal.first_day
    life_from = np.maximum(lettings.start, first)
    life_to = np.minimum(end, cal.end_day)
    y_from = cal.rent_year[cal.week_of(life_from)].astype(np.int64)
    y_to = cal.rent_year[cal.week_of(life_to)].astype(np.int64)
    # The first Monday of each rent year in the calendar (the first rent year may start
    # before the calendar does; rows never start before the history anyway).
    n_years = len(cal.rent_years)
    y_start = np.full(n_years + 1, NO_END, dtype=np.int64)
    for y in range(n_years):
        y_start[y] = int(cal.mondays[np.flatnonzero(cal.rent_year == y)[0]])
    # A tenancy that ended before the history starts has no charge rows at all (week_of clips
    # both ends into the calendar, so the year count alone would give it one).
    counts = np.where(life_to < life_from, 0, (y_to - y_from + 1).clip(min=0))
    t = np.repeat(np.arange(len(lettings)), counts)
    offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    y = y_from[t] + offs
    eff_from = np.maximum(y_start[y], life_from[t])
    last = y == y_to[t]
    ended = end[t] != NO_END
    eff_to = np.where(last, np.where(ended, end[t], -1), y_start[y + 1] - 1)
    frames = []
    codes = np.array(CHARGE_CODES)
    for code in range(4):
        amount = charges.weekly[t, y, code]
        keep = amount > 0
        frames.append(
            pl.DataFrame(
                {
                    "_t": t[keep],
                    "_c": np.full(int(keep.sum()), code, dtype=np.int8),
                    "_from": eff_from[keep].astype(np.int32),
                    "_to": eff_to[keep].astype(np.int32),
                    "amount": amount[keep],
                }
            )
        )
    df = pl.concat(frames).sort(["_t", "_c", "_from"])
    return pl.DataFrame(
        {
            "tenancy_ref": refs[df["_t"].to_numpy()],
            "charge_code": codes[df["_c"].to_numpy()],
            "amount": df["amount"],
            "frequency": np.full(df.height, "weekly"),
            "effective_from": df["_from"].cast(pl.Date),
            "effective_to": df.select(
                pl.when(pl.col("_to") >= 0).then(pl.col("_to")).cast(pl.Date)
            ).to_series(),
        }
    )
