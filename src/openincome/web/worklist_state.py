"""The worklist view an officer came from, carried through the account pages as `wl`.

Only the worklist's own parameters are kept (and re-encoded), so the "Back to the worklist"
and "Next case" links can never point anywhere else or carry anything else.
"""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse

from openincome.ledger.limits import printable

WORKLIST_PARAMS = ("as_of", "tab", "patch", "officer", "action", "tenure", "sort", "dir", "page")
_MAX_VALUE = 200  # a patch list of a busy officer fits; nothing longer is a real view


def worklist_state(query: str | QueryDict) -> str:
    """The worklist parameters of a query string, re-encoded; anything else is dropped."""
    params = query if isinstance(query, QueryDict) else QueryDict(query or "")
    kept = QueryDict(mutable=True)
    for key in WORKLIST_PARAMS:
        value = params.get(key, "")
        if value and len(value) <= _MAX_VALUE and printable(value) == value:
            kept[key] = value
    return kept.urlencode()


def with_page(state: str, page: int) -> str:
    """The same view on another page."""
    params = QueryDict(state, mutable=True)
    params["page"] = str(page)
    return params.urlencode()


def worklist_url(state: str) -> str:
    """The worklist page showing the view of `state`."""
    return reverse("worklist") + ("?" + state if state else "")
