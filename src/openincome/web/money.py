"""Formatting pence for people."""


def pounds(pence: int | None, sign: bool = False) -> str:
    """£1,234.56 from 123456 pence; negative shows a minus sign (credit)."""
    if pence is None:
        return ""
    neg = pence < 0
    whole, part = divmod(abs(int(pence)), 100)
    text = f"£{whole:,}.{part:02d}"
    if neg:
        return f"-{text}"
    return f"+{text}" if sign and pence > 0 else text
