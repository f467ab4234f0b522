"""QA: the notifications a person was sent, for walk scripts. Mounted only outside
production (backend/__init__.py): in production the path does not exist (404)."""

import marshmallow as ma
from flask.views import MethodView

from backend.api.base import Blueprint
from backend.api.fields import BeijingDateTime
from backend.api.me.schemas import MessageSchema
from backend.domain import labels
from backend.services import notifications

blp = Blueprint("qa_messages", __name__, url_prefix="/api/v1/qa",
                description="QA tools (outside production only): notifications sent")


class QaMessagesQuery(ma.Schema):
    id_number = ma.fields.String(required=True, validate=ma.validate.Length(min=15, max=18),
                                 metadata={"example": "140121198007120318"})


class QaMessageSchema(MessageSchema):
    state = ma.fields.String(metadata={"enum": list(labels.MESSAGE_STATE)})
    attempts = ma.fields.Integer()
    next_attempt_at = BeijingDateTime(allow_none=True)
    sent_at = BeijingDateTime(allow_none=True)
    last_error = ma.fields.String(allow_none=True)


@blp.route("/messages")
class QaMessages(MethodView):
    @blp.arguments(QaMessagesQuery, location="query")
    @blp.response(200, QaMessageSchema(many=True))
    def get(self, query):
        """Every message written to the person of this ID number, newest first, with
        its delivery state (`pending`, `sent`, `failed`). Not mounted in production."""
        return notifications.for_person(query["id_number"])
