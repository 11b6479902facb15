/**
 * PostgreSQL access for the pg storage modules: a pool, `$n` parameter queries, and transactions.
 * Integers come back as JavaScript numbers (every integer column is BIGINT; IM values stay far
 * below 2^53), JSON columns are TEXT as in SQLite, so rows.ts maps rows of either store.
 *
 * A `Sql` is anything that runs a query: the pool (one statement, its own implicit transaction) or
 * the client of a transaction (`PgDb.tx`). Functions of the storage modules take a `Sql` when they
 * run single statements and a `PgDb` when they open a transaction themselves.
 */
import pg from 'pg';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from './pg-schema.js';

/** OIDs of int8 and numeric: parsed to numbers instead of strings. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

export interface Sql {
  /** Rows of the statement. */
  query<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row, or undefined. */
  one<T>(text: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Rows affected. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
}

type Runner = { query(config: pg.QueryConfig): Promise<pg.QueryResult> };

/**
 * Statements with parameters run as named prepared statements: each connection parses and plans
 * one the first time it runs it, and then only binds (the append statement's planning cost more
 * than its execution). The storage modules' statements are a fixed set; past this many distinct
 * texts (a bug building SQL from values) statements run unnamed instead of piling up.
 */
const MAX_PREPARED = 1000;
const statementNames = new Map<string, string>();

function statement(text: string, params: readonly unknown[]): pg.QueryConfig {
  const values = params as unknown[];
  if (values.length === 0) return { text };
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_PREPARED) {
    name = `imkit_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}

function sqlOf(runner: Runner): Sql {
  return {
    async query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
      return (await runner.query(statement(text, params))).rows as T[];
    },
    async one<T>(text: string, params: readonly unknown[] = []): Promise<T | undefined> {
      return (await runner.query(statement(text, params))).rows[0] as T | undefined;
    },
    async run(text: string, params: readonly unknown[] = []): Promise<number> {
      return (await runner.query(statement(text, params))).rowCount ?? 0;
    },
  };
}

/** SQLSTATE of errors a transaction retries: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);

export interface PgOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** A schema of its own (created when missing); default: the database's search_path. */
  schema?: string;
  /** Pool size. Default 10. */
  max?: number;
}

export class PgDb implements Sql {
  readonly pool: pg.Pool;
  private readonly sql: Sql;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
    this.sql = sqlOf(pool);
  }

  /** Connects, creates the schema when asked for one, and runs every migration not yet applied. */
  static async open(options: PgOptions): Promise<PgDb> {
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
      throw new Error(`invalid PostgreSQL schema name: ${options.schema}`);
    }
    if (options.schema) {
      const setup = new pg.Client({ connectionString: options.url });
      await setup.connect();
      try {
        await setup.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
      } finally {
        await setup.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      types,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle client that loses its server emits 'error' on the pool; without a listener that
    // would crash the process. The next query gets a fresh client.
    pool.on('error', () => {});
    const db = new PgDb(pool);
    try {
      await db.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return db;
  }

  query<T>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return this.sql.query<T>(text, params);
  }

  one<T>(text: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.sql.one<T>(text, params);
  }

  run(text: string, params?: readonly unknown[]): Promise<number> {
    return this.sql.run(text, params);
  }

  /**
   * Runs `fn` in one transaction (READ COMMITTED) on one client: committed when it resolves, rolled
   * back when it throws. Retried up to 3 times on a serialization failure or deadlock, so `fn` must
   * have no effect outside the database.
   */
  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(sqlOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const code = (error as { code?: string }).code;
        if (attempt < 3 && code !== undefined && RETRYABLE.has(code)) continue;
        throw error;
      } finally {
        client.release(broken);
      }
    }
  }

  /**
   * Applies every migration newer than `meta.schema_version`, all in one transaction (PostgreSQL's
   * DDL is transactional) under an advisory lock, so that nodes starting together migrate once.
   */
  private async migrate(): Promise<void> {
    await this.tx(async (sql) => {
      await sql.query('SELECT pg_advisory_xact_lock(7010001)');
      await sql.run(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      const row = await sql.one<{ value: string }>(
        `SELECT value FROM meta WHERE key = 'schema_version'`,
      );
      const current = row ? Number(row.value) : 0;
      if (current > PG_SCHEMA_VERSION) {
        throw new Error(
          `database schema ${current} is newer than this server (${PG_SCHEMA_VERSION})`,
        );
      }
      for (const migration of PG_MIGRATIONS) {
        if (migration.version <= current) continue;
        await sql.run(migration.sql);
        await sql.run(
          `INSERT INTO meta (key, value) VALUES ('schema_version', $1)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          [String(migration.version)],
        );
      }
    });
  }

  /** The stored schema version (tests). */
  async schemaVersion(): Promise<number> {
    const row = await this.one<{ value: string }>(
      `SELECT value FROM meta WHERE key = 'schema_version'`,
    );
    return row ? Number(row.value) : 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
