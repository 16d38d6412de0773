"""Synthetic landlord with realistic payment behaviour, officer history and ground truth.

`simulate()` writes an interchange folder (INTERCHANGE.md) plus `truth/truth.csv`;
`report.realism_report()` checks it against sector figures. Pure Python, NumPy and Polars:
no Django imports outside `management/`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import SimulationSummary, simulate

__all__ = ["SimulationSummary", "simulate"]


def __getattr__(name: str) -> Any:
    # Imported lazily so that loading the Django app does not import NumPy and Polars.
    if name in __all__:
        from . import core

        return getattr(core, name)
    raise AttributeError(name)
