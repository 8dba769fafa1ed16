from datetime import date

import pytest

from assignments.choices import Role
from indicators.choices import InstitutionRole
from indicators.models import ProvinceInstitution
from tests.factories import AgencyFactory, ProvinceFactory, make_user

# The roll-up's test province (``world``, ``compiled``), shared by several folders.
pytest_plugins = ["tests.reporting.world"]


@pytest.fixture(autouse=True, scope="session")
def api_answers_match_the_schema():
    """Every /api/v1/ answer of the suite is validated against /api/schema/."""
    from tests import api_contract

    api_contract.install()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back test's rows may come back
    under the same ids in the next one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the portal's default language: a request made in English
    leaves its thread's language active (the middleware sets it for every request, so
    the portal never relies on it), and the next test in the process would read English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def province(db):
    """Bắc Giang, with its DIC and ministry named as before and after 1 March 2025."""
    bac_giang = ProvinceFactory(code="BG", name="UBND tỉnh Bắc Giang", short_name="Bắc Giang")
    for role, name, short_name, since in (
        (InstitutionRole.DIC, "Sở Thông tin và Truyền thông tỉnh Bắc Giang", "Sở TT&TT", None),
        (InstitutionRole.DIC, "Sở Khoa học và Công nghệ tỉnh Bắc Giang", "Sở KH&CN", date(2025, 3, 1)),
        (InstitutionRole.MINISTRY, "Bộ Thông tin và Truyền thông", "Bộ TT&TT", None),
        (InstitutionRole.MINISTRY, "Bộ Khoa học và Công nghệ", "Bộ KH&CN", date(2025, 3, 1)),
    ):
        ProvinceInstitution.objects.create(
            province=bac_giang, role=role, name=name, short_name=short_name, since=since
        )
    return bac_giang


@pytest.fixture
def other_province(db):
    return ProvinceFactory(code="TTH", name="UBND tỉnh Thừa Thiên Huế", short_name="Thừa Thiên Huế")


@pytest.fixture
def department(province):
    return AgencyFactory(parent=province, code="BG.SKHDT", name="Sở Kế hoạch và Đầu tư")


@pytest.fixture
def dic(province):
    return AgencyFactory(parent=province, code="BG.STTTT", name="Sở Thông tin và Truyền thông")


@pytest.fixture
def staff_user(department):
    return make_user(Role.DEPARTMENT_STAFF, department, username="canbo")


@pytest.fixture
def dic_user(dic):
    return make_user(Role.DIC_OFFICER, dic, username="sotttt")


@pytest.fixture
def steering_user(province):
    return make_user(Role.STEERING_MEMBER, province, username="bcd")


@pytest.fixture
def admin_user_portal(dic):
    return make_user(Role.ADMINISTRATOR, dic, username="quantri")
