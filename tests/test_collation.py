"""Vietnamese alphabetical order (issue 19): the letters ă â đ ê ô ơ ư after their base
letter, tones after letters, the same in Python, SQLite and PostgreSQL. Each expected
order is worked out from the alphabet a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u
ư v x y and the tones (none, huyền, hỏi, ngã, sắc, nặng)."""

from decimal import Decimal

import pytest

from assignments.selectors import reporting_agencies
from dti_portal.collation import vietnamese, vietnamese_key
from indicators.models import Agency
from reporting.ranking import Standing, rank
from tests.factories import AgencyFactory

# Code point order would put every name starting with Đ, Ă, Â, Ô, Ơ, Ư or a toned
# capital after "Yên Thế".
NAMES = ["Yên Thế", "Đồng Việt", "Dương Đức", "Ân Phú", "Ẩn Hồ", "An Hà", "Ăn Mày", "Ô Môn", "Ơn", "Oai"]
# Worked by their letters (tones aside): "an ha" < "ăn may" < "ân hô" < "ân phu" (h
# before p) < "dương đưc" < "đông viêt" < "oai" < "ô môn" < "ơn" < "yên thê".
IN_ORDER = ["An Hà", "Ăn Mày", "Ẩn Hồ", "Ân Phú", "Dương Đức", "Đồng Việt", "Oai", "Ô Môn", "Ơn", "Yên Thế"]


def test_names_sort_by_letter_then_tone_then_case():
    assert sorted(NAMES, key=vietnamese_key) == IN_ORDER
    tones = ["Ạ", "á", "A", "ả", "à", "ã", "a"]
    assert sorted(tones, key=vietnamese_key) == ["a", "A", "à", "ả", "ã", "á", "Ạ"]
    # Letters outweigh tones: "ác" is before "ai" though á is after a.
    assert sorted(["ai", "ác"], key=vietnamese_key) == ["ác", "ai"]


@pytest.mark.django_db
def test_the_database_sorts_names_in_vietnamese_order(province):
    for n, name in enumerate(NAMES):
        AgencyFactory(parent=province, code=f"BG.V{n}", name=name)
    in_db = Agency.objects.filter(code__startswith="BG.V").order_by(vietnamese("name"))
    assert [agency.name for agency in in_db] == IN_ORDER
    listed = [
        agency.name for agency in reporting_agencies(province=province) if agency.code.startswith("BG.V")
    ]
    assert listed == IN_ORDER


def test_ties_in_the_ranking_are_listed_in_vietnamese_order():
    """Code points would list "Sở Y tế" before "Sở Điện lực" and "Văn phòng" before
    "Ủy ban"; by letters đ < g < y and đ < u < v."""
    scored = [
        Standing(agency=name, shares={}, score=Decimal("80"))
        for name in ("Sở Y tế", "Sở Giáo dục", "Sở Điện lực")
    ]
    unscored = [Standing(agency=name, shares={}, score=None) for name in ("Văn phòng", "Ủy ban", "Đài PT-TH")]
    ranked = rank(scored + unscored)
    assert [(s.agency, s.rank) for s in ranked] == [
        ("Sở Điện lực", 1),
        ("Sở Giáo dục", 1),
        ("Sở Y tế", 1),
        ("Đài PT-TH", None),
        ("Ủy ban", None),
        ("Văn phòng", None),
    ]
