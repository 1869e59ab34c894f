/**
 * Small SVG charts built as strings, used by the screens (as images with a data table beside
 * them) and by the PDF report, so both show the same picture. No external library.
 */
import { formatCount, MONTH_ABBREVIATIONS_FR, MONTH_NAMES_FR } from '../format/fr';

export interface Bar {
  label: string;
  value: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function barChartSvg(bars: Bar[], opts: { width?: number; height?: number; color?: string; title?: string } = {}): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 220;
  const color = opts.color ?? '#0b7a6b';
  const pad = { top: opts.title ? 28 : 10, right: 10, bottom: 34, left: 36 };
  const max = Math.max(1, ...bars.map((b) => b.value));
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const step = innerW / Math.max(1, bars.length);
  const barW = Math.max(2, step * 0.7);
  const ticks = [0, Math.round(max / 2), max];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (opts.title) parts.push(`<text x="${pad.left}" y="18" font-size="13" font-weight="bold" fill="#222">${esc(opts.title)}</text>`);
  for (const t of ticks) {
    const y = pad.top + innerH - (t / max) * innerH;
    parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y}" y2="${y}" stroke="#dddddd" stroke-width="1"/>`);
    parts.push(`<text x="${pad.left - 4}" y="${y + 4}" font-size="10" text-anchor="end" fill="#555">${t}</text>`);
  }
  bars.forEach((b, i) => {
    const h = (b.value / max) * innerH;
    const x = pad.left + i * step + (step - barW) / 2;
    const y = pad.top + innerH - h;
    parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"/>`);
    parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${height - pad.bottom + 14}" font-size="10" text-anchor="middle" fill="#333">${esc(b.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Weekday × hour heat map (rows: Monday–Friday, columns: hours). */
export function heatmapSvg(rows: { label: string; values: number[] }[], columns: string[], opts: { title?: string } = {}): string {
  const cell = 40;
  const left = 80;
  const top = opts.title ? 40 : 20;
  const width = left + columns.length * cell + 10;
  const height = top + rows.length * 28 + 10;
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (opts.title) parts.push(`<text x="4" y="16" font-size="13" font-weight="bold" fill="#222">${esc(opts.title)}</text>`);
  columns.forEach((c, j) => parts.push(`<text x="${left + j * cell + cell / 2}" y="${top - 4}" font-size="10" text-anchor="middle" fill="#333">${esc(c)}</text>`));
  rows.forEach((r, i) => {
    const y = top + i * 28;
    parts.push(`<text x="${left - 6}" y="${y + 17}" font-size="11" text-anchor="end" fill="#333">${esc(r.label)}</text>`);
    r.values.forEach((v, j) => {
      const intensity = v / max;
      const shade = Math.round(245 - intensity * 190);
      parts.push(`<rect x="${left + j * cell + 1}" y="${y + 1}" width="${cell - 2}" height="26" fill="rgb(${shade},${Math.round(250 - intensity * 120)},${Math.round(245 - intensity * 150)})"/>`);
      parts.push(`<text x="${left + j * cell + cell / 2}" y="${y + 18}" font-size="10" text-anchor="middle" fill="${intensity > 0.6 ? '#fff' : '#222'}">${v}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Days longer than this are shown month by month: one bar per day of a year would be 2 px wide. */
export const DAILY_BARS_UP_TO = 62;

/**
 * The arrivals chart of a period report: one bar per open day up to two months (labelled with the
 * day of the month up to 31 days), one bar per calendar month beyond (labelled with the month up
 * to a year, with the year on each January beyond), so that a year or five years show their whole
 * shape rather than their last weeks. `alt` says the same in words.
 */
export function arrivalBars(perDay: readonly { day: string; open: boolean; arrivals: number }[]): { title: string; bars: Bar[]; alt: string } {
  if (perDay.length <= DAILY_BARS_UP_TO) {
    const open = perDay.filter((d) => d.open);
    const total = open.reduce((n, d) => n + d.arrivals, 0);
    return {
      title: 'Arrivées par jour',
      bars: open.map((d) => ({ label: perDay.length <= 31 ? d.day.slice(8) : '', value: d.arrivals })),
      alt: `Arrivées par jour d’ouverture, ${formatCount(open.length)} jours, ${formatCount(total)} arrivées en tout`,
    };
  }
  const months: { month: string; value: number }[] = [];
  for (const d of perDay) {
    const month = d.day.slice(0, 7);
    const last = months[months.length - 1];
    if (last && last.month === month) last.value += d.arrivals;
    else months.push({ month, value: d.arrivals });
  }
  const name = (month: string, names: string[]) => names[Number(month.slice(5, 7)) - 1]!;
  const bars = months.map(({ month, value }) => ({
    label: months.length <= 12 ? name(month, MONTH_ABBREVIATIONS_FR) : month.endsWith('-01') ? month.slice(0, 4) : '',
    value,
  }));
  const words = months.map(({ month, value }) => `${name(month, MONTH_NAMES_FR)} ${month.slice(0, 4)} : ${formatCount(value)}`);
  return { title: 'Arrivées par mois', bars, alt: `Arrivées par mois, ${months.length} mois. ${words.join(' ; ')}` };
}
