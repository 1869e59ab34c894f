/**
 * Makes the contact form reachable from anywhere: after finishing a queue entry, and from any
 * page with Alt+T (phone call) or Alt+E (e-mail), where one key press on a domain logs the contact.
 */
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Button, Kbd, Modal, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { Contact } from '../../../../shared/api/methods/contacts';
import { CHANNEL_LABELS_FR, type Channel } from '../../../../shared/contacts/vocabulary';
import { api, errorMessage } from '../../api/client';
import { useSession } from '../../session/SessionContext';
import { ContactForm, type ContactFormRequest } from './ContactForm';
import { useDomains } from './useDomains';

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
    setFormKey((k) => k + 1);
    setRequest(r);
  }, []);

  const canLog = may('contacts.log');
  useHotkeys(
    canLog
      ? [
          ['alt+T', () => setQuick('telephone')],
          ['alt+E', () => setQuick('email')],
        ]
      : [],
    [],
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
        <Modal opened onClose={() => setQuick(null)} title={`${CHANNEL_LABELS_FR[quick]} : quel domaine ?`} size="lg">
          <Stack gap="xs">
            <Text size="sm" c="dimmed">
              Une touche ou un clic enregistre le contact (information donnée). « Compléter » permet ensuite d’ajouter le reste.
            </Text>
            <SimpleGrid
              cols={2}
              spacing={6}
              onKeyDown={(e) => {
                const i = KEYS.indexOf(e.key.toUpperCase());
                if (i >= 0 && i < domains.length && !e.altKey && !e.ctrlKey && !e.metaKey) {
                  e.preventDefault();
                  void quickLog(quick, domains[i]!.code);
                }
              }}
            >
              {domains.map((d, i) => (
                <UnstyledButton
                  key={d.code}
                  onClick={() => void quickLog(quick, d.code)}
                  data-autofocus={i === 0 ? true : undefined}
                  p={6}
                  style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 8 }}
                >
                  <Text size="sm">
                    <Kbd mr={6}>{KEYS[i]}</Kbd>
                    {d.label}
                  </Text>
                </UnstyledButton>
              ))}
            </SimpleGrid>
            <Button variant="subtle" onClick={() => openForm({ kind: 'quick', channel: quick })}>
              Ouvrir le formulaire complet
            </Button>
          </Stack>
        </Modal>
      )}
    </Ctx.Provider>
  );
}
