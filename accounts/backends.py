"""The password backend, loading a customer's Customer with the user."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model


class UserWithCustomerBackend(ModelBackend):
    """Django's ModelBackend, but the user of each request comes with their Customer in one query:
    every customer page reads ``request.user.customer`` (``@customer_required``).

    The query is written once per process (``_UserQuery``): building it through the ORM on every
    request cost more CPU than anything else a page served from the page cache does (bench/).
    """

    def get_user(self, user_id):
        user = _UserQuery.get().load(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


@dataclass(frozen=True)
class _UserQuery:
    """``User.objects.select_related("customer").get(pk=...)``, with its SQL made once: the same
    columns, the same join, the same conversions of database values, the same cached relations."""

    sql: str
    user_fields: list[Field]
    customer_fields: list[Field]
    converters: list[tuple[list, object]]  # per column: (converter functions, expression)

    @staticmethod
    @functools.cache
    def get(alias: str = DEFAULT_DB_ALIAS) -> _UserQuery:
        user_model = get_user_model()
        customer_model = user_model._meta.get_field("customer").related_model
        connection = connections[alias]
        qn = connection.ops.quote_name
        users, customers = user_model._meta.db_table, customer_model._meta.db_table
        user_fields = list(user_model._meta.concrete_fields)
        customer_fields = list(customer_model._meta.concrete_fields)
        columns = [(users, f) for f in user_fields] + [(customers, f) for f in customer_fields]
        converters = []
        for table, field in columns:
            column = field.get_col(table)
            converters.append((connection.ops.get_db_converters(column) + column.get_db_converters(connection), column))
        select = ", ".join(f"{qn(table)}.{qn(field.column)}" for table, field in columns)
        link = f"{qn(users)}.{qn(user_model._meta.get_field('customer').column)}"
        # Table and column names come from the models and are quoted; the user id is a parameter.
        sql = (
            f"SELECT {select} FROM {qn(users)} LEFT OUTER JOIN {qn(customers)} "  # noqa: S608
            f"ON ({link} = {qn(customers)}.{qn(customer_model._meta.pk.column)}) "
            f"WHERE {qn(users)}.{qn(user_model._meta.pk.column)} = %s"
        )
        return _UserQuery(sql, user_fields, customer_fields, converters)

    def load(self, user_id, alias: str = DEFAULT_DB_ALIAS) -> Model | None:
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for i, (functions, expression) in enumerate(self.converters):
            for convert in functions:
                values[i] = convert(values[i], expression, connection)
        split = len(self.user_fields)
        user = user_model.from_db(alias, [f.attname for f in self.user_fields], values[:split])
        link = user_model._meta.get_field("customer")
        customer = None
        if user.customer_id is not None:
            customer = link.related_model.from_db(alias, [f.attname for f in self.customer_fields], values[split:])
            link.remote_field.set_cached_value(customer, user)
        link.set_cached_value(user, customer)
        return user
