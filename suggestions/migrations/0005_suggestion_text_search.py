"""Trigram indexes for the ledger's text search on title and content (PostgreSQL only).

Chinese is written without spaces, so a word index (to_tsvector) would need a segmenter such as
zhparser or jieba. pg_trgm needs none: it cuts any text into overlapping three-character pieces,
and a GIN index of those pieces serves LIKE '%…%' for any query of three or more characters.

Django's `icontains` on PostgreSQL emits `UPPER("title"::text) LIKE UPPER('%…%')`, so the
indexes are on exactly that expression; an index on the bare column would not be used.

The indexes are not part of the model state (they are plain SQL objects, like an extension), so
SQLite migrates as before and `makemigrations` sees no change. The database's LC_CTYPE must be
a UTF-8 locale (C.UTF-8, zh_CN.UTF-8 …): under plain "C" pg_trgm finds no trigrams in Chinese
and the index, while still correct, serves nothing.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (index name, column): each index is on the very expression `icontains` compares.
INDEXES = [("suggestion_title_trgm", "title"), ("suggestion_content_trgm", "content")]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "suggestions_suggestion" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ("suggestions", "0004_suggestion_reception_day"),
    ]

    operations = [
        # CreateExtension does nothing on other databases.
        TrigramExtension(),
        migrations.RunPython(add_indexes, remove_indexes),
    ]
