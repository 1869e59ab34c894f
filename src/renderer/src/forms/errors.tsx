/**
 * Errors at the field at fault, for every form (issue 12): each field shows its own message
 * (from the API's VALIDATION `data.issues` paths, or from a check made before sending), and a
 * summary at the top of the form lists them as links that take the focus to the field. Text
 * fields with a limit show a counter and an error when too long: nothing is cut silently.
 *
 *   const f = useFieldErrors('contact', { note: 'Note de suivi', domains: 'Domaines' });
 *   if (!f.check({ note: tooLong(note, NOTE_MAX) })) return;   // before sending
 *   try { … } catch (err) { f.fail(err); }                                 // after a refusal
 *   <ErrorSummary form={f} />  <Textarea {...f.props('note', { value: note, max: NOTE_MAX })} />
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Alert, Anchor, List, Text } from '@mantine/core';
import { RpcError, errorMessage } from '../api/client';
import { formatCount } from '../../../shared/format/fr';

export type Check = string | null | undefined | false;

export interface FieldOptions {
  value?: string;
  max?: number;
  counterFrom?: number;
  description?: ReactNode;
}

export interface FieldErrors<K extends string> {
  /** Message of each field in error. */
  errors: Partial<Record<K, string>>;
  /** The general message (the API's, or "Corrigez…"), null when nothing is wrong. */
  summary: string | null;
  /** Errors that belong to no field of this form (shown in the summary only). */
  other: string[];
  /** DOM id of a field, for `id=` and the summary's links. */
  id(field: K): string;
  error(field: K): string | undefined;
  /**
   * Props for a Mantine input: id, error, and a counter in the description when `max` is given
   * (from `counterFrom` characters on, for short fields where a counter would only take room).
   */
  props(field: K, opts?: FieldOptions): { id: string; error: string | undefined; description?: ReactNode };
  /** Runs checks before sending; shows them and returns false when one fails. */
  check(checks: Partial<Record<K, Check>>): boolean;
  /** Shows the errors of a refused call (VALIDATION issues on their fields). */
  fail(err: unknown): void;
  /** Sets or clears one field's error (e.g. while typing). */
  set(field: K, message: Check): void;
  clear(): void;
  labels: Record<K, string>;
  /** Internal: focus target of the summary. */
  summaryRef: React.RefObject<HTMLDivElement | null>;
  /** Internal: changes each time errors are shown, to move the focus to the summary. */
  shown: number;
}

/** "512 caractères pour 500 au plus : raccourcissez de 12." (shown under the field named by its label), or null. */
export function tooLong(value: string | null | undefined, max: number): string | null {
  const n = value?.trim().length ?? 0;
  if (n <= max) return null;
  return `${formatCount(n)} caractères pour ${formatCount(max)} au plus : raccourcissez de ${formatCount(n - max)}.`;
}

/** A field's key for an API path: the longest known prefix ("person.lastName", "domains.2" → "domains"). */
function fieldOfPath<K extends string>(labels: Record<K, string>, path: string): K | undefined {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    if (Object.prototype.hasOwnProperty.call(labels, candidate)) return candidate as K;
  }
  return undefined;
}

