from .models import user_roles


def portal_user(request) -> dict:
    """The user's roles and agency, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    profile = getattr(user, "profile", None)
    return {"portal_roles": user_roles(user), "portal_agency": profile.agency if profile else None}
