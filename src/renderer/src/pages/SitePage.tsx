/** Home: the site's identity and opening hours, today's status at a glance. */
import { useEffect, useState } from 'react';
import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { SiteInfo } from '../../../shared/api/methods/site';
import { WEEKDAY_NAMES_FR, type IsoWeekday } from '../../../shared/reference/sites';
import { hhmmToMinutes, localMinutes, formatDayFr } from '../../../shared/time/paris';
import { formatClock } from '../../../shared/format/fr';
import { api, errorMessage } from '../api/client';
import { useNow } from '../hooks';

function periodsText(periods: { start: string; end: string }[]): string {
  if (periods.length === 0) return 'Fermé';
  return periods.map((p) => `${formatClock(p.start)}–${formatClock(p.end)}`).join(' et ');
}

export function SitePage() {
  const [info, setInfo] = useState<SiteInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow(30_000);

  useEffect(() => {
    api.call('site.info', {}).then(setInfo, (e: unknown) => setError(errorMessage(e)));
  }, []);

  if (error) return <Text c="red">{error}</Text>;
  if (!info) return <Text c="dimmed">Chargement…</Text>;

  const minutes = localMinutes(now);
  const open = info.todayPeriods.some((p) => minutes >= hhmmToMinutes(p.start) && minutes < hhmmToMinutes(p.end));

  return (
    <Stack maw={760}>
      <Title order={1} size="h2">
        {info.name}
      </Title>
      <Card withBorder>
        <Group justify="space-between" align="flex-start">
          <div>
            <Text>{info.address}</Text>
            <Text>{info.city}</Text>
            <Text>Téléphone : {info.phone}</Text>
          </div>
          <Badge size="lg" color={open ? 'teal' : 'gray'} variant="light">
            {open ? 'Ouvert au public' : 'Fermé au public'}
          </Badge>
        </Group>
        <Text mt="sm">
          Aujourd’hui ({formatDayFr(info.today)}) : <strong>{periodsText(info.todayPeriods)}</strong>
        </Text>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          Horaires d’ouverture au public
        </Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Jour</Table.Th>
              <Table.Th scope="col">Horaires</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {info.weekly.map((w) => (
              <Table.Tr key={w.weekday}>
                <Table.Td tt="capitalize">{WEEKDAY_NAMES_FR[w.weekday as IsoWeekday]}</Table.Td>
                <Table.Td>{periodsText(w.periods)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}
