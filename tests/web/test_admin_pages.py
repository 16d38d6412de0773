"""Administration pages: users, patches and allocation (forms, audit, self-lockout, access)."""

import html as htmllib
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from openincome.audit.models import AuditEvent
from openincome.ledger.models import Patch
from openincome.staff.actions import UserError, add_user, change_user, set_active, set_role
from openincome.staff.models import PatchAllocation
from openincome.staff.roles import roles_of
from openincome.web.forms_admin import CODE_CHARACTERS
from tests.ledger.factories import make_tenancy

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
User = get_user_model()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """A fast hasher: these tests hash many passwords and test pages, not key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def patches():
    """Two patches; EAST has one property with a tenancy."""
    make_tenancy("T-1", patch="EAST")
    Patch.objects.filter(code="EAST").update(name="East estates")
    return [Patch.objects.get(code="EAST"), Patch.objects.create(code="WEST", name="West")]


@pytest.fixture
def admin(patches):
    """An administrator."""
    return add_user("boss", "admin", PASSWORD, first_name="Ada", last_name="Admin")


@pytest.fixture
def officer(patches):
    """An officer on EAST."""
    return add_user("olly", "officer", PASSWORD, ["EAST"], first_name="Olly", last_name="Officer")


@pytest.fixture
def signed_in_admin(client, admin):
    """A client signed in as the administrator."""
    client.force_login(admin)
    return client


def _valid_user_form(**changes):
    data = {
        "username": "newbie", "first_name": "Nia", "last_name": "New", "email": "nia@example.org",
        "role": "officer", "patches": ["EAST", "WEST"], "password1": "another-long-password",
        "password2": "another-long-password",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _errors(response) -> list[str]:
    """The error summary's messages, in order."""
    html = response.content.decode()
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert summary, "no error summary on the page"
    return [htmllib.unescape(re.sub(r"<[^>]+>", "", m).strip())
            for m in re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)]


def _summary_links(response) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r'href="#([^"]+)"', summary)


def _counts():
    return (User.objects.count(), PatchAllocation.objects.count(), Patch.objects.count(),
            AuditEvent.objects.count())


# --- users: list ---------------------------------------------------------------------------


