"""The evaluation report: a hub's yearly figures, worked out once per period and kept.

The one door of the package. Inside: report builds the figures and renders them, period
says which months a report covers, sources reads the check-ins, answers and take-up behind
them, and store keeps the figures worked out once.
"""

from .report import MONTHS, evaluation, file_name, render

__all__ = ["MONTHS", "evaluation", "file_name", "render"]
