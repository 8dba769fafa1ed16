from .access import may_review_province
from .selectors import submissions


def notifications(request) -> dict:
    """The unread count shown on the navbar bell (one query per page), and whether the
    user reviews reports (the DIC's links)."""
    return {
        "unread_notifications": submissions.unread_notification_count(user=request.user),
        "portal_can_review": may_review_province(request.user),
    }
