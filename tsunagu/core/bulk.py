"""Inserting many new rows fast, for imports at the size of a prefecture.

Django's ``bulk_create`` compiles every value of every row into SQL, in batches SQLite limits
to 999 parameters; a hundred thousand directory entries took minutes. ``insert`` gives the rows
their primary keys first (from PostgreSQL's sequence, or past SQLite's largest key while the
transaction holds SQLite's one write lock) and sends them with PostgreSQL's COPY or one
SQLite ``executemany`` per batch, each value prepared by its own model field as Django
would. No signals are sent; history is the caller's (tsunagu.core.history.bulk_create_as).
"""

from django.db import connection, connections, transaction

BATCH = 2000


def insert(model, objs: list) -> list:
    """Insert ``objs``, new instances of ``model``, giving each its primary key; returns them.

    Raises TransactionManagementError outside a transaction (the keys are reserved in it)."""
    if not objs:
        return objs
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("bulk.insert needs a transaction.")
    _give_keys(model, objs)
    fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
    wrapper = connections[connection.alias]  # the connection itself, not its proxy: faster
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), wrapper) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: the fastest way in, by far
            copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start : start + BATCH])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def _give_keys(model, objs: list) -> None:
    table, column = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, len(objs)],
            )
            keys = [row[0] for row in cursor.fetchall()]
        else:  # SQLite: past both the largest key and AUTOINCREMENT's high-water mark
            cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608 - names from the model
            largest = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            first = max(largest, found[0] if found else 0) + 1
            keys = range(first, first + len(objs))
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
