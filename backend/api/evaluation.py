"""The evaluation report for researchers: one self-contained HTML page to download."""

from marshmallow import Schema, fields, validate

from ..services import evaluation
from .access import role_required
from .blueprint import Blueprint
from .downloads import attachment

blp = Blueprint(
    "evaluation", __name__, url_prefix="/api/v1/insights", description="Evaluation report"
)
# No scripts and nothing fetched: only the page's own inline styles may apply.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


class EvaluationQuerySchema(Schema):
    months = fields.Integer(
        load_default=6,
        validate=validate.OneOf(evaluation.MONTHS, error="Choose 6 or 12 months."),
        metadata={"description": "the whole calendar months before this one to cover"},
    )


@blp.view(
    "GET",
    "/evaluation",
    role_required("researcher"),
    query=EvaluationQuerySchema,
    content_type="text/html",
    description="The evaluation report (HTML)",
)
def report(query):
    """The 6- or 12-month evaluation report, every figure under the release rules."""
    figures = evaluation.evaluation(query["months"])
    return attachment(
        evaluation.render(figures),
        evaluation.file_name(figures),
        mimetype="text/html",
        Content_Security_Policy=REPORT_CSP,
    )
