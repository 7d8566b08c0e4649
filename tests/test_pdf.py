"""PDFs are drawn from the page the service gives, and fetch nothing from the network or the disk."""

from io import BytesIO

import pytest
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from core.pdf import pdf_from_html


def test_a_page_becomes_a_tagged_pdf():
    body = pdf_from_html('<html lang="en-GB"><head><title>Pack</title></head><body><p>Hello</p></body></html>')
    reader = PdfReader(BytesIO(body))
    assert "Hello" in reader.pages[0].extract_text()
    assert "/StructTreeRoot" in reader.trailer["/Root"]


@pytest.mark.parametrize(
    "element",
    [
        '<img src="http://127.0.0.1:9/tracker.png" alt="">',
        '<img src="file:///etc/hostname" alt="">',
        '<link rel="stylesheet" href="https://example.org/print.css">',
        '<p style="background: url(file:///etc/passwd)">x</p>',
    ],
)
def test_nothing_is_fetched(element):
    with pytest.raises(FatalURLFetchingError):
        pdf_from_html(f'<html lang="en-GB"><head><title>Pack</title></head><body>{element}</body></html>')
