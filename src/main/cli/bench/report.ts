/**
 * The bench's output: one JSON line per measure, `{measure, value, unit, goal, limit, ratio,
 * holds, …details}`. `ratio` is value ÷ limit, so for an upper bound ("≤") it holds at ratio ≤ 1
 * and for a lower bound ("≥") at ratio ≥ 1. Lines without a goal (seed, context) carry
 * `goal: null` and `holds: null`.
 */
export interface Goal {
  op: '≤' | '≥';
  limit: number;
  unit: string;
}

export const atMost = (limit: number, unit: string): Goal => ({ op: '≤', limit, unit });
export const atLeast = (limit: number, unit: string): Goal => ({ op: '≥', limit, unit });

export interface Line {
  measure: string;
  value: number | null;
  unit: string;
  goal: string | null;
  limit: number | null;
  ratio: number | null;
  holds: boolean | null;
  [detail: string]: unknown;
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

export class Output {
  readonly lines: Line[] = [];
  constructor(private readonly write: (s: string) => void = (s) => process.stdout.write(s)) {}

  /** A measure against its goal. A null value (the measure could not run) never holds. */
  goal(measure: string, value: number | null, goal: Goal, details: Record<string, unknown> = {}): Line {
    const ratio = value === null ? null : round(value / goal.limit);
    const holds = value === null ? false : goal.op === '≤' ? value <= goal.limit : value >= goal.limit;
    return this.emit({ measure, value: value === null ? null : round(value), unit: goal.unit, goal: `${goal.op} ${goal.limit} ${goal.unit}`, limit: goal.limit, ratio, holds, ...details });
  }

  /** Context without a goal (sizes of the bases, durations of the seeds, which hub was spawned). */
  info(measure: string, value: number | null, unit: string, details: Record<string, unknown> = {}): Line {
    return this.emit({ measure, value: value === null ? null : round(value), unit, goal: null, limit: null, ratio: null, holds: null, ...details });
  }

  private emit(line: Line): Line {
    this.lines.push(line);
    this.write(`${JSON.stringify(line)}\n`);
    return line;
  }
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Nearest-rank percentile, as everywhere in the product. */
export function pct(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(1, Math.ceil((p / 100) * s.length)) - 1]!;
}

export const ms = (v: number) => round(v, 2);

export const sleep = (millis: number) => new Promise<void>((r) => setTimeout(r, millis));
