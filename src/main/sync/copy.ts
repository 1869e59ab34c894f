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

const escapeCopy = (s: string): string =>
  /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r')) : s;

/**
 * Local values as read from SQLite (in `columns` order) → a COPY text payload, converted the way
 * `toCentralRow` converts them (allow-list.ts) without building objects: JSON columns are already
 * JSON text, booleans are 0/1, the rest is text.
 */
export function copyTextFromLocal(columns: readonly PushedColumn[], raw: readonly unknown[][]): Buffer {
  const kinds = columns.map((c) => c.kind);
  const lines: string[] = new Array<string>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const values = raw[i]!;
    let line = '';
    for (let j = 0; j < kinds.length; j++) {
      const v = values[j];
      const kind = kinds[j]!;
      let field: string;
      if (v === null || v === undefined || (kind === 'json' && typeof v !== 'string')) field = '\\N';
      else if (kind === 'bool') field = v === 1 || v === true ? 't' : 'f';
      else if (kind === 'int') field = String(Number(v));
      else field = escapeCopy(String(v));
      line += j === 0 ? field : `\t${field}`;
    }
    lines[i] = line;
  }
  return Buffer.from(lines.length === 0 ? '' : `${lines.join('\n')}\n`, 'utf8');
}

/** Rows (as sent centrally) → a COPY text payload, one line per row, columns in `columns` order. */
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
