"""Reading the seed plans from ``fixtures/plans/*.yaml`` (format: ``fixtures/README.md``).

This module only reads and checks; ``services.seed_plans_load`` writes. Every problem
found is collected so that one run lists them all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from dti_portal.errors import DomainError
from indicators.choices import (
    AGENCY_GROUPS,
    AgencyKind,
    AgencyRollup,
    Comparison,
    Direction,
    Frequency,
    InstitutionRole,
    MeasureType,
    RatioScale,
    TimeRollup,
)
from indicators.measures import MEASURES

PLAN_FIELDS = ("province", "title", "issuer", "issued_on", "year_from", "year_to", "reporting")


class SeedError(DomainError):
    code = "seed_invalid"


@dataclass
class SeedCatalogue:
    pillars: dict[str, dict] = field(default_factory=dict)
    agencies: dict[str, dict] = field(default_factory=dict)
    indicators: dict[str, dict] = field(default_factory=dict)
    plans: dict[str, dict] = field(default_factory=dict)
    # (province, role, since) → the name in force from ``since``
    institutions: dict[tuple, dict] = field(default_factory=dict)


def seed_catalogue_read(*, directory: Path) -> SeedCatalogue:
    """Merge every ``*.yaml`` file of ``directory`` (in name order) and check it.

    Raises ``SeedError`` listing every problem; returns a consistent catalogue.
    """
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise SeedError(f"Không có tệp kế hoạch nào trong {directory}.")
    catalogue, problems = SeedCatalogue(), list[str]()
    for path in files:
        with path.open(encoding="utf-8") as handle:
            document = yaml.safe_load(handle) or {}
        _merge(catalogue, document, path.name, problems)
    _check(catalogue, problems)
    if problems:
        raise SeedError(f"Dữ liệu kế hoạch có {len(problems)} lỗi.", details=problems)
    return catalogue


def _merge(catalogue: SeedCatalogue, document: dict, source: str, problems: list[str]) -> None:
    for key, store in (
        ("pillars", catalogue.pillars),
        ("agencies", catalogue.agencies),
        ("indicators", catalogue.indicators),
    ):
        for row in document.get(key) or []:
            code = row.get("code")
            if not code:
                problems.append(f"{source}: một mục trong {key} không có mã.")
                continue
            if code in store and store[code] != row:
                problems.append(f"{source}: mã {code} đã được khai báo khác ở tệp trước.")
                continue
            store[code] = row
    for row in document.get("institutions") or []:
        named = (row.get("province"), row.get("role"), row.get("since"))
        if named in catalogue.institutions and catalogue.institutions[named] != row:
            problems.append(
                f"{source}: tên {named[1]} của {named[0]} từ {named[2]} đã được khai báo khác ở tệp trước."
            )
            continue
        catalogue.institutions[named] = row
    for row in document.get("plans") or []:
        number = row.get("number")
        if not number:
            problems.append(f"{source}: một kế hoạch không có số, ký hiệu.")
            continue
        plan = catalogue.plans.setdefault(number, {"number": number, "targets": [], "tasks": []})
        for name in PLAN_FIELDS:
            if name in row:
                if name in plan and plan[name] != row[name]:
                    problems.append(f"{source}: kế hoạch {number} khai báo {name} khác nhau.")
                plan[name] = row[name]
        plan["targets"].extend(row.get("targets") or [])
        plan["tasks"].extend(row.get("tasks") or [])


def _province_of(agencies: dict[str, dict], code: str) -> str | None:
    seen: set[str] = set()
    while code in agencies and agencies[code].get("parent") and code not in seen:
        seen.add(code)
        code = agencies[code]["parent"]
    return code if agencies.get(code, {}).get("kind") == AgencyKind.PROVINCE else None


def _check(catalogue: SeedCatalogue, problems: list[str]) -> None:
    agencies, indicators = catalogue.agencies, catalogue.indicators
    for code, row in agencies.items():
        if row.get("kind") not in AgencyKind.values:
            problems.append(f"Cơ quan {code}: loại '{row.get('kind')}' không hợp lệ.")
        parent = row.get("parent")
        if row.get("kind") == AgencyKind.PROVINCE:
            if parent:
                problems.append(f"Cơ quan {code}: cấp tỉnh không có đơn vị cấp trên.")
        elif parent not in agencies:
            problems.append(f"Cơ quan {code}: đơn vị cấp trên '{parent}' chưa được khai báo.")
        collector = row.get("reported_by")
        if collector is not None:
            if collector not in agencies or collector == code:
                problems.append(f"Cơ quan {code}: cơ quan nhập số liệu '{collector}' chưa được khai báo.")
            elif agencies[collector].get("reported_by"):
                problems.append(f"Cơ quan {code}: cơ quan nhập số liệu '{collector}' cũng không tự báo cáo.")
            elif _province_of(agencies, collector) != _province_of(agencies, code):
                problems.append(f"Cơ quan {code}: cơ quan nhập số liệu '{collector}' thuộc tỉnh khác.")
    for (province, role, since), row in catalogue.institutions.items():
        where = f"Tên cơ quan {role} của {province}"
        if agencies.get(province, {}).get("kind") != AgencyKind.PROVINCE:
            problems.append(f"{where}: tỉnh '{province}' chưa được khai báo.")
        _check_choice(row, "role", InstitutionRole, where, problems)
        if not row.get("name"):
            problems.append(f"{where}: thiếu tên.")
        if since is not None and not isinstance(since, datetime.date):
            problems.append(f"{where}: ngày áp dụng '{since}' không phải ngày (YYYY-MM-DD).")
    for code, row in indicators.items():
        where = f"Chỉ tiêu {code}"
        _check_choice(row, "measure_type", MeasureType, where, problems)
        _check_choice(row, "direction", Direction, where, problems, default=Direction.INCREASE)
        _check_choice(row, "rollup_agencies", AgencyRollup, where, problems)
        _check_choice(row, "rollup_time", TimeRollup, where, problems)
        _check_choice(row, "frequency", Frequency, where, problems, default=Frequency.QUARTERLY)
        if row.get("measure_type") in MEASURES:
            measure = MEASURES[row["measure_type"]]
            if row.get("rollup_agencies") not in measure.agency_rollups:
                problems.append(
                    f"{where}: loại '{row['measure_type']}' không tổng hợp giữa các đơn vị theo "
                    f"'{row.get('rollup_agencies')}' (được: {', '.join(sorted(measure.agency_rollups))})."
                )
            if row.get("rollup_time") not in measure.time_rollups:
                problems.append(
                    f"{where}: loại '{row['measure_type']}' không tổng hợp theo thời gian theo "
                    f"'{row.get('rollup_time')}' (được: {', '.join(sorted(measure.time_rollups))})."
                )
        scale = row.get("scale", 100)
        fixed = getattr(MEASURES.get(row.get("measure_type", "")), "fixed_scale", None)
        if scale not in RatioScale.values or (fixed and scale != fixed):
            problems.append(f"{where}: hệ số '{scale}' không hợp lệ (tỷ lệ %: 100; tỷ số: 1, 100 hoặc 1000).")
        if not isinstance(row.get("allows_decimals", False), bool):
            problems.append(f"{where}: allows_decimals phải là true hoặc false.")
        if row.get("pillar") not in catalogue.pillars:
            problems.append(f"{where}: trụ cột '{row.get('pillar')}' chưa được khai báo.")
        if row.get("province") not in agencies:
            problems.append(f"{where}: tỉnh '{row.get('province')}' chưa được khai báo.")
    for number, plan in catalogue.plans.items():
        where = f"Kế hoạch {number}"
        missing = [
            name for name in ("province", "title", "issuer", "year_from", "year_to") if not plan.get(name)
        ]
        if missing:
            problems.append(f"{where}: thiếu {', '.join(missing)}.")
            continue
        seen = set()
        for target in plan["targets"]:
            key = (target.get("indicator"), target.get("year"))
            label = f"{where}, mức kế hoạch của chỉ tiêu {key[0]} năm {key[1]}"
            if key in seen:
                problems.append(f"{label}: khai báo hai lần.")
            seen.add(key)
            indicator = indicators.get(key[0])
            if indicator is None:
                problems.append(f"{label}: chỉ tiêu chưa được khai báo.")
            elif indicator.get("province") != plan["province"]:
                problems.append(f"{label}: chỉ tiêu thuộc tỉnh khác.")
            _check_target(target, label, problems)
            _check_refs(target, agencies, label, problems)
        numbers = set()
        for task in plan["tasks"]:
            label = f"{where}, nhiệm vụ {task.get('number')}"
            if not task.get("number") or not task.get("content"):
                problems.append(f"{label}: thiếu số thứ tự hoặc nội dung.")
            if task.get("number") in numbers:
                problems.append(f"{label}: số thứ tự bị trùng.")
            numbers.add(task.get("number"))
            _check_refs(task, agencies, label, problems)


def _check_choice(row, name, choices, where, problems, default=None) -> None:
    value = row.get(name, default)
    if value not in choices.values:
        problems.append(f"{where}: {name} '{value}' không hợp lệ.")


def _check_target(target: dict, label: str, problems: list[str]) -> None:
    if target.get("comparison") not in Comparison.values:
        problems.append(f"{label}: phép so sánh '{target.get('comparison')}' không hợp lệ.")
    try:
        value = decimal_or_none(target.get("value"))
        upper = decimal_or_none(target.get("upper_value"))
    except InvalidOperation:
        problems.append(f"{label}: giá trị không phải là số.")
        return
    if value is None and not target.get("target_date"):
        problems.append(f"{label}: không có giá trị hoặc hạn hoàn thành.")
    if target.get("comparison") == Comparison.BETWEEN and (upper is None or value is None or upper < value):
        problems.append(f"{label}: khoảng giá trị không hợp lệ.")
    if target.get("target_date") and not isinstance(target["target_date"], datetime.date):
        problems.append(f"{label}: hạn hoàn thành không phải là ngày.")


def _check_refs(row: dict, agencies: dict, label: str, problems: list[str]) -> None:
    refs = list(row.get("lead") or []) + list(row.get("coordinating") or [])
    monitoring = row.get("monitoring_lead")
    if monitoring:
        refs.append(monitoring.get("agency"))
    for ref in refs:
        if ref not in agencies and ref not in AGENCY_GROUPS:
            problems.append(f"{label}: cơ quan '{ref}' chưa được khai báo.")


def decimal_or_none(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def agencies_in_tree_order(agencies: dict[str, dict]) -> list[dict]:
    """Parents before children, so each row's parent exists when it is written."""
    ordered, placed = [], set()

    def place(code: str) -> None:
        if code in placed:
            return
        parent = agencies[code].get("parent")
        if parent:
            place(parent)
        placed.add(code)
        ordered.append(agencies[code])

    for code in agencies:
        place(code)
    return ordered
