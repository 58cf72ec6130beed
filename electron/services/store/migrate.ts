import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  /** SQL script, or a function for data migrations; runs inside one transaction with the version bump. */
  up: string | ((db: Database) => void);
}

export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`database schema version ${found} is newer than this app knows (${known}); update the app`);
    this.name = 'SchemaTooNewError';
  }
}

/** A migration threw: it and its version bump were rolled back, so the database is as it was before it. */
export class MigrationFailedError extends Error {
  constructor(
    readonly version: number,
    readonly migrationName: string,
    cause: unknown,
  ) {
    super(`migration ${version} (${migrationName}) failed: ${(cause as Error).message}`, { cause });
    this.name = 'MigrationFailedError';
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the pending migrations in order; each one and its version bump commit together. */
export function migrate(db: Database, migrations: readonly Migration[]): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const from = schemaVersion(db);
  if (from > migrations.length) throw new SchemaTooNewError(from, migrations.length);
  for (const migration of migrations.slice(from)) {
    try {
      db.transaction(() => {
        if (typeof migration.up === 'string') db.exec(migration.up);
        else migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      })();
    } catch (error) {
      throw new MigrationFailedError(migration.version, migration.name, error);
    }
  }
  return { from, to: schemaVersion(db) };
}
