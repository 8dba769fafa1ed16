"""Pages of the reporting workflow. Each fetches what it shows through a selector
(``visible_to`` the user), checks the user's right to act with ``access``, and writes
only by calling a service; a ``DomainError`` becomes a message on the page."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.base import ContextMixin, TemplateResponseMixin

from assignments.choices import Role
from assignments.models import user_roles
from dti_portal.errors import DomainError
from indicators import selectors as catalogue
from indicators.access import user_province_id
from indicators.models import Agency
from indicators.views import PortalListView

from .. import services
from ..access import actions_for, may_edit, may_review, may_review_province, refuse
from ..choices import ALLOWED_TRANSITIONS, Action, CellState, ReminderKind, RollupTrigger, SubmissionStatus
from ..filters import SubmissionFilter
from ..forms import (
    EvidenceDescribeForm,
    OpenPeriodsForm,
    ReopenForm,
    ReturnForm,
    ReviewForm,
    SubmissionEntryForm,
    WorkbookUploadForm,
)
from ..models import Evidence, ReportingPeriod, Submission
from ..rollup.services import compile_province_rollup, periods_affected_by
from ..selectors import submissions
from ..workbooks import submission_workbook, submission_workbook_read

logger = logging.getLogger(__name__)


__all__ = [
    "CompletenessView",
    "EvidenceDeleteView",
    "EvidenceDescribeView",
    "EvidenceDownloadView",
    "HomeView",
    "NotificationListView",
    "NotificationOpenView",
    "PeriodCompileView",
    "PeriodListView",
    "ProvinceReaderMixin",
    "ReminderLogView",
    "ReviewQueueView",
    "SubmissionActionView",
    "SubmissionApproveView",
    "SubmissionDetailView",
    "SubmissionEditView",
    "SubmissionMixin",
    "SubmissionReopenView",
    "SubmissionReturnView",
    "SubmissionUploadView",
    "SubmissionWorkbookView",
]


class HomeView(TemplateView):
    """Each role's start page: a department sees what is due and what came back; the
    DIC its review workload; everyone the catalogue's counts."""

    template_name = "reporting/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        roles = user_roles(user)
        context = {"counts": catalogue.catalogue_counts(user=user), "today": timezone.localdate()}
        if roles & {Role.DEPARTMENT_STAFF}:
            own = list(submissions.agency_submissions(user=user))
            context["open_submissions"] = [s for s in own if s.period.is_open or s.can_be_edited]
            context["returned"] = [s for s in own if s.was_returned]
        if may_review_province(user):
            context["workload"] = submissions.review_workload(user=user)
        return super().get_context_data(**kwargs, **context)


class SubmissionMixin(ContextMixin):
    """Fetches the submission of the URL for the user (404 if not visible) and, when
    the view sets ``permission`` (``may_edit``, ``may_review``), refuses with 403 a
    user who may see it but not act on it."""

    permission = None

    def dispatch(self, request, *args, **kwargs):
        self.submission = submissions.submission_get_for_user(user=request.user, pk=kwargs["pk"])
        if self.permission is not None and not self.permission(request.user, self.submission):
            refuse(request, type(self).__name__, self.submission)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        submission = self.submission
        return super().get_context_data(
            submission=submission,
            can_edit=submission.can_be_edited and may_edit(user, submission),
            can_review=may_review(user, submission),
            actions=actions_for(user, submission),
            can_describe=may_review(user, submission)
            or (may_edit(user, submission) and submission.can_be_edited),
            transitions=ALLOWED_TRANSITIONS,
            **kwargs,
        )

    def back_to_detail(self):
        return HttpResponseRedirect(self.submission.get_absolute_url())


class SubmissionDetailView(SubmissionMixin, TemplateView):
    """A submission as everyone who may see it reads it, with its events and history."""

    template_name = "reporting/submission_detail.html"

    def get_context_data(self, **kwargs):
        groups, tasks = submissions.submission_rows(submission=self.submission)
        submissions.review_aids(
            submission=self.submission,
            groups=groups,
            with_peers=may_review(self.request.user, self.submission),
        )
        return super().get_context_data(
            groups=groups,
            tasks=tasks,
            **submissions.submission_timeline(submission=self.submission),
            **kwargs,
        )


