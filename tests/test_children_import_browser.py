"""Importing children in a real browser: a file with a problem, corrected, then imported; axe-core clean."""

import pytest

from children.models import Child
from tests.chromium import assert_accessible, sign_in
from tests.import_helpers import as_csv
from tests.import_helpers import child_row as row

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def choose_file(page, content: bytes) -> None:  # noqa: F811
    page.get_by_label("List of children").set_input_files(
        {"name": "children.csv", "mimeType": "text/csv", "buffer": content}
    )


def test_la_officer_imports_a_list_of_children(page, live_server, la_officer, school):  # noqa: F811
    sign_in(page, live_server, la_officer.username)
    page.goto(f"{live_server.url}/register/")
    page.get_by_role("link", name="Import a list of children").click()
    assert_accessible(page, "children-import")
    choose_file(page, as_csv([row(1), row(2, Gender="X")]))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Problems").wait_for()
    assert page.get_by_role("cell", name="must be one of: M, F").is_visible()
    assert_accessible(page, "children-import-problems")
    page.get_by_role("link", name="Import a list of children").click()
    choose_file(page, as_csv([row(1), row(2)]))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import these children").wait_for()
    assert_accessible(page, "children-import-check")
    page.get_by_role("button", name="Import these children").click()
    page.get_by_text("2 children added").wait_for()
    assert Child.objects.count() == 2
