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


def pytest_collection_modifyitems(config, items):
    """A test that reaches the database through a fixture of its own (one that unblocks it,
    such as a module's shared demo) must be marked django_db as well. pytest-django orders the
    unmarked tests after the transactional ones, whose end empties the database, the rows the
    migrations wrote included: such a test would then find a database without them whenever
    it is the first of its module on a worker."""
    unmarked = [
        item.nodeid
        for item in items
        if item.get_closest_marker("django_db") is None and _unblocks_the_database(item)
    ]
    if unmarked:
        raise pytest.UsageError(
            "Mark these tests django_db (they use the database through a fixture): "
            + ", ".join(unmarked)
        )


def _unblocks_the_database(item) -> bool:
    """Whether one of earlyhelp's own fixtures the test uses, shared beyond the test (a
    module's demo), asks for django_db_blocker. A fixture of one test that commits and cleans
    up its own rows (a test of real concurrency) is that test's business."""
    info = getattr(item, "_fixtureinfo", None)
    for definitions in info.name2fixturedefs.values() if info else ():
        for definition in definitions:
            module = getattr(definition.func, "__module__", "") or ""
            if (
                module.startswith("earlyhelp")
                and definition.scope != "function"
                and "django_db_blocker" in definition.argnames
            ):
                return True
    return False
