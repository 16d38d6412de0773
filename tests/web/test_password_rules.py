"""Django's full password rules on every way of adding a user: command line and admin pages."""

import html

import pytest
from django.contrib.auth import get_user_model

from openincome.cli import main
from openincome.staff.actions import add_user

pytestmark = pytest.mark.django_db

# password -> the message the person adding the user reads (for user samantha.jones).
REFUSED = [
    ("samantha.jones1", "The password is too similar to the username."),
    ("Samantha.Jones", "The password is too similar to the username."),
    ("short-pw", "This password is too short. It must contain at least 12 characters."),
    ("password1234", "This password is too common."),
    ("qwertyuiop123", "This password is too common."),
    ("738291047562", "This password is entirely numeric."),
]
ACCEPTED = ["demo-password-2026", "correct-horse-battery", "web-test-password"]


@pytest.mark.parametrize(("password", "message"), REFUSED)
def test_cli_user_add_refuses_weak_passwords_and_says_why(capsys, monkeypatch, password,
                                                          message):
    monkeypatch.setenv("OPENINCOME_PASSWORD", password)
    assert main(["user", "add", "samantha.jones", "--role", "officer"]) == 2
    assert message in capsys.readouterr().err
    assert not get_user_model().objects.filter(username="samantha.jones").exists()


@pytest.mark.parametrize("password", ACCEPTED)
def test_cli_user_add_accepts_long_uncommon_passwords(monkeypatch, password):
    monkeypatch.setenv("OPENINCOME_PASSWORD", password)
    assert main(["user", "add", "samantha.jones", "--role", "officer"]) == 0


@pytest.mark.parametrize(("password", "message"), REFUSED)
def test_admin_add_user_page_refuses_weak_passwords_and_says_why(client, password, message):
    client.force_login(add_user("boss", "admin", "a-long-test-password"))
    response = client.post("/admin/users/add/", {
        "username": "samantha.jones", "first_name": "Samantha", "last_name": "Jones",
        "email": "sj@example.org", "role": "officer", "password1": password,
        "password2": password,
    })
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "govuk-error-summary" in page and message in page
    assert password not in page
    assert not get_user_model().objects.filter(username="samantha.jones").exists()


def test_password_reset_applies_the_same_rules(client):
    officer = add_user("samantha.jones", "officer", "a-long-test-password")
    client.force_login(add_user("boss", "admin", "a-long-test-password"))
    response = client.post("/admin/users/samantha.jones/password/",
                           {"password1": "password1234", "password2": "password1234"})
    assert "This password is too common." in html.unescape(response.content.decode())
    officer.refresh_from_db()
    assert officer.check_password("a-long-test-password")
