/**
 * Makes the contact form reachable from anywhere: after finishing a queue entry, and from any
 * page with Alt+T (phone call) or Alt+E (e-mail), where one key press on a domain logs the contact:
 * the digit keys 1…9 by their physical key (so `&`, `é`, `"`… on AZERTY, without Shift) or the
 * keypad, then the letters. Nothing is logged without an explicit choice (Enter alone does
 * nothing: focus is on the instructions, not on a domain).
 */
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Button, Kbd, Modal, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Contact } from '../../../../shared/api/methods/contacts';
import { CHANNEL_LABELS_FR, type Channel } from '../../../../shared/contacts/vocabulary';
import { api, errorMessage } from '../../api/client';
import { useSession } from '../../session/SessionContext';
import { ContactForm, type ContactFormRequest } from './ContactForm';
import { useDomains } from './useDomains';
import { digitOf, useShortcuts } from '../../shortcuts';

interface ContactsApi {
  openForm(request: ContactFormRequest): void;
}

const Ctx = createContext<ContactsApi>({ openForm: () => undefined });

export function useContactForm(): ContactsApi {
  return useContext(Ctx);
}

const KEYS = '123456789ABCDEFGHIJ';

export function ContactsProvider({ children }: { children: ReactNode }) {
  const { may } = useSession();
  const [request, setRequest] = useState<ContactFormRequest | null>(null);
  const [quick, setQuick] = useState<Channel | null>(null);
  const [formKey, setFormKey] = useState(0);
  const domains = useDomains();

  const openForm = useCallback((r: ContactFormRequest) => {
    // The one-key picker never stays open behind the full form.
    setQuick(null);
    setFormKey((k) => k + 1);
    setRequest(r);
  }, []);

  const canLog = may('contacts.log');
  useShortcuts(
    'Contacts (partout)',
    canLog
      ? [
          { keys: 'Alt+T', label: 'Contact par téléphone : une touche pour le domaine', run: () => setQuick('telephone') },
          { keys: 'Alt+E', label: 'Contact par courriel : une touche pour le domaine', run: () => setQuick('email') },
        ]
      : [],
  );

  const quickLog = async (channel: Channel, domain: string) => {
    setQuick(null);
    try {
      const saved = await api.call('contacts.log', { channel, domains: [domain] });
      notifications.show({
        color: 'teal',
        title: 'Contact enregistré',
        message: (
          <Stack gap={4}>
            <Text size="sm">
              {CHANNEL_LABELS_FR[channel]} · {domains.find((d) => d.code === domain)?.label}
            </Text>
            <Button size="compact-xs" variant="light" onClick={() => openForm({ kind: 'edit', contact: saved })}>
              Compléter
            </Button>
          </Stack>
        ),
      });
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    }
  };

  return (
    <Ctx.Provider value={{ openForm }}>
      {children}
      {request && (
        <ContactForm
          key={formKey}
          request={request}
          onClose={() => setRequest(null)}
          onSaved={(c: Contact) => {
            setRequest(null);
            notifications.show({ color: 'teal', message: `Contact enregistré${c.ticket ? ` (passage ${c.ticket})` : ''}.` });
          }}
        />
      )}
      {quick && (
        <QuickPicker
          channel={quick}
          domains={domains}
          onPick={(code) => void quickLog(quick, code)}
          onFull={() => openForm({ kind: 'quick', channel: quick })}
          onClose={() => setQuick(null)}
        />
      )}
    </Ctx.Provider>
  );
}

/** One key (or click) on a domain logs the contact; the keys are printed next to each domain. */
function QuickPicker({
  channel,
  domains,
  onPick,
  onFull,
  onClose,
}: {
  channel: Channel;
  domains: { code: string; label: string }[];
  onPick: (code: string) => void;
  onFull: () => void;
  onClose: () => void;
}) {
  const pick = (i: number) => {
    const d = domains[i];
    if (d) onPick(d.code);
  };
  useShortcuts(`${CHANNEL_LABELS_FR[channel]} : choix du domaine`, [
    { keys: '1-9', label: 'Enregistrer le contact pour le domaine de ce numéro (rangée des chiffres ou pavé numérique, sans Maj)', run: (d) => d && pick(d - 1), scope: 'always' },
    { keys: 'Escape', label: 'Fermer sans rien enregistrer', run: onClose, listOnly: true },
  ]);
  return (
    <Modal opened onClose={onClose} title={`${CHANNEL_LABELS_FR[channel]} : quel domaine ?`} size="lg">
      <Stack
        gap="xs"
        onKeyDown={(e) => {
          // Letters after the nine digits: the character typed, whatever the layout.
          if (e.altKey || e.ctrlKey || e.metaKey || digitOf(e) !== null) return;
          const i = KEYS.indexOf(e.key.toUpperCase());
          if (i >= 9 && e.key.length === 1) {
            e.preventDefault();
            pick(i);
          }
        }}
      >
        <Text size="sm" c="dimmed" tabIndex={-1} data-autofocus style={{ outline: 'none' }}>
          Une touche (1 à 9, puis A, B…) ou un clic enregistre le contact (information donnée). « Compléter » permet ensuite d’ajouter le reste.
          Entrée seule n’enregistre rien.
        </Text>
        <SimpleGrid cols={2} spacing={6}>
          {domains.map((d, i) => (
            <UnstyledButton
              key={d.code}
              onClick={() => pick(i)}
              p={6}
              style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 8 }}
              data-testid={`quick-domain-${i + 1}`}
            >
              <Text size="sm">
                <Kbd mr={6}>{KEYS[i]}</Kbd>
                {d.label}
              </Text>
            </UnstyledButton>
          ))}
        </SimpleGrid>
        <Button variant="subtle" onClick={onFull}>
          Ouvrir le formulaire complet
        </Button>
      </Stack>
    </Modal>
  );
}