class SubmissionEditView(SubmissionMixin, TemplateResponseMixin, View):
    """The entry page: save as draft, or save and submit. On any error the page comes
    back with everything the user typed and the message next to the field."""

    template_name = "reporting/submission_edit.html"

    permission = staticmethod(may_edit)

    def build_form(self, data=None, files=None):
        self.groups, self.tasks = submissions.submission_rows(submission=self.submission)
        return SubmissionEntryForm(
            data, files, groups=self.groups, tasks=self.tasks, initial={"version": self.submission.version}
        )

    def render(self, form, status=200):
        context = self.get_context_data(form=form, groups=self.groups, tasks=self.tasks)
        return self.render_to_response(context, status=status)

    def retyped(self, request) -> dict:
        """The posted form again, at the saved version and without the links just
        attached (saving again must not attach them twice)."""
        data = request.POST.copy()
        data["version"] = self.submission.version
        for key in [k for k in data if k.endswith("-link")]:
            del data[key]
        return data

    def render_conflict(self, request, form, error):
        """Someone saved meanwhile: nothing was written. The page keeps what the user
        typed, names the indicators the other person changed, and now carries the
        current version, so that saving again is a deliberate overwrite."""
        self.submission = submissions.submission_get_for_user(user=request.user, pk=self.submission.pk)
        changed = submissions.values_changed_since(
            submission=self.submission, version=form.cleaned_data["version"]
        )
        messages.error(request, error.message)
        messages.warning(
            request,
            _(
                "Những gì bạn nhập vẫn còn trên trang nhưng chưa được lưu. Người kia đã sửa: %(codes)s. "
                "Hãy đối chiếu (mở báo cáo ở thẻ khác); bấm “Lưu nháp” lần nữa sẽ ghi phần của bạn đè lên."
            )
            % {
                "codes": ", ".join(changed)
                or _("không có số liệu nào (chỉ tiến độ nhiệm vụ hoặc minh chứng)")
            },
        )
        retyped = self.build_form(self.retyped(request))
        retyped.is_valid()
        return self.render(retyped, status=409)

    def get(self, request, *args, **kwargs):
        if not self.submission.can_be_edited:
            messages.info(
                request,
                _("Báo cáo này hiện không sửa được (%(status)s).")
                % {"status": self.submission.get_status_display()},
            )
            return self.back_to_detail()
        return self.render(self.build_form())

    def post(self, request, *args, **kwargs):
        form = self.build_form(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Chưa lưu được: có ô nhập chưa đúng (xem thông báo bên cạnh từng ô)."))
            if request.FILES:
                # A browser never re-fills a file input: say so, or the files are lost unseen.
                messages.warning(
                    request,
                    _(
                        "Các tệp minh chứng vừa chọn chưa được lưu: sau khi sửa các ô báo lỗi, hãy "
                        "chọn lại tệp rồi lưu."
                    ),
                )
            return self.render(form, status=400)
        values, tasks, evidence = form.changes()
        try:
            self.submission = services.submission_save(
                submission=self.submission,
                actor=request.user,
                version=form.cleaned_data["version"],
                values=values,
                tasks=tasks,
                evidence=evidence,
            )
        except services.StaleVersion as error:
            return self.render_conflict(request, form, error)
        except DomainError as error:
            messages.error(request, error.message)
            return self.render(form, status=409 if error.http_status == 409 else 400)
        if request.POST.get("action") != "submit":
            messages.success(
                request, _("Đã lưu nháp lúc %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")}
            )
            return HttpResponseRedirect(reverse("reporting:submission-edit", args=[self.submission.pk]))
        try:
            services.submission_submit(
                submission=self.submission, actor=request.user, version=self.submission.version
            )
        except services.SubmissionInvalid as error:
            messages.warning(request, _("Đã lưu nháp.") + " " + error.message)
            form = self.build_form(self.retyped(request))
            form.is_valid()
            form.add_problems(error.problems)
            return self.render(form, status=400)
        except DomainError as error:
            messages.error(request, error.message)
            return self.back_to_detail()
        dic = catalogue.institution_names(province_id=self.submission.period.province_id).dic
        messages.success(request, _("Đã gửi báo cáo tới %(dic)s.") % {"dic": dic.short_name})
        return self.back_to_detail()


