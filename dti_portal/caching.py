"""Pages kept in Django's cache (Redis in production, local memory embedded) under a
key made of everything they read, so that a change shows at once: a new state of
what a page reads is a new key, and nothing is ever deleted or invalidated.

A key is read before the data it stands for: a change committed between the two
then stores fresh data under the old key (harmless), never old data under the new
one. What the keys are made of:

- ``catalogue_stamp()``: the catalogue's last change, the newest history row of each
  catalogue model (``CATALOGUE_APPS``, ``CATALOGUE_MODELS``). Every save, delete and
  many-to-many change of those models writes a history row (django-simple-history;
  the services' bulk writes use its ``bulk_*_with_history``), so any edit moves it.
- what the page's app derives: the counts of committed compiles of the province's
  figures and of committed approvals and reopenings (``reporting.models.ChangeCount``:
  counted in commit order, where the newest row's id or time is not, so a run or an
  approval that began first and committed last still moves the key). The catalogue
  stamp still has that weakness: two catalogue edits committed in the other order
  than they wrote their history rows, with a page drawn in between, keep it; the
  bulk history writes send no signal a count could follow.
- ``visibility(user)``: the provinces the user reads, whether they review, and their
  own province (whose DIC the pages name);
- the language, the day, ``release()`` (a deployment's code and templates) and the
  settings the pages show (``PAGE_SETTINGS``), which a restart may change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import connection
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from indicators.access import user_province_id, user_sees_all_provinces
from indicators.models import readable_province_ids
from reporting.access import may_review_province

# The catalogue: every model of these apps (indicators, plans, targets, agencies and
# their successions, the DTI frameworks, assessments and published scores) ...
CATALOGUE_APPS = ("indicators", "dti")
# ... and these of other apps, which the dashboards read beside the roll-up's figures.
CATALOGUE_MODELS = (
    "assignments.IndicatorAssignment",
    "assignments.TaskAssignment",
    "assignments.ReportingObligation",
    "reporting.ReportingPeriod",
)
# The settings a cached page shows or computes with: a restart with another value must
# not serve the pages written with the old one.
PAGE_SETTINGS = ("ROLLUP_COVERAGE_THRESHOLD", "RANKING_WEIGHTS")
# How long an unused page stays: its key changes with what it reads, so this only
# bounds the memory of pages nobody asks for again.
PAGE_SECONDS = 24 * 3600


def catalogue_models() -> list[type[Model]]:
    """The catalogue's models, each with its history model."""
    models = [
        model
        for label in CATALOGUE_APPS
        for model in apps.get_app_config(label).get_models()
        if not hasattr(model, "instance_type")  # a history model itself
    ]
    return models + [apps.get_model(label) for label in CATALOGUE_MODELS]


@cache
def _history_columns() -> tuple[tuple[str, str], ...]:
    """Each catalogue history table and its key, which grows with every row."""
    histories = [model.history.model._meta for model in catalogue_models()]
    return tuple((meta.db_table, meta.pk.column) for meta in histories)


def catalogue_stamp() -> tuple:
    """The newest history row of each catalogue model: one query of index lookups."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({quote(key)}) FROM {quote(table)})" for table, key in _history_columns()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # noqa: S608 - table names from the models
        return tuple(cursor.fetchone())


def visibility(user) -> tuple:
    """What of a page depends on who reads it: the provinces they read (all, or the
    list), whether they review the province's reports (the DIC's links), and their own
    province, whose DIC the pages name (two administrators both read all provinces)."""
    provinces = "all" if user_sees_all_provinces(user) else tuple(sorted(readable_province_ids(user)))
    return provinces, may_review_province(user), user_province_id(user)


@cache
def release() -> str:
    """This deployment's code, templates and translations: the size and time of each
    of their files, so that a new release never serves a page the old one wrote."""
    root = Path(settings.BASE_DIR)
    folders = [Path(app.path) for app in apps.get_app_configs() if Path(app.path).is_relative_to(root)]
    files = sorted(
        {path for folder in folders for path in folder.rglob("*.py")}
        | set((root / "templates").rglob("*.html"))
        | set((root / "locale").rglob("*.mo"))
    )
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def page_key(name: str, parts: Iterable) -> str:
    """The cache key of page part ``name`` for ``parts`` (stamps, filters, visibility),
    with the language, the day, the release and the settings pages show."""
    shown = tuple(getattr(settings, name) for name in PAGE_SETTINGS)
    everything = (release(), translation.get_language(), timezone.localdate(), shown, *parts)
    return f"page:{name}:{hashlib.sha256(repr(everything).encode()).hexdigest()}"


def cached_page(key: str, render: Callable[[], str]) -> SafeString:
    """The HTML kept under ``key``, rendered by ``render()`` and kept when missing."""
    html = django_cache.get(key)
    if html is None:
        html = render()
        django_cache.set(key, html, PAGE_SECONDS)
    return mark_safe(html)  # noqa: S308 - HTML the portal's own templates wrote
