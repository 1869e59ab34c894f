/**
 * The one way the core reads and writes the store (decision 017): SQL text with named parameters
 * (`@day`), row types taken from the drizzle schema, statements prepared once per connection.
 *
 *   const contactsOfDay = sql<{ day: string }, Pick<Columns<typeof contacts>, 'channel' | 'personKey'>>(
 *     'SELECT channel, person_key AS personKey FROM contacts WHERE day = @day AND deleted_at IS NULL',
 *   );
 *   for (const c of contactsOfDay.all(store, { day })) …
 *
 * Rules: a selected column is aliased to the schema's property name (camelCase) so that the row
 * type is a `Pick` of `Columns<table>`; computed values get an explicit type; parameters are named,
 * never positional. `Columns` is the table's row as SQLite returns it (booleans stay 0/1).
 */
import type Database from 'better-sqlite3';
import type { Table } from 'drizzle-orm';
import type { Store } from './open';

type AsStored<V> = V extends boolean ? number : V;

/** A table's row as SQLite returns it: drizzle's inferred types, booleans as the integers stored. */
export type Columns<T extends Table> = { [K in keyof T['$inferSelect']]: AsStored<T['$inferSelect'][K]> };

export type Params = Record<string, string | number | bigint | null | Buffer>;

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The statement for `text` on this connection, prepared on first use and kept. */
function prepared(sqlite: Database.Database, text: string): Database.Statement {
  let byText = statements.get(sqlite);
  if (!byText) statements.set(sqlite, (byText = new Map()));
  let s = byText.get(text);
  if (!s) byText.set(text, (s = sqlite.prepare(text)));
  return s;
}

export interface Sql<P extends Params, R> {
  readonly text: string;
  all(store: Store, params: P): R[];
  get(store: Store, params: P): R | undefined;
  run(store: Store, params: P): Database.RunResult;
}

type NoParams = Record<string, never>;

/** A statement of the core: its text, its named parameters, the type of its rows. */
export function sql<P extends Params = NoParams, R = never>(text: string): Sql<P, R> {
  return {
    text,
    all: (store, params) => prepared(store.sqlite, text).all(params) as R[],
    get: (store, params) => prepared(store.sqlite, text).get(params) as R | undefined,
    run: (store, params) => prepared(store.sqlite, text).run(params),
  };
}
