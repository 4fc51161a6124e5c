"""A report is sent once: the form's token is spent when it is sent, so a second Send, a
double click, an autosave arriving late, or Back and Send again never make a second concern,
never turn the sent one back into a draft, and are told "already sent" with a link to it."""

import threading

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from earlyhelp.concerns import services
from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.organisations.models import Role
from earlyhelp.tests.personas import build_world, sign_in

TOKEN = "a" * 32


def _sent_once(response, concern=None) -> Concern:
    concern = concern or Concern.objects.get()
    assert Concern.objects.count() == 1
    concern.refresh_from_db()
    assert concern.status == Concern.Status.SUBMITTED
    page = response.content.decode()
    assert "already sent" in page
    assert reverse("concerns:detail", args=[concern.pk]) in page
    return concern


@pytest.mark.django_db
def test_the_same_form_sent_twice_sends_one_concern_and_says_already_sent(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    first = client.post(reverse("concerns:report"), report_data(world, form_token=TOKEN, send="1"))
    assert first.status_code == 302
    again = client.post(reverse("concerns:report"), report_data(world, form_token=TOKEN, send="1"))
    assert again.status_code == 409
    _sent_once(again)


@pytest.mark.django_db
def test_an_autosave_after_send_leaves_the_concern_sent_and_unchanged(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    client.post(reverse("concerns:report"), report_data(world, form_token=TOKEN, send="1"))
    concern = Concern.objects.get()
    for extra in ({}, {"draft": concern.pk, "version": concern.version}):
        late = client.post(
            reverse("concerns:report"),
            report_data(world, form_token=TOKEN, what_happened="Half a sent", **extra),
            HTTP_HX_REQUEST="true",
        )
        assert late.status_code == 200
        _sent_once(late, concern)
        assert concern.what_happened.startswith("Bence came without a coat")


@pytest.mark.django_db
def test_a_send_naming_the_sent_draft_is_told_already_sent_not_refused(world, signed_in):
    """The second of two parallel Sends carries the draft's id the autosave gave it."""
    client = signed_in(world.users[Role.EDUCATOR])
    client.post(reverse("concerns:report"), report_data(world), HTTP_HX_REQUEST="true")
    draft = Concern.objects.get()
    data = report_data(world, draft=draft.pk, version=draft.version, send="1")
    assert client.post(reverse("concerns:report"), data).status_code == 302
    again = client.post(reverse("concerns:report"), data)
    assert again.status_code == 409
    _sent_once(again, draft)


@pytest.mark.django_db
def test_a_request_that_loses_the_race_for_the_token_finds_the_sent_concern(
    world, signed_in, monkeypatch
):
    """Two requests of one form both found no concern for its token; the second one's insert
    then hits the unique token: it is told "already sent", never answered 500."""
    client = signed_in(world.users[Role.EDUCATOR])
    client.post(reverse("concerns:report"), report_data(world, form_token=TOKEN, send="1"))
    real = services.concern_of_form
    calls = []

    def not_found_at_first(**lookup):
        calls.append(lookup)
        return None if len(calls) <= 2 else real(**lookup)

    monkeypatch.setattr(services, "concern_of_form", not_found_at_first)
    again = client.post(reverse("concerns:report"), report_data(world, form_token=TOKEN, send="1"))
    assert len(calls) == 3  # the view, the service, and the service after the conflict
    _sent_once(again)


@pytest.mark.django_db
def test_send_back_and_send_again_is_recognised_as_the_same_report(world, signed_in):
    """Back shows the form again with a new token while the browser restores the text: the
    same report from the same reporter moments later is the first one again."""
    client = signed_in(world.users[Role.EDUCATOR])
    client.post(reverse("concerns:report"), report_data(world, form_token=TOKEN, send="1"))
    # The restored form's first autosave, then Send.
    client.post(
        reverse("concerns:report"), report_data(world, form_token="b" * 32), HTTP_HX_REQUEST="true"
    )
    again = client.post(
        reverse("concerns:report"), report_data(world, form_token="b" * 32, send="1")
    )
    assert again.status_code == 409
    _sent_once(again)  # and the restored form's draft is gone: it held nothing new


@pytest.mark.django_db
def test_another_report_moments_later_is_sent(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    client.post(reverse("concerns:report"), report_data(world, form_token=TOKEN, send="1"))
    other = report_data(world, form_token="b" * 32, send="1", what_happened="He cried at lunch.")
    assert client.post(reverse("concerns:report"), other).status_code == 302
    assert Concern.objects.filter(status=Concern.Status.SUBMITTED).count() == 2


@pytest.fixture
def committed_world(django_db_setup, django_db_blocker):
    """The world with its rows committed, so that other connections (other requests) see
    them, for a test of real concurrency on PostgreSQL. Afterwards exactly the rows the test
    added are deleted again, with triggers off: the audit log refuses deletion by design, and
    so does the flush that pytest-django's transactional tests end with."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL's row locks and concurrent transactions")
        tables = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        ]
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in tables}
        try:
            yield build_world()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
                try:
                    for model, kept in before.items():
                        added = model._base_manager.exclude(pk__in=kept)
                        added._raw_delete(added.db)
                finally:
                    cursor.execute("SET session_replication_role = origin")


def test_parallel_sends_of_one_form_on_postgresql_send_one_concern(committed_world):
    """Real concurrency: two Sends and an autosave of the same form at the same moment."""
    world = committed_world
    educator = world.users[Role.EDUCATOR]
    barrier = threading.Barrier(3)
    answers: list[int] = []
    errors: list[BaseException] = []

    def post(**extra):
        try:
            client = Client()
            sign_in(client, educator)
            data = report_data(world, form_token=TOKEN, **extra)
            headers = {} if "send" in extra else {"HTTP_HX_REQUEST": "true"}
            barrier.wait(timeout=30)
            answers.append(client.post(reverse("concerns:report"), data, **headers).status_code)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, kwargs={"send": "1"}),
        threading.Thread(target=post, kwargs={"send": "1"}),
        threading.Thread(target=post, kwargs={"what_happened": "Autosaved text"}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    # One Send sends; the other is told "already sent"; the autosave saved before, or was told.
    assert answers.count(302) == 1 and set(answers) <= {200, 302, 409}, answers
    concerns = Concern.objects.filter(reporter=educator)
    assert concerns.count() == 1
    assert concerns.get().status == Concern.Status.SUBMITTED
    assert concerns.get().what_happened.startswith("Bence came without a coat")


@pytest.mark.parametrize("token", ["abc-def", "abc def", "x.y"])
def test_a_token_the_form_never_makes_is_refused_and_a_replay_is_no_fault(world, signed_in, token):
    """Such a token was stored but never found again: the second request failed the
    one-draft-per-form constraint (a 500)."""
    client = signed_in(world.users[Role.EDUCATOR])
    for _attempt in range(2):
        response = client.post(reverse("concerns:report"), report_data(world, form_token=token))
        assert response.status_code == 200
        assert "This form is damaged" in response.content.decode()
    assert not Concern.objects.exists()
