"""PDF files drawn on the server from our own HTML, with WeasyPrint.

The page carries its own styles; nothing is fetched from the network or the disk, so a
document can only ever show what the service put into it.
"""

from weasyprint import HTML
from weasyprint.urls import URLFetcher


class _RefuseEveryUrl(URLFetcher):
    """A fetcher that fetches nothing; a URL in the page stops the rendering rather than being read."""

    def __init__(self):
        super().__init__(fail_on_errors=True)

    def fetch(self, url, headers=None):
        raise PermissionError(f"A PDF is drawn from its own page only; it may not fetch {url}")


def pdf_from_html(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1, readable by screen readers) of one self-contained HTML page."""
    return HTML(string=html, url_fetcher=_RefuseEveryUrl()).write_pdf(pdf_variant="pdf/ua-1")
