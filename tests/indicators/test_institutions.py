"""The DIC and the ministry are named as data, by the name in force on a day (issue 16):
pages, messages, emails and the ministry's workbook read it; no string of the portal
names either."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from assignments.services import seed_plans_load
from indicators.selectors import institution_names

pytestmark = pytest.mark.django_db


def test_the_name_in_force_on_a_day(province):
    before = institution_names(province_id=province.pk, on=date(2025, 2, 28))
    after = institution_names(province_id=province.pk, on=date(2025, 3, 1))
    assert (before.dic.short_name, before.ministry.short_name) == ("Sở TT&TT", "Bộ TT&TT")
    assert (after.dic.name, after.ministry.name) == (
        "Sở Khoa học và Công nghệ tỉnh Bắc Giang",
        "Bộ Khoa học và Công nghệ",
    )


def test_a_province_that_records_no_name_reads_the_generic_wording(other_province):
    names = institution_names(province_id=other_province.pk, on=date(2026, 1, 1))
    assert (str(names.dic.short_name), str(names.ministry.short_name)) == ("cơ quan đầu mối", "Bộ")


def test_the_seed_plans_record_both_eras(db):
    seed_plans_load()
    bac_giang = institution_names(province_id=_pk("BG"), on=date(2026, 1, 1))
    hue = institution_names(province_id=_pk("TTH"), on=date(2025, 1, 15))
    assert bac_giang.dic.name == "Sở Khoa học và Công nghệ tỉnh Bắc Giang"
    assert hue.dic.name == "Sở Thông tin và Truyền thông thành phố Huế"  # renamed city, before 1/3
    assert not seed_plans_load().changed


def _pk(code):
    from indicators.models import Agency

    return Agency.objects.get(code=code).pk


# What names the DIC or the ministry: their full and short names, old and new.
NAMES = re.compile(r"TT&(amp;)?TT|KH&(amp;)?CN|Thông tin và Truyền thông|Khoa học và Công nghệ")


def test_no_template_or_code_of_the_portal_names_the_dic_or_the_ministry():
    base = Path(settings.BASE_DIR)
    files = [*base.glob("templates/**/*.html"), *base.glob("templates/**/*.txt")]
    for app in ("dti_portal", "indicators", "assignments", "reporting", "dti"):
        files += [path for path in (base / app).rglob("*.py") if "migrations" not in path.parts]
    named = [
        f"{path.relative_to(base)}:{number}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if NAMES.search(line) and not line.lstrip().startswith("#")
    ]
    assert named == []


def test_a_renamed_province_is_named_as_it_was_in_the_period_shown(db):
    """Thừa Thiên Huế became thành phố Huế on 1 January 2025 (the seed files): 2024's
    last quarter is the province's, 2025's first the city's; pages' headers and the
    ministry's workbook read it through the template tag and ``province_name``."""
    from django.template import Context, Template

    from indicators.models import Agency
    from indicators.selectors import province_name

    seed_plans_load()
    hue = Agency.objects.get(code="TTH")
    assert str(province_name(province=hue, on=date(2024, 12, 31)).name) == "UBND tỉnh Thừa Thiên Huế"
    assert str(province_name(province=hue, on=date(2025, 1, 1)).name) == "UBND thành phố Huế"
    bac_giang = Agency.objects.get(code="BG")  # no rename recorded: its own name
    assert str(province_name(province=bac_giang, on=date(2025, 1, 1)).name) == bac_giang.name
    header = Template("{% load reporting %}{% province_named p 2024 4 %} | {% province_named p 2025 1 %}")
    assert header.render(Context({"p": hue})) == "UBND tỉnh Thừa Thiên Huế | UBND thành phố Huế"