class SubmissionActionView(SubmissionMixin, TemplateResponseMixin, View):
    """A reviewer's step (return, approve, reopen): a form on GET where a comment is
    needed, the service on POST."""

    action: Action
    form_class = ReviewForm

    permission = staticmethod(may_review)

    def get(self, request, *args, **kwargs):
        if self.template_name is None:
            return self.back_to_detail()
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def make_form(self, data=None):
        return self.form_class(data, initial={"version": self.submission.version})

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if not form.is_valid():
            if self.template_name is None:
                messages.error(request, _("Thiếu phiên bản báo cáo: hãy tải lại trang rồi làm lại."))
                return self.back_to_detail()
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            self.perform(form)
        except DomainError as error:
            messages.error(request, error.message)
            if self.template_name is not None:
                return self.render_to_response(self.get_context_data(form=form), status=error.http_status)
            return self.back_to_detail()
        messages.success(request, self.success_message)
        return self.back_to_detail()


class SubmissionReturnView(SubmissionActionView):
    template_name = "reporting/submission_return.html"
    action = Action.RETURN
    form_class = ReturnForm

    @property
    def success_message(self):
        return _("Đã trả lại báo cáo cho đơn vị kèm ý kiến.")

    def make_form(self, data=None):
        self.groups, _tasks = submissions.submission_rows(submission=self.submission)
        return ReturnForm(
            data,
            values=[row for group in self.groups for row in group.values],
            initial={"version": self.submission.version},
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=self.groups, **kwargs)

    def perform(self, form):
        services.submission_return(
            submission=self.submission,
            actor=self.request.user,
            comment=form.cleaned_data["comment"],
            value_comments=form.value_comments(),
            version=form.cleaned_data["version"],
        )


class SubmissionApproveView(SubmissionActionView):
    http_method_names = ["post"]
    action = Action.APPROVE

    @property
    def success_message(self):
        return _("Đã phê duyệt báo cáo.")

    def perform(self, form):
        services.submission_approve(
            submission=self.submission, actor=self.request.user, version=form.cleaned_data["version"]
        )


