import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from parentvoice.models import HomePage


@pytest.fixture
def home_page(db):
    """A minimal site: our HomePage as the default site's root, replacing Wagtail's placeholder."""
    root = Page.get_first_root_node()
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
        user = get_user_model().objects.create_user(email=email, password=password, **extra)
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    return make
