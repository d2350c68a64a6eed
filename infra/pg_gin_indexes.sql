-- GIN indexes so that FerretDB 1.24's finds by `_id` use an index (local stack only; run by
-- `infra/stack.sh up` and `infra/stack.sh indexes`; idempotent).
--
-- Why (FerretDB issue 4646): FerretDB pushes an equality filter down as a JSONB containment test,
--   SELECT _jsonb FROM "<db>"."<table>" WHERE _jsonb->$1 @> $2      -- $1 = '_id', $2 = '"abc"'
-- (internal/backends/postgresql/query.go, filterEqual). Its own `_id_` index is a B-tree on
-- ((_jsonb->'_id')), which serves `=` (its UPDATE/DELETE by _id) but not `@>`, so every find_one by
-- _id scans the whole table. A GIN index on the same expression serves `@>`; jsonb_path_ops is
-- the smaller opclass and supports exactly that operator.
--
-- Where: each FerretDB database is a PostgreSQL schema holding a table `_ferretdb_database_metadata`
-- whose rows are the collections, `_jsonb->>'table'` naming the collection's table
-- (internal/backends/postgresql/metadata/registry.go). Collections created later: the event trigger below.
DO $$
DECLARE
  db record;
  tbl text;
BEGIN
  FOR db IN
    SELECT table_schema FROM information_schema.tables WHERE table_name = '_ferretdb_database_metadata'
  LOOP
    FOR tbl IN
      EXECUTE format('SELECT _jsonb->>''table'' FROM %I._ferretdb_database_metadata', db.table_schema)
    LOOP
      BEGIN
        EXECUTE format(
          'CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb->''_id'') jsonb_path_ops)',
          -- table names are unique within a schema and at most 63 bytes, as index names must be
          left(tbl, 48) || '_' || left(md5(tbl), 6) || '_idgin',
          db.table_schema,
          tbl
        );
      EXCEPTION WHEN undefined_table THEN
        NULL; -- the collection was dropped meanwhile
      END;
    END LOOP;
  END LOOP;
END
$$;

-- Collections created later (each test's and benchmark's database, a service's first start) get
-- the same index at once: an event trigger adds it in the transaction that creates the table.
CREATE OR REPLACE FUNCTION ferretdb_id_gin_index() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  created record;
BEGIN
  FOR created IN
    SELECT c.relname AS tbl, n.nspname AS schema_name
    FROM pg_event_trigger_ddl_commands() AS d
    JOIN pg_class AS c ON c.oid = d.objid
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE d.command_tag = 'CREATE TABLE' AND d.object_type = 'table'
      AND c.relname <> '_ferretdb_database_metadata'
      AND EXISTS (SELECT 1 FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = '_jsonb')
  LOOP
    EXECUTE format(
      'CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb->''_id'') jsonb_path_ops)',
      left(created.tbl, 48) || '_' || left(md5(created.tbl), 6) || '_idgin',
      created.schema_name,
      created.tbl
    );
  END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS ferretdb_id_gin_index;
CREATE EVENT TRIGGER ferretdb_id_gin_index ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
  EXECUTE FUNCTION ferretdb_id_gin_index();
