"""Generate the national data set of issue 7 in PostgreSQL (database ``dti_bench``).

34 provinces, each with 300 reporting agencies (departments, districts, communes), a
plan with 40 quarterly indicators of mixed measure types (rates with numerator and
denominator, counts, amounts, yes/no, milestones, text) and their targets, lead and
coordinating agencies and reporting obligations; 8 quarters (2024-Q1 … 2025-Q4) in
which every agency's submission is approved, with its submit and approve events:
3,264,000 approved values. The first province also has the current quarter
(2026-Q4) open, with every agency's draft (12,000 empty values) for the entry pages.

Rows are written by ``INSERT … SELECT`` over ``generate_series`` on the server, never
the ORM row by row (users and their groups, a few hundred rows, go through the ORM).
The data set is reused when a complete one of the same ``DATASET_VERSION`` exists (and
migrated, for the migrations added since); otherwise the database is dropped,
migrated and filled again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psycopg

from bench.common import (
    AGENCIES,
    APPROVED_VALUES,
    DATASET_VERSION,
    DRAFT_QUARTER,
    DRAFT_VALUES,
    DRAFT_YEAR,
    INDICATORS,
    PROVINCES,
    ROOT,
    load_result,
    save_result,
)

# (measure type, roll-up across agencies, over time, unit, comparison, yearly target)
# for each of the 40 indicators; every pair satisfies the model's check constraints.
RATE = ("rate", "ratio_of_sums", "stock", "%", "gte", 80)
SPEC: list[tuple[str, str, str, str, str, float | None]] = (
    [RATE] * 13
    + [
        ("rate", "ratio_of_sums", "flow", "%", "gte", 75)
    ]  # a mean of rates is refused since the measures issue
    + [("count", "sum", "flow", "hồ sơ", "gte", 130_000)] * 7
    + [("count", "mean", "stock", "người", "gte", 100)] * 2
    + [("amount", "sum", "flow", "đồng", "gte", 300_000_000_000)] * 4
    + [("yes_no", "share_yes", "stock", "", "gte", 85)] * 6
    + [("milestone", "share_yes", "stock", "", "gte", 90)] * 3
    + [("rate", "lead_value", "stock", "%", "gte", 70)]
    + [("count", "lead_value", "flow", "hệ thống", "gte", 400)]
    + [("amount", "lead_value", "flow", "đồng", "gte", 2_000_000_000)]
    + [("text", "lead_value", "stock", "", "", None)]
)
assert len(SPEC) == INDICATORS
PILLARS = [
    ("CQS", "Chính quyền số", 1),
    ("KTS", "Kinh tế số", 2),
    ("XHS", "Xã hội số", 3),
    ("NT", "Nền tảng số", 4),
]
DEPARTMENTS = [
    "Sở Thông tin và Truyền thông",
    "Văn phòng UBND tỉnh",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Thanh tra tỉnh",
    "Ban Dân tộc",
    "Ban Quản lý các khu công nghiệp",
    "Sở Ngoại vụ",
]
DEPARTMENT_COUNT, DISTRICT_COUNT = len(DEPARTMENTS), 10  # the rest are communes
PERIODS_PER_PROVINCE = 12  # 8 quarters, 2 years, the draft quarter (first province only), a spare


def _dsn(database: str | None = None) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    return psycopg.conninfo.make_conninfo(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        dbname=database or db["NAME"],
    )


def _existing_dataset(name: str) -> bool:
    """Whether ``name`` holds a complete data set of this generator's version."""
    with psycopg.connect(_dsn("postgres"), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
    with psycopg.connect(_dsn()) as conn:
        if not conn.execute("SELECT to_regclass('bench_dataset')").fetchone()[0]:
            return False
        row = conn.execute("SELECT version, approved_values, draft_values FROM bench_dataset").fetchone()
        if row != (DATASET_VERSION, APPROVED_VALUES, DRAFT_VALUES):
            return False
        approved = conn.execute(
            "SELECT count(*) FROM reporting_indicatorvalue v JOIN reporting_submission s ON s.id = v.submission_id "
            "WHERE s.status = 'approved'"
        ).fetchone()[0]
        return approved == APPROVED_VALUES


def _recreate_database(name: str) -> None:
    with psycopg.connect(_dsn("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    _migrate()


def _migrate() -> None:
    """The bench database's schema brought to the code's (a reused data set gets the
    migrations added since it was built)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def _agency_id(province: int, number: int) -> int:
    return PROVINCES + (province - 1) * AGENCIES + number


def _create_users() -> None:
    """The accounts of the benchmarks, with unusable passwords (sessions and tokens are
    created directly): per province a DIC officer, a steering member and a staff member;
    an administrator of every province; staff of the first 50 agencies of P01."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User

    from assignments.choices import Role
    from assignments.models import UserProfile

    groups = {g.name: g for g in Group.objects.all()}
    wanted: list[tuple[str, Role, int]] = [("bench_admin", Role.ADMINISTRATOR, _agency_id(1, 1))]
    for p in range(1, PROVINCES + 1):
        wanted += [
            (f"p{p:02d}_dic", Role.DIC_OFFICER, _agency_id(p, 1)),
            (f"p{p:02d}_bcd", Role.STEERING_MEMBER, p),
            (f"p{p:02d}_staff", Role.DEPARTMENT_STAFF, _agency_id(p, 2)),
        ]
    wanted += [(f"p01_staff_{a:03d}", Role.DEPARTMENT_STAFF, _agency_id(1, a)) for a in range(1, 51)]
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=name,
                password=unusable,
                is_staff=role in (Role.DIC_OFFICER, Role.ADMINISTRATOR),
                email=f"{name}@dti-bench.invalid",
            )
            for name, role, _agency in wanted
        ]
    )
    User.groups.through.objects.bulk_create(
        [
            User.groups.through(user_id=user.pk, group_id=groups[role.value].pk)
            for user, (_name, role, _agency) in zip(users, wanted, strict=True)
        ]
    )
    UserProfile.objects.bulk_create(
        [
            UserProfile(user=user, agency_id=agency)
            for user, (_name, _role, agency) in zip(users, wanted, strict=True)
        ]
    )


