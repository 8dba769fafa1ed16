"""The reporting API: submissions with their values, and their workflow. Reads go
through ``visible_to`` (periods and province figures through ``readable_by``, which adds
the provinces the user's continues, read-only); every write is one service call, with
the same checks as the pages (a refused actor is a 403, an approved submission or a
stale version a 409)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dti_portal.api_filters import filterset_for
from dti_portal.api_schema import ErrorSerializer

from .. import services
from ..filters import SubmissionApiFilter
from ..models import ProvinceFigure, ReportingPeriod, Submission, TaskProgress
from ..selectors.submissions import submissions_with_value_rows
from .permissions import IsProvinceReader
from .serializers import (
    ProvinceFigureSerializer,
    ReopenInput,
    ReportingPeriodSerializer,
    ReturnInput,
    SaveInput,
    SubmissionSerializer,
    VersionInput,
)

# What a workflow action answers besides the submission and the refusals every
# operation documents (dti_portal.api_schema.AutoSchema).
ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer, description="Bad input, or a submission not complete (``problems``)."
    ),
    403: OpenApiResponse(ErrorSerializer, description="The user may not take this step."),
    409: OpenApiResponse(
        ErrorSerializer, description="Approved, in the wrong state, or changed since ``version``."
    ),
}


class ReportingPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportingPeriodSerializer
    filterset_class = filterset_for(
        ReportingPeriod, province="province", year="year", quarter="quarter", state="state"
    )

    def get_queryset(self):
        return ReportingPeriod.objects.readable_by(self.request.user).order_by(
            "-year", "province_id", "quarter"
        )


class SubmissionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionApiFilter

    def get_queryset(self):
        # Task progress in its model's order, which within one submission is its
        # tasks' (the model's first key, the submission, sorts by period and agency:
        # joins that order nothing here), read with its tasks in one query.
        task_progress = TaskProgress.objects.select_related("task").order_by(
            "task__plan__number", "task__sort_key"
        )
        return (
            Submission.objects.visible_to(self.request.user)
            .select_related("agency", "period")
            .prefetch_related(Prefetch("task_progress", queryset=task_progress))
            .with_deadline()
            .order_by("deadline_on", "agency__code")
        )

    # What is answered carries each submission's values, read as rows for the page (a
    # page of 50 holds 2,000): submissions_with_value_rows. A workflow action's own
    # get_object() does not read them.
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else submissions_with_value_rows(list(page))

    def retrieve(self, request, *args, **kwargs):
        (submission,) = submissions_with_value_rows([self.get_object()])
        return Response(self.get_serializer(submission).data)

    def _act(self, step):
        """Take ``step`` (a service call) and read the submission back in one
        transaction: the answer is never an error for a step that was stored (a
        re-read failing after the commit), nor a success for one that was not."""
        with transaction.atomic():
            submission = step()
            (read,) = submissions_with_value_rows([self.get_queryset().get(pk=submission.pk)])
            return Response(SubmissionSerializer(read).data)

    @extend_schema(request=SaveInput, responses={200: SubmissionSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="save", url_name="save")
    def save_values(self, request, pk=None):
        """Save values and task progress as a draft (``version`` as read)."""
        submission = self.get_object()
        data = SaveInput(data=request.data)
        data.is_valid(raise_exception=True)
        values, tasks = data.changes()
        return self._act(
            lambda: services.submission_save(
                submission=submission,
                actor=request.user,
                version=data.validated_data["version"],
                values=values,
                tasks=tasks,
            )
        )

    def _version(self, request) -> int | None:
        data = VersionInput(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data.get("version")

    @extend_schema(request=VersionInput, responses={200: SubmissionSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        version = self._version(request)
        return self._act(
            lambda: services.submission_submit(
                submission=self.get_object(), actor=request.user, version=version
            )
        )

    @extend_schema(request=ReturnInput, responses={200: SubmissionSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        data = ReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(
            lambda: services.submission_return(
                submission=self.get_object(),
                actor=request.user,
                comment=data.validated_data["comment"],
                value_comments=data.validated_data.get("value_comments"),
                version=data.validated_data.get("version"),
            )
        )

    @extend_schema(request=VersionInput, responses={200: SubmissionSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        version = self._version(request)
        return self._act(
            lambda: services.submission_approve(
                submission=self.get_object(), actor=request.user, version=version
            )
        )

    @extend_schema(request=ReopenInput, responses={200: SubmissionSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        data = ReopenInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(
            lambda: services.submission_reopen(
                submission=self.get_object(),
                actor=request.user,
                reason=data.validated_data["reason"],
                version=data.validated_data.get("version"),
            )
        )


class ProvinceFigureViewSet(viewsets.ReadOnlyModelViewSet):
    """The province figures compiled by the roll-up, for the dashboards' readers."""

    serializer_class = ProvinceFigureSerializer
    permission_classes = [permissions.IsAuthenticated, IsProvinceReader]
    filterset_class = filterset_for(
        ProvinceFigure,
        province="period__province",
        period="period",
        year="period__year",
        quarter="period__quarter",
        indicator="indicator",
        pillar="indicator__pillar",
        status="status",
    )

    def get_queryset(self):
        return (
            ProvinceFigure.objects.readable_by(self.request.user)
            .select_related("indicator", "period", "target__plan")
            .order_by("period__year", "period__quarter", "indicator__code")
        )
