"""Documents people upload (plans, assessments, strategies): one check of what is accepted."""

from django.core.exceptions import ValidationError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def document_read(upload, *, allowed: set[str], described: str) -> tuple[str, bytes]:
    """The name and bytes of an uploaded document, or a ValidationError on its "file" field.

    `allowed` holds the file endings accepted; `described` names them for a person,
    for example "a PDF, Word, OpenDocument or RTF file".
    """
    if upload is None:
        raise ValidationError({"file": ["Choose the document to upload"]})
    suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if suffix not in allowed:
        raise ValidationError({"file": [f"The document must be {described}"]})
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": [f"The document must be {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB or smaller"]})
    return upload.name[:255], upload.read()
