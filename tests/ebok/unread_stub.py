"""Stands in for the cases app's context processor in the start page test."""


def unread(request):
    return {"unread_case_messages": 3}
