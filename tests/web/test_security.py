"""Production settings: check --deploy, the Content-Security-Policy, the development key."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

SRC = Path(__file__).resolve().parents[2] / "src"
TEMPLATES = SRC / "openincome" / "web" / "templates"
A_REAL_KEY = "a-test-secret-key-that-is-long-and-random-enough-0123456789-abcdefghij"


def _openincome(*args, **env) -> subprocess.CompletedProcess:
    """Run the real command line in a fresh process with these environment variables."""
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith("OPENINCOME_") or k == "OPENINCOME_DATABASE_URL"}
    environ.update(env, PYTHONPATH=str(SRC))
    return subprocess.run([sys.executable, "-m", "openincome", *args], env=environ,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_in_production():
    result = _openincome("manage", "check", "--deploy", "--fail-level", "WARNING",
                         OPENINCOME_ENV="production", OPENINCOME_SECRET_KEY=A_REAL_KEY)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_check_deploy_warns_without_production():
    # The check itself works: outside production the same command finds the HTTPS gaps.
    result = _openincome("manage", "check", "--deploy", "--fail-level", "WARNING",
                         OPENINCOME_SECRET_KEY=A_REAL_KEY)
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


@pytest.mark.parametrize(("env", "refused"), [
    ({}, True),
    ({"OPENINCOME_ENV": "production"}, True),
    ({"OPENINCOME_DEMO_MODE": "1"}, False),
    ({"OPENINCOME_SECRET_KEY": A_REAL_KEY}, False),
])
def test_serve_refuses_the_development_key_unless_in_demo_mode(tmp_path, env, refused):
    # A port that is always busy: a server allowed to start stops there with exit 1.
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _openincome("serve", "--port", str(port), **env,
                             OPENINCOME_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    if refused:
        assert result.returncode == 2, result.stderr
        assert "OPENINCOME_SECRET_KEY" in result.stderr
    else:
        assert result.returncode == 1, result.stderr
        assert "in use" in result.stderr


@pytest.mark.parametrize(("env", "refused"), [
    ({"OPENINCOME_ENV": "production"}, True),
    ({"OPENINCOME_ENV": "production", "OPENINCOME_SECRET_KEY": A_REAL_KEY}, False),
    ({}, False),  # a developer's own machine
])
def test_wsgi_refuses_the_development_key_in_production(env, refused):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OPENINCOME_")}
    environ.update(env, PYTHONPATH=str(SRC))
    result = subprocess.run([sys.executable, "-c", "import openincome.wsgi"], env=environ,
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode != 0) is refused, result.stderr
    assert ("OPENINCOME_SECRET_KEY" in result.stderr) is refused


def test_every_page_carries_the_content_security_policy(db):
    response = Client().get("/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_or_style(template):
    # The policy forbids them: the browser would silently skip the script or the style.
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "move the script to a file under static/web/"
    assert not INLINE_STYLE.search(text), "move the style or handler to static/web/"


def test_production_cookies_and_sessions_come_from_the_environment():
    code = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
            "s.SESSION_COOKIE_AGE)")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OPENINCOME_")}
    environ.update(PYTHONPATH=str(SRC), DJANGO_SETTINGS_MODULE="openincome.settings",
                   OPENINCOME_ENV="production", OPENINCOME_HSTS_SECONDS="600",
                   OPENINCOME_SESSION_SECONDS="1800")
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code],
                            env=environ, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["True", "True", "True", "600", "1800"], result.stderr
