"""Images sent back to their owners: never cached, never sniffed."""

from flask import Response

PNG_RESPONSE = {"200": {"description": "PNG image",
                        "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}}
JPEG_RESPONSE = {"200": {"description": "JPEG image",
                         "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}}


def image_response(content: bytes, media_type: str, filename: str) -> Response:
    response = Response(content, mimetype=media_type)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
