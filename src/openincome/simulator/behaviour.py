"""Payment personas: who pays how, what funds it, and how it changes over the history.

Each tenancy gets one persona (its ground truth) with randomised parameters; the weekly loop in
sim.py turns them into payments. Probabilities are per scheduled payment or per week.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .records import TX
from .rentcal import Calendar
from .stock import GARAGE_T, LICENCE, NON_SECURE, Lettings, day_number_c

PERSONAS = (
    "dd_payer",
    "standing_order",
    "regular_cash",
    "irregular",
    "chronic_low",
    "hb_full",
    "hb_partial",
    "uc_self_pay",
    "uc_apa",
    "job_loss",
    "hb_to_uc",
)
(
    DD_PAYER,
    STANDING_ORDER,
    REGULAR_CASH,
    IRREGULAR,
    CHRONIC_LOW,
    HB_FULL,
    HB_PARTIAL,
    UC_SELF_PAY,
    UC_APA,
    JOB_LOSS,
    HB_TO_UC,
) = range(len(PERSONAS))

# Shares of general-needs homes, garages, temporary accommodation and pension-age tenants.
MIX = np.array(
    [
        # general garage temporary pension
        [0.315, 0.50, 0.02, 0.39],  # dd_payer
        [0.070, 0.10, 0.00, 0.08],  # standing_order
        [0.100, 0.25, 0.06, 0.12],  # regular_cash
        [0.070, 0.10, 0.12, 0.03],  # irregular
        [0.035, 0.05, 0.10, 0.01],  # chronic_low
        [0.065, 0.00, 0.45, 0.22],  # hb_full
        [0.050, 0.00, 0.25, 0.15],  # hb_partial
        [0.125, 0.00, 0.00, 0.00],  # uc_self_pay
        [0.050, 0.00, 0.00, 0.00],  # uc_apa
        [0.070, 0.00, 0.00, 0.00],  # job_loss
        [0.050, 0.00, 0.00, 0.00],  # hb_to_uc
    ]
)

# What funds the housing costs.
NONE, HB, UC = range(3)
# The tenant's own way of paying.
M_NONE, M_DD_MONTHLY, M_DD_WEEKLY, M_SO_MONTHLY, M_WEEKLY, M_IRREGULAR = range(6)
NEVER = 10**6  # a week index that never comes
PENSION_AGE = 67
END_MOVED, END_DECEASED, END_ABANDONED, END_EVICTED, END_TERMINATED = range(5)
END_REASONS = ("moved", "deceased", "abandoned", "evicted", "terminated")


@dataclass
class Personas:
    """Per-tenancy behaviour parameters (parallel arrays over all tenancies)."""

    persona: np.ndarray
    src0: np.ndarray
    src1: np.ndarray
    src2: np.ndarray
    sw1: np.ndarray  # week index of the first change of funding (NEVER if none)
    sw2: np.ndarray
    claim0: np.ndarray  # day of the UC claim in force at the start (-10**6: long ago)
    apa0: np.ndarray  # UC paid to the landlord from the start
    hb_share: np.ndarray
    uc_share: np.ndarray
    uc_dom: np.ndarray  # day of month UC is paid
    method0: np.ndarray
    pay_type0: np.ndarray  # transaction type code of the tenant's own payments
    lump_type: np.ndarray  # how the tenant pays lump sums and instalments
    uc_pay_type: np.ndarray
    pay_wday: np.ndarray
    pay_dom: np.ndarray
    p_pay: np.ndarray
    p_pay_uc: np.ndarray  # reliability once on UC (job loss, migration)
    frac: np.ndarray
    p_catch: np.ndarray
    lump_w: np.ndarray  # lump-sum capacity in weeks of charge
    dd_fail: np.ndarray
    so_lag: np.ndarray  # weeks a standing order lags an April increase
    q_irr: np.ndarray
    kappa: np.ndarray
    target_w: np.ndarray
    shock_a: np.ndarray
    shock_a_len: np.ndarray
    shock_b: np.ndarray
    shock_b_len: np.ndarray
    keeper_p: np.ndarray  # chance of keeping a repayment agreement
    contact_p: np.ndarray
    dhp_week: np.ndarray
    dhp_len: np.ndarray
    advance_w: np.ndarray  # weeks of rent paid in advance at sign-up
    end_reason: np.ndarray


def _u(rng: np.random.Generator, lo: float, hi: float, n: int) -> np.ndarray:
    return rng.uniform(lo, hi, n)


def _draw(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One code per row of a (n, k) probability matrix."""
    c = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    return (rng.random(len(probs))[:, None] > c).sum(axis=1).astype(np.int8)


