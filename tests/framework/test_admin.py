"""The framework admin: both languages side by side, and the history of every change."""

import pytest

from welcoming.accounts.services import operator_user
from welcoming.framework.models import Characteristic
from welcoming.framework.services import framework_load

pytestmark = pytest.mark.django_db


def test_characteristic_form_has_both_languages_and_history(admin_client) -> None:
    framework_load(actor=operator_user())
    safety = Characteristic.objects.get(code="safety")
    base = f"/en/admin/framework/characteristic/{safety.pk}/"
    html = admin_client.get(f"{base}change/").content.decode()
    assert 'name="name_en"' in html and 'name="description_fr"' in html
    assert admin_client.get(f"{base}history/").status_code == 200


@pytest.mark.parametrize("model", ["framework", "characteristicgroup", "qolrscategory"])
def test_search_answers(admin_client, model: str) -> None:
    framework_load(actor=operator_user())
    assert admin_client.get(f"/en/admin/framework/{model}/", {"q": "safety"}).status_code == 200