class SubmissionBulkApproveView(View):
    """The review queue's "duyệt các báo cáo đã chọn": each ``report`` field is
    "id:version" of a submitted report; all are approved, or none (the service says
    which one was refused, and why)."""

    http_method_names = ["post"]

    def post(self, request):
        if not may_review_province(request.user):
            refuse(request, type(self).__name__)
        chosen: dict[int, int] = {}
        for item in request.POST.getlist("report"):
            pk, _sep, version = item.partition(":")
            if not (pk.isascii() and pk.isdecimal() and version.isascii() and version.isdecimal()):
                return HttpResponseBadRequest(_("Lựa chọn không hợp lệ: hãy tải lại trang rồi chọn lại."))
            chosen[int(pk)] = int(version)
        back = reverse("reporting:review-queue") + "?status=submitted"
        if not chosen:
            messages.warning(request, _("Chưa chọn báo cáo nào để duyệt."))
            return redirect(back)
        found = {
            submission.pk: submission
            for submission in Submission.objects.visible_to(request.user)
            .filter(pk__in=chosen)
            .select_related("agency", "period")
        }
        if len(found) != len(chosen):
            raise Http404(_("Có báo cáo đã chọn không tồn tại hoặc bạn không được xem."))
        # In the order of their ids: two batches overlapping lock their rows alike.
        items = [(found[pk], version) for pk, version in sorted(chosen.items())]
        try:
            approved = services.submissions_approve(items=items, actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
            return redirect(back)
        messages.success(
            request,
            ngettext("Đã phê duyệt %(count)s báo cáo.", "Đã phê duyệt %(count)s báo cáo.", len(approved))
            % {"count": len(approved)},
        )
        return redirect(back)


class SubmissionReopenView(SubmissionActionView):
    template_name = "reporting/submission_reopen.html"
    action = Action.REOPEN
    form_class = ReopenForm

    @property
    def success_message(self):
        return _("Đã mở lại báo cáo; đơn vị được sửa và gửi lại.")

    def perform(self, form):
        services.submission_reopen(
            submission=self.submission,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )


class SubmissionWorkbookView(SubmissionMixin, View):
    """The submission as an xlsx template, for everyone who may see it."""

    def get(self, request, *args, **kwargs):
        groups, tasks = submissions.submission_rows(submission=self.submission)
        content = submission_workbook(submission=self.submission, groups=groups, tasks=tasks)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"bao-cao-{self.submission.agency.code}-{self.submission.period.code}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class SubmissionUploadView(SubmissionMixin, TemplateResponseMixin, View):
    """Upload a filled template: every row is checked; any error saves nothing."""

    template_name = "reporting/submission_upload.html"

    permission = staticmethod(may_edit)

    def get(self, request, *args, **kwargs):
        if not self.submission.can_be_edited:
            messages.info(
                request,
                _("Báo cáo này hiện không sửa được (%(status)s).")
                % {"status": self.submission.get_status_display()},
            )
            return self.back_to_detail()
        return self.render_to_response(self.get_context_data(form=WorkbookUploadForm()))

    def post(self, request, *args, **kwargs):
        form = WorkbookUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        groups, tasks = submissions.submission_rows(submission=self.submission)
        try:
            data = submission_workbook_read(
                upload=form.cleaned_data["file"], submission=self.submission, groups=groups, tasks=tasks
            )
            services.submission_save(
                submission=self.submission,
                actor=request.user,
                version=data.version,
                values=data.values,
                tasks=data.tasks,
            )
        except DomainError as error:
            message = error.message
            if isinstance(error, services.StaleVersion):
                message = _(
                    "Báo cáo đã được lưu sau khi bạn tải mẫu này về, nên tệp không được nhận để "
                    "tránh ghi đè. "
                    "Hãy tải mẫu mới, chép phần của bạn sang rồi tải lên lại."
                )
            return self.render_to_response(
                self.get_context_data(form=form, error=message, details=error.details),
                status=error.http_status,
            )
        messages.success(request, _("Đã nhận tệp Excel và lưu số liệu vào bản nháp."))
        return HttpResponseRedirect(reverse("reporting:submission-edit", args=[self.submission.pk]))


class EvidenceDownloadView(View):
    """An evidence file, only to users who may read its submission (a merged
    province's readers: its old provinces' too, as on their dashboards)."""

    def get(self, request, pk):
        evidence = submissions.evidence_get_for_user(user=request.user, pk=pk, reading=True)
        if not evidence.file:
            return HttpResponseRedirect(evidence.link)
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("Tệp minh chứng không còn trên máy chủ.")) from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.file_name,
            content_type=evidence.content_type or None,
        )


