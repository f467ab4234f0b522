from flask.views import MethodView

from backend.api.base import Blueprint, current_actor
from backend.api.binary import JPEG_RESPONSE, image_response
from backend.api.filings.schemas import FileSchema, FilingSchema
from backend.domain.filing import ATTACHMENT_KINDS
from backend.services import attachments

blp = Blueprint("attachments", __name__, url_prefix="/api/v1/filings/<int:filing_id>/attachments",
                description="为他人备案: ID card and household-register photos of the agent and the insured person")

# A plain string in the route, so that an unknown kind gets a 422 naming the four
# kinds (with werkzeug's `any` converter it would fall through to the mock's
# catch-all route and answer 405); the spec still lists them as an enum.
KIND = {"in": "path", "name": "kind", "description": "whose photo, and of which paper",
        "schema": {"type": "string", "enum": list(ATTACHMENT_KINDS)}}


@blp.route("/<string:kind>", parameters=[KIND])
class Upload(MethodView):
    @blp.login_required
    @blp.arguments(FileSchema, location="files")
    @blp.response(201, FilingSchema)
    @blp.errors(403, 404, 409, 413, 415, 422)
    def post(self, files, filing_id, kind):
        """Upload a photo (multipart `file`, JPEG or PNG): `agent_*` of the agent,
        `insured_*` of the insured person, ID card or household register.

        The photo is stored cleaned: turned upright, at most 2048 px, re-encoded
        as JPEG with no metadata. A second photo of the same kind replaces the
        first. Once both people have one, the `attachments` step is done.
        Only for filings made for someone else (409 for one's own)."""
        return attachments.upload(current_actor(), filing_id, kind, files["file"].stream)


@blp.route("/<int:attachment_id>")
class Attachment(MethodView):
    @blp.login_required
    @blp.doc(responses=JPEG_RESPONSE)
    @blp.errors(404)
    def get(self, filing_id, attachment_id):
        """The stored (cleaned) photo, to the agent and the insured person only."""
        return image_response(*_jpeg(filing_id, attachment_id, thumbnail=False))

    @blp.login_required
    @blp.response(200, FilingSchema)
    @blp.errors(403, 404, 409)
    def delete(self, filing_id, attachment_id):
        """Delete a photo while the filing is a draft; without a photo of both
        people the `attachments` step is not done any more."""
        return attachments.delete(current_actor(), filing_id, attachment_id)


@blp.route("/<int:attachment_id>/thumbnail")
class Thumbnail(MethodView):
    @blp.login_required
    @blp.doc(responses=JPEG_RESPONSE)
    @blp.errors(404)
    def get(self, filing_id, attachment_id):
        """The photo's thumbnail (long edge 320 px), for lists."""
        return image_response(*_jpeg(filing_id, attachment_id, thumbnail=True))


def _jpeg(filing_id: int, attachment_id: int, *, thumbnail: bool):
    content, filename = attachments.image(current_actor(), filing_id, attachment_id, thumbnail=thumbnail)
    return content, "image/jpeg", filename
