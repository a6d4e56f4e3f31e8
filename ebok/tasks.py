"""Background tasks run by `manage.py db_worker` (django-tasks, database backend)."""

from django_tasks import task

from ebok import mail


@task()
def deliver_email(email_id: int) -> bool:
    return mail.deliver(email_id)


@task()
def deliver_emails(email_ids: list[int]) -> int:
    """Deliver a batch queued by ``mail.send_many``; returns how many went out."""
    return sum(1 for email_id in email_ids if mail.deliver(email_id))
