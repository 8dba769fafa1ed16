import pytest

from indicators.choices import MeasureType
from reporting.models import Submission
from tests.factories import reporting_setup


@pytest.fixture
def indicators(province, department, dic_user):
    _plan, indicators = reporting_setup(province, department, dic_user)
    return indicators


@pytest.fixture
def submission(indicators, department):
    """The department's submission of 2024-Q1: one value of each measure type, one task."""
    return Submission.objects.get(agency=department, period__year=2024, period__quarter=1)


def complete_values(submission) -> dict[int, dict]:
    """Plausible figures for every value of ``submission``."""
    figures = {
        MeasureType.RATE: {"numerator": 45, "denominator": 60},
        MeasureType.RATIO: {"numerator": 28000, "denominator": 2000},
        MeasureType.COUNT: {"value": 12},
        MeasureType.AMOUNT: {"value": 2_000_000_000},
        MeasureType.MILESTONE: {"is_done": False},
        MeasureType.YES_NO: {"is_done": True},
        MeasureType.TEXT: {"text": "Đã ban hành quy chế"},
    }
    return {
        row.pk: figures[row.indicator.measure_type] for row in submission.values.select_related("indicator")
    }
