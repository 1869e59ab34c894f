/**
 * `COPY … FROM STDIN` with the `pg` client, without another dependency: a submittable query
 * (the interface `pg` offers to custom query kinds) that streams a text-format payload when the
 * server asks for it. Used by the batch push (push-batch.ts) and by the bench's physical limit.
 */
import type pg from 'pg';
import type { CentralValue, ColumnKind, PushedColumn } from './allow-list';

/** One value in COPY text format: \N for NULL, backslash escapes for the delimiter and line breaks. */
function copyField(kind: ColumnKind, v: CentralValue): string {
  if (v === null || v === undefined) return '\\N';
  let s: string;
  if (kind === 'json') s = JSON.stringify(v);
  else if (kind === 'bool') s = v ? 't' : 'f';
  else s = String(v);
  return s.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

/**
 * Rows (as sent centrally, `toCentralRow`) → a COPY text payload, one line per row, columns in
 * `columns` order. The readable definition of the encoding: the sync itself encodes in SQLite
 * (`copyLinesSql`), held to give the same lines by tests/unit/sync-copy-encoding.test.ts.
 */
export function copyText(columns: readonly PushedColumn[], rows: readonly Record<string, CentralValue>[]): Buffer {
  const lines: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let line = '';
    for (let j = 0; j < columns.length; j++) {
      const col = columns[j]!;
      line += (j === 0 ? '' : '\t') + copyField(col.kind, row[col.name] ?? null);
    }
    lines[i] = line;
  }
  return Buffer.from(lines.length === 0 ? '' : `${lines.join('\n')}\n`, 'utf8');
}

/**
 * A text value escaped for COPY in SQLite: backslash, tab, line feed, carriage return. Most
 * values hold none of them (one GLOB pass), and only those go through the replacements.
 */
const escapeSql = (x: string) =>
  `(CASE WHEN ${x} GLOB '*[' || char(9, 10, 13, 92) || ']*' THEN replace(replace(replace(replace(${x}, '\\', '\\\\'), char(9), '\\t'), char(10), '\\n'), char(13), '\\r') ELSE ${x} END)`;

/** One column's COPY text field as an SQLite expression, converted as `toCentralRow` + `copyField` do. */
function copyFieldSql(col: PushedColumn): string {
  const x = col.from ? col.from.sql : col.name;
  switch (col.kind) {
    case 'bool':
      return `(CASE WHEN ${x} IS NULL THEN '\\N' WHEN ${x} = 1 THEN 't' ELSE 'f' END)`;
    case 'int':
      return `coalesce(CAST(CAST(${x} AS INTEGER) AS TEXT), '\\N')`;
    case 'json':
      // JSON is sent as the text stored (central parses it); anything but text is no value.
      return `(CASE WHEN typeof(${x}) = 'text' THEN ${escapeSql(x)} ELSE '\\N' END)`;
    default:
      return `coalesce(${escapeSql(`CAST(${x} AS TEXT)`)}, '\\N')`;
  }
}

/**
 * The SELECT that gives one COPY text line per local row of `table`, in `columns` order, already
 * converted (derived columns computed) and escaped by SQLite: the sync reads its batches with it,
 * one string per row instead of one JavaScript value per column (about five times less work on
 * the site for a catch-up; docs/performance.md). `where` is the rows' condition.
 */
export function copyLinesSql(columns: readonly PushedColumn[], from: string, where: string): string {
  return `SELECT ${columns.map(copyFieldSql).join(" || char(9) || ")} FROM ${from} WHERE ${where} ORDER BY change_seq`;
}

/** Lines (without line feeds) → a COPY text payload. */
export function copyPayload(lines: readonly string[]): Buffer {
  return Buffer.from(lines.length === 0 ? '' : `${lines.join('\n')}\n`, 'utf8');
}

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

const CHUNK = 256 * 1024;

/** The submittable: pg calls `submit`, then routes the server's answers to the handle* methods. */
class CopyFromStdin {
  callback?: (err: Error | null, result?: { rowCount: number }) => void;
  private rowCount = 0;

  constructor(
    private readonly text: string,
    private readonly payload: Buffer,
  ) {}

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (let i = 0; i < this.payload.length; i += CHUNK) connection.sendCopyFromChunk(this.payload.subarray(i, i + CHUNK));
    connection.endCopyFrom();
  }

  handleCommandComplete(msg: { text?: string }): void {
    const m = /^COPY (\d+)/.exec(msg.text ?? '');
    this.rowCount = m ? Number(m[1]) : 0;
  }

  handleReadyForQuery(): void {
    this.callback?.(null, { rowCount: this.rowCount });
  }

  handleError(err: Error): void {
    this.callback?.(err);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Streams `payload` into `table (columns)`; resolves with the number of rows the server copied. */
export function copyFrom(client: pg.Client, table: string, columns: readonly PushedColumn[], payload: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const q = new CopyFromStdin(`COPY ${table} (${columns.map((c) => c.name).join(', ')}) FROM STDIN`, payload);
    q.callback = (err, result) => (err ? reject(err) : resolve(result!.rowCount));
    void client.query(q as unknown as pg.QueryConfig);
  });
}
