// PostgreSQL state for several bot instances: the same schema as SQLite; work is claimed row by row
// with FOR UPDATE SKIP LOCKED, so two instances never take the same series or reply.
import pg from 'pg';
import { SqlStore, type Database as Db, type Driver, type Row } from './sql-store.ts';

/** `?` placeholders to `$1, $2, ...` (the shared statements never hold a literal question mark). */
function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

function driverOf(client: pg.Pool | pg.PoolClient): Driver {
  return {
    all: async (sql, params = []) => (await client.query(numbered(sql), params)).rows as Row[],
    run: async (sql, params = []) => (await client.query(numbered(sql), params)).rowCount ?? 0,
  };
}

export function openPostgresStore(connectionString: string): SqlStore {
  const pool = new pg.Pool({ connectionString, max: 4 });
  pool.on('error', () => {}); // an idle client's lost connection is reported on its next query
  const db: Db = {
    kind: 'postgres',
    ...driverOf(pool),
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(driverOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    // Two instances starting together must not both create the tables.
    lockSchema: async (d) => {
      await d.all('SELECT pg_advisory_xact_lock(7482910365)');
    },
    skipLocked: 'FOR UPDATE SKIP LOCKED',
    blob: 'BYTEA',
    close: () => pool.end(),
  };
  return new SqlStore(db);
}