def test_user_list_shows_role_patches_status_and_last_login(signed_in_admin, officer):
    response = signed_in_admin.get("/admin/users/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "olly" in html and "Olly Officer" in html and "Income officer" in html
    assert "EAST" in html and "Active" in html and "Never" in html
    assert 'href="/admin/users/add/"' in html


def test_user_list_filters_by_role(signed_in_admin, officer):
    html = signed_in_admin.get("/admin/users/?role=officer").content.decode()
    assert "/admin/users/olly/" in html and "/admin/users/boss/" not in html
    html = signed_in_admin.get("/admin/users/?role=admin").content.decode()
    assert "/admin/users/olly/" not in html and "/admin/users/boss/" in html


def test_user_list_filter_no_role(signed_in_admin, officer):
    User.objects.create_user("orphan", password=PASSWORD)
    html = signed_in_admin.get("/admin/users/?role=none").content.decode()
    assert "/admin/users/orphan/" in html and "/admin/users/olly/" not in html


def test_user_list_is_sorted_and_paged_by_fifty(signed_in_admin):
    for i in range(60):
        User.objects.create_user(f"user{i:02d}")
    first = signed_in_admin.get("/admin/users/").content.decode()
    assert "/admin/users/boss/" in first and "/admin/users/user48/" in first
    assert "/admin/users/user49/" not in first and "Page 1 of 2" in first
    second = signed_in_admin.get("/admin/users/?page=2").content.decode()
    assert "/admin/users/user49/" in second and "/admin/users/user59/" in second
    reverse = signed_in_admin.get("/admin/users/?sort=-username").content.decode()
    assert reverse.index("/admin/users/user59/") < reverse.index("/admin/users/user58/")


def test_user_list_sorts_by_last_sign_in_with_never_last(signed_in_admin, officer):
    html = signed_in_admin.get("/admin/users/?sort=-last_login").content.decode()
    # The admin has signed in (force_login), the officer never has.
    assert html.index("/admin/users/boss/") < html.index("/admin/users/olly/")
    html = signed_in_admin.get("/admin/users/?sort=last_login").content.decode()
    assert html.index("/admin/users/boss/") < html.index("/admin/users/olly/")


def test_usernames_with_symbols_have_working_pages(signed_in_admin, patches):
    add_user("jo.bloggs_1-x", "officer", PASSWORD)
    html = signed_in_admin.get("/admin/users/").content.decode()
    link = re.search(r'href="(/admin/users/jo[^"]*)"', html).group(1)
    assert signed_in_admin.get(link).status_code == 200


# --- users: add ----------------------------------------------------------------------------


def test_add_user_creates_user_with_role_and_patches_and_audits(signed_in_admin, admin):
    response = signed_in_admin.post("/admin/users/add/", _valid_user_form())
    assert response.status_code == 302 and response["Location"] == "/admin/users/"
    user = User.objects.get(username="newbie")
    assert roles_of(user) == {"officer"}
    assert (user.first_name, user.last_name, user.email) == ("Nia", "New", "nia@example.org")
    assert set(user.patch_allocations.values_list("patch__code", flat=True)) == {"EAST", "WEST"}
    assert user.check_password("another-long-password") and user.is_active
    event = AuditEvent.objects.get(action="user_added", object_ref="newbie")
    assert event.actor == admin and event.details["role"] == "officer"
    assert "password" not in str(event.details)
    page = signed_in_admin.get(response["Location"]).content.decode()
    assert "govuk-notification-banner--success" in page and "newbie added as income officer" in page


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"username": ""}, "username", "Enter a username"),
        ({"username": "has space"}, "username", f"Username must only include {CODE_CHARACTERS}"),
        ({"username": "jo/x"}, "username", f"Username must only include {CODE_CHARACTERS}"),
        ({"username": "jo@example.org"}, "username",
         f"Username must only include {CODE_CHARACTERS}"),
        ({"username": "jo\u200bx"}, "username", f"Username must only include {CODE_CHARACTERS}"),
        ({"username": "_jo"}, "username", f"Username must only include {CODE_CHARACTERS}"),
        ({"username": "x" * 65}, "username", "Username must be 64 characters or fewer"),
        ({"username": "OLLY"}, "username", "A user called 'OLLY' already exists"),
        ({"username": "add"}, "username", "'add' cannot be used as a username"),
        ({"first_name": ""}, "first_name", "Enter a first name"),
        ({"last_name": ""}, "last_name", "Enter a last name"),
        ({"email": "not-an-email"}, "email",
         "Enter an email address in the correct format, like name@example.com"),
        ({"role": None}, "role", "Select a role"),
        ({"role": "superhero"}, "role", "Select a role from the list"),
        ({"patches": ["NORTH"]}, "patches", "Select patches from the list"),
        ({"password1": None}, "password1", "Enter a password"),
        ({"password2": None}, "password2", "Enter the password again"),
        ({"password2": "different-long-password"}, "password2", "The passwords do not match"),
        ({"password1": "short", "password2": "short"}, "password1",
         "This password is too short. It must contain at least 12 characters."),
    ],
)
def test_add_user_errors_show_summary_keep_input_and_save_nothing(
    signed_in_admin, officer, changes, field, message
):
    before = _counts()
    response = signed_in_admin.post("/admin/users/add/", _valid_user_form(**changes))
    assert response.status_code == 400
    assert _errors(response) == [message]
    assert _summary_links(response) == [f"id_{field}"]
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html and "govuk-form-group--error" in html
    assert html.count(f'id="id_{field}"') == 1  # the summary's link has one target
    assert _counts() == before
    # What the administrator typed is kept (except the passwords, never sent back).
    if field != "first_name":
        assert 'value="Nia"' in html
    if field != "email":
        assert 'value="nia@example.org"' in html
    assert "another-long-password" not in html and "different-long-password" not in html
    if field not in ("role",):
        assert re.search(r'value="officer" checked', html)
    if field != "patches":
        assert re.search(r'value="WEST" checked', html)


