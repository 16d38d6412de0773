"""The weekly loop: a chunk of tenancies simulated week by week, vectorised over tenancies.

Each week: charges are debited on Monday, benefits accrue and are paid on their cycles, tenants
pay by their persona, officers act (officer.py) on last Sunday's position, former tenants'
accounts are refunded, paid or written off. Balances are integer pence throughout.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from . import behaviour as bh
from .officer import Officer
from .payments import TenantPayments
from .records import (
    D_DD_RETURNED,
    D_DECEASED,
    D_DHP,
    D_HB,
    D_HB_OVERPAYMENT,
    D_OPENING,
    D_RECHARGE,
    D_REFUND,
    D_TPD,
    D_UC,
    D_WRITE_OFF,
    NULL,
    PAYMENT_TX,
    SIGN,
    TX,
    EventLog,
    Table,
)
from .rentcal import Calendar, day_number_of
from .truth import TECHNICAL_TOLERANCE

# Benefit claim status codes (assemble.CLAIM_STATUSES spells them).
CLAIMED, AWAITING, IN_PAYMENT, SUSPENDED, ENDED = range(5)
HB_RUN_ON_WEEKS = 2
UC_WAIT_DAYS = 35
UC_SINCE = day_number_of(2018, 6, 1)  # UC full service almost everywhere by then


@dataclass
class ChunkInput:
    """The tenancies of one chunk: global index range and their static facts."""

    lo: int
    council: np.ndarray  # council stock: housing benefit is a weekly rent rebate
    start: np.ndarray
    end: np.ndarray
    tenure: np.ndarray
    vulnerable: np.ndarray
    mental: np.ndarray
    channel: np.ndarray
    weekly: np.ndarray  # (n, rent years, 4) pence
    p: bh.Personas


def slice_personas(p: bh.Personas, lo: int, hi: int) -> bh.Personas:
    """The personas of tenancies lo..hi-1."""
    return bh.Personas(**{f.name: getattr(p, f.name)[lo:hi] for f in fields(p)})


class ChunkSim(TenantPayments):
    """State and weekly step of one chunk."""

    def __init__(self, cal: Calendar, inp: ChunkInput, rng: np.random.Generator, hb_phase: int):
        self.cal, self.inp, self.rng, self.hb_phase = cal, inp, rng, hb_phase
        self.p = inp.p
        n = self.n = len(inp.start)
        self.start = inp.start.astype(np.int64)
        self.end = inp.end.astype(np.int64).copy()
        self.end_reason = self.p.end_reason.copy()
        # Per rent year arrays are year-major (Y, n) so a week reads contiguous memory.
        self.weekly = np.ascontiguousarray(inp.weekly.transpose(1, 2, 0))  # (Y, 4, n)
        self.total = self.weekly.sum(axis=1)
        self.eligible = self.weekly[:, 0] + self.weekly[:, 1] + self.weekly[:, 3]
        cw = np.minimum(cal.chargeable_weeks, 52)[:, None]
        # UC's monthly housing costs: weekly eligible rent x chargeable weeks (max 52) / 12.
        self.uc_month = np.round(self.eligible * self.p.uc_share[None, :] * cw / 12).astype(
            np.int64
        )
        self.hb_week = np.round(self.eligible * self.p.hb_share[None, :]).astype(np.int64)
        # UC per chargeable week: the monthly amount spread over the weeks rent is charged.
        chargeable_weeks = cal.chargeable_weeks[:, None]
        self.uc_week = np.round(self.uc_month * 12 / chargeable_weeks).astype(np.int64)
        self.month_due = np.round(self.total * chargeable_weeks / 12).astype(np.int64)
        self.log = EventLog()
        # made: the day a UC claim made during the history was made (its story starts then).
        self.claims = Table("t", "benefit", "status", "status_day", "dtl", "expected", "freq",
                            "made")
        z64 = np.zeros(n, dtype=np.int64)
        self.bal = z64.copy()
        self.bal_prev = z64.copy()
        self.tech_prev = z64.copy()
        self.hb_owed = z64.copy()
        self.uc_owed = z64.copy()
        self.ten_pipe = z64.copy()
        self.carry_amt = z64.copy()
        self.carry_day = z64.copy()
        self.so_amount = z64.copy()
        self.so_missed = z64.copy()
        self.represent_week = np.full(n, bh.NEVER, dtype=np.int64)
        self.represent_amt = z64.copy()
        self.bal_hist = np.zeros((n, 5), dtype=np.int64)
        self.last_pay_week = np.full(n, -(10**6), dtype=np.int64)
        self.started = np.zeros(n, dtype=bool)
        self.closed = np.zeros(n, dtype=bool)  # end-of-tenancy processing done
        self.src = self.p.src0.copy()
        self.uc_claim = self.p.claim0.copy()
        self.uc_dom = self.p.uc_dom.copy()
        self.uc_paid = self.p.claim0 < 0  # a claim from long ago is already in payment
        self.apa = self.p.apa0.copy()
        self.tpd_amt = z64.copy()
        self.hb_row = np.full(n, -1, dtype=np.int64)
        self.uc_row = np.full(n, -1, dtype=np.int64)
        self.runon_until = np.full(n, -1, dtype=np.int64)
        self.fta_week = np.full(n, bh.NEVER, dtype=np.int64)
        self.refund_week = np.full(n, bh.NEVER, dtype=np.int64)
        self.end_week = np.full(n, bh.NEVER, dtype=np.int64)
        self.officer = Officer(self)
        k0, kw = cal.burn_in, cal.n_weeks - cal.burn_in
        self.k0 = k0
        # Each Sunday of the history: no real arrears (only what the payment cycle will clear).
        self.no_real = np.zeros((n, kw), dtype=bool)
        self.touched = np.zeros((n, kw), dtype=bool)
        s = len(cal.snapshot)
        self.snap_tech = np.zeros((n, s), dtype=np.int64)
        self.snap_bal = np.zeros((n, s), dtype=np.int64)
        self.snap_circ = np.zeros((n, s), dtype=np.int8)
        self.snap_fund = np.zeros((n, s), dtype=np.int8)
        self.snap_plan = np.zeros((n, s), dtype=bool)
        self._snap_pos = {int(k): i for i, k in enumerate(cal.snapshot)}

    # -- posting -------------------------------------------------------------------------------

    def post(self, mask: np.ndarray, day, typ, amt, desc: int = 0) -> np.ndarray:
        """Post transactions where mask holds (amounts in pence; zero amounts are skipped)."""
        idx = np.flatnonzero(mask)
        if len(idx) == 0:
            return idx
        if np.ndim(amt):
            a = amt[idx].astype(np.int64, copy=False)
            pos = a > 0
            if not pos.all():
                idx, a = idx[pos], a[pos]
        elif amt > 0:
            a = np.full(len(idx), amt, dtype=np.int64)
        else:
            return idx[:0]
        d = day[idx] if np.ndim(day) else day
        t = typ[idx] if np.ndim(typ) else typ
        self.bal[idx] += SIGN[t] * a
        self.log.add(idx, d, t, a, desc)
        paid = PAYMENT_TX[t]
        if np.ndim(paid):
            self.last_pay_week[idx[paid]] = self.k
        elif paid:
            self.last_pay_week[idx] = self.k
        return idx

    # -- the week ------------------------------------------------------------------------------

    def run(self, progress=None) -> None:
        """Simulate every week of the calendar."""
        for k in range(self.cal.n_weeks):
            self.week(k)
            if progress is not None:
                progress(1)

    def week(self, k: int) -> None:
        """One rent week, Monday to Sunday."""
        cal, n = self.cal, self.n
        self.k = k
        m = int(cal.mondays[k])
        y = int(cal.rent_year[k])
        window = k >= self.k0
        self.log.enabled = window
        # float32 draws: half the memory traffic, plenty of resolution for probabilities.
        u = self.rng.random((22, n), dtype=np.float32)
        self.u_officer = u[12:]
        act = (self.start <= m) & (m <= self.end)
        w_total = self.total[y]

        if k == self.k0:
            # The history opens with each running account's balance brought forward.
            carried = act & (self.start < m)
            self.log.add(
                np.flatnonzero(carried & (self.bal > 0)),
                m,
                TX["adjustment_debit"],
                self.bal[carried & (self.bal > 0)],
                D_OPENING,
            )
            self.log.add(
                np.flatnonzero(carried & (self.bal < 0)),
                m,
                TX["adjustment_credit"],
                -self.bal[carried & (self.bal < 0)],
                D_OPENING,
            )
        first = act & ~self.started
        if first.any():
            self._open(first, k, m, w_total)
        if self.carry_amt.any():
            c = self.carry_amt > 0
            self.post(c, self.carry_day, TX["payment_reversal"], self.carry_amt, D_DD_RETURNED)
            self.carry_amt[c] = 0

        if cal.chargeable[k]:
            for code, typ in enumerate((TX["rent"], TX["service"], TX["water"], TX["heating"])):
                self.post(act, m, typ, self.weekly[y, code])
        self._switch_funding(k, m, act, u)
        # Officers act before this week's payments (evictions and terminations end the
        # tenancy later this week: this week's rent stands).
        self.officer.week(k, m, act, w_total)
        self._benefits(k, m, y, act, u)
        self._tenant(k, m, y, act, w_total, u)
        self._former(k, m, act, u)
        if window:
            self.post(
                act & (u[11] < 0.0004),
                m + 2,
                TX["recharge"],
                (4000 + u[10] * 31000).astype(np.int64),
                D_RECHARGE,
            )
        self._close_week(k, m, y, act, w_total)

    def _open(self, first: np.ndarray, k: int, m: int, w_total: np.ndarray) -> None:
        """A tenancy's first simulated week: its benefit claims, rent paid in advance."""
        p = self.p
        self.started |= first
        hb = first & (self.src == bh.HB)
        idx = np.flatnonzero(hb)
        self.hb_row[idx] = self.claims.append(
            t=idx,
            benefit=0,
            status=IN_PAYMENT,
            status_day=self.start[idx],
            dtl=1,
            freq=np.where(self.inp.council[idx], 0, 2),
        )
        uc = np.flatnonzero(first & (self.src == bh.UC))
        fresh = self.uc_claim[uc] > 0
        since = np.maximum(self.start[uc], UC_SINCE)
        span = np.maximum(m - since, 0)
        old_day = since + (self.rng.random(len(uc)) * span).astype(np.int64)
        day = np.where(fresh, self.uc_claim[uc], np.minimum(old_day, m))
        self.uc_dom[uc[fresh]] = bh.uc_pay_dom(self.uc_claim[uc[fresh]])
        self.uc_row[uc] = self.claims.append(
            t=uc,
            benefit=1,
            status=np.where(fresh, AWAITING, IN_PAYMENT),
            status_day=day,
            dtl=self.apa[uc].astype(np.int64),
            freq=3,
            made=np.where(fresh, day, NULL),
        )
        adv = first & (p.advance_w > 0)
        self.post(adv, m, p.lump_type, np.round(w_total * p.advance_w).astype(np.int64))

    def _switch_funding(self, k: int, m: int, act: np.ndarray, u: np.ndarray) -> None:
        """Job losses, recoveries and the move from housing benefit to UC."""
        p = self.p
        sw = act & ((p.sw1 == k) | (p.sw2 == k))
        if not sw.any():
            return
        new = np.where(k >= p.sw2, p.src2, np.where(k >= p.sw1, p.src1, p.src0))
        to_uc = sw & (new == bh.UC) & (self.src != bh.UC)
        off_uc = sw & (new != bh.UC) & (self.src == bh.UC)
        from_hb = to_uc & (self.src == bh.HB)
        idx = np.flatnonzero(from_hb & (self.hb_row >= 0))
        self.claims.set("status", self.hb_row[idx], ENDED)
        self.claims.set("status_day", self.hb_row[idx], m + 7 * HB_RUN_ON_WEEKS - 1)
        self.runon_until[from_hb] = k + HB_RUN_ON_WEEKS
        idx = np.flatnonzero(to_uc)
        claim = m + (u[0][idx] * 5).astype(np.int64)
        self.uc_claim[idx] = claim
        self.uc_dom[idx] = bh.uc_pay_dom(claim)
        self.uc_paid[idx] = False
        self.uc_owed[idx] = 0
        self.apa[idx] = self.inp.vulnerable[idx] & (u[1][idx] < 0.25)
        self.uc_row[idx] = self.claims.append(
            t=idx,
            benefit=1,
            status=AWAITING,
            status_day=claim,
            dtl=self.apa[idx].astype(np.int64),
            freq=3,
            made=claim,
        )
        idx = np.flatnonzero(off_uc & (self.uc_row >= 0))
        self.claims.set("status", self.uc_row[idx], ENDED)
        self.claims.set("status_day", self.uc_row[idx], m)
        self.apa[off_uc] = False
        self.tpd_amt[off_uc] = 0
        self.uc_owed[off_uc] = 0
        self.src = np.where(sw, new, self.src).astype(np.int8)

    def _benefits(self, k: int, m: int, y: int, act: np.ndarray, u: np.ndarray) -> None:
        """Housing benefit four-weekly in arrears, UC monthly in arrears, TPD and DHP."""
        cal, p = self.cal, self.p
        council = self.inp.council
        if (k - self.hb_phase) % 4 == 0:
            # A housing association's four-weekly HB run pays what accrued before this week.
            self.post(self.hb_owed > 0, m + 3, TX["hb"], self.hb_owed, D_HB)
            self.hb_owed[:] = 0
        hb_on = act & ((self.src == bh.HB) | (k < self.runon_until))
        if (k - self.hb_phase) % 4 == 0:
            # Now and then the council finds it overpaid HB for a period the tenant was not to
            # blame and takes two to six weeks of it back from the landlord's run.
            back = hb_on & ~council & (self.rng.random(self.n) < 0.004)
            weeks = self.rng.integers(2, 7, self.n)
            self.post(back, m + 3, TX["adjustment_debit"], weeks * self.hb_week[y],
                      D_HB_OVERPAYMENT)
        chargeable = bool(cal.chargeable[k])
        if chargeable:
            # A council credits HB as a rent rebate with each week's rent: nothing in arrears.
            self.post(hb_on & council, m, TX["hb"], self.hb_week[y], D_HB)
            self.hb_owed += np.where(hb_on & ~council, self.hb_week[y], 0)
        uc_on = act & (self.src == bh.UC)
        uc_acc = self.uc_week[y]
        if chargeable:
            self.uc_owed += np.where(uc_on, uc_acc, 0)
        off = cal.dom_table[k][self.uc_dom]
        day = m + off.astype(np.int64)
        payday = uc_on & (off >= 0) & (day >= self.uc_claim + UC_WAIT_DAYS)
        self.payday = payday
        self.payday_day = day
        first_pay = payday & ~self.uc_paid
        if first_pay.any():
            idx = np.flatnonzero(first_pay & (self.uc_row >= 0))
            self.claims.set("status", self.uc_row[idx], IN_PAYMENT)
            self.claims.set("status_day", self.uc_row[idx], day[idx])
            self.uc_paid |= first_pay
        direct = payday & self.apa
        self.post(direct, day, TX["uc_direct"], self.uc_month[y], D_UC)
        self.uc_owed = np.where(
            payday, np.clip(self.uc_owed - self.uc_month[y], 0, uc_acc), self.uc_owed
        )
        tpd = payday & (self.tpd_amt > 0)
        self.post(tpd, day, TX["tpd"], self.tpd_amt, D_TPD)
        self.tpd_amt[tpd & (self.bal <= 0)] = 0
        dhp_on = act & (k >= p.dhp_week) & (k < p.dhp_week + p.dhp_len)
        dhp_on &= ((k - p.dhp_week) % 4 == 3) & (self.src != bh.NONE)
        short = np.clip(
            self.total[y] - np.where(self.src == bh.HB, self.hb_week[y], uc_acc), 0, 3000
        )
        self.post(dhp_on, m + 3, TX["dhp"], 4 * short, D_DHP)
        self.officer.dhp(k, m, act, short)

    def _former(self, k: int, m: int, act: np.ndarray, u: np.ndarray) -> None:
        """After a tenancy ends: claims end, credits are refunded, debts paid or written off."""
        ended = ~act & self.started & (self.end < m)
        new = ended & ~self.closed
        if new.any():
            self.closed |= new
            self.end_week[new] = k
            for rows in (self.hb_row, self.uc_row):
                idx = np.flatnonzero(new & (rows >= 0))
                live = self.claims.get("status", rows[idx]) != ENDED
                self.claims.set("status", rows[idx[live]], ENDED)
                self.claims.set("status_day", rows[idx[live]], self.end[idx[live]])
            self.tpd_amt[new] = 0
            self.refund_week[new] = k + 2 + (u[0][new] * 5).astype(np.int64)
            dead = self.end_reason == bh.END_DECEASED
            wo = np.where(dead, 8 + u[1] * 12, 26 + u[1] * 52).astype(np.int64)
            self.fta_week[new] = np.where(
                u[2][new] < np.where(dead[new], 0.9, 0.55), k + wo[new], bh.NEVER
            )
        if not self.closed.any():
            return
        fmr = self.closed & ~act
        self.post(
            fmr & (k == self.refund_week) & (self.bal <= -100),
            m + 2,
            TX["refund"],
            -self.bal,
            D_REFUND,
        )
        recent = fmr & (k - self.end_week < 52) & (self.bal > 0) & (u[3] < 0.015)
        amt = np.minimum(self.bal, 1000 + (u[4] * 7000).astype(np.int64) // 100 * 100)
        self.post(recent, m + 1 + (u[5] * 5).astype(np.int64), TX["payment_card"], amt)
        wo = fmr & (k == self.fta_week) & (self.bal > 0)
        desc = np.where(self.end_reason == bh.END_DECEASED, D_DECEASED, D_WRITE_OFF)
        for d in (D_DECEASED, D_WRITE_OFF):
            self.post(wo & (desc == d), m + 3, TX["write_off"], self.bal, d)

    def _close_week(self, k: int, m: int, y: int, act: np.ndarray, w_total: np.ndarray) -> None:
        """Sunday: remember the position for next week, the history and the ground truth."""
        pipe = self.hb_owed + np.where(self.apa, self.uc_owed, 0) + self.ten_pipe
        tech = np.clip(np.minimum(self.bal, pipe), 0, None)
        self.bal_prev = self.bal.copy()
        self.tech_prev = tech
        self.bal_hist[:, k % 5] = self.bal
        if k < self.k0:
            return
        kw = k - self.k0
        self.no_real[:, kw] = self.bal - tech <= TECHNICAL_TOLERANCE
        self.touched[:, kw] = self.officer.last_touch == k
        s = self._snap_pos.get(k)
        if s is None:
            return
        p = self.p
        self.snap_tech[:, s] = tech
        self.snap_bal[:, s] = self.bal
        shock = ((k >= p.shock_a) & (k < p.shock_a + p.shock_a_len)) | (
            (k >= p.shock_b) & (k < p.shock_b + p.shock_b_len)
        )
        wait = (self.src == bh.UC) & ~self.uc_paid
        worse = (p.persona == bh.JOB_LOSS) & (k >= p.sw1) & (k < p.sw2)
        recovered = (p.persona == bh.JOB_LOSS) & (k >= p.sw2)
        migrated = (p.persona == bh.HB_TO_UC) & (k >= p.sw1) & (k < p.sw1 + 26)
        circ = np.select([shock, wait, worse, migrated, recovered], [1, 2, 3, 4, 5], 0)
        self.snap_circ[:, s] = circ
        self.snap_fund[:, s] = np.where(self.src == bh.UC, np.where(self.apa, 3, 2), self.src)
        self.snap_plan[:, s] = self.officer.plan_active
