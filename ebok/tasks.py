"""Background tasks run by `manage.py db_worker` (django-tasks, database backend)."""

from django_tasks import task

from ebok import mail


@task()
def deliver_email(email_id: int) -> bool:
    return mail.deliver(email_id)
