"""The page numbers a GOV.UK pagination component shows."""

from __future__ import annotations

from django.core.paginator import Page


def page_items(page: Page) -> list[int | None]:
    """First, last, and the current page with its neighbours; None where pages are skipped
    (shown as an ellipsis), as the GOV.UK pagination component does."""
    last = page.paginator.num_pages
    wanted = sorted({1, last, page.number - 1, page.number, page.number + 1} & set(
        range(1, last + 1)))
    items: list[int | None] = []
    for number in wanted:
        if items and number - items[-1] > 1:
            items.append(None)
        items.append(number)
    return items
