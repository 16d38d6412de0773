"""Legal steps of the officer history: notices by tenure (POLICY.md §6), court claims,
hearings and orders monitored like agreements, warrants and evictions."""

from __future__ import annotations

import numpy as np

from . import behaviour as bh
from .records import D_COURT_COSTS, NULL, TX
from .rentcal import add_months, next_sunday
from .stock import (
    ASSURED,
    FLEXIBLE,
    GARAGE_T,
    INTRODUCTORY,
    LICENCE,
    NON_SECURE,
    SECURE,
    STARTER,
)
from .vocab import (
    ADJ_GEN,
    AOT,
    CH_LETTER,
    CH_OFFICE,
    CHECKLIST,
    COURT_WARNING,
    HEARING_PACK,
    INTRO,
    NOSP,
    NOTE,
    NOTE_GARAGE_ENDED,
    NTQ,
    ORDER_BREACH_LETTER,
    OUTRIGHT,
    PPO,
    S8,
    SPO,
    WITHDRAWN,
)

COURT_COSTS = 35500  # fixed costs added on a possession order, pence
FAR = -(10**6)  # a week or day long before anything simulated


def notice_kind(tenure: np.ndarray) -> np.ndarray:
    """POLICY.md §6: the notice each tenure takes."""
    kind = np.full(len(tenure), NTQ, dtype=np.int64)
    kind[(tenure == SECURE) | (tenure == FLEXIBLE)] = NOSP
    kind[tenure == INTRODUCTORY] = INTRO
    kind[(tenure == ASSURED) | (tenure == STARTER)] = S8
    kind[(tenure == LICENCE) | (tenure == NON_SECURE) | (tenure == GARAGE_T)] = NTQ
    return kind


