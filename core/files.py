from django.core.files.storage import default_storage
from django.http import FileResponse, Http404


def stream_stored(name: str, **kwargs) -> FileResponse:
    """Stream a stored file (local disk or S3) to someone the caller already checked may
    read it; 404 when the file is missing."""
    try:
        stream = default_storage.open(name, "rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(stream, **kwargs)
    # Nobody else's business: no shared or lasting cache keeps it, and the browser takes
    # the declared type at its word.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
