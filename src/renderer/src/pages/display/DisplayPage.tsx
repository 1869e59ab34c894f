/**
 * The waiting-room screen (`/display`): the last called tickets and where to go, in very large
 * type, readable across a room. Never a name. A chime and, if enabled, French speech
 * ("Ticket C 14, bureau 3") announce each call. Needs no sign-in.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Button, Group, Stack, Switch, Text } from '@mantine/core';
import type { DisplayCall } from '../../../../shared/api/methods/queue';
import { localTime } from '../../../../shared/time/paris';
import { plural } from '../../../../shared/format/fr';
import { api } from '../../api/client';
import { useNow } from '../../hooks';
import { ticketSpoken } from '../queue/format';

function chime(ctx: AudioContext): void {
  const t = ctx.currentTime;
  for (const [i, freq] of [659.25, 523.25].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t + i * 0.45);
    gain.gain.exponentialRampToValueAtTime(0.35, t + i * 0.45 + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.45 + 0.9);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t + i * 0.45);
    osc.stop(t + i * 0.45 + 1);
  }
}

function speak(call: DisplayCall): void {
  if (!('speechSynthesis' in window)) return;
  const u = new SpeechSynthesisUtterance(`Ticket ${ticketSpoken(call.ticket)}, ${call.destination}`);
  u.lang = 'fr-FR';
  u.rate = 0.9;
  window.speechSynthesis.speak(u);
}

export function DisplayPage() {
  const [siteName, setSiteName] = useState('');
  const [calls, setCalls] = useState<DisplayCall[]>([]);
  const [waiting, setWaiting] = useState(0);
  const [sound, setSound] = useState(false);
  const [voice, setVoice] = useState(() => localStorage.getItem('accueil-esc.display.voice') === '1');
  const audio = useRef<AudioContext | null>(null);
  const now = useNow(10_000);

  const load = useCallback(async () => {
    try {
      const b = await api.call('display.board', {});
      setSiteName(b.siteName);
      setCalls(b.calls);
      setWaiting(b.waiting);
    } catch {
      // The connection badge of the transport retries; the screen keeps showing the last calls.
    }
  }, []);

  useEffect(() => {
    void load();
    const offCall = api.on('display.called', (call) => {
      setCalls((cs) => [call, ...cs].slice(0, 8));
      if (audio.current) chime(audio.current);
      if (voice) setTimeout(() => speak(call), 1000);
      void load();
    });
    const offQueue = api.on('queue.changed', () => void load());
    const offConn = api.onConnection((s) => s === 'online' && void load());
    const poll = setInterval(() => void load(), 30_000);
    return () => {
      offCall();
      offQueue();
      offConn();
      clearInterval(poll);
    };
  }, [load, voice]);

  const enableSound = () => {
    audio.current ??= new AudioContext();
    void audio.current.resume();
    chime(audio.current);
    setSound(true);
  };

  const [latest, ...previous] = calls;

  return (
    <Box component="main" bg="#0b3b3c" c="white" mih="100vh" p="xl" style={{ display: 'flex', flexDirection: 'column' }}>
      <Group justify="space-between">
        <Text fz={36} fw={700}>
          {siteName || 'Accueil'}
        </Text>
        <Text fz={44} fw={700} aria-label="Heure">
          {localTime(now)}
        </Text>
      </Group>
      <h1 className="sr-only">Appels en salle d’attente</h1>
      <Stack align="center" justify="center" style={{ flex: 1 }} gap="xs" aria-live="assertive" data-testid="display-latest">
        {latest ? (
          <>
            <Text fz={40} c="teal.1">
              Ticket
            </Text>
            <Text fz={180} fw={900} lh={1} ff="monospace">
              {ticketSpoken(latest.ticket)}
            </Text>
            <Text fz={72} fw={700} c="yellow.3">
              → {latest.destination}
            </Text>
          </>
        ) : (
          <Text fz={56}>Bienvenue. Votre numéro de ticket s’affichera ici quand ce sera votre tour.</Text>
        )}
      </Stack>
      {previous.length > 0 && (
        <Box>
          <Text fz={28} c="teal.1" mb="xs">
            Appels précédents
          </Text>
          <Group gap="xl" data-testid="display-previous">
            {previous.slice(0, 5).map((c) => (
              <Box key={`${c.ticket}-${c.calledAt}`} px="lg" py="xs" style={{ border: '2px solid rgba(255,255,255,0.4)', borderRadius: 12 }}>
                <Text fz={44} fw={800} ff="monospace">
                  {ticketSpoken(c.ticket)}
                </Text>
                <Text fz={28}>{c.destination}</Text>
              </Box>
            ))}
          </Group>
        </Box>
      )}
      <Group justify="space-between" mt="lg">
        <Text fz={24}>
          {waiting === 0 ? 'Aucune personne en attente' : `${plural(waiting, 'personne', 'personnes')} en attente`}
        </Text>
        <Group>
          {!sound && (
            <Button variant="white" color="dark" onClick={enableSound}>
              Activer le son
            </Button>
          )}
          <Switch
            label="Annonce vocale"
            checked={voice}
            color="yellow"
            styles={{ label: { color: 'white' } }}
            onChange={(e) => {
              setVoice(e.currentTarget.checked);
              localStorage.setItem('accueil-esc.display.voice', e.currentTarget.checked ? '1' : '0');
            }}
          />
        </Group>
      </Group>
    </Box>
  );
}