def test_add_user_empty_form_lists_every_required_field_in_page_order(signed_in_admin):
    before = _counts()
    response = signed_in_admin.post("/admin/users/add/", {})
    assert response.status_code == 400
    assert _errors(response) == [
        "Enter a username", "Enter a first name", "Enter a last name", "Select a role",
        "Enter a password", "Enter the password again",
    ]
    assert _counts() == before


def test_add_user_page_title_says_error(signed_in_admin):
    response = signed_in_admin.post("/admin/users/add/", {})
    assert "<title>Error: Add a user" in response.content.decode()


# --- users: edit ---------------------------------------------------------------------------


def _edit_form(**changes):
    data = {"first_name": "Olly", "last_name": "Officer", "email": "", "role": "officer",
            "patches": ["EAST"], "active": "true"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_edit_page_shows_current_values(signed_in_admin, officer):
    html = signed_in_admin.get("/admin/users/olly/").content.decode()
    assert re.search(r'value="officer" checked', html)
    assert re.search(r'value="EAST" checked', html) and not re.search(r'value="WEST" checked', html)
    assert re.search(r'value="true" checked', html)


def test_edit_unknown_user_is_404(signed_in_admin):
    assert signed_in_admin.get("/admin/users/nobody/").status_code == 404


def test_edit_changes_role_patches_and_details_with_audit(signed_in_admin, admin, officer):
    response = signed_in_admin.post("/admin/users/olly/", _edit_form(
        role="team_leader", patches=["WEST"], email="olly@example.org"))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert roles_of(officer) == {"team_leader"} and officer.email == "olly@example.org"
    assert list(officer.patch_allocations.values_list("patch__code", flat=True)) == ["WEST"]
    events = {e.action: e for e in AuditEvent.objects.filter(object_ref="olly", actor=admin)}
    assert events["user_role_changed"].details == {"from": ["officer"], "to": ["team_leader"]}
    assert events["allocation_changed"].details == {"added": ["WEST"], "removed": ["EAST"]}
    assert events["user_details_changed"].details == {"email": ["", "olly@example.org"]}


def test_edit_without_changes_writes_nothing(signed_in_admin, officer):
    before = _counts()
    response = signed_in_admin.post("/admin/users/olly/", _edit_form())
    assert response.status_code == 302
    assert _counts() == before
    assert "No changes to olly" in signed_in_admin.get("/admin/users/").content.decode()


def test_deactivate_keeps_the_user_and_audits(signed_in_admin, officer):
    response = signed_in_admin.post("/admin/users/olly/", _edit_form(active="false"))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert AuditEvent.objects.filter(action="user_deactivated", object_ref="olly").exists()
    assert "Deactivated" in signed_in_admin.get("/admin/users/").content.decode()
    # A deactivated user cannot sign in.
    assert not signed_in_admin.login(username="olly", password=PASSWORD)


def test_reactivate(signed_in_admin, officer):
    set_active(officer, False)
    signed_in_admin.post("/admin/users/olly/", _edit_form(active="true"))
    officer.refresh_from_db()
    assert officer.is_active
    assert AuditEvent.objects.filter(action="user_reactivated", object_ref="olly").exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"role": None}, "role", "Select a role"),
        ({"active": None}, "active", "Select whether the account is active"),
        ({"active": "maybe"}, "active", "Select whether the account is active"),
        ({"patches": ["EAST", "NOPE"]}, "patches", "Select patches from the list"),
        ({"email": "olly@"}, "email",
         "Enter an email address in the correct format, like name@example.com"),
        ({"last_name": "x" * 151}, "last_name", "Last name must be 150 characters or fewer"),
    ],
)
def test_edit_errors_keep_input_and_save_nothing(signed_in_admin, officer, changes, field, message):
    before = _counts()
    form = _edit_form(**{"role": "manager", "first_name": "Oliver", **changes})
    response = signed_in_admin.post("/admin/users/olly/", form)
    assert response.status_code == 400
    assert _errors(response) == [message]
    assert _summary_links(response) == [f"id_{field}"]
    assert _counts() == before
    officer.refresh_from_db()
    assert officer.first_name == "Olly" and roles_of(officer) == {"officer"}
    html = response.content.decode()
    assert 'value="Oliver"' in html
    if field != "role":
        assert re.search(r'value="manager" checked', html)


