"""The DTI models moved to their own app with their tables (migrations indicators 0007,
reporting 0010, dti 0001–0002): a database of the previous layout, holding a
framework, an assessment and published points, keeps every row, its history, the
links of components to plan indicators, and its content types (so the roles'
permissions follow)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The last migrations before the move; other apps as they are now, but for those that
# need a later layout of these (assignments 0003 names the agencies' collectors).
BEFORE = {
    "indicators": "0006_agency_due_dates",
    "reporting": "0009_agency_due_dates",
    "dti": None,
    "assignments": "0002_password_reset_requests",
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _before():
    return [(app, BEFORE.get(app, name)) for app, name in _leaves()]


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_layout_keeps_its_dti_rows():
    try:
        old = _migrate(_before())
        ContentType = old.get_model("contenttypes", "ContentType")
        framework_type = ContentType.objects.get_or_create(app_label="indicators", model="framework")[0]
        assessment_type = ContentType.objects.get_or_create(app_label="reporting", model="dtiassessment")[0]

        Agency = old.get_model("indicators", "Agency")
        Indicator = old.get_model("indicators", "Indicator")
        Pillar = old.get_model("indicators", "Pillar")
        province = Agency.objects.create(code="BG", name="Tỉnh Bắc Giang", kind="province")
        pillar = Pillar.objects.create(code="CQS", name="Chính quyền số")
        indicator = Indicator.objects.create(
            province=province,
            pillar=pillar,
            code="CQS.1",
            name="Số dịch vụ công trực tuyến",
            measure_type="count",
            rollup_agencies="sum",
            rollup_time="flow",
        )
        Framework = old.get_model("indicators", "Framework")
        framework = Framework.objects.create(
            decision="922/QĐ-BTTTT",
            issued_on=date(2022, 5, 20),
            title="Bộ chỉ số DTI cấp tỉnh",
            first_year=2022,
            max_points=Decimal(1000),
        )
        old.get_model("indicators", "HistoricalFramework").objects.create(
            id=framework.pk,
            decision=framework.decision,
            issued_on=framework.issued_on,
            title=framework.title,
            first_year=2022,
            max_points=Decimal(1000),
            history_date=datetime(2022, 6, 1, tzinfo=UTC),
            history_type="+",
        )
        main = old.get_model("indicators", "FrameworkIndicator").objects.create(
            framework=framework, code="CQS", name="Chính quyền số", group="activity", max_points=Decimal(200)
        )
        FrameworkComponent = old.get_model("indicators", "FrameworkComponent")
        earlier = FrameworkComponent.objects.create(
            main=main, code="CQS.1", name="Dịch vụ công trực tuyến", max_points=Decimal(40), rule="yes_no"
        )
        later = FrameworkComponent.objects.create(
            main=main, code="CQS.2", name="Hồ sơ trực tuyến", max_points=Decimal(30), rule="share_of_target"
        )
        later.indicators.add(indicator)
        old.get_model("indicators", "ComponentSuccession").objects.create(earlier=earlier, later=later)
        assessment = old.get_model("reporting", "DtiAssessment").objects.create(
            province=province, year=2022, framework=framework, published_index=Decimal("0.4512")
        )
        old.get_model("reporting", "PublishedComponentScore").objects.create(
            assessment=assessment, component=later, points=Decimal("27.50")
        )

        new = _migrate(_leaves())

        assert new.get_model("dti", "Framework").objects.get().decision == "922/QĐ-BTTTT"
        assert new.get_model("dti", "HistoricalFramework").objects.get().history_type == "+"
        components = new.get_model("dti", "FrameworkComponent").objects.order_by("code")
        assert [(c.code, c.main.code, c.max_points) for c in components] == [
            ("CQS.1", "CQS", Decimal(40)),
            ("CQS.2", "CQS", Decimal(30)),
        ]
        assert [i.code for i in components[1].indicators.all()] == ["CQS.1"]
        succession = new.get_model("dti", "ComponentSuccession").objects.get()
        assert (succession.earlier.code, succession.later.code) == ("CQS.1", "CQS.2")
        moved = new.get_model("dti", "DtiAssessment").objects.get()
        assert (moved.province.code, moved.year, moved.published_index) == ("BG", 2022, Decimal("0.4512"))
        score = new.get_model("dti", "PublishedComponentScore").objects.get()
        assert (score.assessment_id, score.component.code, score.points) == (
            moved.pk,
            "CQS.2",
            Decimal("27.50"),
        )
        # The same content type rows, now the dti app's: permissions on them follow.
        ContentType = new.get_model("contenttypes", "ContentType")
        assert ContentType.objects.get(pk=framework_type.pk).app_label == "dti"
        assert ContentType.objects.get(pk=assessment_type.pk).app_label == "dti"
        tables = set(connection.introspection.table_names())
        assert {"dti_framework", "dti_frameworkcomponent_indicators", "dti_publishedcomponentscore"} <= tables
        assert not {"indicators_framework", "reporting_dtiassessment"} & tables
    finally:
        _migrate(_leaves())
