from flask.views import MethodView

from backend.api.base import Blueprint
from backend.api.catalogue.schemas import (AdviceRequestSchema, AdviceSchema, DocumentSchema, HealthSchema,
                                           LabelsSchema, RegionQuerySchema, RegionSchema)
from backend.domain import labels
from backend.services import catalogue, documents

blp = Blueprint("catalogue", __name__, url_prefix="/api/v1", description="Regions, documents, filing advice")


@blp.route("/regions")
class Regions(MethodView):
    @blp.arguments(RegionQuerySchema, location="query")
    @blp.response(200, RegionSchema(many=True))
    def get(self, query):
        """GB/T 2260 regions: provinces, or the cities of one province (`parent`)."""
        return documents.regions(query.get("parent"))


@blp.route("/documents/<string:name>")
class Documents(MethodView):
    @blp.response(200, DocumentSchema)
    @blp.errors(404)
    def get(self, name):
        """The current version of `filing-notice`, `filing-pledge`, `agent-declaration`,
        `signup-agreement`, `identity-consent` or `health-consent`, with its sha256."""
        return documents.get(name)


@blp.route("/labels")
class Labels(MethodView):
    @blp.response(200, LabelsSchema)
    def get(self):
        """Every label a person reads for a value the API sends, `{group: {value: 中文}}`:
        statuses, steps, events, reasons, kinds. The mini-program keeps none of its own."""
        return {group.replace(".", "_"): values for group, values in labels.TABLE.items()}


@blp.route("/filing-advice")
class FilingAdvice(MethodView):
    @blp.arguments(AdviceRequestSchema)
    @blp.response(200, AdviceSchema)
    @blp.errors(422)
    def post(self, body):
        """Whether a filing is needed before settling, and the benefit rule that applies
        (seed 002's table for Shanxi; the national rules elsewhere)."""
        return catalogue.advice(**body)


@blp.route("/healthz")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, description="the database does not answer")
    def get(self):
        """200 once the database answers."""
        return catalogue.health()
