"""PostgreSQL: the account handle compares and sorts by code point (COLLATE "C").

Why: creator search finds a handle prefix as the range ``handle >= 'emma' AND handle <
'emma' || U+10FFFF`` on the (workspace, handle, id) index. Under code-point order that range is
exactly the handles starting with 'emma'; under a linguistic collation (en_US.UTF-8, ICU)
punctuation is ignored at first and e.g. 'em.ma' falls inside it, so the search had to test
``starts_with`` on every row as well (0.14 ms of a 0.9 ms search). Code-point order is also
SQLite's (BINARY), so "sort by handle" now gives the same order on both databases. Handles are
identifiers (letters, digits, dots, underscores), not prose, so nothing is lost.

The column type is unchanged; PostgreSQL rebuilds the indexes on the column. SQLite already
compares by code point (and has no "C" collation): nothing to do there.
``test_given_a_migrated_database_then_every_search_index_is_there`` checks the collation, since a
later AlterField of ``handle`` would reset it.
"""

from django.db import migrations

TABLE = "creators_socialaccount"
# 0012's trigger names the column (UPDATE OF handle, ...), and PostgreSQL refuses to change the
# type of a column a trigger names: drop it, change the column, create it again (same statement)
TRIGGER = "creators_account_search_document"
CREATE_TRIGGER = (
    f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF handle, bio, recent_captions "
    f"ON {TABLE} FOR EACH ROW EXECUTE FUNCTION creators_account_search_document()"
)


# The trigger function's document (0012) joins the handle with bio and captions: with the
# handle in "C", the joined text would be "C" too, where [:alnum:] knows no accented letters
# ("Café" would become "Caf"); so the function reads the handle in the database's collation.
FUNCTION = (
    "CREATE OR REPLACE FUNCTION creators_account_search_document() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN NEW.search_document := to_tsvector('simple'::regconfig, "
    "regexp_replace(NEW.handle{collate} || ' ' || NEW.bio || ' ' || NEW.recent_captions, "
    "'[^[:alnum:]]+', ' ', 'g')); RETURN NEW; END $$"
)


def _collate(schema_editor, collation: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}")
    schema_editor.execute(
        f'ALTER TABLE {TABLE} ALTER COLUMN handle TYPE varchar(100) COLLATE "{collation}"'
    )
    schema_editor.execute(FUNCTION.format(collate=' COLLATE "default"' if collation == "C" else ""))
    schema_editor.execute(CREATE_TRIGGER)


def to_code_points(apps, schema_editor):
    _collate(schema_editor, "C")


def to_default(apps, schema_editor):
    _collate(schema_editor, "default")


class Migration(migrations.Migration):
    dependencies = [("creators", "0014_credential_refresh_token")]

    operations = [migrations.RunPython(to_code_points, to_default)]
