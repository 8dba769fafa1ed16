"""The names of the institutions a province's pages, emails and workbooks name: the
department that collects and approves the figures (the DIC) and the ministry the
report goes to. Their names are data (``ProvinceInstitution``), in force from a date;
these are the plain values read from it, and the generic wording used where a
province records none."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Institution:
    name: str | Promise  # in full, as the province's documents write it
    short_name: str | Promise  # as a sentence writes it (the department's abbreviation)

    def __str__(self) -> str:
        return str(self.name)


@dataclass(frozen=True)
class Institutions:
    """The names in force for one province on one day."""

    dic: Institution
    ministry: Institution
    province: Institution | None = None  # the province's own name, where it recorded a change


GENERIC_DIC = Institution(_("cơ quan đầu mối về chuyển đổi số của tỉnh"), _("cơ quan đầu mối"))
GENERIC_MINISTRY = Institution(_("Bộ quản lý Chỉ số chuyển đổi số"), _("Bộ"))
GENERIC = Institutions(dic=GENERIC_DIC, ministry=GENERIC_MINISTRY)
