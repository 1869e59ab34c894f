/**
 * The app's one keyboard-shortcut module. Every printed shortcut is declared here by the page or
 * dialog that prints it (`useShortcuts`), matched on the physical key (`event.code`) with its
 * modifiers, so that it works the same on AZERTY and QWERTY and with focus in a field: on a French
 * keyboard the digit row gives `&`, `é`, `"`… without Shift, but its codes are still Digit1…Digit9
 * (and Numpad1…Numpad9 on the keypad). Letter shortcuts avoid A, Q, Z, W and M, the keys that
 * move between the two layouts, so the printed letter is the key pressed on both.
 *
 * `?` (when not typing) and `F1` open the list of the shortcuts active on the current page.
 */
import { useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { Anchor, Group, Kbd, Modal, Stack, Table, Text } from '@mantine/core';
import { navigate } from './router';
import { matches, parseKeys, printKeys } from './keys';

export { digitOf } from './keys';

export interface Shortcut {
  /**
   * The keys as written in the code: modifiers `Alt`, `Ctrl` (Cmd on a Mac), `Shift`, joined by
   * `+` to a letter (`Alt+S`), `1-9` (a digit 1…9 of the row or the keypad, passed to `run`),
   * `Enter`, `Escape`, `F1`, or the character `?`.
   */
  keys: string;
  /** What it does, in French, for the list. */
  label: string;
  run: (digit: number | null) => void;
  /** False: listed as unavailable and not triggered (e.g. no desk chosen yet). */
  enabled?: boolean;
  /**
   * `page` (default): suspended while a dialog is open, so that keys pressed in a dialog never act
   * on the page behind it. `always`: also in dialogs (locking, help, a dialog's own keys).
   */
  scope?: 'page' | 'always';
  /** Printed only (the component handles the key itself, e.g. Échap closes a dialog). */
  listOnly?: boolean;
}

interface Group_ {
  id: number;
  title: string;
  shortcuts: Shortcut[];
}

function dialogOpen(): boolean {
  return document.querySelector('[aria-modal="true"]') !== null;
}

// The registry: one entry per mounted page or dialog that declares shortcuts.
let groups: Group_[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

function onKeyDown(event: KeyboardEvent): void {
  if (event.repeat || event.defaultPrevented) return;
  const inDialog = dialogOpen();
  // The latest mounted first: a dialog's keys win over the page's.
  for (const group of [...groups].reverse()) {
    for (const s of group.shortcuts) {
      if (s.listOnly || s.enabled === false) continue;
      if (inDialog && (s.scope ?? 'page') === 'page') continue;
      const m = matches(parseKeys(s.keys), event);
      if (m === false) continue;
      event.preventDefault();
      event.stopPropagation();
      s.run(typeof m === 'number' ? m : null);
      return;
    }
  }
}

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  // Capture phase: a field or a component that handles keys itself never swallows a shortcut.
  window.addEventListener('keydown', onKeyDown, { capture: true });
}

/** Declares the shortcuts a page or dialog prints, active while it is mounted. */
export function useShortcuts(title: string, shortcuts: Shortcut[]): void {
  const id = useRef<number>(0);
  if (id.current === 0) id.current = nextId++;
  // The latest definitions (fresh closures) are read at key time.
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  useEffect(() => {
    install();
    const group: Group_ = { id: id.current, title, shortcuts: [] };
    Object.defineProperty(group, 'shortcuts', { get: () => latest.current, enumerable: true });
    groups = [...groups, group];
    notify();
    return () => {
      groups = groups.filter((g) => g !== group);
      notify();
    };
  }, [title]);
  // Re-render the list when what is enabled changes.
  const signature = shortcuts.map((s) => `${s.keys}:${s.enabled !== false}`).join('|');
  useEffect(() => notify(), [signature]);
}

function useGroups(): Group_[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => groups,
  );
}

export function KeyCombo({ keys }: { keys: string }) {
  const parts = printKeys(keys);
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {parts.map((p, i) => (
        <span key={i}>
          {i > 0 && '+'}
          <Kbd size="xs">{p}</Kbd>
        </span>
      ))}
    </span>
  );
}

/** The `?` / `F1` list of the shortcuts of the current page, with a link to the help pages. */
export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const all = useGroups();
  const shown = all.filter((g) => g.shortcuts.length > 0);
  return (
    <Modal opened={opened} onClose={onClose} title="Raccourcis clavier de cette page" size="lg">
      <Stack gap="sm">
        <Text size="sm">
          Les raccourcis marchent aussi quand le curseur est dans un champ, sur un clavier AZERTY comme QWERTY (les chiffres se tapent sans Maj).
        </Text>
        {shown.map((g) => (
          <div key={g.id}>
            <Text fw={700} size="sm" mb={4}>
              {g.title}
            </Text>
            <Table verticalSpacing={4} aria-label={`Raccourcis : ${g.title}`}>
              <Table.Tbody>
                {g.shortcuts.map((s) => (
                  <Table.Tr key={s.keys}>
                    <Table.Td w={170}>
                      <KeyCombo keys={s.keys} />
                    </Table.Td>
                    <Table.Td>
                      {s.label}
                      {s.enabled === false && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          (indisponible pour l’instant)
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ))}
        <Group justify="space-between">
          <Anchor
            href="/aide"
            onClick={(e) => {
              e.preventDefault();
              onClose();
              navigate('/aide');
            }}
          >
            Aide en ligne : mode d’emploi pour votre rôle
          </Anchor>
          <Text size="xs" c="dimmed">
            <KeyCombo keys="Escape" /> pour fermer
          </Text>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A short printed hint: keys then label. */
export function ShortcutHint({ keys, children }: { keys: string; children: ReactNode }) {
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <KeyCombo keys={keys} /> {children}
    </span>
  );
}
