/**
 * Date and time inputs that follow the app's French locale whatever the browser's language
 * (an English Chromium showed mm/dd/yyyy and 02:30 PM with native inputs): `@mantine/dates` with
 * dayjs `fr` (see `DATES_SETTINGS`, given to `DatesProvider` in main.tsx), dates typed or picked
 * as dd/MM/yyyy, times as 24-hour HH:mm. Values stay in the contract's forms: `YYYY-MM-DD` and
 * `HH:mm`.
 */
import 'dayjs/locale/fr';
import { DateInput, TimePicker, type DateInputProps, type DatesProviderSettings, type TimePickerProps } from '@mantine/dates';

export const DATES_SETTINGS: DatesProviderSettings = { locale: 'fr', firstDayOfWeek: 1, weekendDays: [0, 6] };

/** "23/11/2026", "23/11/26", "23.11.2026", "2026-11-23" → "2026-11-23"; null for a date that does not exist. */
export function parseDayFr(input: string): string | null {
  const s = input.trim();
  let y: number, m: number, d: number;
  const fr = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{2}|\d{4})$/.exec(s);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (fr) {
    d = Number(fr[1]);
    m = Number(fr[2]);
    y = Number(fr[3]);
    if (fr[3]!.length === 2) y += y > 50 ? 1900 : 2000;
  } else if (iso) {
    y = Number(iso[1]);
    m = Number(iso[2]);
    d = Number(iso[3]);
  } else return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

type DayInputProps = Omit<DateInputProps, 'value' | 'onChange' | 'valueFormat' | 'dateParser' | 'defaultValue'> & {
  value: string | null;
  onChange: (day: string | null) => void;
};

/** A calendar day, typed as jj/mm/aaaa or picked in a French calendar (weeks start on Monday). */
export function DayInput({ value, onChange, ...props }: DayInputProps) {
  return (
    <DateInput
      valueFormat="DD/MM/YYYY"
      placeholder="jj/mm/aaaa"
      dateParser={(s) => parseDayFr(s)}
      nextLabel="Mois suivant"
      previousLabel="Mois précédent"
      clearButtonProps={{ 'aria-label': 'Effacer la date' }}
      value={value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null}
      onChange={onChange}
      {...props}
    />
  );
}

/** A clock time in 24-hour HH:mm (hours and minutes fields, or the list). */
export function ClockInput(props: TimePickerProps) {
  return (
    <TimePicker
      format="24h"
      hoursInputLabel="Heures"
      minutesInputLabel="Minutes"
      hoursPlaceholder="hh"
      minutesPlaceholder="mm"
      withDropdown
      minutesStep={5}
      clearButtonProps={{ 'aria-label': 'Effacer l’heure' }}
      popoverProps={{ withinPortal: true }}
      {...props}
    />
  );
}