class EvidenceDescribeView(TemplateResponseMixin, View):
    """Which document an evidence is (number, date, issuer, description): for the
    submitting agency while it may edit its report, and for the DIC at any time,
    approved reports included (``services.evidence_describe``)."""

    template_name = "reporting/evidence_describe.html"

    def dispatch(self, request, *args, **kwargs):
        self.evidence = submissions.evidence_get_for_user(user=request.user, pk=kwargs["pk"])
        submission = self.evidence.value.submission
        if not (
            may_review(request.user, submission)
            or (may_edit(request.user, submission) and submission.can_be_edited)
        ):
            refuse(request, "evidence_describe", self.evidence)
        return super().dispatch(request, *args, **kwargs)

    def back(self) -> str:
        wanted = self.request.POST.get("next") or self.request.GET.get("next")
        if wanted and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return wanted
        return self.evidence.value.submission.get_absolute_url()

    def render(self, form, status=200, error=""):
        return self.render_to_response(
            {
                "form": form,
                "evidence": self.evidence,
                "error": error,
                "value": self.evidence.value,
                "back": self.back(),
            },
            status=status,
        )

    def get(self, request, pk):
        return self.render(EvidenceDescribeForm(instance=self.evidence))

    def post(self, request, pk):
        form = EvidenceDescribeForm(request.POST, instance=Evidence.objects.get(pk=self.evidence.pk))
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            services.evidence_describe(evidence=self.evidence, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            return self.render(form, status=error.http_status, error=error.message)
        messages.success(request, _("Đã lưu thông tin văn bản của minh chứng."))
        return HttpResponseRedirect(self.back())


class EvidenceDeleteView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        evidence = submissions.evidence_get_for_user(user=request.user, pk=pk)
        submission = evidence.value.submission
        if not may_edit(request.user, submission):
            refuse(request, "evidence_delete", evidence)
        try:
            services.evidence_delete(evidence=evidence, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(submission.get_absolute_url())
        messages.success(request, _("Đã gỡ minh chứng."))
        return HttpResponseRedirect(reverse("reporting:submission-edit", args=[submission.pk]))


class ProvinceReaderMixin:
    """Pages over a whole province: DIC officers, steering members, administrators."""

    def dispatch(self, request, *args, **kwargs):
        if not user_roles(request.user) & {Role.DIC_OFFICER, Role.STEERING_MEMBER, Role.ADMINISTRATOR}:
            refuse(request, type(self).__name__)
        return super().dispatch(request, *args, **kwargs)


class ReviewQueueView(ProvinceReaderMixin, PortalListView):
    template_name = "reporting/review_queue.html"
    context_object_name = "submissions"

    def get_queryset(self):
        data = self.request.GET.copy()
        if "status" not in data and "overdue" not in data:
            data["status"] = SubmissionStatus.SUBMITTED
        self.filterset, queryset = submissions.review_queue(
            user=self.request.user, filterset_class=SubmissionFilter, data=data
        )
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter=self.filterset, today=timezone.localdate(), **kwargs)
        # The approve-together button only where this page lists a report to approve.
        context["pickable"] = any(s.status == SubmissionStatus.SUBMITTED for s in context["submissions"])
        return context


class CompletenessView(ProvinceReaderMixin, TemplateView):
    """Agencies × periods of a year for one province."""

    template_name = "reporting/completeness.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        provinces = list(Agency.objects.visible_to(user).provinces().order_by("code"))
        province = _chosen(provinces, self.request.GET.get("province"), user_province_id(user))
        years = submissions.period_years(user=user, province_id=province.pk) if province else []
        year = _chosen_year(years, self.request.GET.get("year"))
        asked = self.request.GET.get("year")
        if asked and year is not None and asked != str(year):
            messages.info(
                self.request,
                _("Chưa có kỳ báo cáo năm %(asked)s; đang hiện năm %(year)s.")
                % {
                    "asked": asked[:4],
                    "year": year,
                },
            )
        periods, rows = ([], [])
        if province and year:
            periods, rows = submissions.completeness_grid(
                user=user, province_id=province.pk, year=year, today=timezone.localdate()
            )
        return super().get_context_data(
            provinces=provinces,
            province=province,
            years=years,
            year=year,
            periods=periods,
            rows=rows,
            legend=CellState.choices,
            **kwargs,
        )


def _chosen(options, raw, default_pk):
    by_pk = {str(o.pk): o for o in options}
    return by_pk.get(raw) or by_pk.get(str(default_pk)) or (options[0] if options else None)


def _chosen_year(years, raw):
    if raw and raw.isdigit() and int(raw) in years:
        return int(raw)
    this_year = timezone.localdate().year
    return this_year if this_year in years else (years[0] if years else None)


class PeriodListView(ProvinceReaderMixin, PortalListView):
    """Reporting periods, and opening a year's periods for DIC officers."""

    template_name = "reporting/period_list.html"
    context_object_name = "periods"

    def get_queryset(self):
        return submissions.period_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            open_form=OpenPeriodsForm(initial={"year": timezone.localdate().year}, user=self.request.user),
            can_open=may_review_province(self.request.user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not may_review_province(request.user):
            refuse(request, "periods_open")
        form = OpenPeriodsForm(request.POST, user=request.user)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("reporting:period-list")
        province = form.cleaned_data["province"]
        try:
            report = services.periods_open(
                province=province, year=form.cleaned_data["year"], actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("reporting:period-list")
        if (
            not report.submissions_created
            and not province.reporting_periods.filter(
                year=form.cleaned_data["year"], submissions__isnull=False
            ).exists()
        ):
            messages.warning(
                request,
                _(
                    "Năm %(year)s chưa có đơn vị nào phải báo cáo: hãy phân công cơ quan chủ trì "
                    "(nghĩa vụ báo cáo) "
                    "cho các chỉ tiêu của năm trong trang quản trị, rồi mở lại để tạo báo cáo."
                )
                % {"year": form.cleaned_data["year"]},
            )
        messages.success(
            request,
            _(
                "Năm %(year)s của %(province)s: mở mới %(created)s kỳ, %(existing)s kỳ đã có; tạo "
                "%(submissions)s báo cáo cho các đơn vị có nghĩa vụ báo cáo năm đó."
            )
            % {
                "year": form.cleaned_data["year"],
                "province": province.label,
                "created": len(report.created),
                "existing": len(report.existing),
                "submissions": report.submissions_created,
            },
        )
        return redirect("reporting:period-list")


class ReminderLogView(ProvinceReaderMixin, PortalListView):
    """The reminders and digests decided and sent, newest first."""

    template_name = "reporting/reminder_log.html"
    context_object_name = "reminders"

    def get_queryset(self):
        return submissions.reminder_log(user=self.request.user, kind=self.request.GET.get("kind") or None)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kinds=ReminderKind.choices, kind=self.request.GET.get("kind", ""), **kwargs
        )


class PeriodCompileView(View):
    """Ask for a period's figures (and its year's) to be compiled now."""

    http_method_names = ["post"]

    def post(self, request, pk):
        period = ReportingPeriod.objects.visible_to(request.user).filter(pk=pk).first()
        if period is None:
            raise Http404(_("Không tìm thấy kỳ báo cáo."))
        if not may_review_province(request.user):
            refuse(request, "period_compile", period)
        # Now, in the request: one province's periods compile in well under a second
        # (bench/README.md), and the officer who asks wants the figures at once.
        try:
            for affected in periods_affected_by(period):
                compile_province_rollup(period=affected, trigger=RollupTrigger.MANUAL)
        except DatabaseError:
            logger.exception("manual roll-up of period %s failed", period.pk)
            messages.error(
                request,
                _("Chưa tổng hợp được số liệu %(period)s; lỗi đã được ghi lại, hãy thử lại sau.")
                % {"period": period.name},
            )
        else:
            messages.success(
                request,
                _("Đã tổng hợp số liệu %(period)s lúc %(time)s.")
                % {"period": period.name, "time": timezone.localtime().strftime("%H:%M")},
            )
        return redirect("reporting:period-list")


class NotificationListView(PortalListView):
    template_name = "reporting/notifications.html"
    context_object_name = "notifications"

    def get_queryset(self):
        return submissions.user_notifications(user=self.request.user)

    def post(self, request, *args, **kwargs):
        services.notifications_mark_read(user=request.user)
        return redirect("reporting:notifications")


class NotificationOpenView(View):
    """Open a notification: mark it read and go to its submission."""

    def get(self, request, pk):
        notification = submissions.user_notifications(user=request.user).filter(pk=pk).first()
        if notification is None:
            raise Http404(_("Không tìm thấy thông báo."))
        services.notifications_mark_read(user=request.user, ids=[pk])
        return HttpResponseRedirect(notification.get_absolute_url())
