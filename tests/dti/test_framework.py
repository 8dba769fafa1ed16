"""Loading a DTI framework version from its file (dti.services.framework_load)."""

from decimal import Decimal
from pathlib import Path

import pytest

from dti.models import ComponentSuccession, Framework, FrameworkComponent, FrameworkIndicator
from dti.services import FRAMEWORK_DIRECTORY, FrameworkError, framework_load
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
FILE_922 = FRAMEWORK_DIRECTORY / "922_2022.yaml"


def test_the_922_framework_loads_with_the_points_it_states(province):
    IndicatorFactory(province=province, code="BG.CQS.HSTRUCTUYEN")
    framework_load(path=FILE_922)
    framework = Framework.objects.get(decision="922/QĐ-BTTTT")
    points = dict(FrameworkIndicator.objects.filter(framework=framework).values_list("code", "max_points"))
    assert points == {
        "NTS": 100,
        "TCS": 100,
        "HTS": 100,
        "NLS": 100,
        "ATTT": 100,
        "DTTM": 0,
        "CQS": 200,
        "KTS": 150,
        "XHS": 150,
    }
    assert sum(points.values()) == framework.max_points == 1000
    cqs1 = FrameworkComponent.objects.get(main__framework=framework, code="CQS.1")
    assert cqs1.measured_by_ministry and cqs1.points_provisional
    assert cqs1.max_points == Decimal("9.09")  # 200 points shared by the decision's 22 CQS components
    counts = dict(
        FrameworkIndicator.objects.filter(framework=framework).values_list("code", "component_count")
    )
    assert sum(counts.values()) == 98
    assert [i.code for i in cqs1.indicators.all()] == ["BG.CQS.HSTRUCTUYEN"]
    assert (
        FrameworkComponent.objects.get(code="NLS.2").name
        == "Cán bộ, công chức, viên chức được tập huấn kỹ năng số"
    )


def test_unstated_points_share_what_the_stated_ones_leave(tmp_path):
    path = write(
        tmp_path,
        """
decision: Y/QĐ
issued_on: 2025-01-01
title: Thử
first_year: 2025
max_points: 100
main_indicators:
  - {code: A, name: A, group: foundation, max_points: 100, component_count: 4}
components:
  - {main: A, code: A.1, name: a, rule: share_of_target, max_points: 40}
  - {main: A, code: A.2, name: b, rule: share_of_target}
""",
    )
    framework_load(path=path)
    points = dict(FrameworkComponent.objects.values_list("code", "max_points"))
    assert points == {"A.1": Decimal(40), "A.2": Decimal(20)}  # (100 − 40) over the 3 unstated of 4


def test_a_code_names_the_indicator_of_every_province_that_has_it(province, other_province, tmp_path):
    own, other = (
        IndicatorFactory(province=province, code="CT01"),
        IndicatorFactory(province=other_province, code="CT01"),
    )
    path = write(
        tmp_path,
        """
decision: Z/QĐ
issued_on: 2025-01-01
title: Thử
first_year: 2025
max_points: 100
main_indicators:
  - {code: A, name: A, group: foundation, max_points: 100}
components:
  - {main: A, code: A.1, name: a, rule: share_of_target, indicators: [CT01]}
""",
    )
    framework_load(path=path)
    assert set(FrameworkComponent.objects.get(code="A.1").indicators.all()) == {own, other}


def test_loading_twice_changes_nothing(province):
    framework_load(path=FILE_922)
    counts = (Framework.history.count(), FrameworkIndicator.history.count())
    assert not framework_load(path=FILE_922).changed
    assert (Framework.history.count(), FrameworkIndicator.history.count()) == counts


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "framework.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_file_loads_nothing_and_lists_every_problem(tmp_path):
    path = write(
        tmp_path,
        """
decision: X/QĐ
issued_on: 2025-01-01
title: Thử
first_year: 2025
max_points: 300
main_indicators:
  - {code: A, name: A, group: foundation, max_points: 100, component_count: 1}
  - {code: B, name: B, group: nowhere, max_points: 100}
components:
  - {main: C, code: C.1, name: c, rule: share_of_target}
  - {main: A, code: A.1, name: a, rule: thresholds}
  - {main: A, code: A.2, name: Cán bộ, công chức, rule: share_of_target}
""",
    )
    with pytest.raises(FrameworkError) as refused:
        framework_load(path=path)
    message = refused.value.message
    assert "B: nhóm không hợp lệ" in message
    assert "không có chỉ số chính “C”" in message
    assert "tính theo ngưỡng nhưng không có ngưỡng" in message
    assert "A.2: mục không hợp lệ công chức" in message
    assert (
        "A: số chỉ số thành phần (1) phải là số nguyên không nhỏ hơn số chỉ số thành phần liệt kê (2)"
        in message
    )
    assert not Framework.objects.exists()


def test_a_later_framework_names_the_components_it_continues(tmp_path):
    framework_load(path=FILE_922)
    later = write(
        tmp_path,
        """
decision: 405/QĐ-BKHCN
issued_on: 2025-03-01
title: Bộ chỉ số 2025
first_year: 2025
max_points: 100
main_indicators:
  - {code: CQS, name: Chính quyền số, group: activity, max_points: 100}
components:
  - {main: CQS, code: CQS.01, name: Hồ sơ trực tuyến, rule: share_of_target, max_points: 100,
     continues: ["922/QĐ-BTTTT:CQS.1"]}
""",
    )
    framework_load(path=later)
    link = ComponentSuccession.objects.get()
    assert (link.earlier.code, link.later.code) == ("CQS.1", "CQS.01")
    assert link.later.max_points == 100 and not link.later.points_provisional


def test_the_405_framework_ships_provisional_and_the_dti_page_says_which_framework_it_uses(
    client, world, steering_user
):
    """The shipped files: 922 from 2022, 405/QĐ-BKHCN from 2025 with what is not known
    marked provisional; the DTI page of each year names its framework and the note."""
    from datetime import date

    from django.urls import reverse

    from dti.services import frameworks_load_all
    from reporting.models import ReportingPeriod

    frameworks_load_all()
    later = Framework.objects.get(decision="405/QĐ-BKHCN")
    assert (later.first_year, later.issued_on) == (2025, date(2025, 4, 3))
    assert "chưa có trong tài liệu" in later.provisional_note
    assert Framework.objects.get(decision="922/QĐ-BTTTT").provisional_note == ""
    # Every component of 405 continues the component of the same code in 922.
    pairs = set(ComponentSuccession.objects.values_list("earlier__code", "later__code"))
    assert pairs == set(FrameworkComponent.objects.filter(main__framework=later).values_list("code", "code"))
    day = date(2025, 12, 15)
    ReportingPeriod.objects.create(
        province=world["province"], year=2025, opens_on=day, due_on=day, compile_on=day
    )
    client.force_login(steering_user)
    page = client.get(reverse("dti:score"), {"year": 2025}).content.decode()
    assert "Bộ chỉ số áp dụng: Quyết định 405/QĐ-BKHCN ngày 03/04/2025 (từ năm đánh giá 2025)." in page
    assert "Bộ chỉ số còn tạm:" in page
    page = client.get(reverse("dti:score"), {"year": 2024}).content.decode()
    assert "Bộ chỉ số áp dụng: Quyết định 922/QĐ-BTTTT ngày 20/05/2022 (từ năm đánh giá 2022)." in page
    assert "Bộ chỉ số còn tạm:" not in page
