// SQLite state: one file, created and migrated on first run; one bot instance at a time writes it
// (transactions take the write lock up front, so a second process waits instead of interleaving).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SqlStore, type Database as Db, type Driver, type Row } from './sql-store.ts';

export function openSqliteStore(file: string): SqlStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL'); // a recorded intent survives power loss, not only a crash
  sqlite.pragma('busy_timeout = 10000');
  const toParams = (params: unknown[]): unknown[] => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
  const driver: Driver = {
    all: async (sql, params = []) => sqlite.prepare(sql).all(...toParams(params)) as Row[],
    run: async (sql, params = []) => sqlite.prepare(sql).run(...toParams(params)).changes,
  };
  let depth = 0;
  const db: Db = {
    kind: 'sqlite',
    ...driver,
    async tx(fn) {
      // The bot runs one statement sequence at a time per connection, so a plain BEGIN/COMMIT around
      // an async body cannot interleave with another transaction of this process.
      if (depth > 0) return fn(driver);
      depth++;
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(driver);
        sqlite.exec('COMMIT');
        return result;
      } catch (error) {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
        throw error;
      } finally {
        depth--;
      }
    },
    lockSchema: async () => {},
    skipLocked: '',
    blob: 'BLOB',
    close: async () => {
      sqlite.close();
    },
  };
  return new SqlStore(db);
}