def notice_dates(kind: np.ndarray, served: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """POLICY.md §6 earliest-proceedings and expiry dates for weekly rent periods."""
    epd = np.where(kind == S8, served + 14, next_sunday(served + 28))
    expiry = np.where((kind == NOSP) | (kind == INTRO), add_months(epd, 12), add_months(served, 12))
    return epd, expiry


class LegalSteps:
    """Court work of the Officer (a mixin: the state lives on Officer)."""

    def _evictions(self, k: int, m: int, act: np.ndarray, paused: np.ndarray) -> np.ndarray:
        """Bailiff appointments that fall this week end the tenancy (none in a pause: a
        breathing space stops enforcement, and the appointment lapses)."""
        s = self.sim
        due = act & (self.evict_day >= m) & (self.evict_day <= m + 6)
        self.evict_day[due & paused] = NULL
        ev = due & ~paused
        if ev.any():
            s.end[ev] = self.evict_day[ev]
            s.end_reason[ev] = bh.END_EVICTED
            self.plan_active[ev] = False
            self.case_stage[ev] = 4
            self.last_touch[ev] = k
        return ev

    def _court(
        self,
        k: int,
        m: int,
        day: np.ndarray,
        free: np.ndarray,
        arrears: np.ndarray,
        w: np.ndarray,
        u: np.ndarray,
    ) -> None:
        """Hearings, orders monitored like agreements, warrants and bailiff appointments."""
        s = self.sim
        # POLICY.md §3.7: most officers prepare within ten days of the hearing.
        soon = free & (self.case_stage == 1) & (self.hearing >= day) & (self.hearing - day <= 10)
        pack = soon & (self.packed != self.case) & (u[7] < 0.75)
        self._act(pack, HEARING_PACK, day, CH_OFFICE)
        self.packed[pack] = self.case[pack]
        hear = free & (self.case_stage == 1) & (self.hearing <= m + 6)
        hear &= self.hearing <= s.cal.end_day
        idx = np.flatnonzero(hear)
        if len(idx):
            a = arrears[idx]
            r = u[5][idx]
            cum = np.cumsum([0.07, 0.60, 0.03, 0.18, 0.06, 0.03, 0.03])
            outcome = (r[:, None] > cum[None, :]).sum(axis=1)
            low = a <= w[idx]
            outcome = np.where(low, np.where(r < 0.7, WITHDRAWN, ADJ_GEN), outcome)
            hd = self.hearing[idx]
            rows = self.case[idx]
            self.cases.set("outcome", rows, outcome)
            self.cases.set("outcome_day", rows, hd)
            order = np.isin(outcome, [OUTRIGHT, SPO, PPO, AOT])
            costs = np.zeros(s.n, dtype=bool)
            costs[idx[order]] = True
            cday = np.zeros(s.n, dtype=np.int64)
            cday[idx] = np.maximum(hd, m)  # a late-recorded hearing posts costs now
            s.post(costs, cday, TX["court_costs"], COURT_COSTS, D_COURT_COSTS)
            terms = order & (outcome != OUTRIGHT)
            ti = idx[terms]
            inst_w = np.clip(np.round(a[terms] / (40 + u[6][ti] * 70) / 50) * 50, 375, 2000)
            keep = u[7][ti] < np.minimum(s.p.keeper_p[ti] + 0.15, 0.95)
            amt, freq = self._plan(ti, hd[terms], a[terms] + COURT_COSTS, inst_w, keep, u[8][ti])
            self.cases.set("terms", rows[terms], amt)
            self.cases.set("terms_freq", rows[terms], freq)
            out = idx[outcome == OUTRIGHT]
            poss = self.hearing[out] + np.where(u[6][out] < 0.5, 14, 28)
            self.possession[out] = poss
            self.cases.set("possession", self.case[out], poss)
            self.order[idx] = outcome
            self.order_day[idx] = hd
            self.breach_weeks[idx] = 0
            self.case_stage[idx] = np.where(order, 2, 4)
            self.last_touch[idx] = k

        mon = free & (self.case_stage == 2)
        terms = mon & np.isin(self.order, [SPO, PPO, AOT]) & self.plan_active
        breached = self._breached(terms, m, arrears)
        self.breach_weeks = np.where(breached, self.breach_weeks + 1, 0)
        # Breached adjourned-on-terms orders go back to court and come out as suspended orders.
        restore = breached & (self.order == AOT) & (self.breach_weeks >= 6) & (u[5] < 0.3)
        idx = np.flatnonzero(restore)
        if len(idx):
            self.cases.set("hearing", self.case[idx], day[idx])
            self.cases.set("outcome", self.case[idx], SPO)
            self.cases.set("outcome_day", self.case[idx], day[idx])
            self.order[idx] = SPO
            self.breach_weeks[idx] = 0
            self.last_touch[idx] = k
        # POLICY.md §3.8: a broken order gets a warning letter first, and 14 days.
        order_breach = breached & np.isin(self.order, [SPO, PPO])
        lapsed = (self.order_letter_day < self.order_day) | (day - self.order_letter_day > 56)
        letter = order_breach & lapsed & (u[6] < 0.8)
        self._act(letter, ORDER_BREACH_LETTER, day, CH_LETTER)
        self.order_letter_day[letter] = day[letter]
        warned = order_breach & ~lapsed & (m - self.order_letter_day >= 14)
        fixed = self.possession > FAR
        # A postponed order needs the court to fix a possession date before any warrant.
        fix = warned & (self.order == PPO) & ~fixed & (self.breach_weeks >= 8) & (u[5] < 0.15)
        idx = np.flatnonzero(fix)
        if len(idx):
            poss = day[idx] + 28 + (u[6][idx] * 28).astype(np.int64)
            self.possession[idx] = poss
            self.cases.set("possession", self.case[idx], poss)
            self.last_touch[idx] = k
        warrant = warned & (self.order == SPO) & (self.breach_weeks >= 8) & (u[5] < 0.15)
        outright = (self.order == OUTRIGHT) | ((self.order == PPO) & fixed)
        warrant |= mon & outright & (m > self.possession) & (arrears > 0) & (u[5] < 0.3)
        idx = np.flatnonzero(warrant)
        if len(idx):
            self.cases.set("warrant", self.case[idx], day[idx])
            # Many warrants are suspended on the tenant's application; the rest are executed.
            go = u[9][idx] < np.where(self.order[idx] == OUTRIGHT, 0.7, 0.45)
            ev = day[idx] + 35 + (u[6][idx] * 28).astype(np.int64)
            self.evict_day[idx[go]] = ev[go]
            self.case_stage[idx] = 3
            self.last_touch[idx] = k
        # A tenant who pays up before the bailiff comes gets the eviction suspended.
        stop = free & (self.case_stage == 3) & (self.evict_day > m + 6) & (arrears <= 2 * w)
        self.evict_day[stop & (u[4] < 0.5)] = NULL

    def _pre_court(self, k: int, m: int, day: np.ndarray, ready: np.ndarray, u: np.ndarray) -> None:
        """After the notice: court warning, pre-action checklist, then the claim."""
        s = self.sim
        warned = self.warn_day >= self.notice_served
        warn = ready & ~warned & (u[1] < 0.6)
        self._act(warn, COURT_WARNING, day, CH_LETTER)
        self.warn_day[warn] = day[warn]
        pending = (s.src == bh.UC) & ~s.uc_paid
        go = ready & warned & (m - self.warn_day >= 14) & ~pending
        checked = self.check_day >= self.notice_served
        check = go & ~checked & (u[2] < 0.6)
        self._act(check, CHECKLIST, day, CH_OFFICE)
        self.check_day[check] = day[check]
        claim = go & checked & (m - self.check_day >= 7) & (u[3] < 0.35)
        garage = claim & (s.inp.tenure == GARAGE_T)
        # A garage let is simply ended once its notice to quit has run out.
        self._act(garage, NOTE, day, -1, NOTE_GARAGE_ENDED)
        s.end[garage] = np.minimum(s.end[garage], m + 6)
        s.end_reason[garage] = bh.END_TERMINATED
        idx = np.flatnonzero(claim & ~garage)
        if len(idx):
            hearing = day[idx] + 42 + (u[4][idx] * 43).astype(np.int64)
            self.case[idx] = self.cases.append(t=idx, claim=day[idx], hearing=hearing)
            self.hearing[idx] = hearing
            # A later claim on the same notice needs a fresh warning and checklist.
            self.warn_day[idx] = FAR
            self.check_day[idx] = FAR
            self.case_stage[idx] = 1
            self.last_touch[idx] = k
