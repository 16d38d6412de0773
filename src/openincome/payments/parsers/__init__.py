"""One parser per payment file source, keyed by the name `--source` takes."""

from . import camt053, csv_sources  # noqa: F401 - importing registers each source
from .common import NORMAL, REGISTRY, Parsed, Source

SOURCE_NAMES = ("allpay", "bank-csv", "camt053", "hb", "uc")

__all__ = ["NORMAL", "REGISTRY", "SOURCE_NAMES", "Parsed", "Source"]
