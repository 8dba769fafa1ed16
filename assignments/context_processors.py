from .choices import Role
from .models import user_roles


def portal_user(request) -> dict:
    """The user's roles and agency, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    profile = getattr(user, "profile", None)
    roles = user_roles(user)
    return {
        "portal_roles": roles,
        "portal_agency": profile.agency if profile else None,
        # DIC officers, steering members and administrators follow the whole province.
        "portal_reviews": bool(roles - {Role.DEPARTMENT_STAFF}),
    }