def test_admin_cannot_remove_own_admin_role(signed_in_admin, admin):
    before = _counts()
    response = signed_in_admin.post("/admin/users/boss/", _edit_form(
        first_name="Ada", last_name="Admin", role="officer", patches=[]))
    assert response.status_code == 400
    assert _errors(response) == [
        "You cannot remove your own administrator role: ask another administrator"]
    assert _counts() == before
    admin.refresh_from_db()
    assert roles_of(admin) == {"admin"}


def test_admin_cannot_deactivate_self(signed_in_admin, admin):
    before = _counts()
    response = signed_in_admin.post("/admin/users/boss/", _edit_form(
        first_name="Ada", last_name="Admin", role="admin", patches=[], active="false"))
    assert response.status_code == 400
    assert _errors(response) == [
        "You cannot deactivate your own account: ask another administrator"]
    assert _counts() == before
    admin.refresh_from_db()
    assert admin.is_active


def test_admin_may_edit_own_details(signed_in_admin, admin):
    response = signed_in_admin.post("/admin/users/boss/", _edit_form(
        first_name="Ada", last_name="Lovelace", role="admin", patches=["WEST"]))
    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.last_name == "Lovelace"


def test_another_admin_may_demote_an_admin(signed_in_admin, patches):
    other = add_user("deputy", "admin", PASSWORD)
    response = signed_in_admin.post("/admin/users/deputy/", _edit_form(
        first_name="", last_name="", role="officer", patches=[]))
    assert response.status_code == 302
    other.refresh_from_db()
    assert roles_of(other) == {"officer"} and not other.is_staff


def test_self_lockout_is_refused_by_the_service_too(admin):
    """The command line and API go through the same functions: they refuse it as well."""
    before = _counts()
    with pytest.raises(UserError, match="own administrator role"):
        set_role(admin, "officer", actor=admin)
    with pytest.raises(UserError, match="deactivate your own account"):
        set_active(admin, False, actor=admin)
    with pytest.raises(UserError, match="deactivate your own account"):
        change_user(admin, role="admin", patches=["EAST"], active=False, first_name="X",
                    last_name="Y", email="", actor=admin)
    assert _counts() == before
    admin.refresh_from_db()
    assert admin.first_name == "Ada" and admin.is_active


def test_multiple_roles_are_warned_about(signed_in_admin, officer):
    officer.groups.add(Group.objects.get_or_create(name="finance")[0])
    html = signed_in_admin.get("/admin/users/olly/").content.decode()
    assert "more than one role" in html


# --- users: password -----------------------------------------------------------------------


def test_reset_password_sets_it_and_audits_without_the_password(signed_in_admin, admin, officer):
    response = signed_in_admin.post("/admin/users/olly/password/", {
        "password1": "brand-new-password", "password2": "brand-new-password"})
    assert response.status_code == 302 and response["Location"] == "/admin/users/olly/"
    officer.refresh_from_db()
    assert officer.check_password("brand-new-password")
    event = AuditEvent.objects.get(action="user_password_reset", object_ref="olly")
    assert event.actor == admin and "brand-new-password" not in str(event.details)
    assert "Password for olly reset" in signed_in_admin.get("/admin/users/olly/").content.decode()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({}, "password1", "Enter a new password"),
        ({"password1": "brand-new-password"}, "password2", "Enter the new password again"),
        ({"password1": "brand-new-password", "password2": "brand-new-passwort"}, "password2",
         "The passwords do not match"),
        ({"password1": "tiny", "password2": "tiny"}, "password1",
         "This password is too short. It must contain at least 12 characters."),
    ],
)
def test_reset_password_errors(signed_in_admin, officer, data, field, message):
    before = _counts()
    response = signed_in_admin.post("/admin/users/olly/password/", data)
    assert response.status_code == 400
    assert message in _errors(response)
    assert f"id_{field}" in _summary_links(response)
    assert _counts() == before
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert "brand-new-password" not in response.content.decode()


