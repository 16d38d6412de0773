"""The shape of an income and expenditure statement, after the Standard Financial Statement:
its sections and lines, and the totals. Amounts are monthly pence, as the SFS gives them.

Only the shape is here. The SFS spending guidelines ("trigger figures") are licensed, so the
landlord loads its own dated table (models.GuidelineTable); the four flexible-cost lines are
the guideline categories.
"""

from __future__ import annotations

from dataclasses import dataclass

# (section key, heading, [(line key, label)]): the order the form and the account show them.
SECTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("income", "Income", (
        ("wages", "Wages or salary after tax (everyone in the household)"),
        ("uc_standard", "Universal Credit: standard allowance"),
        ("uc_housing", "Universal Credit: housing element"),
        ("uc_children", "Universal Credit: child and childcare elements"),
        ("uc_other", "Universal Credit: other elements (carer, limited capability)"),
        ("other_benefits", "Other benefits (Child Benefit, PIP, Carer's Allowance and others)"),
        ("pensions", "Pensions"),
        ("maintenance", "Maintenance or child support received"),
        ("other_income", "Other income (lodgers, family help)"),
    )),
    ("deductions", "Deductions from income", (
        ("uc_deductions", "Universal Credit deductions (advances, debts paid direct)"),
    )),
    ("fixed", "Fixed costs", (
        ("rent", "Rent and service charges (the tenant's share)"),
        ("council_tax", "Council tax"),
        ("energy", "Gas and electricity"),
        ("water", "Water"),
        ("tv_licence", "TV licence"),
        ("insurance", "Insurance"),
        ("childcare", "Childcare"),
        ("care_health", "Care and health costs"),
        ("other_fixed", "Other fixed costs"),
    )),
    ("flexible", "Flexible costs", (
        ("communications", "Communications and leisure (phone, internet, TV)"),
        ("food", "Food and housekeeping"),
        ("personal", "Personal costs (clothing, toiletries, haircuts)"),
        ("travel", "Travel"),
    )),
    ("priority", "Priority debts (monthly payments)", (
        ("council_tax_arrears", "Council tax arrears"),
        ("energy_arrears", "Gas or electricity arrears"),
        ("fines", "Magistrates' court fines"),
        ("other_priority", "Other priority debts"),
    )),
    ("non_priority", "Other debts (monthly payments)", (
        ("credit", "Credit cards, loans and catalogues"),
        ("other_non_priority", "Other debts"),
    )),
)
LINES: dict[str, str] = {key: label for _, _, lines in SECTIONS for key, label in lines}
SECTION_OF: dict[str, str] = {key: s for s, _, lines in SECTIONS for key, _ in lines}
# The guideline categories: the flexible costs.
GUIDELINE_CATEGORIES: tuple[str, ...] = tuple(k for k, _ in SECTIONS[3][2])


@dataclass(frozen=True)
class Totals:
    """The statement's totals (monthly pence). Disposable income is what is left after fixed
    and flexible costs and priority debts: the rent arrears, a priority debt, are paid from it
    before other creditors, whose payments are shown but not taken off."""

    income: int
    deductions: int
    fixed: int
    flexible: int
    priority: int
    non_priority: int

    @property
    def disposable(self) -> int:
        """Income less deductions, fixed and flexible costs and priority debts."""
        return self.income - self.deductions - self.fixed - self.flexible - self.priority

    @property
    def after_other_debts(self) -> int:
        """What is left once the other creditors are paid too."""
        return self.disposable - self.non_priority


def totals(amounts: dict[str, int | None]) -> Totals:
    """The totals of a statement's amounts (line key -> monthly pence; missing lines are 0)."""
    sums = {section: 0 for section, _, _ in SECTIONS}
    for key, value in amounts.items():
        if key in SECTION_OF and value:
            sums[SECTION_OF[key]] += int(value)
    return Totals(**sums)


def above_guideline(amounts: dict[str, int | None], guideline: dict[str, int]) -> dict[str, int]:
    """The flexible costs above the household's guideline: category -> how much above."""
    return {key: (amounts.get(key) or 0) - limit for key, limit in guideline.items()
            if (amounts.get(key) or 0) > limit}
