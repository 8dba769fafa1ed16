from django.utils.functional import SimpleLazyObject

from .access import user_province_id
from .institutions import GENERIC
from .selectors import institution_names


def institutions(request) -> dict:
    """``institutions``: the names in force today of the user's province's DIC and
    ministry (the generic wording for a user without a province). One query, on the
    first use in a page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"institutions": GENERIC}
    return {"institutions": SimpleLazyObject(lambda: institution_names(province_id=user_province_id(user)))}
