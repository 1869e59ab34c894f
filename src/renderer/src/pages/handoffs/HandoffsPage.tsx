/** Hand-overs: what my institution (or I) must receive, what I sent today, and the site directory. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Group, SegmentedControl, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Handoff } from '../../../../shared/api/methods/handoffs';
import { institutionIn } from '../../../../shared/reference/institutions';
import { api, errorMessage, RpcError } from '../../api/client';
import { useNow } from '../../hooks';
import { useSession } from '../../session/SessionContext';
import { DirectoryView } from './DirectoryView';
import { HandoffCard, type Run } from './HandoffCard';
import { useHandoffForm } from './HandoffsProvider';

function useList(load: () => Promise<{ now: string; handoffs: Handoff[] }>, enabled: boolean) {
  const [handoffs, setHandoffs] = useState<Handoff[]>([]);
  const [skew, setSkew] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    if (!enabled) return;
    try {
      const r = await load();
      setHandoffs(r.handoffs);
      setSkew(Date.parse(r.now) - Date.now());
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [load, enabled]);
  useEffect(() => {
    void reload();
    const off = api.on('handoff.changed', () => void reload());
    const offConn = api.onConnection((s) => s === 'online' && void reload());
    // Late and expired states depend on time passing, not only on events.
    const timer = setInterval(() => void reload(), 60_000);
    return () => {
      off();
      offConn();
      clearInterval(timer);
    };
  }, [reload]);
  return { handoffs, skew, error, reload };
}

/**
 * The inbox grouped by what needs doing: waiting for an answer first (urgent, then oldest
 * first), then taken in charge (to finish), then finished or closed (newest first, folded).
 */
function groupInbox(list: Handoff[]) {
  const waiting = list
    .filter((h) => h.state === 'proposed')
    .sort((a, b) => (a.urgency === b.urgency ? a.createdAt.localeCompare(b.createdAt) : a.urgency === 'urgente' ? -1 : 1));
  const inProgress = list.filter((h) => h.state === 'accepted').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const finished = list.filter((h) => h.state !== 'proposed' && h.state !== 'accepted').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return { waiting, inProgress, finished };
}

function InboxGroup({ title, testId, children, count, empty }: { title: string; testId: string; children: React.ReactNode; count: number; empty?: string }) {
  return (
    <Stack gap="xs" component="section" aria-label={title} data-testid={testId}>
      <Title order={2} size="h4">
        {title} ({count})
      </Title>
      {count === 0 && empty ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        children
      )}
    </Stack>
  );
}

export function HandoffsPage() {
  const { me, may } = useSession();
  const { openHandoff } = useHandoffForm();
  const canReceive = may('handoffs.receive');
  const [tab, setTab] = useState<string | null>(canReceive ? 'inbox' : 'sent');
  const [scope, setScope] = useState<'institution' | 'mine'>('institution');
  const [showFinished, setShowFinished] = useState(false);
  const localNow = useNow(15_000);

  const loadInbox = useCallback(() => api.call('handoffs.inbox', { scope }), [scope]);
  const loadSent = useCallback(() => api.call('handoffs.sent', {}), []);
  const inbox = useList(loadInbox, canReceive);
  const sent = useList(loadSent, may('handoffs.create'));

  const run: Run = useCallback(
    async (label, op) => {
      try {
        await op();
        return true;
      } catch (err) {
        notifications.show({ color: err instanceof RpcError && err.code === 'CONFLICT' ? 'orange' : 'red', title: label, message: errorMessage(err) });
        await Promise.all([inbox.reload(), sent.reload()]);
        return false;
      }
    },
    [inbox, sent],
  );

  const open = (list: Handoff[]) => list.filter((h) => h.state === 'proposed' || h.state === 'accepted');
  const inboxNow = new Date(localNow.getTime() + inbox.skew);
  const sentNow = new Date(localNow.getTime() + sent.skew);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Passages de relais
        </Title>
        <Button onClick={() => openHandoff({})}>Nouveau passage de relais</Button>
      </Group>
      <Tabs value={tab} onChange={setTab}>
        <Tabs.List>
          {canReceive && <Tabs.Tab value="inbox">À recevoir ({open(inbox.handoffs).length})</Tabs.Tab>}
          <Tabs.Tab value="sent">Envoyés aujourd’hui ({sent.handoffs.length})</Tabs.Tab>
          <Tabs.Tab value="directory">Annuaire</Tabs.Tab>
        </Tabs.List>
        {canReceive && (
          <Tabs.Panel value="inbox" pt="sm">
            <Stack gap="sm">
              <Group justify="space-between">
                <Text size="sm" c="dimmed">
                  Adressés {me?.institution ? institutionIn(me.institution, 'to') : 'à toutes les institutions du site'}. Les délais de réponse dépendent du mode choisi
                  par la personne.
                </Text>
                <SegmentedControl
                  size="xs"
                  value={scope}
                  onChange={(v) => setScope(v as 'institution' | 'mine')}
                  data={[
                    { value: 'institution', label: 'Mon institution' },
                    { value: 'mine', label: 'À mon nom' },
                  ]}
                />
              </Group>
              {inbox.error && <Alert color="red">{inbox.error}</Alert>}
              {(() => {
                const g = groupInbox(inbox.handoffs);
                return (
                  <>
                    <InboxGroup title="En attente de votre réponse" testId="inbox-waiting" count={g.waiting.length} empty="Aucun passage de relais n’attend de réponse.">
                      {g.waiting.map((h) => (
                        <HandoffCard key={h.id} h={h} now={inboxNow} side="receiver" run={run} />
                      ))}
                    </InboxGroup>
                    <InboxGroup title="Pris en charge, à terminer" testId="inbox-accepted" count={g.inProgress.length} empty="Aucun passage de relais en cours.">
                      {g.inProgress.map((h) => (
                        <HandoffCard key={h.id} h={h} now={inboxNow} side="receiver" run={run} />
                      ))}
                    </InboxGroup>
                    <InboxGroup title="Terminés ou clos ces 7 derniers jours" testId="inbox-finished" count={g.finished.length}>
                      {g.finished.length > 0 && (
                        <>
                          <Button variant="subtle" size="xs" w="fit-content" onClick={() => setShowFinished((v) => !v)} aria-expanded={showFinished}>
                            {showFinished ? 'Masquer' : 'Afficher'} les passages de relais terminés ou clos
                          </Button>
                          {showFinished && g.finished.map((h) => <HandoffCard key={h.id} h={h} now={inboxNow} side="receiver" run={run} />)}
                        </>
                      )}
                    </InboxGroup>
                  </>
                );
              })()}
            </Stack>
          </Tabs.Panel>
        )}
        <Tabs.Panel value="sent" pt="sm">
          <Stack gap="sm">
            {sent.error && <Alert color="red">{sent.error}</Alert>}
            {sent.handoffs.length === 0 && <Text c="dimmed">Vous n’avez fait aucun passage de relais aujourd’hui.</Text>}
            {sent.handoffs.map((h) => (
              <HandoffCard
                key={h.id}
                h={h}
                now={sentNow}
                side="sender"
                run={run}
                extra={
                  (h.state === 'declined' || h.state === 'expired') && !h.reorientedToId ? (
                    <Button size="xs" onClick={() => openHandoff({ reorientFrom: h, domains: h.domains, mode: h.mode, urgency: h.urgency })}>
                      Réorienter…
                    </Button>
                  ) : h.reorientedToId ? (
                    <Text size="xs" c="dimmed">
                      Réorienté
                    </Text>
                  ) : null
                }
              />
            ))}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="directory" pt="sm">
          <DirectoryView />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