def _sql_statements() -> list[tuple[str, str]]:
    """(what, SQL) in order; run in one transaction."""
    n, a_count = PROVINCES, AGENCIES
    dept, dist = DEPARTMENT_COUNT, DISTRICT_COUNT
    return [
        ("pillars", 'INSERT INTO indicators_pillar (id, code, name, "order") SELECT * FROM bench_pillar'),
        (
            "provinces",
            f"""
            INSERT INTO indicators_agency (id, code, name, short_name, kind, parent_id, province_id, email, is_active)
            SELECT p, 'P' || lpad(p::text, 2, '0'), 'Tỉnh số ' || lpad(p::text, 2, '0'), 'P' || lpad(p::text, 2, '0'),
                   'province', NULL, NULL, '', true
            FROM generate_series(1, {n}) p""",
        ),
        (
            "agencies",
            f"""
            INSERT INTO indicators_agency (id, code, name, short_name, kind, parent_id, province_id, email, is_active)
            SELECT {n} + (p - 1) * {a_count} + a,
                   'P' || lpad(p::text, 2, '0') || '.A' || lpad(a::text, 3, '0'),
                   CASE WHEN a <= {dept} THEN (SELECT name FROM bench_department d WHERE d.n = a)
                        WHEN a <= {dept + dist} THEN 'Huyện số ' || lpad((a - {dept})::text, 2, '0')
                        ELSE 'Xã số ' || lpad((a - {dept + dist})::text, 3, '0') END
                     || ' (tỉnh ' || lpad(p::text, 2, '0') || ')',
                   '',
                   CASE WHEN a <= {dept} THEN 'department' WHEN a <= {dept + dist} THEN 'district' ELSE 'commune' END,
                   CASE WHEN a <= {dept + dist} THEN p
                        ELSE {n} + (p - 1) * {a_count} + {dept} + 1 + (a - {dept + dist + 1}) % {dist} END,
                   p, '', true
            FROM generate_series(1, {n}) p, generate_series(1, {a_count}) a""",
        ),
        (
            "plans",
            f"""
            INSERT INTO indicators_plan (id, number, title, issuer, issued_on, province_id, year_from, year_to,
                                         quarterly_due_day, quarterly_compile_day, yearly_due, yearly_compile,
                                         calendar_scope)
            SELECT p, 'KH-CĐS/' || lpad(p::text, 2, '0'), 'Kế hoạch chuyển đổi số giai đoạn 2024–2026',
                   'UBND tỉnh', DATE '2024-01-15', p, 2024, 2026, 20, 25, '12-15', '12-20', 'province'
            FROM generate_series(1, {n}) p""",
        ),
        (
            "indicators",
            f"""
            INSERT INTO indicators_indicator (id, province_id, code, name, pillar_id, unit, measure_type,
                                              numerator_label, denominator_label, scale, allows_decimals,
                                              direction, rollup_agencies, rollup_time, frequency, description)
            SELECT (p - 1) * {INDICATORS} + s.k, p, 'CT' || lpad(s.k::text, 2, '0'),
                   'Chỉ tiêu ' || s.k || ': ' || s.measure_type || ' (' || s.rollup_agencies || ')',
                   1 + (s.k - 1) % 4, s.unit, s.measure_type,
                   CASE WHEN s.measure_type = 'rate' THEN 'Số hồ sơ trực tuyến' ELSE '' END,
                   CASE WHEN s.measure_type = 'rate' THEN 'Tổng số hồ sơ' ELSE '' END, 100, false,
                   'increase', s.rollup_agencies, s.rollup_time, 'quarterly', ''
            FROM generate_series(1, {n}) p, bench_spec s""",
        ),
        (
            "targets",
            f"""
            INSERT INTO indicators_target (indicator_id, plan_id, year, section, comparison, value, upper_value,
                                           target_date, wording, monitoring_wording, lead_wording,
                                           coordinating_wording)
            SELECT (p - 1) * {INDICATORS} + s.k, p, y, '', s.comparison, s.target * (1 + 0.05 * (y - 2024)), NULL,
                   NULL, 'Chỉ tiêu năm ' || y, '', '', ''
            FROM generate_series(1, {n}) p, bench_spec s, generate_series(2024, 2026) y
            WHERE s.target IS NOT NULL""",
        ),
        (
            "indicator assignments",
            f"""
            INSERT INTO assignments_indicatorassignment (plan_id, indicator_id, year, agency_id, role, title)
            SELECT p, (p - 1) * {INDICATORS} + s.k, y, {n} + (p - 1) * {a_count} + r.agency_number, r.role, r.title
            FROM generate_series(1, {n}) p, bench_spec s, generate_series(2024, 2026) y,
                 LATERAL (VALUES
                    ('lead', '', 1 + (s.k - 1) % {dept}),
                    ('monitoring_lead', 'Giám đốc Sở TT&TT', 1),
                    ('coordinating', '', {dept} + 1 + s.k % {dist})
                 ) AS r(role, title, agency_number)""",
        ),
        (
            "reporting obligations",
            f"""
            INSERT INTO assignments_reportingobligation (indicator_id, agency_id, year)
            SELECT (p - 1) * {INDICATORS} + k, {n} + (p - 1) * {a_count} + a, y
            FROM generate_series(1, {n}) p, generate_series(2024, {DRAFT_YEAR}) y,
                 generate_series(1, {a_count}) a, generate_series(1, {INDICATORS}) k
            WHERE y < {DRAFT_YEAR} OR p = 1""",
        ),
        (
            "periods",
            f"""
            INSERT INTO reporting_reportingperiod (id, province_id, year, quarter, opens_on, due_on, compile_on, state)
            SELECT (p - 1) * {PERIODS_PER_PROVINCE} + (y - 2024) * 4 + q, p, y, q,
                   make_date(y, 3 * q - 2, 1), make_date(y, 3 * q, 20), make_date(y, 3 * q, 25), 'closed'
            FROM generate_series(1, {n}) p, generate_series(2024, 2025) y, generate_series(1, 4) q
            UNION ALL
            SELECT (p - 1) * {PERIODS_PER_PROVINCE} + 9 + (y - 2024), p, y, NULL,
                   make_date(y, 1, 1), make_date(y, 12, 15), make_date(y, 12, 20), 'closed'
            FROM generate_series(1, {n}) p, generate_series(2024, 2025) y
            UNION ALL
            SELECT 11, 1, {DRAFT_YEAR}, {DRAFT_QUARTER}, make_date({DRAFT_YEAR}, {3 * DRAFT_QUARTER - 2}, 1),
                   make_date({DRAFT_YEAR}, {3 * DRAFT_QUARTER}, 20), make_date({DRAFT_YEAR}, {3 * DRAFT_QUARTER}, 25),
                   'open'""",
        ),
        (
            "approved submissions",
            f"""
            INSERT INTO reporting_submission (id, agency_id, period_id, status, version, last_saved_at,
                                              last_saved_by_id, submitted_at, approved_at, approved_by_id,
                                              review_comment)
            SELECT id, agency_id, period_id, 'approved', 4, sent, staff_id, sent, sent + interval '3 days', dic_id, ''
            FROM (
                SELECT ((p - 1) * {a_count} + (a - 1)) * 8 + s AS id, {n} + (p - 1) * {a_count} + a AS agency_id,
                       (p - 1) * {PERIODS_PER_PROVINCE} + s AS period_id, u.staff_id, u.dic_id,
                       -- most agencies send within the last 12 days before the due date, some are late
                       (make_date(2024 + (s - 1) / 4, 3 * ((s - 1) % 4 + 1), 20) + time '09:00'
                        - (floor(random() * 12) - CASE WHEN random() < 0.15 THEN 14 ELSE 0 END) * interval '1 day')
                        AT TIME ZONE 'Asia/Ho_Chi_Minh' AS sent
                FROM generate_series(1, {n}) p, generate_series(1, {a_count}) a, generate_series(1, 8) s,
                     bench_users u WHERE u.prov = p
            ) g""",
        ),
        (
            "draft submissions",
            f"""
            INSERT INTO reporting_submission (id, agency_id, period_id, status, version, last_saved_at,
                                              last_saved_by_id, submitted_at, approved_at, approved_by_id,
                                              review_comment)
            SELECT {n * a_count * 8} + a, {n} + a, 11, 'draft', 1, NULL, NULL, NULL, NULL, NULL, ''
            FROM generate_series(1, {a_count}) a""",
        ),
        (
            "submission events",
            """
            INSERT INTO reporting_submissionevent (submission_id, actor_id, at, action, from_status, to_status, comment)
            SELECT s.id, s.last_saved_by_id, s.submitted_at, 'submit', 'draft', 'submitted', ''
            FROM reporting_submission s WHERE s.status = 'approved'
            UNION ALL
            SELECT s.id, s.approved_by_id, s.approved_at, 'approve', 'submitted', 'approved', ''
            FROM reporting_submission s WHERE s.status = 'approved'""",
        ),
        (
            "approved values",
            f"""
            INSERT INTO reporting_indicatorvalue (id, submission_id, indicator_id, value, numerator, denominator,
                                                  is_done, done_on, text, note, review_comment)
            SELECT (g.sub - 1) * {INDICATORS} + g.k, g.sub, (g.p - 1) * {INDICATORS} + g.k,
                   CASE WHEN sp.measure_type = 'count' THEN round(sp.base * (0.5 + g.r1) * (1 + 0.03 * g.s))
                        WHEN sp.measure_type = 'amount' THEN round((sp.base * (0.5 + g.r1) * (1 + 0.03 * g.s))::numeric, -3) END,
                   CASE WHEN sp.measure_type = 'rate'
                        THEN floor(g.den * least(1.0, greatest(0.0, 0.55 + 0.03 * g.s + (g.r1 - 0.5) * 0.5))) END,
                   CASE WHEN sp.measure_type = 'rate' THEN g.den END,
                   CASE WHEN sp.measure_type IN ('yes_no', 'milestone') THEN g.r1 < 0.6 + 0.04 * g.s END,
                   CASE WHEN sp.measure_type = 'milestone' AND g.r1 < 0.6 + 0.04 * g.s
                        THEN make_date(2024 + (g.s - 1) / 4, 3 * ((g.s - 1) % 4 + 1), 1) END,
                   CASE WHEN sp.measure_type = 'text'
                        THEN 'Đã triển khai nền tảng số dùng chung, kết nối với hệ thống của tỉnh.' ELSE '' END,
                   CASE WHEN g.r2 < 0.05 THEN 'Số liệu thay đổi do sắp xếp lại đơn vị hành chính.' ELSE '' END,
                   ''
            FROM (
                SELECT p, a, s, k, ((p - 1) * {a_count} + (a - 1)) * 8 + s AS sub, random() AS r1, random() AS r2,
                       20 + floor(random() * 480) AS den
                FROM generate_series(1, {n}) p, generate_series(1, {a_count}) a, generate_series(1, 8) s,
                     generate_series(1, {INDICATORS}) k
            ) g JOIN bench_spec sp ON sp.k = g.k
            ORDER BY 1""",
        ),
        (
            "draft values",
            f"""
            INSERT INTO reporting_indicatorvalue (id, submission_id, indicator_id, value, numerator, denominator,
                                                  is_done, done_on, text, note, review_comment)
            SELECT ({n * a_count * 8} + a - 1) * {INDICATORS} + k, {n * a_count * 8} + a, k,
                   NULL, NULL, NULL, NULL, NULL, '', '', ''
            FROM generate_series(1, {a_count}) a, generate_series(1, {INDICATORS}) k""",
        ),
    ]