def assign_personas(
    lettings: Lettings,
    temporary: np.ndarray,
    age_at_end: np.ndarray,
    vulnerable: np.ndarray,
    council: np.ndarray,
    cal: Calendar,
    rng: np.random.Generator,
) -> Personas:
    """A persona and its parameters for every tenancy."""
    m = len(lettings)
    garage = lettings.tenure == GARAGE_T
    temp = (lettings.tenure == LICENCE) | (lettings.tenure == NON_SECURE) | temporary
    pension = (age_at_end >= PENSION_AGE) & ~garage & ~temp
    col = np.where(garage, 1, np.where(temp, 2, np.where(pension, 3, 0)))
    persona = _draw(rng, MIX.T[col])
    # Since 2019 working-age people claim Universal Credit, not housing benefit, on moving in.
    new_claim = (lettings.start >= day_number_c(2019, 1, 1)) & ~temp & ~pension
    hb_like = np.isin(persona, [HB_FULL, HB_PARTIAL, HB_TO_UC])
    persona = np.where(
        new_claim & hb_like, np.where(rng.random(m) < 0.3, UC_APA, UC_SELF_PAY), persona
    ).astype(np.int8)

    ks = cal.week_of(lettings.start).astype(np.int64)
    ks = np.where(lettings.start < cal.mondays[0], 0, ks)
    ke = cal.week_of(np.minimum(lettings.end, cal.end_day)).astype(np.int64)

    src0 = np.full(m, NONE, dtype=np.int8)
    src0[np.isin(persona, [HB_FULL, HB_PARTIAL, HB_TO_UC])] = HB
    src0[np.isin(persona, [UC_SELF_PAY, UC_APA])] = UC
    src1, src2 = src0.copy(), src0.copy()
    sw1 = np.full(m, NEVER, dtype=np.int64)
    sw2 = np.full(m, NEVER, dtype=np.int64)
    # Job losses fall anywhere in the tenancy's simulated weeks (burn-in included, so some are
    # already under way when the history opens).
    span = np.maximum(ke - ks, 1)
    when = ks + (rng.random(m) * span).astype(np.int64)
    jl = (persona == JOB_LOSS) & (ke - ks > 8)
    sw1[jl], src1[jl], src2[jl] = when[jl], UC, UC
    back = jl & (rng.random(m) < 0.55)
    sw2[back] = sw1[back] + rng.integers(16, 110, int(back.sum()))
    src2[back] = NONE
    # Managed migration moved most working-age HB claimants to UC in 2024-26.
    mig = persona == HB_TO_UC
    mm_from = cal.week_of(np.array([day_number_c(2024, 4, 1)]))[0]
    mm_to = cal.week_of(np.array([day_number_c(2026, 9, 30)]))[0]
    managed = rng.random(m) < 0.7
    mig_week = np.where(
        managed & (mm_to > mm_from), rng.integers(mm_from, max(mm_to, mm_from + 1), m), when
    )
    mig_week = np.clip(mig_week, ks + 1, np.maximum(ke, ks + 1))
    sw1[mig], src1[mig], src2[mig] = mig_week[mig], UC, UC

    # A UC claim in force at the start: new claimants moving in wait five weeks for it.
    start_uc = src0 == UC
    fresh = start_uc & (lettings.start >= cal.mondays[0]) & (rng.random(m) < 0.55)
    claim0 = np.where(fresh, lettings.start + rng.integers(0, 5, m), -(10**6))
    apa0 = persona == UC_APA

    hb_share = np.where(persona == HB_PARTIAL, _u(rng, 0.35, 0.9, m), 1.0)
    hb_share = np.where(
        (persona == HB_TO_UC) & (rng.random(m) < 0.4), _u(rng, 0.5, 0.9, m), hb_share
    )
    r = rng.random(m)
    # Bedroom tax (14%), the benefit cap and earnings taper leave some UC housing costs short.
    uc_share = np.where(r < 0.72, 1.0, np.where(r < 0.87, 0.86, _u(rng, 0.45, 0.9, m)))
    uc_dom = rng.integers(1, 29, m).astype(np.int64)

    method0 = np.full(m, M_WEEKLY, dtype=np.int8)
    w = rng.random(m)
    method0[persona == DD_PAYER] = np.where(w < 0.7, M_DD_MONTHLY, M_DD_WEEKLY)[persona == DD_PAYER]
    method0[persona == STANDING_ORDER] = M_SO_MONTHLY
    method0[persona == IRREGULAR] = M_IRREGULAR
    jl_m = np.where(w < 0.45, M_DD_MONTHLY, np.where(w < 0.65, M_SO_MONTHLY, M_WEEKLY))
    method0[persona == JOB_LOSS] = jl_m[persona == JOB_LOSS]

    t = rng.random(m)
    cash_type = np.where(
        t < 0.55, TX["payment_allpay"], np.where(t < 0.9, TX["payment_card"], TX["payment_cash"])
    )
    pay_type0 = cash_type.copy()
    pay_type0[np.isin(method0, [M_DD_MONTHLY, M_DD_WEEKLY])] = TX["payment_dd"]
    pay_type0[method0 == M_SO_MONTHLY] = TX["payment_bank"]
    lump_type = np.where(rng.random(m) < 0.7, TX["payment_card"], cash_type)
    lump_type = np.where(rng.random(m) < 0.03, TX["payment_other"], lump_type)
    u = rng.random(m)
    uc_pay_type = np.where(
        u < 0.5, TX["payment_bank"], np.where(u < 0.8, TX["payment_card"], TX["payment_allpay"])
    )
    pay_wday = np.where(rng.random(m) < 0.5, 0, rng.integers(0, 7, m)).astype(np.int64)
    pay_dom = np.where(
        method0 == M_DD_MONTHLY,
        np.array([1, 8, 15, 22, 28])[rng.integers(0, 5, m)],
        rng.integers(1, 29, m),
    ).astype(np.int64)

    p_pay = np.ones(m)
    frac = np.ones(m)
    p_catch = np.full(m, 0.2)
    lump_w = _u(rng, 1.0, 4.0, m)
    p_pay_uc = _u(rng, 0.85, 0.99, m)
    pick = {
        STANDING_ORDER: (0.99, 1.0, 0.30),
        REGULAR_CASH: (0.95, 0.995, 0.3),
        CHRONIC_LOW: (0.75, 0.92, 0.04),
        HB_FULL: (0.7, 0.98, 0.15),
        HB_PARTIAL: (0.85, 0.98, 0.15),
        UC_SELF_PAY: (0.88, 0.995, 0.12),
        UC_APA: (0.70, 0.95, 0.10),
        JOB_LOSS: (0.93, 0.99, 0.25),
        HB_TO_UC: (0.75, 0.97, 0.10),
        DD_PAYER: (1.0, 1.0, 0.55),
        IRREGULAR: (1.0, 1.0, 0.0),
    }
    for code, (lo, hi, catch) in pick.items():
        mk = persona == code
        p_pay[mk] = _u(rng, lo, hi, int(mk.sum()))
        p_catch[mk] = catch
    frac[persona == CHRONIC_LOW] = _u(rng, 0.8, 0.95, int((persona == CHRONIC_LOW).sum()))
    under = (persona == UC_SELF_PAY) & (rng.random(m) < 0.2)
    frac[under] = _u(rng, 0.9, 0.99, int(under.sum()))
    p_pay_uc = np.where(persona == UC_SELF_PAY, p_pay, p_pay_uc)
    lump_w[np.isin(persona, [HB_FULL, HB_PARTIAL, UC_SELF_PAY, UC_APA, CHRONIC_LOW])] *= 0.5
    dd_fail = _u(rng, 0.004, 0.03, m)
    so_lag = np.where(rng.random(m) < 0.35, rng.integers(2, 18, m), 0)
    q_irr = _u(rng, 0.3, 0.65, m)
    kappa = _u(rng, 0.04, 0.25, m)
    target_w = _u(rng, -2.5, 1.0, m)

    years = np.maximum(ke - np.maximum(ks, cal.burn_in), 1) / 52.0
    n_shocks = rng.poisson(0.07 * years)
    life = np.maximum(ke - ks, 1)
    shock_a = np.where(n_shocks >= 1, ks + (rng.random(m) * life).astype(np.int64), NEVER)
    shock_b = np.where(n_shocks >= 2, ks + (rng.random(m) * life).astype(np.int64), NEVER)
    shock_a_len = rng.integers(2, 11, m)
    shock_b_len = rng.integers(2, 11, m)

    keeper_p = np.full(m, 0.6)
    keeper_p[np.isin(persona, [DD_PAYER, STANDING_ORDER, REGULAR_CASH])] = 0.8
    keeper_p[persona == CHRONIC_LOW] = 0.3
    keeper_p[persona == IRREGULAR] = 0.5
    keeper_p = np.where(vulnerable, keeper_p - 0.1, keeper_p)
    contact_p = np.where(persona == CHRONIC_LOW, 0.2, 0.4) * _u(rng, 0.6, 1.4, m)

    shortfall_funded = np.isin(persona, [HB_PARTIAL, UC_APA]) | (uc_share < 1)
    dhp = shortfall_funded & (rng.random(m) < 0.15)
    dhp_week = np.where(dhp, ks + (rng.random(m) * life).astype(np.int64), NEVER)
    dhp_len = rng.integers(13, 53, m)

    # Housing associations often ask new tenants for rent in advance at sign-up; monthly
    # payers pay a month ahead; some UC claimants keep a month in hand.
    sign_up = (lettings.start >= cal.mondays[0]) & ~council & (rng.random(m) < 0.45)
    advance_w = np.where(sign_up, rng.choice([1.0, 2.0, 4.0], m), 0.0)
    monthly = np.isin(method0, [M_DD_MONTHLY, M_SO_MONTHLY]) & np.isin(
        persona, [DD_PAYER, STANDING_ORDER, JOB_LOSS]
    )
    # A 50-week rent year makes monthly payers drift behind until the rent-free weeks, so
    # most keep a little more than a month in hand.
    advance_w = np.where(monthly & (rng.random(m) < 0.9), 52 / 12 + _u(rng, 1, 3, m), advance_w)
    ahead = (src0 == UC) & (claim0 < 0) & (rng.random(m) < 0.55)
    advance_w = np.where(ahead, 52 / 12, advance_w)
    # Backdated housing benefit awards leave many HB accounts some weeks in credit.
    backdated = (src0 == HB) & (rng.random(m) < 0.5)
    advance_w = np.where(backdated, _u(rng, 2, 5, m), advance_w)

    end_reason = np.full(m, END_MOVED, dtype=np.int8)
    old = (age_at_end >= 70) & (rng.random(m) < 0.6)
    end_reason[old] = END_DECEASED
    drift = np.isin(persona, [CHRONIC_LOW, IRREGULAR]) & (rng.random(m) < 0.25)
    end_reason[drift & ~old] = END_ABANDONED

    return Personas(
        persona=persona,
        src0=src0,
        src1=src1,
        src2=src2,
        sw1=sw1,
        sw2=sw2,
        claim0=claim0.astype(np.int64),
        apa0=apa0,
        hb_share=hb_share,
        uc_share=uc_share,
        uc_dom=uc_dom,
        method0=method0,
        pay_type0=pay_type0.astype(np.int8),
        lump_type=lump_type.astype(np.int8),
        uc_pay_type=uc_pay_type.astype(np.int8),
        pay_wday=pay_wday,
        pay_dom=pay_dom,
        p_pay=p_pay,
        p_pay_uc=p_pay_uc,
        frac=frac,
        p_catch=p_catch,
        lump_w=lump_w,
        dd_fail=dd_fail,
        so_lag=so_lag,
        q_irr=q_irr,
        kappa=kappa,
        target_w=target_w,
        shock_a=shock_a,
        shock_a_len=shock_a_len,
        shock_b=shock_b,
        shock_b_len=shock_b_len,
        keeper_p=keeper_p,
        contact_p=contact_p,
        dhp_week=dhp_week,
        dhp_len=dhp_len,
        advance_w=advance_w,
        end_reason=end_reason,
    )


def uc_pay_dom(claim_day: np.ndarray) -> np.ndarray:
    """UC is paid monthly a week after each assessment period, which starts on the claim day."""
    d = (np.asarray(claim_day, dtype=np.int64) + 6).astype("datetime64[D]")
    dom = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return np.minimum(dom, 28)
