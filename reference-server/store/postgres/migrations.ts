import type pg from 'pg';

/**
 * The schema, as numbered steps applied in order and recorded in scim_migrations. A step is
 * never edited once released: a change is a new step. Steps run in one transaction under an
 * advisory lock, so that instances starting together apply each exactly once.
 */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    // Lookup keys are SHA-256 digests of the (lower-cased) values: a B-tree entry has a size limit
    // (~2.7 kB) that a userName may exceed, a digest never does. `doc` is `json`, not `jsonb`, so
    // the attributes keep the order the client gave them.
    sql: `
      CREATE TABLE scim_resources (
        id text PRIMARY KEY,
        type text NOT NULL CHECK (type IN ('User', 'Group')),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        version text,
        user_name_key text,
        external_id_key text,
        display_name_key text,
        display_name json,
        doc json NOT NULL
      );
      CREATE UNIQUE INDEX scim_resources_user_name ON scim_resources (user_name_key) WHERE type = 'User';
      CREATE INDEX scim_resources_type_seq ON scim_resources (type, seq);
      CREATE INDEX scim_resources_external_id ON scim_resources (type, external_id_key);
      CREATE INDEX scim_resources_display_name ON scim_resources (type, display_name_key);
      CREATE TABLE scim_members (
        group_id text NOT NULL REFERENCES scim_resources (id) ON DELETE CASCADE,
        member_id text NOT NULL REFERENCES scim_resources (id),
        PRIMARY KEY (group_id, member_id)
      );
      CREATE INDEX scim_members_member ON scim_members (member_id);
    `,
  },
];

/** Any number fits, as long as every instance uses the same: pg_advisory_xact_lock's key for migrating. */
const MIGRATION_LOCK = 7_243_106_011;

/** Creates or upgrades the schema; returns the versions it applied (none when up to date). */
export async function migrate(client: pg.ClientBase): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS scim_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM scim_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const newest = Math.max(0, ...applied);
    const known = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    if (newest > known) {
      throw new Error(`the database's scimulator schema is version ${newest}, newer than this scimulator knows (${known}): upgrade scimulator, or use another database`);
    }
    const done: number[] = [];
    for (const step of MIGRATIONS) {
      if (applied.has(step.version)) continue;
      await client.query(step.sql);
      await client.query('INSERT INTO scim_migrations (version) VALUES ($1)', [step.version]);
      done.push(step.version);
    }
    await client.query('COMMIT');
    return done;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