def test_reset_own_password_keeps_admin_signed_in(signed_in_admin, admin):
    signed_in_admin.post("/admin/users/boss/password/", {
        "password1": "my-new-long-password", "password2": "my-new-long-password"})
    assert signed_in_admin.get("/admin/users/").status_code == 200


def test_password_url_refuses_get(signed_in_admin, officer):
    assert signed_in_admin.get("/admin/users/olly/password/").status_code == 405


# --- patches -------------------------------------------------------------------------------


def test_patch_list_shows_counts_and_officers(signed_in_admin, officer):
    html = signed_in_admin.get("/admin/patches/").content.decode()
    row = re.search(r"/admin/patches/EAST/.*?</tr>", html, re.S).group(0)
    cells = re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', row, re.S)
    assert cells[:3] == ["East estates", "1", "1"]
    assert "Olly Officer" in cells[3]
    west = re.search(r"/admin/patches/WEST/.*?</tr>", html, re.S).group(0)
    assert "Nobody" in west


def test_add_patch(signed_in_admin, admin):
    response = signed_in_admin.post("/admin/patches/add/", {"code": "NORTH", "name": "North"})
    assert response.status_code == 302 and response["Location"] == "/admin/patches/NORTH/"
    assert Patch.objects.get(code="NORTH").name == "North"
    event = AuditEvent.objects.get(action="patch_added")
    assert event.object_ref == "NORTH" and event.actor == admin
    assert "Patch NORTH added" in signed_in_admin.get("/admin/patches/NORTH/").content.decode()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"name": "North"}, "code", "Enter a patch code"),
        ({"code": "NORTH"}, "name", "Enter a name for the patch"),
        ({"code": "east", "name": "North"}, "code", "A patch with the code 'east' already exists"),
        ({"code": "NO RTH", "name": "North"}, "code",
         f"Patch code must only include {CODE_CHARACTERS}"),
        ({"code": "NO/RTH", "name": "North"}, "code",
         f"Patch code must only include {CODE_CHARACTERS}"),
        ({"code": "-NORTH", "name": "North"}, "code",
         f"Patch code must only include {CODE_CHARACTERS}"),
        ({"code": "N" * 51, "name": "North"}, "code", "Patch code must be 50 characters or fewer"),
        ({"code": "add", "name": "North"}, "code", "'add' cannot be used as a patch code"),
    ],
)
def test_add_patch_errors(signed_in_admin, patches, data, field, message):
    before = _counts()
    response = signed_in_admin.post("/admin/patches/add/", data)
    assert response.status_code == 400
    assert _errors(response) == [message]
    assert _summary_links(response) == [f"id_{field}"]
    assert _counts() == before
    html = response.content.decode()
    for value in data.values():
        assert f'value="{value}"' in html


def test_edit_patch_renames_and_allocates_with_audit(signed_in_admin, admin, officer):
    add_user("tess", "team_leader", PASSWORD)
    response = signed_in_admin.post("/admin/patches/EAST/", {"name": "East side",
                                                          "officers": ["tess"]})
    assert response.status_code == 302 and response["Location"] == "/admin/patches/"
    east = Patch.objects.get(code="EAST")
    assert east.name == "East side"
    assert list(east.allocations.values_list("user__username", flat=True)) == ["tess"]
    renamed = AuditEvent.objects.get(action="patch_renamed")
    assert renamed.details == {"from": "East estates", "to": "East side"}
    allocated = AuditEvent.objects.get(action="patch_allocation_changed")
    assert allocated.details == {"added": ["tess"], "removed": ["olly"]}
    assert allocated.actor == admin


