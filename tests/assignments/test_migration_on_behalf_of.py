"""assignments 0003: an obligation a collector was given for a body that does not
report itself, before obligations said for whom, is marked as held for that body;
an obligation of the collector's own lead is not."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("assignments", "0002_password_reset_requests")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_collectors_obligation_for_a_lead_body_is_marked_held_for_it():
    try:
        old = _migrate(
            BEFORE + [node for node in _leaves() if node[0] not in ("assignments", "reporting", "dti")]
        )
        Agency = old.get_model("indicators", "Agency")
        province = Agency.objects.create(code="BG", name="Tỉnh Bắc Giang", kind="province")
        collector = Agency.objects.create(
            code="BG.STTTT", name="Sở TT&TT", kind="department", parent=province, province=province
        )
        body = Agency.objects.create(
            code="BG.DNVT",
            name="Các doanh nghiệp viễn thông",
            kind="enterprise",
            parent=province,
            province=province,
            reported_by=collector,
        )
        pillar = old.get_model("indicators", "Pillar").objects.create(code="HTS", name="Hạ tầng số")
        Indicator = old.get_model("indicators", "Indicator")
        common = {"province": province, "pillar": pillar, "measure_type": "rate", "rollup_time": "stock"}
        ftth = Indicator.objects.create(
            code="FTTH", name="Cáp quang", rollup_agencies="ratio_of_sums", **common
        )
        own = Indicator.objects.create(code="OWN", name="Của Sở", rollup_agencies="ratio_of_sums", **common)
        plan = old.get_model("indicators", "Plan").objects.create(
            number="1/KH", title="Kế hoạch", issuer="UBND", province=province, year_from=2022, year_to=2022
        )
        Assignment = old.get_model("assignments", "IndicatorAssignment")
        Assignment.objects.create(plan=plan, indicator=ftth, year=2022, agency=body, role="lead")
        Assignment.objects.create(plan=plan, indicator=ftth, year=2022, agency=collector, role="coordinating")
        Assignment.objects.create(plan=plan, indicator=own, year=2022, agency=body, role="lead")
        Assignment.objects.create(plan=plan, indicator=own, year=2022, agency=collector, role="lead")
        Obligation = old.get_model("assignments", "ReportingObligation")
        Obligation.objects.create(indicator=ftth, agency=collector, year=2022)
        Obligation.objects.create(indicator=own, agency=collector, year=2022)

        new = _migrate(_leaves())

        held = new.get_model("assignments", "ReportingObligation").objects.order_by("indicator__code")
        assert [(o.indicator.code, o.on_behalf_of_id) for o in held] == [("FTTH", body.pk), ("OWN", None)]
    finally:
        _migrate(_leaves())
