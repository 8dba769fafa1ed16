"""The DTI API: the provisional score of a province for a year."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, views
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from dti_portal.api_schema import ErrorSerializer
from indicators.access import user_province_id
from indicators.models import Agency
from reporting.api.permissions import IsProvinceReader

from .. import selectors
from .serializers import DtiScoreQuery, DtiScoreSerializer

__all__ = ["DtiScoreView"]


class DtiScoreView(views.APIView):
    """The provisional DTI score of a province for a year, as on the page *Điểm DTI
    tạm tính*: the index, each main indicator's and component's points, the figures
    they come from (and earlier years'), and the ministry's published points with the
    difference once entered. For the dashboards' readers; the province defaults to the
    user's own, another province is a 404 unless the user sees all provinces."""

    permission_classes = [permissions.IsAuthenticated, IsProvinceReader]

    @extend_schema(
        parameters=[DtiScoreQuery],
        responses={
            200: DtiScoreSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A bad year or province."),
            404: OpenApiResponse(ErrorSerializer, description="No such province visible to the user."),
        },
    )
    def get(self, request):
        query = DtiScoreQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        province_id = query.validated_data.get("province") or user_province_id(request.user)
        province = Agency.objects.readable_by(request.user).provinces().filter(pk=province_id).first()
        if province is None:
            raise NotFound("Không tìm thấy tỉnh hoặc bạn không có quyền xem.")
        year = query.validated_data["year"]
        result = selectors.dti_score(province=province, year=year)
        return Response(
            DtiScoreSerializer(DtiScoreSerializer.from_score(result, province=province, year=year)).data
        )
