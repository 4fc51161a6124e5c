"""What an operator relies on: production checks, the error pages, the health probe (the demo
data: sampledata/tests/test_demo.py)."""

import pytest

from earlyhelp.tests.commands import ROOT, manage


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "EARLYHELP_ENV": "production",
            "DJANGO_SECRET_KEY": "x" * 30 + "-not-a-real-secret-" + "y" * 30,
            "DJANGO_ALLOWED_HOSTS": "earlyhelp.example.org",
            "DATABASE_URL": "sqlite:///" + str(ROOT / "unused.sqlite3"),
            "EARLYHELP_AUDIT_KEYS": "2026a:" + "z" * 40,
        },
        unset=("DJANGO_DEBUG",),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env={"EARLYHELP_ENV": "production", "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_the_health_probe_answers_without_a_session(client):
    response = client.get("/health/")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_error_pages_use_the_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
