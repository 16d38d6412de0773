"""Requests no page can answer, refused before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class RefuseNulMiddleware:
    """A NUL byte in the address or query string gets a 400 page, never a 500.

    PostgreSQL cannot compare text with NUL in it, so `?q=%00` or `/tenancies/%00/` would
    fail in whichever query first used the value; no real reference, search or filter has one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)
