"""File responses that cannot run script in the platform's origin, whatever the file holds."""

from django.http import FileResponse

SANDBOX_CSP = "sandbox; default-src 'none'"


def file_response(field_file, *, content_type: str, filename: str, attachment: bool):
    """Stream ``field_file`` with headers that forbid sniffing, framing and caching.

    Text is named with its charset: core.uploads stores every text file as UTF-8.
    """
    if content_type.startswith("text/") and "charset" not in content_type:
        content_type = f"{content_type}; charset=utf-8"
    response = FileResponse(
        field_file.open("rb"),
        content_type=content_type,
        as_attachment=attachment,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Referrer-Policy"] = "no-referrer"
    # Access is checked on every request, so no copy may be kept where it would bypass that.
    response["Cache-Control"] = "private, no-store"
    return response
