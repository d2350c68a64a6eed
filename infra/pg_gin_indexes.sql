-- GIN twins of FerretDB 1.24's indexes, so that its finds by equality (by `_id`, and by any indexed
-- field such as the orders' `next_ship` date bucket) use an index. Local stack only; run by
-- `infra/stack.sh up` and `infra/stack.sh indexes`; idempotent.
--
-- Why (FerretDB issue 4646): FerretDB pushes an equality filter down as a JSONB containment test,
--   SELECT _jsonb FROM "<db>"."<table>" WHERE _jsonb->$1 @> $2      -- $1 = 'next_ship', $2 = '"2027-02-01"'
-- (internal/backends/postgresql/query.go, filterEqual). The indexes it creates are B-trees on
-- ((_jsonb->'<field>')), which serve `=` (its UPDATE/DELETE by _id) but not `@>`, so every find
-- scans the whole table. A GIN index on the same expression serves `@>`; jsonb_path_ops is the
-- smaller opclass and supports exactly that operator.
--
-- Where: each FerretDB database is a PostgreSQL schema holding a table `_ferretdb_database_metadata`
-- (internal/backends/postgresql/metadata/registry.go); its collections are the other tables there.

-- For each key `_jsonb -> '<field>'` (or a dotted path) of one of FerretDB's B-tree indexes, a GIN
-- index on the same expression. A GIN index, or an index outside FerretDB's schemas, is left alone.
CREATE OR REPLACE FUNCTION ferretdb_gin_twins(btree oid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  idx record;
  key_expr text;
  n int;
BEGIN
  SELECT i.indnatts AS keys, t.relname AS tbl, ns.nspname AS schema_name INTO idx
  FROM pg_index AS i
  JOIN pg_class AS ic ON ic.oid = i.indexrelid
  JOIN pg_am AS am ON am.oid = ic.relam
  JOIN pg_class AS t ON t.oid = i.indrelid
  JOIN pg_namespace AS ns ON ns.oid = t.relnamespace
  WHERE i.indexrelid = btree AND am.amname = 'btree' AND t.relname <> '_ferretdb_database_metadata'
    AND EXISTS (SELECT 1 FROM pg_class AS m WHERE m.relnamespace = ns.oid AND m.relname = '_ferretdb_database_metadata');
  IF NOT FOUND THEN
    RETURN;
  END IF;
  FOR n IN 1 .. idx.keys LOOP
    key_expr := pg_get_indexdef(btree, n, false);
    CONTINUE WHEN key_expr NOT LIKE '%\_jsonb%';
    EXECUTE format(
      'CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((%s) jsonb_path_ops)',
      -- table names are unique within a schema and at most 63 bytes, as index names must be
      left(idx.tbl, 40) || '_' || left(md5(idx.tbl || key_expr), 8) || '_gin',
      idx.schema_name,
      idx.tbl,
      key_expr
    );
  END LOOP;
END
$$;

-- The indexes that exist now.
DO $$
DECLARE
  btree oid;
BEGIN
  FOR btree IN SELECT indexrelid FROM pg_index LOOP
    BEGIN
      PERFORM ferretdb_gin_twins(btree);
    EXCEPTION WHEN undefined_table OR undefined_object THEN
      NULL; -- its collection was dropped meanwhile
    END;
  END LOOP;
END
$$;

-- The indexes FerretDB creates later (each new collection's `_id` index, every create_index of the
-- services, each test's and benchmark's database): twinned in the transaction that creates them.
CREATE OR REPLACE FUNCTION ferretdb_gin_twins_on_create() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  created oid;
BEGIN
  FOR created IN
    SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' AND object_type = 'index'
  LOOP
    PERFORM ferretdb_gin_twins(created);
  END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS ferretdb_gin_twins_on_create;
CREATE EVENT TRIGGER ferretdb_gin_twins_on_create ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION ferretdb_gin_twins_on_create();
