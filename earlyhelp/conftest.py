import pytest

from earlyhelp.tests.personas import build_world, sign_in


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Hashing is deliberately slow; tests sign in hundreds of generated users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path):
    # Uploads made by tests go to a folder of their own, never into the checkout's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def language_reset():
    # A request in another language leaves it active in the thread (the locale middleware
    # activates it and nothing deactivates it): the next test starts in the default again.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    # What one test drew and kept (a programme's figures) is never another's: ids repeat.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def signed_in(client):
    """signed_in(user) -> the test client, signed in as user with two-factor proven."""

    def _sign_in(user):
        sign_in(client, user)
        return client

    return _sign_in


def pytest_terminal_summary(terminalreporter):
    """How much the hostile crawler (tests/hostile) sent, summed over the workers' reports."""
    cases = forms = patterns = 0
    for reports in terminalreporter.stats.values():
        for report in reports:
            properties = dict(getattr(report, "user_properties", ()) or ())
            if getattr(report, "when", None) == "call" and "hostile_cases" in properties:
                cases += properties["hostile_cases"]
                forms += properties["hostile_forms"]
                patterns += 1
    if patterns:
        terminalreporter.write_line(
            f"hostile crawler: {cases} submissions over {forms} forms of {patterns} URL patterns"
        )
