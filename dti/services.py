"""Writes of the ``dti`` app: loading a DTI framework version from its file."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.loading import LoadReport, upsert
from indicators.models import Indicator

from .choices import FrameworkGroup, ScoringRule
from .framework_files import COMPONENT_COLUMNS, MAIN_COLUMNS, FrameworkError, framework_data_read
from .models import ComponentSuccession, Framework, FrameworkComponent, FrameworkIndicator

FRAMEWORK_DIRECTORY = Path(settings.BASE_DIR) / "fixtures" / "dti"
# The keys a framework file may give, whichever its format: the workbook's columns.
MAIN_KEYS = set(MAIN_COLUMNS)
COMPONENT_KEYS = set(COMPONENT_COLUMNS)


def _points(value, where: str, problems: list[str]) -> Decimal | None:
    if value is None:
        return None
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        points = Decimal(-1)
    if points < 0:
        problems.append(_("%(where)s: điểm tối đa phải là số không âm.") % {"where": where})
        return None
    return points


def _check(data: dict) -> list[str]:
    """Every problem of a framework file, in Vietnamese, before anything is written."""
    if not isinstance(data, dict):
        return [_("Tệp không có dạng một bộ chỉ số (các mục decision, main_indicators, components …).")]
    problems = []
    for key in ("decision", "issued_on", "title", "first_year", "max_points", "main_indicators"):
        if not data.get(key):
            problems.append(_("Thiếu mục “%(key)s”.") % {"key": key})
    mains = {row.get("code"): row for row in data.get("main_indicators") or []}
    for code, row in mains.items():
        if row.get("group") not in FrameworkGroup.values:
            problems.append(_("Chỉ số chính %(code)s: nhóm không hợp lệ.") % {"code": code})
        _points(row.get("max_points"), code, problems)
        unknown = set(row) - MAIN_KEYS
        if unknown:
            problems.append(
                _("Chỉ số chính %(code)s: mục không hợp lệ %(keys)s.")
                % {"code": code, "keys": ", ".join(sorted(map(str, unknown)))}
            )
        listed = sum(1 for component in data.get("components") or [] if component.get("main") == code)
        count = row.get("component_count")
        if count is not None and (not isinstance(count, int) or count < max(listed, 1)):
            problems.append(
                _(
                    "Chỉ số chính %(code)s: số chỉ số thành phần (%(count)s) phải là số nguyên không nhỏ "
                    "hơn số chỉ số thành phần liệt kê (%(listed)s)."
                )
                % {"code": code, "count": count, "listed": listed}
            )
    total = sum((Decimal(str(row.get("max_points") or 0)) for row in mains.values()), Decimal(0))
    if not problems and total != Decimal(str(data["max_points"])):
        problems.append(
            _("Tổng điểm các chỉ số chính (%(total)s) khác tổng điểm tối đa (%(max)s).")
            % {"total": total, "max": data["max_points"]}
        )
    seen = set()
    for row in data.get("components") or []:
        code = row.get("code")
        unknown = set(row) - COMPONENT_KEYS
        if unknown:  # e.g. a name with a comma, unquoted, split into keys
            problems.append(
                _(
                    "Chỉ số thành phần %(code)s: mục không hợp lệ %(keys)s (tên có dấu phẩy phải đặt "
                    "trong ngoặc kép)."
                )
                % {"code": code, "keys": ", ".join(sorted(map(str, unknown)))}
            )
        if code in seen:
            problems.append(_("Chỉ số thành phần %(code)s bị lặp.") % {"code": code})
        seen.add(code)
        if row.get("main") not in mains:
            problems.append(
                _("Chỉ số thành phần %(code)s: không có chỉ số chính “%(main)s”.")
                % {"code": code, "main": row.get("main")}
            )
        if row.get("rule") not in ScoringRule.values:
            problems.append(_("Chỉ số thành phần %(code)s: cách tính điểm không hợp lệ.") % {"code": code})
        if row.get("rule") == ScoringRule.THRESHOLDS and not row.get("thresholds"):
            problems.append(
                _("Chỉ số thành phần %(code)s: tính theo ngưỡng nhưng không có ngưỡng.") % {"code": code}
            )
        _points(row.get("max_points"), code, problems)
        for earlier in row.get("continues") or []:
            if ":" not in str(earlier):
                problems.append(
                    _("Chỉ số thành phần %(code)s: “%(earlier)s” phải viết QUYẾT ĐỊNH:MÃ.")
                    % {"code": code, "earlier": earlier}
                )
    return problems


@transaction.atomic
def framework_load(*, path: Path) -> LoadReport:
    """Upsert the framework a file states: its main indicators, its components (with
    their points, rule, the provinces' indicators they are scored from) and the
    components of earlier frameworks they continue. Idempotent: loading the same file
    again writes nothing. Atomic: a file with any problem loads nothing
    (``FrameworkError`` lists them all). Components are added and updated, never
    removed, so what was linked in the admin survives a reload."""
    data = framework_data_read(path)
    problems = _check(data)
    if problems:
        raise FrameworkError(" ".join(problems), details=problems)
    try:
        return _framework_save(data)
    except ValidationError as error:  # a value the models refuse (too long, too many digits …)
        problems = [
            f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages
        ]
        raise FrameworkError(" ".join(problems), details=problems) from error


def _framework_save(data: dict) -> LoadReport:
    report = LoadReport()
    framework = upsert(
        Framework,
        report,
        {"decision": data["decision"]},
        {
            "issued_on": data["issued_on"],
            "title": data["title"],
            "first_year": data["first_year"],
            "max_points": Decimal(str(data["max_points"])),
            "provisional_note": str(data.get("provisional_note") or "").strip(),
        },
    )
    mains = {}
    for order, row in enumerate(data["main_indicators"], start=1):
        mains[row["code"]] = upsert(
            FrameworkIndicator,
            report,
            {"framework": framework, "code": row["code"]},
            {
                "name": row["name"],
                "group": row["group"],
                "max_points": Decimal(str(row["max_points"])),
                "component_count": row.get("component_count"),
                "order": order,
            },
        )
    rows = data.get("components") or []
    shares = _equal_shares(mains, rows)
    # Codes are unique within a province only: a code names that indicator in every
    # province that has it.
    indicators = defaultdict(list)
    for pk, code in Indicator.objects.values_list("pk", "code"):
        indicators[code].append(pk)
    for order, row in enumerate(rows, start=1):
        main = mains[row["main"]]
        stated = row.get("max_points")
        points = Decimal(str(stated)) if stated is not None else shares[row["main"]]
        component = upsert(
            FrameworkComponent,
            report,
            {"main": main, "code": row["code"]},
            {
                "name": row["name"],
                "max_points": points,
                "points_provisional": stated is None,
                "rule": row["rule"],
                "thresholds": row.get("thresholds") or [],
                "measured_by_ministry": bool(row.get("measured_by_ministry")),
                "order": order,
            },
        )
        wanted = {pk for code in row.get("indicators") or [] for pk in indicators.get(code, [])}
        missing = wanted - set(component.indicators.values_list("pk", flat=True))
        if missing:
            component.indicators.add(*missing)
            report.updated["FrameworkComponent.indicators"] += len(missing)
        for earlier in row.get("continues") or []:
            decision, code = earlier.split(":", 1)
            previous = FrameworkComponent.objects.filter(
                main__framework__decision=decision, code=code
            ).first()
            if previous is None:
                raise FrameworkError(
                    _("Chỉ số thành phần %(code)s kế tiếp “%(earlier)s”, không có trong bộ chỉ số đã nạp.")
                    % {"code": row["code"], "earlier": earlier}
                )
            upsert(ComponentSuccession, report, {"earlier": previous, "later": component}, {})
    return report


def _equal_shares(mains: dict, rows: list[dict]) -> dict[str, Decimal]:
    """Per main indicator, the points of a component whose points the file does not
    state: what the stated components leave, shared equally among the others — all
    the decision's components when their number is known (``component_count``), else
    those listed."""
    shares = {}
    for code, main in mains.items():
        own = [row for row in rows if row["main"] == code]
        stated = [Decimal(str(row["max_points"])) for row in own if row.get("max_points") is not None]
        others = (main.component_count or len(own)) - len(stated)
        left = max(main.max_points - sum(stated, Decimal(0)), Decimal(0))
        shares[code] = (left / others).quantize(Decimal("0.01")) if others > 0 else Decimal(0)
    return shares


def frameworks_load_all(*, directory: Path = FRAMEWORK_DIRECTORY) -> LoadReport:
    """Every framework file of ``directory``, oldest first (file names start with the
    decision number and year), so that a later one can name the components it continues."""
    report = LoadReport()
    files = [
        path
        for pattern in ("*.yaml", "*.yml", "*.xlsx")
        for path in directory.glob(pattern)
        if not path.name.startswith("~$")  # Excel's lock file of an open workbook
    ]
    for path in sorted(files, key=lambda p: p.stem.split("_")[-1]):
        loaded = framework_load(path=path)
        report.created.update(loaded.created)
        report.updated.update(loaded.updated)
    return report