def _fill() -> dict[str, float]:
    from django.db import connection, transaction

    timings = {}
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SELECT setseed(0.42)")
            cur.execute("SET LOCAL work_mem = '256MB'")
            cur.execute(
                "CREATE TEMP TABLE bench_spec (k int, measure_type text, rollup_agencies text, rollup_time text,"
                " unit text, comparison text, target numeric, base numeric) ON COMMIT DROP"
            )
            for k, (measure, rule, time_rule, unit, comparison, target) in enumerate(SPEC, start=1):
                # A count's or amount's typical figure per agency and quarter.
                base = {"count": 100, "amount": 250_000_000}.get(measure, 0)
                if rule == "lead_value":
                    base = {"count": 25, "amount": 400_000_000}.get(measure, 0)
                cur.execute(
                    "INSERT INTO bench_spec VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [k, measure, rule, time_rule, unit, comparison or "gte", target, base],
                )
            cur.execute(
                "CREATE TEMP TABLE bench_pillar (id int, code text, name text, ord int) ON COMMIT DROP"
            )
            for number, (code, name, order) in enumerate(PILLARS, start=1):
                cur.execute("INSERT INTO bench_pillar VALUES (%s, %s, %s, %s)", [number, code, name, order])
            cur.execute("CREATE TEMP TABLE bench_department (n int, name text) ON COMMIT DROP")
            for number, name in enumerate(DEPARTMENTS, start=1):
                cur.execute("INSERT INTO bench_department VALUES (%s, %s)", [number, name])
            statements = _sql_statements()
            for what, sql in statements[:9]:  # everything the users' profiles need
                start = time.perf_counter()
                cur.execute(sql)
                timings[what] = round(time.perf_counter() - start, 1)
                print(f"  {what}: {cur.rowcount} rows, {timings[what]} s", flush=True)
            _create_users()
            cur.execute(
                "CREATE TEMP TABLE bench_users ON COMMIT DROP AS "
                "SELECT a.province_id AS prov, max(u.id) FILTER (WHERE u.username LIKE '%%\\_dic') AS dic_id, "
                "max(u.id) FILTER (WHERE u.username LIKE '%%\\_staff') AS staff_id "
                "FROM auth_user u JOIN assignments_userprofile up ON up.user_id = u.id "
                "JOIN indicators_agency a ON a.id = up.agency_id WHERE a.province_id IS NOT NULL "
                "GROUP BY a.province_id"
            )
            for what, sql in statements[9:]:
                start = time.perf_counter()
                cur.execute(sql)
                timings[what] = round(time.perf_counter() - start, 1)
                print(f"  {what}: {cur.rowcount} rows, {timings[what]} s", flush=True)
            for table in (
                "indicators_pillar",
                "indicators_agency",
                "indicators_plan",
                "indicators_indicator",
                "reporting_reportingperiod",
                "reporting_submission",
                "reporting_indicatorvalue",
            ):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            cur.execute(
                "CREATE TABLE bench_dataset (version text, approved_values bigint, draft_values bigint, "
                "created_at timestamptz DEFAULT now())"
            )
            cur.execute(
                "INSERT INTO bench_dataset (version, approved_values, draft_values) VALUES (%s, %s, %s)",
                [DATASET_VERSION, APPROVED_VALUES, DRAFT_VALUES],
            )
    return timings


