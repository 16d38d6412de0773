"""Ledger models: stock, tenancies, money, promises and recorded actions."""

from .money import Charge, RentFreeWeek, Transaction
from .records import Promise, RecordedAction
from .stamps import TenancyStamp
from .stock import Landlord, Patch, Property
from .tenancy import Tenancy, Tenant

__all__ = [
    "Charge", "Landlord", "Patch", "Promise", "Property", "RecordedAction", "RentFreeWeek",
    "Tenancy", "TenancyStamp", "Tenant", "Transaction",
]
