"""Ledger models: stock, tenancies, money and plain records."""

from .money import Charge, RentFreeWeek, Transaction
from .records import Agreement, BenefitClaim, CourtCase, Notice, Pause, Promise, RecordedAction
from .stamps import TenancyStamp
from .stock import Landlord, Patch, Property
from .tenancy import Tenancy, Tenant

__all__ = [
    "Agreement", "BenefitClaim", "Charge", "CourtCase", "Landlord", "Notice", "Patch", "Pause",
    "Promise", "Property", "RecordedAction", "RentFreeWeek", "Tenancy", "TenancyStamp", "Tenant",
    "Transaction",
]
