"""Officer history: a plausible, imperfect application of POLICY.md to each simulated account.

Officers look at last Sunday's position each week and act on some of what the policy proposes
(not all: caseloads are real), so reminders, letters, contacts, agreements, notices, court
cases, warrants, evictions and pauses appear with realistic lags. Tenants respond: a letter or
a call makes a lump payment likelier, an agreement or court order adds instalments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import behaviour as bh
from .legal import FAR, LegalSteps, notice_dates, notice_kind
from .records import D_ARRANGEMENT, D_DHP, NULL, TX, Table
from .vocab import (
    APA_REQUESTED,
    BREACH_LETTER,
    CH_EMAIL,
    CH_LETTER,
    CH_OFFICE,
    CH_PHONE,
    CH_VISIT,
    CONTACT_ATTEMPTED,
    CONTACT_MADE,
    LETTER_1,
    LETTER_2,
    MONEY_ADVICE,
    NOTE,
    REMINDER,
    REMINDER_CHANNEL,
    STATEMENT,
)

if TYPE_CHECKING:
    from .sim import ChunkSim

# Weekly chance that a tenancy in arrears starts each kind of pause.
PAUSE_P = np.array([0.0012, 0.0002, 0.0003, 0.0003, 0.0002, 0.0002, 0.0004])
PAUSE_DAYS = ((60, 60), (30, 180), (28, 84), (14, 70), (28, 56), (21, 63), (14, 42))
WEEKLY, MONTHLY = 0, 3  # frequency codes (weekly, fortnightly, four_weekly, monthly)


class Officer(LegalSteps):
    """The income team's recorded work on one chunk of tenancies."""

    def __init__(self, sim: ChunkSim):
        self.sim = sim
        n = sim.n
        self.actions = Table("t", "day", "code", "channel", "note")
        self.notices = Table("t", "kind", "served", "epd", "expiry")
        self.cases = Table(
            "t",
            "claim",
            "hearing",
            "outcome",
            "outcome_day",
            "possession",
            "terms",
            "terms_freq",
            "warrant",
            "eviction",
        )
        self.agreements = Table("t", "start", "bal", "inst", "freq", "status")
        self.pauses = Table("t", "reason", "start", "end", "note")
        self.promises = Table("t", "made", "due", "amount")
        # The benefits work: APA (kind 0) and deduction (kind 1) requests, DHP applications
        # (decision 0 award, 1 refusal).
        self.requests = Table("t", "kind", "requested", "accepted", "refused", "amount")
        self.dhp_apps = Table("t", "applied", "decision", "decided", "award")

        def full(v, dtype=np.int64):
            return np.full(n, v, dtype=dtype)

        self.kind = notice_kind(sim.inp.tenure)
        self.ep_start = full(-1)
        self.stage = full(0, np.int8)
        self.stage_week = full(FAR)
        self.reminder_week = full(FAR)
        self.attempts = full(0, np.int8)
        self.contacted = full(False, bool)
        self.last_touch = full(FAR)
        self.agr = full(-1)
        self.agr_week = full(FAR)
        self.breach_week = full(FAR)
        self.notice_served = full(FAR)
        self.notice_epd = full(FAR)
        self.notice_exp = full(FAR)
        self.warn_day = full(FAR)
        self.check_day = full(FAR)
        self.case = full(-1)
        self.case_stage = full(0, np.int8)  # 0 none, 1 awaiting hearing, 2 order, 3 warrant
        self.hearing = full(FAR)
        self.order = full(-1)
        self.order_day = full(FAR)
        self.possession = full(FAR)
        self.packed = full(-1)  # the court case whose hearing pack is prepared
        self.order_letter_day = full(FAR)  # the latest order breach letter
        self.breach_weeks = full(0)
        self.evict_day = full(NULL)
        self.pause_until = full(FAR)
        self.apa_req = full(False, bool)
        self.apa_at = full(bh.NEVER)
        self.tpd_at = full(bh.NEVER)
        self.dhp_at = full(bh.NEVER)
        self.dhp_amt = full(0)
        self.apa_row = full(-1)  # the request row of the tenancy's APA and deduction
        self.tpd_row = full(-1)
        # The repayment plan the tenant is paying: an agreement's or a court order's terms.
        self.plan_active = full(False, bool)
        self.plan_start = full(FAR)
        self.plan_bal = full(0)
        self.plan_amt = full(0)
        self.plan_freq = full(WEEKLY)
        self.plan_stop = full(bh.NEVER)

    # -- recording -----------------------------------------------------------------------------

    def _act(self, mask: np.ndarray, code: int, day: np.ndarray, channel, note=0):
        """Record an action where mask holds; it counts as officer contact for the tenant."""
        idx = np.flatnonzero(mask)
        if len(idx):
            ch = np.asarray(channel)[idx] if np.ndim(channel) else channel
            nt = np.asarray(note)[idx] if np.ndim(note) else note
            self.actions.append(t=idx, day=day[idx], code=code, channel=ch, note=nt)
            self.last_touch[idx] = self.sim.k
        return idx

    def _plan(
        self,
        idx: np.ndarray,
        day: np.ndarray,
        bal: np.ndarray,
        inst_w: np.ndarray,
        keep: np.ndarray,
        u: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Start paying a plan of weekly instalment inst_w (monthly payers pay monthly)."""
        s, p = self.sim, self.sim.p
        monthly = (
            (s.src[idx] == bh.NONE) & np.isin(p.method0[idx], [bh.M_DD_MONTHLY, bh.M_SO_MONTHLY])
        ) | ((s.src[idx] == bh.UC) & ~s.apa[idx])
        amt = np.where(monthly, np.round(inst_w * 52 / 12 / 100) * 100, inst_w).astype(np.int64)
        freq = np.where(monthly, MONTHLY, WEEKLY)
        self.plan_active[idx] = True
        self.plan_start[idx] = day
        self.plan_bal[idx] = bal
        self.plan_amt[idx] = amt
        self.plan_freq[idx] = freq
        lapse = s.k + 3 + (np.log(np.maximum(u, 1e-9)) / np.log(0.9)).astype(np.int64)
        self.plan_stop[idx] = np.where(keep, bh.NEVER, lapse)
        return amt, freq

    def _breached(self, mask: np.ndarray, day: int, arrears: np.ndarray) -> np.ndarray:
        """POLICY.md §4 where mask holds: arrears above what the plan allows at `day`."""
        idx = np.flatnonzero(mask)
        out = np.zeros(self.sim.n, dtype=bool)
        if not len(idx):
            return out
        first_due = self.plan_start[idx] + 5
        span = day - first_due
        n_per = np.where(self.plan_freq[idx] == MONTHLY, span // 30 + 1, span // 7 + 1)
        bal = self.plan_bal[idx]
        exp = np.where(day < first_due, bal, np.maximum(0, bal - n_per * self.plan_amt[idx]))
        out[idx] = arrears[idx] > exp
        return out

    # -- the week ------------------------------------------------------------------------------

    def week(self, k: int, m: int, act: np.ndarray, w: np.ndarray) -> None:
        """This week's officer work, on last Sunday's position."""
        s = self.sim
        u = s.u_officer
        day = m + 1 + (u[0] * 3).astype(np.int64)  # Tuesday to Thursday
        bal = s.bal_prev
        arrears = np.maximum(bal - s.tech_prev, 0)  # actionable: technical arrears excluded

        clear = act & (bal <= 0)
        self.stage[clear] = 0
        self.attempts[clear] = 0
        self.contacted[clear] = False
        self.apa_req[clear] = False
        self.ep_start[clear] = -1
        self.ep_start[act & (bal > 0) & (self.ep_start < 0)] = k

        self._benefit_changes(k, m, act)
        paused = act & (self.pause_until >= m)
        evicted = self._evictions(k, m, act, paused)
        free = act & ~evicted & ~paused
        self._new_pauses(free & (arrears >= 2 * w), m, u)
        free &= ~(self.pause_until >= m)
        self._court(k, m, day, free, arrears, w, u)
        agreed = self._agreements(k, m, day, free, bal, arrears, u)
        ladder = free & ~agreed & ((self.case_stage == 0) | (self.case_stage == 4))
        self._ladder(k, m, day, ladder, bal, arrears, w, u)

    def _benefit_changes(self, k: int, m: int, act: np.ndarray) -> None:
        """APA and third party deductions the officer asked DWP for start some weeks later."""
        s = self.sim
        now = act & (self.apa_at == k) & (s.src == bh.UC)
        idx = np.flatnonzero(now)
        if len(idx):
            s.apa[idx] = True
            rows = s.uc_row[idx]
            ok = rows >= 0
            s.claims.set("dtl", rows[ok], 1)
            s.claims.set("status_day", rows[ok], m)
            # DWP tells us it accepted the request a week before the first managed payment.
            asked = self.apa_row[idx]
            self.requests.set("accepted", asked[asked >= 0], m - 7)
        self.apa_at[self.apa_at == k] = bh.NEVER
        tpd = act & (self.tpd_at == k) & (s.src == bh.UC) & (s.bal_prev > 0)
        # Deductions are 10-20% of the UC standard allowance (about £400 a month).
        s.tpd_amt[tpd] = (4000 + s.rng.integers(0, 41, s.n) * 100)[tpd]
        asked = self.tpd_row[tpd]
        self.requests.set("accepted", asked[asked >= 0], m - 7)
        self.requests.set("amount", asked[asked >= 0], s.tpd_amt[tpd][asked >= 0])
        self.tpd_at[self.tpd_at == k] = bh.NEVER

    def _new_pauses(self, cand: np.ndarray, m: int, u: np.ndarray) -> None:
        """Breathing space, bereavement, hospital stays, complaints and disputes pause recovery."""
        s = self.sim
        # Draw against the largest total chance first: few tenancies get past this.
        idx = np.flatnonzero(cand & (u[1] < PAUSE_P.sum() + 5 * PAUSE_P[1]))
        if not len(idx):
            return
        probs = np.tile(PAUSE_P, (len(idx), 1))
        probs[:, 1] = np.where(s.inp.mental[idx], PAUSE_P[1] * 6, PAUSE_P[1])
        reason = (u[1][idx][:, None] > np.cumsum(probs, axis=1)).sum(axis=1)
        keep = reason < len(PAUSE_P)
        idx, r = idx[keep], reason[keep]
        if not len(idx):
            return
        lo = np.array([a for a, _ in PAUSE_DAYS])[r]
        hi = np.array([b for _, b in PAUSE_DAYS])[r]
        start = m + 1 + (u[2][idx] * 4).astype(np.int64)
        length = lo + (u[3][idx] * (hi - lo + 1)).astype(np.int64)
        until = start + length - 1
        end_day = s.cal.end_day
        # A standard breathing space often has no recorded end (it lasts 60 days); a
        # mental-health crisis one runs until its end is recorded.
        no_end = ((r == 0) & (u[4][idx] < 0.4)) | ((r == 1) & (until > end_day))
        self.pauses.append(
            t=idx,
            reason=r,
            start=start,
            end=np.where(no_end, NULL, until),
            note=np.where(r == 5, 6, 0),
        )
        self.pause_until[idx] = np.where((r == 1) & no_end, bh.NEVER * 10, until)
        self.last_touch[idx] = s.k

    def _agreements(
        self,
        k: int,
        m: int,
        day: np.ndarray,
        free: np.ndarray,
        bal: np.ndarray,
        arrears: np.ndarray,
        u: np.ndarray,
    ) -> np.ndarray:
        """POLICY.md §4 on live agreements: complete, kept, breach letter, then cancelled."""
        live = free & (self.agr >= 0)
        done = live & (bal <= 0)
        self.agreements.set("status", self.agr[done], 2)
        self.plan_active[done & (self.case_stage != 2)] = False
        self.agr[done] = -1
        live &= ~done
        breached = self._breached(live, m, arrears)
        letter = breached & (self.breach_week < self.agr_week) & (u[5] < 0.8)
        self._act(letter, BREACH_LETTER, day, CH_LETTER)
        self.breach_week[letter] = k
        cancel = breached & (self.breach_week >= self.agr_week) & (k - self.breach_week >= 1)
        cancel &= u[6] < 0.7
        self.agreements.set("status", self.agr[cancel], 1)
        self.agr[cancel] = -1
        self.plan_active[cancel] = False
        self.last_touch[cancel] = k
        return live & ~cancel

    def _ladder(
        self,
        k: int,
        m: int,
        day: np.ndarray,
        cand: np.ndarray,
        bal: np.ndarray,
        arrears: np.ndarray,
        w: np.ndarray,
        u: np.ndarray,
    ) -> None:
        """POLICY.md §5: reminders, letters, contact, agreements, APA, notices, court."""
        s, p = self.sim, self.sim.p
        cand = cand & (arrears >= 500)
        reducing = (
            (self.ep_start >= 0)
            & (self.ep_start <= k - 4)
            & (bal <= s.bal_hist[:, k % 5] - 100)
            & (s.last_pay_week >= k - 4)
        )
        cand &= ~reducing
        valid = (self.notice_served <= m) & (m <= self.notice_exp)
        court_ready = cand & valid & (m + 2 >= self.notice_epd) & (arrears >= 4 * w)
        self._pre_court(k, m, day, court_ready, u)
        letters = cand & ~court_ready & ~(valid & (m < self.notice_epd))

        st = self.stage.copy()
        l1 = letters & (st <= 1) & (arrears >= 1000) & (u[1] < 0.9)
        rem = letters & (st == 0) & (arrears < 1000) & (k - self.reminder_week >= 1) & (u[1] < 0.6)
        self._act(rem, REMINDER, day, REMINDER_CHANNEL[s.inp.channel])
        self.reminder_week[rem] = k
        self.stage[rem] = 1
        ch = np.where((s.inp.channel == 1) & (u[2] < 0.5), CH_EMAIL, CH_LETTER)
        self._act(l1, LETTER_1, day, ch)
        l2 = letters & (st == 2) & (k - self.stage_week >= 2) & (arrears >= 1000) & (u[1] < 0.85)
        self._act(l2, LETTER_2, day, ch)
        self.stage[l1] = 2
        self.stage[l2] = 3
        self.stage_week[l1 | l2] = k

        try_ = letters & (st == 3) & ~self.contacted & (k - self.stage_week >= 1) & (u[3] < 0.55)
        boosted = k - self.last_touch <= 1
        made = try_ & (u[4] < p.contact_p * np.where(boosted, 1.2, 1.0))
        how = np.where(u[2] < 0.7, CH_PHONE, np.where(u[2] < 0.95, CH_VISIT, CH_OFFICE))
        self._act(made, CONTACT_MADE, day, how)
        missed = try_ & ~made
        self._act(missed, CONTACT_ATTEMPTED, day, how, np.where(how == CH_VISIT, 3, 0))
        self.attempts[missed] += 1
        self.contacted |= made | (self.attempts >= 3)
        self._contact_outcomes(k, m, day, made, bal, arrears, w, u)

        on_uc = (s.src == bh.UC) & ~s.apa
        after = letters & self.contacted & (self.agr < 0) & (arrears >= 4 * w) & ~valid
        apa = after & on_uc & (arrears >= 8 * w) & ~self.apa_req & (u[5] < 0.5)
        self._request_apa(apa, k, day, u)
        pending = (s.src == bh.UC) & ~s.uc_paid
        serve = after & ~apa & ~pending & (u[6] < 0.2)
        idx = np.flatnonzero(serve)
        if len(idx):
            kind = self.kind[idx]
            epd, exp = notice_dates(kind, day[idx])
            self.notices.append(t=idx, kind=kind, served=day[idx], epd=epd, expiry=exp)
            self.notice_served[idx] = day[idx]
            self.notice_epd[idx] = epd
            self.notice_exp[idx] = exp
            self.last_touch[idx] = k

    def _contact_outcomes(
        self,
        k: int,
        m: int,
        day: np.ndarray,
        made: np.ndarray,
        bal: np.ndarray,
        arrears: np.ndarray,
        w: np.ndarray,
        u: np.ndarray,
    ) -> None:
        """What a conversation leads to: an agreement, money advice, a statement, a note."""
        s, p = self.sim, self.sim.p
        agree = made & (self.agr < 0) & (arrears >= 1000) & (u[5] < 0.65)
        idx = np.flatnonzero(agree)
        if len(idx):
            a = arrears[idx]
            inst_w = np.clip(np.round(a / (15 + u[6][idx] * 37) / 50) * 50, 300, 3000)
            keep = u[7][idx] < p.keeper_p[idx]
            amt, freq = self._plan(idx, day[idx], a, inst_w, keep, u[8][idx])
            self.agr[idx] = self.agreements.append(
                t=idx, start=day[idx], bal=a, inst=amt, freq=freq, status=0
            )
            self.agr_week[idx] = k
        self._act(agree & (u[9] < 0.5), NOTE, day, -1, 1)
        advice = made & (u[3] < 0.25)
        self._act(advice, MONEY_ADVICE, day, CH_PHONE)
        # Money advice finds some benefit tenants a Discretionary Housing Payment for arrears.
        dhp = advice & (s.src != bh.NONE) & (u[4] < 0.3)
        self.dhp_at[dhp] = k + 3
        self.dhp_amt[dhp] = np.minimum(arrears, 15000 + (u[8] * 450).astype(np.int64) * 100)[dhp]
        # The application goes in the next day; the council pays an award within three weeks
        # and refuses some applications after four.
        self.dhp_apps.append(t=np.flatnonzero(dhp), applied=day[dhp] + 1, decision=0,
                             decided=day[dhp] + 19, award=self.dhp_amt[dhp])
        refused = advice & (s.src != bh.NONE) & (u[4] >= 0.3) & (u[4] < 0.4)
        self.dhp_apps.append(t=np.flatnonzero(refused), applied=day[refused] + 1, decision=1,
                             decided=day[refused] + 29)
        self._act(
            made & (u[2] < 0.08),
            STATEMENT,
            day,
            np.where(s.inp.channel == 1, CH_EMAIL, CH_LETTER),
            4,
        )
        self._act(made & ~agree & (u[9] < 0.15), NOTE, day, -1, 2)
        self._promises(m, day, made & ~agree & (u[8] < 0.45), arrears, w, u)
        on_uc = (s.src == bh.UC) & ~s.apa
        apa = made & on_uc & (arrears >= 8 * w) & ~self.apa_req & (u[1] < 0.8)
        self._request_apa(apa, k, day, u)

    def _promises(
        self, m: int, day: np.ndarray, promise: np.ndarray, arrears: np.ndarray, w: np.ndarray,
        u: np.ndarray,
    ) -> None:
        """A tenant who will not agree a plan often promises a sum within days; keepers pay it
        (by the Sunday, so the week's position sees it), the rest do not (POLICY.md §3.10)."""
        s = self.sim
        idx = np.flatnonzero(promise & (arrears >= 500))
        if not len(idx):
            return
        a = np.maximum(np.minimum(arrears[idx], np.maximum(w[idx], 1000)), 500)
        amount = (np.round(a / 500) * 500).astype(np.int64)
        due = day[idx] + 2 + (u[6][idx] * 5).astype(np.int64)
        self.promises.append(t=idx, made=day[idx], due=due, amount=amount)
        kept = np.zeros(s.n, dtype=bool)
        kept[idx[u[7][idx] < s.p.keeper_p[idx]]] = True
        pay_day = np.zeros(s.n, dtype=np.int64)
        pay_day[idx] = np.minimum(np.minimum(due, m + 6), s.cal.end_day)
        paid = np.zeros(s.n, dtype=np.int64)
        paid[idx] = amount
        s.post(kept, pay_day, s.p.lump_type, paid, D_ARRANGEMENT)

    def _request_apa(self, mask: np.ndarray, k: int, day: np.ndarray, u: np.ndarray) -> None:
        """Ask DWP for a managed payment (and sometimes a deduction for the arrears)."""
        self._act(mask, APA_REQUESTED, day, CH_OFFICE)
        self.apa_req |= mask
        ok = mask & (u[2] < 0.75)
        self.apa_at[ok] = k + 6 + (u[3][ok] * 5).astype(np.int64)
        tpd = ok & (u[4] < 0.5)
        self.tpd_at[tpd] = k + 8 + (u[5][tpd] * 5).astype(np.int64)
        # The requests as the officer records them; DWP refuses the others after four weeks.
        refused = np.where(ok, NULL, day + 28)
        self.apa_row[mask] = self.requests.append(
            t=np.flatnonzero(mask), kind=0, requested=day[mask], refused=refused[mask])
        self.tpd_row[tpd] = self.requests.append(t=np.flatnonzero(tpd), kind=1,
                                                 requested=day[tpd])

    # -- tenant side ---------------------------------------------------------------------------

    def plan_payments(self, k: int, m: int, act: np.ndarray, u: np.ndarray) -> None:
        """Instalments of agreements and court orders, until a tenant who breaks them stops."""
        s, p = self.sim, self.sim.p
        on = act & self.plan_active & (s.bal_prev > 0)
        if not on.any():
            return
        dom_off = s.cal.dom_table[k][p.pay_dom].astype(np.int64)
        due = on & np.where(self.plan_freq == MONTHLY, dom_off >= 0, True)
        off = np.where(self.plan_freq == MONTHLY, np.maximum(dom_off, 0), p.pay_wday)
        pays = due & (u[10] < np.where(k < self.plan_stop, 0.93, 0.05))
        s.post(pays, m + off, p.lump_type, self.plan_amt, D_ARRANGEMENT)

    def dhp(self, k: int, m: int, act: np.ndarray, short: np.ndarray) -> None:
        """A one-off Discretionary Housing Payment towards arrears, after money advice."""
        now = act & (self.dhp_at == k)
        if now.any():
            self.sim.post(now, m + 3, TX["dhp"], self.dhp_amt, D_DHP)
            self.dhp_at[now] = bh.NEVER
