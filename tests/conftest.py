import pytest

from assignments.choices import Role
from tests.factories import AgencyFactory, ProvinceFactory, make_user

# The roll-up's test province (``world``, ``compiled``), shared by several folders.
pytest_plugins = ["tests.reporting.world"]


@pytest.fixture
def province(db):
    return ProvinceFactory(code="BG", name="UBND tỉnh Bắc Giang", short_name="Bắc Giang")


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
