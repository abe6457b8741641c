"""Every model has a working admin for data stewards."""

import pytest
from django.contrib import admin

from tests.slices import load_real_slice
from welcoming.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    load_real_slice()
    client.force_login(User.objects.create_superuser("synthetic-admin", "a@example.org", "pw"))
    return client


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_changelist_and_add_pages_answer(superuser_client, model) -> None:
    opts = model._meta
    base = f"/en/admin/{opts.app_label}/{opts.model_name}/"
    assert superuser_client.get(base).status_code == 200
    assert superuser_client.get(f"{base}add/").status_code in {200, 403}


def test_every_model_of_ours_is_in_the_admin() -> None:
    """On its own page, or as a part edited on its owner's page (an inline)."""
    from django.apps import apps

    ours = {
        m
        for m in apps.get_models()
        if m.__module__.startswith("welcoming.") and not m.__name__.startswith("Historical")
    }
    inlined = {inline.model for shown in admin.site._registry.values() for inline in shown.inlines}
    # Rows derived from others and rebuilt by `welcoming directory reindex`: nothing to edit.
    derived = {
        apps.get_model("directory", "ServiceSearchEntry"),
        apps.get_model("directory", "ServiceSearchHours"),
    }
    assert ours - derived <= set(admin.site._registry) | inlined
