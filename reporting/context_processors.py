from . import selectors


def notifications(request) -> dict:
    """The unread count shown on the navbar bell; one query per page."""
    return {"unread_notifications": selectors.unread_notification_count(user=request.user)}
