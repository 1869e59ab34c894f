/**
 * Hand-overs from anywhere: opens the hand-over form (from the queue, a contact or the hand-overs
 * page) and tells the sender, wherever they are in the app, when their hand-over is answered.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { notifications } from '@mantine/notifications';
import type { Handoff } from '../../../../shared/api/methods/handoffs';
import { institutionIn } from '../../../../shared/reference/institutions';
import { api } from '../../api/client';
import { useSession } from '../../session/SessionContext';
import { HandoffForm, type HandoffPrefill } from './HandoffForm';

const Ctx = createContext<{ openHandoff(prefill: HandoffPrefill): void }>({ openHandoff: () => undefined });

export function useHandoffForm() {
  return useContext(Ctx);
}

const ANSWER_MESSAGES: Record<string, { color: string; text: (to: string) => string }> = {
  accept: { color: 'teal', text: (to) => `${institutionIn(to, 'The')} a pris en charge votre passage de relais.` },
  decline: { color: 'orange', text: (to) => `${institutionIn(to, 'The')} a décliné votre passage de relais : voyez le motif et réorientez si besoin.` },
  expire: { color: 'red', text: (to) => `Votre passage de relais ${institutionIn(to, 'to')} a expiré sans réponse.` },
};

export function HandoffsProvider({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const [prefill, setPrefill] = useState<HandoffPrefill | null>(null);
  const [key, setKey] = useState(0);

  const openHandoff = useCallback((p: HandoffPrefill) => {
    setKey((k) => k + 1);
    setPrefill(p);
  }, []);

  useEffect(
    () =>
      api.on('handoff.changed', (e) => {
        const message = ANSWER_MESSAGES[e.action];
        if (!me || e.fromAccountId !== me.accountId || !message) return;
        notifications.show({ color: message.color, title: 'Passage de relais', message: message.text(e.toInstitution), autoClose: 10_000 });
      }),
    [me],
  );

  return (
    <Ctx.Provider value={{ openHandoff }}>
      {children}
      {prefill && (
        <HandoffForm
          key={key}
          prefill={prefill}
          onClose={() => setPrefill(null)}
          onSaved={(h: Handoff) => {
            setPrefill(null);
            // A hand-over made from a ticket ends it, or sends it to the receiving queue (decision 018).
            const ticket =
              h.ticket && h.ticketState === 'handed_over'
                ? ` Ticket ${h.ticket} : relayé·e (compté comme reçu).`
                : h.ticket && h.ticketState === 'waiting' && prefill.queueEntryId
                  ? ` Ticket ${h.ticket} placé dans la file ${institutionIn(h.toInstitution, 'of')}, qui appellera la personne.`
                  : '';
            notifications.show({ color: 'teal', message: `Passage de relais envoyé ${institutionIn(h.toInstitution, 'to')}.${ticket} Vous serez prévenu·e de la réponse.` });
          }}
        />
      )}
    </Ctx.Provider>
  );
}
