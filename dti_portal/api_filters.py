"""Plain filter names for the API (``province``, ``pillar``, ``year`` …) over the
lookups each model needs to reach them."""

from __future__ import annotations

import django_filters

MAX_ID = 2**63 - 1


def filterset_for(model, **lookups: str) -> type[django_filters.FilterSet]:
    """A FilterSet of ``model`` whose filters are named by the keys of ``lookups`` and
    look up their values (ids, numbers or choice values); a bad value is a 400."""
    attrs = {}
    for name, lookup in lookups.items():
        field = model._meta.get_field(lookup.split("__")[0])
        for part in lookup.split("__")[1:]:
            field = field.related_model._meta.get_field(part)
        if field.is_relation or field.get_internal_type() in ("AutoField", "BigAutoField"):
            # Bounded: an id beyond 64 bits is a 400, not an overflow in the database.
            attrs[name] = django_filters.NumberFilter(field_name=lookup, min_value=1, max_value=MAX_ID)
        elif field.choices:
            attrs[name] = django_filters.ChoiceFilter(field_name=lookup, choices=field.choices)
        elif field.get_internal_type() in (
            "PositiveSmallIntegerField",
            "IntegerField",
            "PositiveIntegerField",
        ):
            attrs[name] = django_filters.NumberFilter(field_name=lookup, min_value=0, max_value=32767)
        elif field.get_internal_type() == "BooleanField":
            attrs[name] = django_filters.BooleanFilter(field_name=lookup)
        else:
            attrs[name] = django_filters.CharFilter(field_name=lookup)
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}ApiFilter", (django_filters.FilterSet,), {**attrs, "Meta": meta})
