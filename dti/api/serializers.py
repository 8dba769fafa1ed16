"""Serializers of the DTI API: the provisional score, read-only, built from
``dti.selectors.dti_score``."""

from __future__ import annotations

from rest_framework import serializers


class DtiScoreQuery(serializers.Serializer):
    """``?province=<id>&year=<yyyy>``: the province defaults to the user's own."""

    province = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Province id (default: the user's province).",
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="The DTI year, e.g. 2024.")


class DtiFigureSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    indicator_code = serializers.CharField()
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=24, decimal_places=6)
    target = serializers.DecimalField(max_digits=24, decimal_places=6, allow_null=True)


class DtiComponentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    rule = serializers.CharField()
    max_points = serializers.DecimalField(max_digits=7, decimal_places=2)
    max_points_provisional = serializers.BooleanField(help_text="Equal share of the main indicator's points.")
    measured_by_ministry = serializers.BooleanField()
    points = serializers.DecimalField(
        max_digits=7, decimal_places=2, allow_null=True, help_text="null: no figure."
    )
    lost = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        allow_null=True,
        help_text="Points short of the maximum; null when the Ministry measures it.",
    )
    published = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    difference = serializers.DecimalField(
        max_digits=7, decimal_places=2, allow_null=True, help_text="Published minus provisional."
    )
    figures = DtiFigureSerializer(many=True)
    past = DtiFigureSerializer(many=True)


class DtiMainSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    group = serializers.CharField()
    max_points = serializers.DecimalField(max_digits=7, decimal_places=2)
    points = serializers.DecimalField(max_digits=9, decimal_places=2)
    scored_max = serializers.DecimalField(
        max_digits=9, decimal_places=2, help_text="The maximum of the components the province reports."
    )
    components = DtiComponentSerializer(many=True)


class DtiScoreSerializer(serializers.Serializer):
    province = serializers.IntegerField()
    province_code = serializers.CharField()
    year = serializers.IntegerField()
    framework = serializers.CharField(allow_null=True, help_text="The decision of the framework applied.")
    index = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        allow_null=True,
        help_text="0–1; null when no component the province reports is scored.",
    )
    points = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    maximum = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        allow_null=True,
        help_text=(
            "The maximum of the components the province reports (in the framework file, the "
            "ministry's own left out): the points the index is computed on."
        ),
    )
    framework_points = serializers.DecimalField(
        max_digits=9, decimal_places=2, allow_null=True, help_text="The framework's total points (1,000)."
    )
    untracked_components = serializers.IntegerField(
        help_text="Components of the decision not in the framework file: in neither the index's points nor "
        "its maximum."
    )
    published_index = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    published_points = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    main_indicators = DtiMainSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField(), help_text="Components without a figure.")

    @staticmethod
    def from_score(result, *, province, year) -> dict:
        """The plain data of ``dti.selectors.DtiScore`` that this serializer writes."""

        def figure(f):
            return {
                "indicator": f.indicator_id,
                "indicator_code": f.indicator.code,
                "year": f.period.year,
                "value": f.value,
                "target": f.target.value if f.target else None,
            }

        mains = {m.code: m for m in result.score.mains} if result.score else {}
        return {
            "province": province.pk,
            "province_code": province.code,
            "year": year,
            "framework": result.framework.decision if result.framework else None,
            "index": result.score.index if result.score else None,
            "points": result.score.points if result.score else None,
            "maximum": result.score.maximum if result.score else None,
            "framework_points": result.framework.max_points if result.framework else None,
            "untracked_components": result.untracked_count,
            "published_index": result.assessment.published_index if result.assessment else None,
            "published_points": result.published_points,
            "main_indicators": [
                {
                    "code": main.code,
                    "name": main.name,
                    "group": main.group,
                    "max_points": main.max_points,
                    "points": mains[main.code].points,
                    "scored_max": mains[main.code].scored_max,
                    "components": [
                        {
                            "code": row.component.code,
                            "name": row.component.name,
                            "rule": row.component.rule,
                            "max_points": row.component.max_points,
                            "max_points_provisional": row.component.points_provisional,
                            "measured_by_ministry": row.component.measured_by_ministry,
                            "points": row.score.points,
                            "lost": None if row.component.measured_by_ministry else row.score.lost,
                            "published": row.published,
                            "difference": row.difference,
                            "figures": [figure(f) for f in row.figures],
                            "past": [figure(f) for f in row.past],
                        }
                        for row in rows
                    ],
                }
                for main, rows in result.rows.items()
            ],
            "missing": [row.component.code for row in result.missing],
        }