def main() -> None:
    from bench.common import setup_django

    setup_django()
    from django.conf import settings
    from django.db import connection

    name = settings.DATABASES["default"]["NAME"]
    if _existing_dataset(name):
        print(f"generate: the data set in {name} is complete ({DATASET_VERSION}); reused")
        connection.close()
        _migrate()
        built = (load_result("generate") or {}).get("built_seconds")
        save_result("generate", {"reused": True, "built_seconds": built, "approved_values": APPROVED_VALUES})
        return
    start = time.perf_counter()
    print(f"generate: building {name} ({DATASET_VERSION})", flush=True)
    connection.close()
    _recreate_database(name)
    migrated = time.perf_counter() - start
    print(f"  migrate: {migrated:.1f} s", flush=True)
    timings = _fill()
    analyze = time.perf_counter()
    connection.close()
    with psycopg.connect(_dsn(), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    timings["vacuum analyze"] = round(time.perf_counter() - analyze, 1)
    total = time.perf_counter() - start
    print(f"generate: done in {total:.0f} s", flush=True)
    save_result(
        "generate",
        {
            "reused": False,
            "built_seconds": round(total, 1),
            "migrate_seconds": round(migrated, 1),
            "steps": timings,
            "approved_values": APPROVED_VALUES,
        },
    )


if __name__ == "__main__":
    main()
