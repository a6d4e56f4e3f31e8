"""Background work of accounts, run by `manage.py db_worker` (django-tasks, database backend)."""

from django_tasks import task

from accounts import services


@task()
def password_reset_task(attempt_id: int) -> bool:
    """Look up a reset request's number and mail its link (accounts.services.send_password_reset)."""
    return services.send_password_reset(attempt_id=attempt_id)
