/**
 * Operational log: one JSON line per event on stderr. Callers pass identifiers and codes only:
 * never names, free text or anything a person typed (personal data never reaches a log).
 */
type Level = 'info' | 'warn' | 'error';
type Fields = Record<string, string | number | boolean | null | string[]>;

function write(level: Level, event: string, fields: Fields = {}): void {
  if (process.env.ESC_LOG === 'silent') return;
  process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level, event, ...fields })}\n`);
}

export const log = {
  info: (event: string, fields?: Fields) => write('info', event, fields),
  warn: (event: string, fields?: Fields) => write('warn', event, fields),
  error: (event: string, fields?: Fields) => write('error', event, fields),
};
