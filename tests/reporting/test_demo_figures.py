"""The demo's figures (issue 19): `load_demo_figures` fills, sends and approves a
quarter through the workflow's services and compiles it, and refuses to run where
DEBUG is off (a real province's database)."""

import pytest
from django.core.management import CommandError, call_command

from reporting.models import ProvinceFigure, Submission, SubmissionEvent

pytestmark = pytest.mark.django_db


def test_refused_unless_debug(settings, world):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="chỉ chạy khi DEBUG bật"):
        call_command("load_demo_figures", province="BG", year=2024, editor="quantri", reviewer="sotttt")
    assert not Submission.objects.filter(status="approved").exists()


def test_a_quarter_is_sent_approved_and_compiled(settings, world, admin_user_portal, capsys):
    settings.DEBUG = True
    call_command(
        "load_demo_figures", province="BG", year=2024, quarter=1, editor="quantri", reviewer="sotttt"
    )
    first = Submission.objects.filter(period__year=2024, period__quarter=1)
    assert first.count() == 3 and set(first.values_list("status", flat=True)) == {"approved"}
    # Through the services: each sent and approved once, by whom the command names.
    assert SubmissionEvent.objects.filter(action="submit", actor=admin_user_portal).count() == 3
    assert SubmissionEvent.objects.filter(action="approve", actor=world["dic_user"]).count() == 3
    assert ProvinceFigure.objects.filter(period__quarter=1, value__isnull=False).exists()
    assert not Submission.objects.filter(period__quarter=2, status="approved").exists()
    assert "3 báo cáo quý 1/2024 của BG đã nhập, gửi và duyệt." in capsys.readouterr().out
    # Again: nothing left to do, nothing doubled.
    call_command(
        "load_demo_figures", province="BG", year=2024, quarter=1, editor="quantri", reviewer="sotttt"
    )
    assert SubmissionEvent.objects.filter(action="approve").count() == 3
