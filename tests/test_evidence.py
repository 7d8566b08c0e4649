"""The evidence library: documents, links and "not held" against each Annex A request."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspection.models import EvidenceItem, EvidenceRequest

pytestmark = pytest.mark.django_db


def test_checklist_shows_what_is_held_and_what_is_not(client, la_officer):
    client.force_login(la_officer)
    document = SimpleUploadedFile("ap-strategy.pdf", b"%PDF-1.7 strategy", content_type="application/pdf")
    client.post(
        reverse("evidence"),
        {"request": "strategic_planning", "kind": "document", "title": "AP strategy 2025-28", "file": document},
    )
    client.post(
        reverse("evidence"), {"request": "taskforce", "kind": "not_held", "note": "No AP taskforce in this area"}
    )
    client.post(
        reverse("evidence"),
        {"request": "impact", "kind": "link", "title": "Annual AP report", "url": "https://example.org/ap-report"},
    )
    checklist = {
        label: (items, answered) for label, items, answered in client.get(reverse("evidence")).context["checklist"]
    }
    assert len(checklist) == len(EvidenceRequest.choices)
    assert checklist["Strategic planning for AP"][1]
    assert checklist["AP taskforce involvement"][1], "not held is an answer"
    assert not checklist["Transition practices"][1]
    item = EvidenceItem.objects.get(kind="document")
    download = client.get(reverse("evidence_download", args=[item.public_id]))
    assert download.content == b"%PDF-1.7 strategy"


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"request": "impact", "kind": "link", "title": "Report", "url": ""}, "url", "Enter the link"),
        ({"request": "impact", "kind": "link", "title": "", "url": "https://example.org"}, "title", "Enter a title"),
        ({"request": "impact", "kind": "document", "title": "Report"}, "file", "Choose the document"),
        ({"kind": "not_held"}, "request", "Choose what it answers"),
    ],
)
def test_bad_evidence_is_explained_and_not_saved(client, la_officer, data, field, words):
    client.force_login(la_officer)
    response = client.post(reverse("evidence"), data)
    assert any(words in e for e in response.context["form"].errors.get(field, [])), response.context["form"].errors
    assert not EvidenceItem.objects.exists()


def test_an_executable_is_refused(client, la_officer):
    client.force_login(la_officer)
    bad = SimpleUploadedFile("tool.exe", b"MZ...", content_type="application/octet-stream")
    response = client.post(reverse("evidence"), {"request": "impact", "kind": "document", "title": "Tool", "file": bad})
    assert "must be a PDF, Word" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_only_the_la_keeps_the_library(client, school_lead):
    client.force_login(school_lead)
    assert client.get(reverse("evidence")).status_code == 404


def test_a_document_with_an_odd_name_downloads_with_a_sound_header(client, la_officer):
    client.force_login(la_officer)
    odd = SimpleUploadedFile('strategy "final"; filename=evil.exe.pdf', b"%PDF", content_type="application/pdf")
    client.post(reverse("evidence"), {"request": "impact", "kind": "document", "title": "Strategy", "file": odd})
    item = EvidenceItem.objects.get()
    header = client.get(reverse("evidence_download", args=[item.public_id]))["Content-Disposition"]
    # One quoted file name: the name's own semicolon cannot start a second parameter.
    assert re.fullmatch(r'attachment; filename="(?:[^"\\]|\\.)*"', header), header
