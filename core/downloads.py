"""Files handed to the person's browser to save."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(body: bytes | str, filename: str, content_type: str = "application/octet-stream") -> HttpResponse:
    """A download. Django encodes the file name, so an uploaded file's odd name cannot break the header."""
    response = HttpResponse(bytes(body) if isinstance(body, memoryview) else body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
