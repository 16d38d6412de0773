"""The tenant's own payments each week, by persona: Direct Debits (with returns and
re-presentations), standing orders, weekly cash and card payers, irregular payers, UC claimants
paying once their UC lands, lump sums towards real arrears. A mixin of sim.ChunkSim."""

from __future__ import annotations

import numpy as np

from . import behaviour as bh
from .records import D_DD_RETURNED, D_REPRESENTED, TX


class TenantPayments:
    """Weekly tenant payments (state lives on ChunkSim)."""

    def _tenant(
        self, k: int, m: int, y: int, act: np.ndarray, w_total: np.ndarray, u: np.ndarray
    ) -> None:
        """The tenant's own payments: schedule, lump sums towards arrears, repayment plans."""
        cal, p = self.cal, self.p
        chargeable = bool(cal.chargeable[k])
        shock = ((k >= p.shock_a) & (k < p.shock_a + p.shock_a_len)) | (
            (k >= p.shock_b) & (k < p.shock_b + p.shock_b_len)
        )
        on_uc = self.src == bh.UC
        benefit_w = np.where(
            self.src == bh.HB, self.hb_week[y], np.where(on_uc & self.apa, self.uc_week[y], 0)
        )
        due_w = np.clip(w_total - benefit_w, 0, None)
        reliab = np.where(on_uc, p.p_pay_uc, p.p_pay) * np.where(shock, 0.2, 1.0)
        method = np.where(
            self.src == bh.NONE, p.method0, np.where(due_w >= 100, bh.M_WEEKLY, bh.M_NONE)
        )
        method = np.where(on_uc & ~self.apa, -1, method)  # pays after UC lands (below)
        self.ten_pipe += np.where(act & chargeable, due_w, 0)
        dom_off = cal.dom_table[k][p.pay_dom].astype(np.int64)
        pay_type = np.where(
            self.src == bh.NONE,
            p.pay_type0,
            np.where(p.method0 == bh.M_WEEKLY, p.pay_type0, TX["payment_allpay"]),
        )

        # Direct Debit, monthly: the landlord recalculates the amount each April.
        dd_m = act & (method == bh.M_DD_MONTHLY) & (dom_off >= 0)
        fail = dd_m & (u[2] < np.where(shock, 0.6, p.dd_fail))
        amt = self.month_due[y]
        self.post(dd_m, m + dom_off, TX["payment_dd"], amt)
        self._returned(fail, m + dom_off + 3, amt)
        again = act & (self.represent_week == k)
        self.post(again & (u[2] < 0.75), m + 2, TX["payment_dd"], self.represent_amt, D_REPRESENTED)
        self.represent_week[again] = bh.NEVER
        # Direct Debit, weekly: collected in chargeable weeks only.
        dd_w = act & (method == bh.M_DD_WEEKLY) & chargeable
        fail_w = dd_w & (u[2] < np.where(shock, 0.6, p.dd_fail))
        self.post(dd_w, m + p.pay_wday, TX["payment_dd"], due_w)
        self._returned(fail_w, m + p.pay_wday + 3, due_w)
        # Standing order: the tenant updates it after April only after some weeks, if at all.
        so = act & (method == bh.M_SO_MONTHLY) & (dom_off >= 0)
        ry_start = k - np.flatnonzero(cal.rent_year == y)[0]
        stale = (ry_start < p.so_lag) & (self.so_amount > 0)
        updated = so & ~stale & (self.so_amount != self.month_due[y])
        self.so_amount = np.where(so & ~stale, self.month_due[y], self.so_amount)
        paid_so = self.post(so & (u[3] < reliab), m + dom_off, TX["payment_bank"], self.so_amount)
        short_by = self.month_due[y][paid_so] - self.so_amount[paid_so]
        self.so_missed[paid_so] += np.maximum(short_by, 0)
        # Once they update it, most also send what the old amount fell short by.
        top_up = updated & (self.so_missed > 0) & (u[4] < 0.8)
        self.post(top_up, m + np.maximum(dom_off, 0), TX["payment_bank"], self.so_missed)
        self.so_missed[updated] = 0
        # Weekly payers (allpay, card, cash): most skip the rent-free weeks.
        wk = act & (method == bh.M_WEEKLY) & (chargeable | (u[4] < 0.4))
        amt_w = np.round(due_w * p.frac).astype(np.int64)
        amt_w = np.where(p.frac < 1, (amt_w // 100) * 100, amt_w)
        self.post(wk & (u[3] < reliab), m + p.pay_wday, pay_type, amt_w)
        # Irregular payers pay lumps now and then, steering loosely towards a comfortable level.
        irr = act & (method == bh.M_IRREGULAR) & (u[4] < p.q_irr * np.where(shock, 0.2, 1.0))
        want = due_w / p.q_irr * np.exp(0.35 * (u[5] - 0.5) * 2) + p.kappa * (
            self.bal_prev - p.target_w * w_total
        )
        want = (np.clip(want, 0, None) // 500 * 500).astype(np.int64)
        self.post(irr, m + (u[6] * 7).astype(np.int64), pay_type, want)
        # On UC, paid to the tenant: they pay the month's rent after their UC lands.
        ucp = act & on_uc & ~self.apa & self.payday
        lag = np.minimum(self.payday_day - m + (u[6] * 4).astype(np.int64), 6)
        amt_uc = np.round(self.month_due[y] * p.frac).astype(np.int64)
        self.post(ucp & (u[3] < reliab), m + lag, p.uc_pay_type, amt_uc)

        # The schedule's date has come: what accrued is now due (paid or not).
        sched = dd_m | so | ucp
        self.ten_pipe = np.where(
            sched, np.clip(self.ten_pipe - self.month_due[y], 0, w_total), self.ten_pipe
        )
        weekly_sched = (
            (method == bh.M_WEEKLY)
            | (method == bh.M_DD_WEEKLY)
            | (method == bh.M_IRREGULAR)
            | (method == bh.M_NONE)
        )
        self.ten_pipe = np.where(weekly_sched, 0, self.ten_pipe)
        self.officer.plan_payments(k, m, act, u)

        # Lump sums towards real arrears: more likely soon after a letter or a call.
        real = self.bal_prev - self.tech_prev
        boost = np.where(k - self.officer.last_touch <= 3, 0.2, 0.0)
        p_lump = np.where(shock, 0.0, p.p_catch + boost)
        p_lump = np.where(method == bh.M_IRREGULAR, boost, p_lump)
        lump = act & (real >= 100) & (u[7] < p_lump)
        cap = np.round(w_total * (0.5 + u[8] * (p.lump_w - 0.5))).astype(np.int64)
        amt_l = np.minimum(real, np.maximum(cap, 500))
        self.post(lump, m + 1 + (u[9] * 6).astype(np.int64), p.lump_type, amt_l)

    def _returned(self, fail: np.ndarray, day: np.ndarray, amt: np.ndarray) -> None:
        """A failed Direct Debit: the bank returns it a few days later (maybe next week), and
        the landlord presents it again a fortnight on."""
        if not fail.any():
            return
        self.represent_week = np.where(fail, self.k + 2, self.represent_week)
        self.represent_amt = np.where(fail, amt, self.represent_amt)
        this_week = fail & (day <= self.cal.mondays[self.k] + 6)
        self.post(this_week, day, TX["payment_reversal"], amt, D_DD_RETURNED)
        later = fail & ~this_week
        self.carry_amt = np.where(later, amt, self.carry_amt)
        self.carry_day = np.where(later, day, self.carry_day)
