"""Every reference the pattern allows makes working URLs: reversed, then resolved back to itself."""

from django.urls import resolve, reverse
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from openincome.ledger.limits import REF_RE, code_problem, ref_problem

refs = st.from_regex(REF_RE, fullmatch=True)

TENANCY_URLS = ["account", "record-contact", "record-action", "pause-case", "update-benefit",
                "edit-details"]


@settings(deadline=None)  # the first call loads the URL configuration
@given(refs)
def test_every_allowed_tenancy_ref_reverses_and_resolves_for_every_tenancy_page(ref):
    assert ref_problem(ref) is None
    for name in TENANCY_URLS:
        url = reverse(name, kwargs={"tenancy_ref": ref})
        # Nothing to escape: the ref is the path segment as typed, so no browser rewrites it.
        assert f"/{ref}/" in url
        match = resolve(url)
        assert (match.url_name, match.kwargs) == (name, {"tenancy_ref": ref})


@settings(deadline=None)  # the first call loads the URL configuration
@given(refs)
def test_every_allowed_username_and_patch_code_reverses_and_resolves_on_the_admin_pages(code):
    assume(code_problem(code) is None)  # "add" is reserved: it is the add page's address
    for name, kwarg in [("admin-user", "username"), ("admin-user-password", "username"),
                        ("admin-patch", "code")]:
        url = reverse(name, kwargs={kwarg: code})
        assert f"/{code}/" in url
        match = resolve(url)
        assert (match.url_name, match.kwargs) == (name, {kwarg: code})


def test_the_reserved_codes_would_hide_a_user_or_patch():
    assert resolve(reverse("admin-user", kwargs={"username": "add"})).url_name == "admin-user-add"
    assert code_problem("add") and code_problem("ADD")
