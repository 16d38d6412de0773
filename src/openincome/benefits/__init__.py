"""Benefit claims (Housing Benefit, Universal Credit) and their latest known status."""