export function useFieldErrors<K extends string>(
  idPrefix: string,
  labels: Record<K, string>,
  /** `pathToField` rewrites an API path before it is matched to a field ("config.x" → "x"). */
  opts: { pathToField?: (path: string) => string | undefined } = {},
): FieldErrors<K> {
  const [errors, setErrors] = useState<Partial<Record<K, string>>>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [other, setOther] = useState<string[]>([]);
  const [shown, setShown] = useState(0);
  const summaryRef = useRef<HTMLDivElement | null>(null);
  const pathToField = opts.pathToField;

  const id = useCallback((field: K) => `${idPrefix}-${field.replace(/[^a-zA-Z0-9_-]/g, '-')}`, [idPrefix]);

  const check = useCallback(
    (checks: Partial<Record<K, Check>>) => {
      const found: Partial<Record<K, string>> = {};
      for (const [k, v] of Object.entries(checks) as [K, Check][]) if (v) found[k] = v;
      setErrors(found);
      setOther([]);
      if (Object.keys(found).length === 0) {
        setSummary(null);
        return true;
      }
      setSummary(Object.keys(found).length === 1 ? 'Un point est à corriger :' : 'Des points sont à corriger :');
      setShown((n) => n + 1);
      return false;
    },
    [],
  );

  const fail = useCallback(
    (err: unknown) => {
      const found: Partial<Record<K, string>> = {};
      const rest: string[] = [];
      if (err instanceof RpcError) {
        for (const issue of err.issues) {
          const mapped = pathToField?.(issue.path);
          const field = (mapped !== undefined ? fieldOfPath(labels, mapped) : undefined) ?? fieldOfPath(labels, issue.path);
          if (field !== undefined) found[field] ??= issue.message;
          else if (!rest.includes(issue.message)) rest.push(issue.message);
        }
      }
      setErrors(found);
      setOther(Object.keys(found).length === 0 ? [] : rest);
      setSummary(errorMessage(err));
      setShown((n) => n + 1);
    },
    [labels, pathToField],
  );

  const set = useCallback((field: K, message: Check) => {
    setErrors((e) => {
      if ((e[field] ?? null) === (message || null)) return e;
      const next = { ...e };
      if (message) next[field] = message;
      else delete next[field];
      return next;
    });
  }, []);

  const clear = useCallback(() => {
    setErrors({});
    setOther([]);
    setSummary(null);
  }, []);

  return useMemo(
    () => ({
      errors,
      summary: summary && (Object.keys(errors).length > 0 || other.length > 0 || summary) ? summary : null,
      other,
      id,
      error: (field: K) => errors[field],
      props: (field: K, o: FieldOptions = {}) => {
        const counter =
          o.max !== undefined && o.value !== undefined && o.value.trim().length >= (o.counterFrom ?? defaultCounterFrom(o.max)) ? <CharCount value={o.value} max={o.max} /> : null;
        const description =
          counter && o.description ? (
            <>
              {o.description} {counter}
            </>
          ) : (
            (counter ?? o.description)
          );
        return { id: id(field), error: errors[field], ...(description ? { description } : {}) };
      },
      check,
      fail,
      set,
      clear,
      labels,
      summaryRef,
      shown,
    }),
    [errors, summary, other, id, check, fail, set, clear, labels, shown],
  );
}

/** Long texts always show their counter; short fields from 10 characters before their limit. */
function defaultCounterFrom(max: number): number {
  return max >= 150 ? 0 : Math.max(0, max - 10);
}

/** "12 / 500": the length of a text against its limit, in red beyond it. */
export function CharCount({ value, max }: { value: string; max: number }) {
  const n = value.trim().length;
  const over = n > max;
  return (
    <Text component="span" size="xs" c={over ? 'red.9' : 'dimmed'} fw={over ? 700 : undefined} data-testid="char-count" style={{ whiteSpace: 'nowrap' }}>
      {formatCount(n)}/{formatCount(max)} caractères
    </Text>
  );
}

/** Moves the focus to a field: the element with that id, or the first focusable thing inside it. */
export function focusField(domId: string): void {
  const el = document.getElementById(domId);
  if (!el) return;
  const focusable = el.matches('input, textarea, select, button, [tabindex]:not([tabindex="-1"])')
    ? el
    : el.querySelector<HTMLElement>('input:not([type="hidden"]), textarea, select, button, [tabindex]:not([tabindex="-1"])');
  el.scrollIntoView({ block: 'center' });
  (focusable ?? el).focus();
}

/**
 * The summary at the top of a form: what is wrong, each point a link to its field. It takes the
 * focus when errors are shown, so that a screen reader (and the eye) lands on it.
 */
export function ErrorSummary<K extends string>({ form }: { form: FieldErrors<K> }) {
  // In the order of the form (the order of its labels), whatever the order of the checks.
  const order = Object.keys(form.labels);
  const entries = (Object.entries(form.errors) as [K, string][]).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  const { summaryRef, shown } = form;
  useEffect(() => {
    if (shown > 0) summaryRef.current?.focus();
  }, [shown, summaryRef]);
  if (!form.summary && entries.length === 0 && form.other.length === 0) return null;
  return (
    <Alert color="red" role="alert" ref={summaryRef} tabIndex={-1} title={form.summary ?? 'Des points sont à corriger :'} data-testid="error-summary">
      {(entries.length > 0 || form.other.length > 0) && (
        <List size="sm" spacing={2}>
          {entries.map(([field, message]) => (
            <List.Item key={field}>
              <Anchor
                href={`#${form.id(field)}`}
                size="sm"
                c="red.9"
                td="underline"
                onClick={(e) => {
                  e.preventDefault();
                  focusField(form.id(field));
                }}
              >
                {form.labels[field]}
              </Anchor>{' '}
              : {message}
            </List.Item>
          ))}
          {form.other.map((m) => (
            <List.Item key={m}>{m}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
