from cases.selectors import unread_count


def unread(request) -> dict:
    """``unread_case_messages`` for any page (the start page shows it); shares the badge's one query."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and getattr(user, "customer_id", None)):
        return {"unread_case_messages": 0}
    return {"unread_case_messages": unread_count(request)}
