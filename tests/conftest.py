import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Collection, Page, Site

from parentvoice.accounts.roles import sync_roles
from parentvoice.demo import _tree_root
from parentvoice.models import HomePage


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: rate limits (allauth's and ours) count in it, and one
    test's attempts must never use up another's."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["pages"].clear()  # nor see a page another test stored (with PAGE_CACHE=true)


def restore_flushed_rows():
    """A transactional test elsewhere may have flushed the rows migrations made: Wagtail's root page
    (page permissions hang on it) and root collection (documents, images). Returns the root page."""
    root = Page.get_first_root_node() or _tree_root()
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return root


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server", "run_tasks"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with a flush that also empties what migrations made (Wagtail's root
    page, root collection and default locale, the roles' groups). Put them back once, outside any
    test's transaction, so the tests that follow on this worker see a freshly migrated database."""
    result = yield
    # After the last test the session's fixtures have gone with it, the test database included.
    if nextitem is not None and _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            restore_flushed_rows()
            sync_roles()
    return result


@pytest.fixture
def home_page(db):
    """A minimal site: our HomePage as the default site's root, replacing Wagtail's placeholder."""
    root = restore_flushed_rows()
    home = HomePage(title="Parent Voice", slug="parent-voice", introduction="Tell us what you think.")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(
        hostname="testserver", port=80, root_page=home, is_default_site=True, site_name="Parent Voice"
    )
    return home


@pytest.fixture
def demo(db):
    from parentvoice.demo import load_demo_content

    return load_demo_content()


@pytest.fixture
def make_user(db):
    def make(email="person@example.org", password="a-long-test-password", verified=True, groups=(), **extra):
        if groups:
            restore_flushed_rows()  # the roles' page and collection permissions hang on the roots
            sync_roles()  # the groups come from a migration, which a transactional test's flush removes
        user = get_user_model().objects.create_user(email=email, password=password, **extra)
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def run_tasks(transactional_db):
    """Drain the database task queue the way production does, with the real `db_worker`.

    Needs a transactional test: the worker closes connections left inside a transaction (as a test's
    wrapping transaction would be), which on PostgreSQL would end the test's connection.

    `due_only=False` first makes tasks scheduled for later (pacing windows, retry back-off) due now,
    so tests need not wait. Returns how many task results ended in each status."""
    from django.core.management import call_command
    from django.db.models import Count
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    def run(due_only=False, rounds=20):
        for _ in range(rounds):
            ready = DBTaskResult.objects.filter(status="READY")
            if not due_only:
                ready.update(run_after=timezone.now() - timezone.timedelta(seconds=1))
            if not DBTaskResult.objects.ready().exists():
                break
            call_command(
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--interval",
                "0",
                "--queue-name",
                "*",
                "--no-reload",
                verbosity=0,
            )
        return dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())

    return run


@pytest.fixture
def staff_login(client, make_user):
    """Sign `client` in as staff with an authenticator app set up, as the admin requires."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    def log_in(group=None, email=None, **extra):
        if email is None:
            email = f"{group.split()[0].lower()}@example.org" if group else "staff@example.org"
        user = make_user(email=email, groups=[group] if group else [], **extra)
        TOTP.activate(user, generate_totp_secret())
        client.force_login(user)
        return user

    return log_in


@pytest.fixture
def concern_terms(db):
    """The safeguarding term list a new site starts with (a transactional test's flush removes what
    the migration seeded)."""
    from parentvoice.safeguarding.starting_terms import seed_starting_terms

    seed_starting_terms()
