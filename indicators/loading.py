"""Loading reference data from files: create a row, or update only what differs, so
that loading the same file twice writes nothing (and adds no history row)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import models


@dataclass
class LoadReport:
    """What a load wrote, per model: ``created`` and ``updated`` rows."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


def upsert(model: type[models.Model], report: LoadReport, lookup: dict, values: dict):
    """Create the row, or update only the fields that differ, so that a second load
    writes nothing (and adds no history row)."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean(validate_unique=False, validate_constraints=False)
        instance.save()
        report.created[model.__name__] += 1
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.full_clean(validate_unique=False, validate_constraints=False)
        instance.save()
        report.updated[model.__name__] += 1
    return instance