def test_edit_patch_offers_officers_and_team_leaders_only(signed_in_admin, officer):
    add_user("fin", "finance", PASSWORD)
    add_user("tess", "team_leader", PASSWORD)
    html = signed_in_admin.get("/admin/patches/WEST/").content.decode()
    assert 'value="olly"' in html and 'value="tess"' in html
    assert 'value="fin"' not in html and 'value="boss"' not in html


def test_edit_patch_unticks_a_deactivated_officer(signed_in_admin, officer):
    set_active(officer, False)
    html = signed_in_admin.get("/admin/patches/EAST/").content.decode()
    assert re.search(r'value="olly" checked', html) and "deactivated" in html
    signed_in_admin.post("/admin/patches/EAST/", {"name": "East estates"})
    assert not PatchAllocation.objects.filter(patch__code="EAST").exists()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"officers": ["olly"]}, "name", "Enter a name for the patch"),
        ({"name": "East", "officers": ["boss"]}, "officers", "Select people from the list"),
        ({"name": "East", "officers": ["ghost"]}, "officers", "Select people from the list"),
    ],
)
def test_edit_patch_errors(signed_in_admin, officer, data, field, message):
    before = _counts()
    response = signed_in_admin.post("/admin/patches/EAST/", data)
    assert response.status_code == 400
    assert _errors(response) == [message]
    assert _summary_links(response) == [f"id_{field}"]
    assert _counts() == before
    assert Patch.objects.get(code="EAST").name == "East estates"


def test_unnamed_patch_offers_its_code_as_name(signed_in_admin, admin):
    Patch.objects.create(code="SOUTH")
    html = signed_in_admin.get("/admin/patches/SOUTH/").content.decode()
    assert 'value="SOUTH"' in html


def test_edit_unknown_patch_is_404(signed_in_admin):
    assert signed_in_admin.get("/admin/patches/NOPE/").status_code == 404


# --- access --------------------------------------------------------------------------------

ADMIN_URLS = ["/admin/", "/admin/users/", "/admin/users/add/", "/admin/users/olly/",
              "/admin/patches/", "/admin/patches/add/", "/admin/patches/EAST/"]


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_anonymous_is_sent_to_login(client, officer, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("role", ["officer", "team_leader", "manager", "finance"])
@pytest.mark.parametrize("url", ADMIN_URLS)
def test_other_roles_get_403(client, officer, role, url):
    client.force_login(add_user("someone", role, PASSWORD))
    response = client.get(url)
    assert response.status_code == 403
    assert "You do not have access" in response.content.decode()


@pytest.mark.parametrize("role", ["officer", "team_leader", "manager", "finance"])
def test_other_roles_cannot_add_a_user_even_with_a_valid_form(client, officer, role):
    client.force_login(add_user("someone", role, PASSWORD))
    before = _counts()
    assert client.post("/admin/users/add/", _valid_user_form()).status_code == 403
    assert client.post("/admin/users/olly/", _edit_form(role="admin")).status_code == 403
    assert client.post("/admin/users/olly/password/", {
        "password1": "brand-new-password", "password2": "brand-new-password"}).status_code == 403
    assert client.post("/admin/patches/add/", {"code": "N", "name": "N"}).status_code == 403
    assert client.post("/admin/patches/EAST/", {"name": "X"}).status_code == 403
    assert _counts() == before
    assert roles_of(User.objects.get(username="olly")) == {"officer"}


def test_deactivated_admin_loses_access(client, admin, patches):
    other = add_user("deputy", "admin", PASSWORD)
    client.force_login(other)
    set_active(other, False, actor=admin)
    response = client.get("/admin/users/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_pages_render_for_admin(signed_in_admin, officer):
    for url in ADMIN_URLS:
        response = signed_in_admin.get(url)
        assert response.status_code == 200, url
        assert b"govuk-template" in response.content
