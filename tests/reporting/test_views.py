"""The reporting pages as their users use them: entry, validation next to the field,
nothing typed lost, evidence, review, the queue and the grid, and flat query counts."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assignments.choices import Role
from reporting import services
from reporting.choices import SubmissionStatus
from reporting.models import Evidence, Notification, Submission
from tests.factories import (
    AgencyFactory,
    IndicatorFactory,
    ReportingObligationFactory,
    TargetFactory,
    make_user,
    reporting_setup,
)

from .conftest import complete_values
from .test_services import bring_to

pytestmark = pytest.mark.django_db


def entry_data(submission, **overrides):
    """The entry form as a browser posts it, with complete values."""
    data = {"version": submission.version}
    typed = {
        "numerator": "45",
        "denominator": "60",
        "is_done": "yes",
        "done_on": "2024-03-01",
        "text": "Đã ban hành",
    }
    for row in submission.values.select_related("indicator"):
        prefix = f"v{row.pk}-"
        data[prefix + "note"] = ""
        for name in row.indicator.measure.fields:  # the fields the page shows for its measure type
            data[prefix + name] = typed.get(name) or (
                "2.000.000" if row.indicator.measure_type == "amount" else "12"
            )
    for row in submission.task_progress.all():
        data |= {f"t{row.pk}-status": "in_progress", f"t{row.pk}-note": ""}
    return data | overrides


def edit_url(submission):
    return reverse("reporting:submission-edit", args=[submission.pk])


def test_the_entry_page_shows_each_indicator_with_unit_target_and_previous_value(
    client, staff_user, dic_user, submission, department
):
    q2 = Submission.objects.get(agency=department, period__year=2024, period__quarter=2)
    services.submission_save(
        submission=submission, actor=staff_user, version=1, values=complete_values(submission)
    )
    client.force_login(staff_user)
    assert "45/60 (75%)" not in client.get(edit_url(q2)).content.decode()  # a draft is not a reported figure
    services.submission_submit(submission=Submission.objects.get(pk=submission.pk), actor=staff_user)
    page = client.get(edit_url(q2)).content.decode()
    assert "Quý II/2024" in page and "≥ 50%" in page
    assert "45/60 (75%)" in page  # last quarter's rate, beside this quarter's input
    assert "2.000.000.000" in page
    for label in (
        "Tử số",
        "Mẫu số",
        "Trả lời",
        "Tình trạng",
        "Ngày hoàn thành",
        "Nội dung",
        "Giải trình, ghi chú",
        "Tiến độ",
    ):
        assert label in page


def test_saving_a_draft_then_submitting(client, staff_user, submission):
    client.force_login(staff_user)
    response = client.post(edit_url(submission), entry_data(submission, action="save"))
    assert response.status_code == 302 and response.url == edit_url(submission)
    saved = Submission.objects.get(pk=submission.pk)
    assert saved.version == 2 and saved.values.get(indicator__measure_type="amount").value == 2_000_000
    response = client.post(edit_url(saved), entry_data(saved, action="submit"))
    assert response.status_code == 302
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED


def test_a_value_that_does_not_parse_saves_nothing_and_keeps_what_was_typed(client, staff_user, submission):
    client.force_login(staff_user)
    count = submission.values.get(indicator__measure_type="count")
    rate = submission.values.get(indicator__measure_type="rate")
    data = entry_data(submission, action="save") | {
        f"v{count.pk}-value": "mười hai",
        f"v{rate.pk}-note": "Số liệu từ Cổng DVC",
    }
    response = client.post(edit_url(submission), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[f"v{count.pk}-value"] == [
        "“mười hai” không phải là số. Ví dụ cách ghi: 1.234,5 hoặc 75"
    ]
    page = response.content.decode()
    assert 'value="mười hai"' in page and "Số liệu từ Cổng DVC" in page
    assert Submission.objects.get(pk=submission.pk).version == 1


def test_submitting_implausible_values_saves_the_draft_and_shows_each_message_by_its_field(
    client, staff_user, submission
):
    client.force_login(staff_user)
    rate = submission.values.get(indicator__measure_type="rate")
    count = submission.values.get(indicator__measure_type="count")
    data = entry_data(submission, action="submit") | {
        f"v{rate.pk}-numerator": "70",
        f"v{rate.pk}-denominator": "60",
        f"v{count.pk}-value": "-3",
    }
    response = client.post(edit_url(submission), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[f"v{rate.pk}-numerator"] == [
        "Tử số không được lớn hơn mẫu số: tỷ lệ phải từ 0 đến 100%."
    ]
    assert form.errors[f"v{count.pk}-value"] == ["Số lượng không được âm."]
    page = response.content.decode()
    assert "còn 2 chỗ cần sửa" in page and 'value="70"' in page
    saved = Submission.objects.get(pk=submission.pk)
    assert saved.status == SubmissionStatus.DRAFT and saved.version == 2
    # The page now carries the saved version: fixing and submitting again works.
    assert form["version"].value() == 2
    fixed = entry_data(saved, action="submit")
    assert client.post(edit_url(saved), fixed).status_code == 302


def test_a_second_editor_is_refused_and_keeps_what_they_typed(client, staff_user, submission, department):
    colleague = make_user(Role.DEPARTMENT_STAFF, department, username="dongnghiep")
    rate = submission.values.get(indicator__measure_type="rate")
    stale = entry_data(submission, action="save") | {f"v{rate.pk}-numerator": "50"}
    services.submission_save(
        submission=submission,
        actor=colleague,
        version=1,
        values={rate.pk: {"numerator": 1, "denominator": 2}},
    )
    client.force_login(staff_user)
    response = client.post(edit_url(submission), stale)
    assert response.status_code == 409
    assert "chưa được thực hiện để không ghi đè" in response.content.decode()
    assert 'value="50"' in response.content.decode()
    assert "Người kia đã sửa: BG.RATE." in response.content.decode()
    rate.refresh_from_db()
    assert rate.numerator == 1
    # Saving again from the conflict page is a deliberate overwrite, and works.
    again = dict(response.context["form"].data.items())
    assert int(again["version"]) == Submission.objects.get(pk=submission.pk).version
    assert client.post(edit_url(submission), again).status_code == 302
    rate.refresh_from_db()
    assert rate.numerator == 50


def test_evidence_says_which_document_it_is(client, staff_user, submission):
    """Number, date and issuer typed beside a file describe it; typed without a file
    or dated in the future, they are refused and nothing is saved."""
    client.force_login(staff_user)
    value = submission.values.first()
    document = {
        f"v{value.pk}-docnumber": "125/KH-UBND",
        f"v{value.pk}-docdate": "05/03/2024",
        f"v{value.pk}-issuer": "UBND tỉnh",
    }
    response = client.post(edit_url(submission), entry_data(submission, action="save") | document)
    assert response.status_code == 400
    assert response.context["form"].errors[f"v{value.pk}-files"] == [
        "Hãy chọn tệp hoặc nhập đường dẫn của văn bản này."
    ]
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    pdf = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ke hoach", content_type="application/pdf")
    response = client.post(
        edit_url(submission),
        entry_data(submission, action="save")
        | document
        | {f"v{value.pk}-docdate": tomorrow, f"v{value.pk}-files": pdf},
    )
    assert response.context["form"].errors[f"v{value.pk}-docdate"] == [
        "Ngày ban hành không được sau hôm nay."
    ]
    assert not Evidence.objects.exists()
    # One document's details for two files would describe one of them wrongly.
    pdf.seek(0)
    second = SimpleUploadedFile("phu-luc.pdf", b"%PDF-1.4 phu luc", content_type="application/pdf")
    response = client.post(
        edit_url(submission),
        entry_data(submission, action="save") | document | {f"v{value.pk}-files": [pdf, second]},
    )
    assert "chỉ ghi cho một văn bản" in response.context["form"].errors[f"v{value.pk}-files"][0]
    assert not Evidence.objects.exists()
    pdf.seek(0)
    response = client.post(
        edit_url(submission), entry_data(submission, action="save") | document | {f"v{value.pk}-files": pdf}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.document_number, evidence.document_date, evidence.issuer) == (
        "125/KH-UBND",
        date(2024, 3, 5),
        "UBND tỉnh",
    )
    assert "Số 125/KH-UBND ngày 05/03/2024 của UBND tỉnh" in client.get(edit_url(submission)).content.decode()


def test_evidence_is_checked_by_content_and_served_only_to_who_may_see_it(
    client, staff_user, submission, province, other_province
):
    client.force_login(staff_user)
    value = submission.values.first()
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        edit_url(submission), entry_data(submission, action="save") | {f"v{value.pk}-files": fake}
    )
    assert response.status_code == 400
    assert (
        "không phải PDF, ảnh hay tài liệu Office" in response.context["form"].errors[f"v{value.pk}-files"][0]
    )
    big = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    response = client.post(
        edit_url(submission), entry_data(submission, action="save") | {f"v{value.pk}-files": big}
    )
    assert "vượt quá giới hạn 10,0\xa0MB" in response.context["form"].errors[f"v{value.pk}-files"][0]
    assert not Evidence.objects.exists()

    pdf = SimpleUploadedFile("quyet-dinh.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf")
    response = client.post(
        edit_url(submission), entry_data(submission, action="save") | {f"v{value.pk}-files": pdf}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    download = client.get(reverse("reporting:evidence-download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 minh chung"
    assert 'filename="quyet-dinh.pdf"' in download["Content-Disposition"]
    outsider = make_user(Role.DEPARTMENT_STAFF, AgencyFactory(parent=province))
    client.force_login(outsider)
    assert client.get(reverse("reporting:evidence-download", args=[evidence.pk])).status_code == 404
    client.force_login(make_user(Role.DIC_OFFICER, AgencyFactory(parent=other_province)))
    assert client.get(reverse("reporting:evidence-download", args=[evidence.pk])).status_code == 404


def test_the_dic_returns_with_comments_and_the_department_sees_why(client, staff_user, dic_user, submission):
    current = bring_to("submitted", submission, staff_user, dic_user)
    rate = current.values.get(indicator__measure_type="rate")
    client.force_login(dic_user)
    url = reverse("reporting:submission-return", args=[current.pk])
    proof = Evidence.objects.create(
        value=rate, link="https://dichvucong.bacgiang.gov.vn/bao-cao-q1", uploaded_by=staff_user
    )
    assert (
        proof.get_absolute_url() in client.get(url).content.decode()
    )  # the evidence is at hand when commenting
    assert client.post(url, {"comment": "", "version": current.version}).status_code == 400
    response = client.post(
        url,
        {
            "comment": "Số liệu tỷ lệ chưa khớp Cổng DVC",
            f"c{rate.pk}": "Mẫu số thiếu hồ sơ quý I",
            "version": current.version,
        },
    )
    assert response.status_code == 302
    client.force_login(staff_user)
    home = client.get(reverse("home")).content.decode()
    assert "Báo cáo bị trả lại, cần sửa" in home and "Số liệu tỷ lệ chưa khớp Cổng DVC" in home
    page = client.get(edit_url(current)).content.decode()
    assert "Mẫu số thiếu hồ sơ quý I" in page
    assert Notification.objects.filter(recipient=staff_user, kind="returned").count() == 1


def test_an_approved_submission_is_read_only_on_every_page(client, staff_user, dic_user, submission):
    approved = bring_to("approved", submission, staff_user, dic_user)
    client.force_login(staff_user)
    response = client.get(edit_url(approved))
    assert response.status_code == 302 and response.url == approved.get_absolute_url()
    response = client.post(edit_url(approved), entry_data(approved, action="save"))
    assert response.status_code == 409
    assert "đã được phê duyệt nên không thể sửa" in response.content.decode()
    detail = client.get(approved.get_absolute_url()).content.decode()
    assert "Nhập, sửa số liệu" not in detail and "chỉ còn để đọc" in detail


def test_reopening_needs_a_reason(client, staff_user, dic_user, submission):
    approved = bring_to("approved", submission, staff_user, dic_user)
    client.force_login(dic_user)
    url = reverse("reporting:submission-reopen", args=[approved.pk])
    response = client.post(url, {"reason": "", "version": approved.version})
    assert response.status_code == 400 and "phải ghi rõ lý do" in response.content.decode()
    assert (
        client.post(
            url, {"reason": "Sở Tài chính điều chỉnh số liệu", "version": approved.version}
        ).status_code
        == 302
    )
    assert Submission.objects.get(pk=approved.pk).status == SubmissionStatus.RETURNED


def test_the_detail_page_shows_events_and_the_history_of_values(client, staff_user, dic_user, submission):
    bring_to("approved", submission, staff_user, dic_user)
    client.force_login(dic_user)
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "Quá trình xử lý" in page and "Đang nhập → Đã gửi, chờ duyệt" in page
    assert "Lịch sử thay đổi số liệu" in page and "45/60 (75%)" in page


def test_the_review_queue_filters_by_status_period_and_agency(
    client, staff_user, dic_user, submission, province
):
    bring_to("submitted", submission, staff_user, dic_user)
    client.force_login(dic_user)
    url = reverse("reporting:review-queue")
    assert [s.pk for s in client.get(url).context["submissions"]] == [submission.pk]
    every = client.get(url, {"status": ""}).context["submissions"]
    assert len(every) == 5  # four quarters and the year
    by_period = client.get(url, {"status": "", "period": submission.period_id}).context["submissions"]
    assert [s.pk for s in by_period] == [submission.pk]


def test_the_completeness_grid_shows_agencies_by_period(client, staff_user, dic_user, submission):
    bring_to("submitted", submission, staff_user, dic_user)
    client.force_login(dic_user)
    response = client.get(reverse("reporting:completeness"), {"year": 2024})
    (row,) = response.context["rows"]
    states = [(state, late) for _submission, state, late in row.cells]
    assert [p.code for p in response.context["periods"]] == [
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
        "2024",
    ]
    assert states[0] == ("submitted", False)
    assert states[1] == ("not_started", True)  # Q2 2024 is long past its due date


def test_steering_members_read_but_change_nothing(client, steering_user, staff_user, dic_user, submission):
    current = bring_to("submitted", submission, staff_user, dic_user)
    client.force_login(steering_user)
    assert client.get(current.get_absolute_url()).status_code == 200
    assert client.get(reverse("reporting:review-queue")).status_code == 200
    assert client.get(edit_url(current)).status_code == 403
    assert client.post(reverse("reporting:submission-approve", args=[current.pk])).status_code == 403
    assert Submission.objects.get(pk=current.pk).status == SubmissionStatus.SUBMITTED


def test_notifications_are_listed_and_marked_read(client, staff_user, dic_user, submission):
    bring_to("submitted", submission, staff_user, dic_user)
    client.force_login(dic_user)
    assert client.get(reverse("home")).context["unread_notifications"] == 1
    notification = Notification.objects.get(recipient=dic_user)
    response = client.get(reverse("reporting:notification-open", args=[notification.pk]))
    assert response.url == submission.get_absolute_url()
    assert client.get(reverse("home")).context["unread_notifications"] == 0


def test_a_dic_officer_opens_a_years_periods_from_the_page(client, dic_user, province, department):
    client.force_login(dic_user)
    response = client.post(reverse("reporting:period-list"), {"year": 2031})
    assert response.status_code == 302
    assert province.reporting_periods.filter(year=2031).count() == 5


def grow(province, count, actor, year):
    for n in range(count):
        agency = AgencyFactory(parent=province, code=f"{province.code}.G{year}{n}")
        reporting_setup(province, agency, actor, year=year, code_prefix=agency.code)


def test_the_entry_page_query_count_does_not_grow_with_indicators(
    client, staff_user, submission, province, department, django_assert_max_num_queries
):
    client.force_login(staff_user)
    with django_assert_max_num_queries(20) as small:
        client.get(edit_url(submission))
    for n in range(10):
        extra = IndicatorFactory(province=province, code=f"BG.EXTRA{n}")
        TargetFactory(
            plan=submission.values.first().indicator.targets.first().plan, indicator=extra, year=2024
        )
        ReportingObligationFactory(indicator=extra, agency=department, year=2024)
    services.submissions_prepare(period=submission.period)
    assert submission.values.count() == 17
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(edit_url(submission))
    assert len(response.context["groups"]) == 17  # every factory indicator has its own pillar


def test_the_review_queue_query_count_does_not_grow_with_agencies(
    client, dic_user, submission, province, django_assert_max_num_queries
):
    client.force_login(dic_user)
    url = reverse("reporting:review-queue")
    with django_assert_max_num_queries(20) as small:
        client.get(url, {"status": ""})
    grow(province, 3, dic_user, 2024)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, {"status": ""})
    assert len(response.context["submissions"]) == 20


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "abc"}, "Năm phải là một số."),
        ({"year": ""}, "Hãy nhập năm."),
        ({"year": 2031, "province": "abc"}, "Hãy chọn một giá trị hợp lệ"),
    ],
)
def test_opening_periods_with_bad_input_explains_and_opens_nothing(client, dic_user, province, data, message):
    client.force_login(dic_user)
    response = client.post(reverse("reporting:period-list"), data, follow=True)
    assert message in response.content.decode()
    assert not province.reporting_periods.exists()


def test_a_dic_officer_cannot_open_another_provinces_periods_from_the_page(client, dic_user, other_province):
    client.force_login(dic_user)
    response = client.post(
        reverse("reporting:period-list"), {"year": 2031, "province": other_province.pk}, follow=True
    )
    assert "Hãy chọn một giá trị hợp lệ" in response.content.decode()
    assert not other_province.reporting_periods.exists()


def test_approving_what_changed_since_the_page_was_read_is_refused(client, staff_user, dic_user, submission):
    """The reviewer read version N; the report was returned, fixed and resubmitted
    by others meanwhile: approving with the old version is refused."""
    read = bring_to("submitted", submission, staff_user, dic_user)
    services.submission_return(submission=read, actor=dic_user, comment="Sửa")
    fixed = Submission.objects.get(pk=read.pk)
    services.submission_submit(submission=fixed, actor=staff_user)
    client.force_login(dic_user)
    response = client.post(
        reverse("reporting:submission-approve", args=[read.pk]), {"version": read.version}, follow=True
    )
    assert "sau khi bạn mở trang" in response.content.decode()
    assert Submission.objects.get(pk=read.pk).status == SubmissionStatus.SUBMITTED


def test_a_link_attached_before_a_failed_submit_is_not_attached_twice(client, staff_user, submission):
    client.force_login(staff_user)
    value = submission.values.get(indicator__measure_type="count")
    data = entry_data(submission, action="submit") | {
        f"v{value.pk}-value": "-1",
        f"v{value.pk}-link": "https://bacgiang.gov.vn/qd-1",
    }
    response = client.post(edit_url(submission), data)
    assert response.status_code == 400 and Evidence.objects.count() == 1
    form = response.context["form"]
    assert not form[f"v{value.pk}-link"].value()
    again = {k: v for k, v in form.data.items()} | {f"v{value.pk}-value": "3", "action": "save"}
    assert client.post(edit_url(submission), again).status_code == 302
    assert Evidence.objects.count() == 1


def test_a_report_returned_after_its_period_closed_can_still_be_fixed(
    client, staff_user, dic_user, submission
):
    from reporting.choices import PeriodState

    current = bring_to("submitted", submission, staff_user, dic_user)
    services.period_set_state(period=current.period, state=PeriodState.CLOSED, actor=dic_user)
    services.submission_return(submission=current, actor=dic_user, comment="Bổ sung minh chứng")
    client.force_login(staff_user)
    home = client.get(reverse("home")).content.decode()
    assert "Bổ sung minh chứng" in home
    returned = Submission.objects.get(pk=current.pk)
    assert client.post(edit_url(returned), entry_data(returned, action="save")).status_code == 302
    fixed = Submission.objects.get(pk=current.pk)
    assert fixed.status == SubmissionStatus.DRAFT
    assert "Bổ sung minh chứng" in client.get(edit_url(fixed)).content.decode()  # the reason stays in view
    never_sent = Submission.objects.get(agency=submission.agency, period__year=2024, period__quarter=2)
    services.period_set_state(period=never_sent.period, state=PeriodState.CLOSED, actor=dic_user)
    assert client.post(edit_url(never_sent), entry_data(never_sent, action="save")).status_code == 409


def test_a_refused_page_explains_in_vietnamese(client, steering_user, submission):
    client.force_login(steering_user)
    response = client.get(edit_url(submission))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không có quyền thực hiện thao tác này" in page and "Về trang chủ" in page
    assert "Không tìm thấy trang" in client.get("/reporting/submissions/999999/").content.decode()


def test_files_chosen_with_an_error_elsewhere_are_announced_as_not_saved(client, staff_user, submission):
    client.force_login(staff_user)
    count = submission.values.get(indicator__measure_type="count")
    pdf = SimpleUploadedFile("qd.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        edit_url(submission),
        entry_data(submission, action="save")
        | {
            f"v{count.pk}-value": "mười",
            f"v{count.pk}-files": pdf,
        },
    )
    assert "Các tệp minh chứng vừa chọn chưa được lưu" in response.content.decode()
    assert not Evidence.objects.exists()


def test_approving_settles_the_comments_on_single_values(client, staff_user, dic_user, submission):
    current = bring_to("submitted", submission, staff_user, dic_user)
    rate = current.values.get(indicator__measure_type="rate")
    services.submission_return(
        submission=current, actor=dic_user, comment="Sửa", value_comments={rate.pk: "Sai"}
    )
    returned = Submission.objects.get(pk=current.pk)
    services.submission_submit(submission=returned, actor=staff_user)
    services.submission_approve(submission=Submission.objects.get(pk=current.pk), actor=dic_user)
    rate.refresh_from_db()
    assert rate.review_comment == ""
    services.submission_reopen(
        submission=Submission.objects.get(pk=current.pk), actor=dic_user, reason="Xem lại"
    )
    client.force_login(staff_user)
    assert "Sai" not in client.get(edit_url(current)).content.decode().split("Xem lại")[1]


def test_the_queue_lists_overdue_reports(client, dic_user, submission):
    client.force_login(dic_user)
    overdue = client.get(reverse("reporting:review-queue"), {"overdue": "true"}).context["submissions"]
    assert len(overdue) == 5  # every 2024 period is past its due date and nothing was sent
    home = client.get(reverse("home")).content.decode()
    assert "?overdue=true" in home


def test_opening_a_year_nobody_reports_says_what_to_do(client, dic_user, province):
    client.force_login(dic_user)
    response = client.post(reverse("reporting:period-list"), {"year": 2031}, follow=True)
    assert "chưa có đơn vị nào phải báo cáo" in response.content.decode()
    response = client.post(reverse("reporting:period-list"), {"year": 1999}, follow=True)
    assert "Năm phải từ 2000 đến 2100." in response.content.decode()


def test_the_detail_page_offers_the_actions_the_transition_table_allows(
    client, submission, staff_user, dic_user, steering_user
):
    from reporting.access import actions_for

    services.submission_save(
        submission=submission, actor=staff_user, version=1, values=complete_values(submission)
    )
    submitted = services.submission_submit(
        submission=Submission.objects.get(pk=submission.pk), actor=staff_user
    )
    assert actions_for(dic_user, submitted) == ["approve", "return"]
    assert actions_for(staff_user, submitted) == [] and actions_for(steering_user, submitted) == []
    client.force_login(dic_user)
    page = client.get(reverse("reporting:submission-detail", args=[submitted.pk])).content.decode()
    assert "Phê duyệt</button>" in page and "Trả lại để sửa</a>" in page and "Mở lại báo cáo</a>" not in page
    approved = services.submission_approve(submission=submitted, actor=dic_user)
    assert actions_for(dic_user, approved) == ["reopen"]
    page = client.get(reverse("reporting:submission-detail", args=[approved.pk])).content.decode()
    assert "Mở lại báo cáo</a>" in page and "Phê duyệt</button>" not in page


ROW_WORDS = {
    # (Vietnamese, English): how many times each is on the page of ``submission`` below,
    # whose 7 values are one of each measure type (two quotients: a rate and a ratio),
    # one with a piece of evidence.
    ("Đơn vị tính:", "Unit:"): 7,
    ("Kết quả:", "Result:"): 2,
    ('data-not-applicable="không phát sinh"', 'data-not-applicable="no case"'): 2,
    ("Tử số:", "Numerator:"): 2,
    ("mẫu số:", "denominator:"): 2,
    ("Minh chứng:", "Evidence:"): 1,
    ("sửa thông tin văn bản", "edit document details"): 1,
    (
        'data-confirm="Gỡ minh chứng này khỏi báo cáo?"',
        'data-confirm="Remove this evidence from the report?"',
    ): 1,
    (">gỡ</button>", ">remove</button>"): 1,
    ("Thêm minh chứng (tệp PDF, ảnh, Office tối đa 10 MB, hoặc đường dẫn)", "Add evidence (PDF, image"): 7,
    ("Văn bản là minh chứng (Bộ yêu cầu khi đánh giá DTI):", "Document serving as evidence"): 7,
    (">Giải trình, ghi chú</label>", ">Explanation, notes</label>"): 7,
    (">Tệp minh chứng</label>", ">Evidence files</label>"): 7,
    (">— chưa chọn —</option>", ">— not selected —</option>"): 2,
    (">Tiến độ</label>", ">Progress</label>"): 1,
}


@pytest.mark.parametrize("language", [0, 1], ids=["vi", "en"])
def test_each_row_of_the_entry_page_is_worded_in_the_readers_language(
    client, settings, staff_user, submission, language
):
    """The rows' words are translated once for the page (the template's and the form's):
    every row still carries them, in the language the reader chose."""
    rate = submission.values.get(indicator__measure_type="rate")
    Evidence.objects.create(value=rate, link="https://dichvucong.bacgiang.gov.vn/q1", uploaded_by=staff_user)
    client.force_login(staff_user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(edit_url(submission)).content.decode()
    assert {words[language]: page.count(words[language]) for words in ROW_WORDS} == {
        words[language]: count for words, count in ROW_WORDS.items()
    }
