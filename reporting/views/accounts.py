"""Accounts: "Quên mật khẩu" (Django's password reset, in Vietnamese, limited per
address and per computer, answering alike whether or not an address has an account)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy

from assignments.services import TooManyResetRequests, password_reset_request
from dti_portal.security import client_ip_address


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
