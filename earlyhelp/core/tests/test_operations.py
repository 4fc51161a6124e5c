"""What an operator relies on: production checks, demo data, the health probe."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.concerns.models import Concern, ConcernDeadline
from earlyhelp.people.models import Adult, Child
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


@pytest.mark.django_db
def test_demo_data_is_generated_once_however_often_it_runs():
    call_command("demo_data", children_per_group=2, stdout=StringIO())
    counts = (Child.objects.count(), Adult.objects.count(), User.objects.count())
    call_command("demo_data", children_per_group=2, stdout=StringIO())
    assert (Child.objects.count(), Adult.objects.count(), User.objects.count()) == counts
    from earlyhelp.sampledata.demo.organisations import demo_accounts

    # One account per role in each of three municipalities (the DPO's once the role exists).
    assert counts[2] == 3 * len(demo_accounts()) == 24 + 3 * ("dpo" in dict(demo_accounts()))
    assert Child.objects.filter(municipality__jurisdiction__code="DK").exists()
    assert Child.objects.filter(family_name__regex=r"[őűáéŘřžšæøå]").exists()
    stages = set(Concern.objects.values_list("status", flat=True))
    assert stages == set(Concern.Status.values)
    assert ConcernDeadline.objects.filter(met_at__isnull=True, due_at__lt=timezone.now()).exists()


def test_the_health_probe_answers_without_a_session(client):
    response = client.get("/health/")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_error_pages_use_the_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
