"""Accounts: the DIC's list of the province's accounts and of the agencies that lack
one, a new account in one page with an invitation to set its password, and "Quên mật
khẩu" (Django's password reset, in Vietnamese, limited per address and per computer,
answering alike whether or not an address has an account)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from assignments.choices import Role
from assignments.selectors import accounts_visible_to, latest_obligation_year, reporting_gaps
from assignments.services import (
    TooManyResetRequests,
    account_invitation_send,
    account_invite,
    password_reset_request,
)
from dti_portal.errors import DomainError
from dti_portal.security import client_ip_address
from indicators.views import PortalListView

from ..forms import AccountForm
from .dashboards import DicOnlyMixin


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        try:
            may_send = password_reset_request(
                email=form.cleaned_data["email"], ip_address=client_ip_address(self.request) or None
            )
        except TooManyResetRequests as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        if not may_send:
            return HttpResponseRedirect(self.get_success_url())  # no email, the same answer
        # Links are built on the portal's own address, never on the request's Host.
        self.extra_email_context = {"base_url": settings.PORTAL_BASE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs):
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        return {**super().get_context_data(**kwargs), "timeout_hours": hours}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class AccountListView(DicOnlyMixin, PortalListView):
    """The province's accounts, and the agencies that must report this year but have
    no data-entry account or no address for reminders, each with a link to add one."""

    template_name = "reporting/accounts/list.html"
    context_object_name = "accounts"

    def get_queryset(self):
        return accounts_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        year = latest_obligation_year(user=self.request.user, today=timezone.localdate())
        return super().get_context_data(
            year=year, gaps=list(reporting_gaps(user=self.request.user, year=year)), **kwargs
        )


class AccountCreateView(DicOnlyMixin, FormView):
    template_name = "reporting/accounts/create.html"
    form_class = AccountForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"agency": self.request.GET.get("agency")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            profile = account_invite(
                actor=self.request.user,
                full_name=data["full_name"],
                email=data["email"],
                agency=data["agency"],
                role=Role(data["role"]),
                position=data["position"],
                phone=data["phone"],
            )
        except DomainError as refused:
            form.add_error("email" if refused.code == "duplicate_email" else None, refused.message)
            return self.form_invalid(form)
        _tell_invitation(self.request, profile.user)
        return redirect("reporting:accounts")


class AccountInviteView(DicOnlyMixin, View):
    """Send the invitation again (a link expired, an address corrected), for an account
    that has not set its password yet."""

    http_method_names = ["post"]

    def post(self, request, pk):
        user = get_object_or_404(accounts_visible_to(request.user), pk=pk)
        if user.has_usable_password():
            messages.info(request, _("%(name)s đã đặt mật khẩu: không cần thư mời.") % {"name": user.email})
        else:
            _tell_invitation(request, user)
        return redirect("reporting:accounts")


def _tell_invitation(request, user) -> None:
    if account_invitation_send(user=user):
        messages.success(request, _("Đã gửi thư mời đặt mật khẩu tới %(email)s.") % {"email": user.email})
    else:
        messages.warning(
            request,
            _("Đã lưu tài khoản %(email)s, chưa gửi được thư mời: bấm “Gửi lại thư mời” sau ít phút.")
            % {"email": user.email},
        )
