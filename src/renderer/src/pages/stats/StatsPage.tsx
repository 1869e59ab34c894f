/** Statistics of the site: today live, and reports for any period with CSV, XLSX and PDF exports. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, Progress, SegmentedControl, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Figures, PeriodReport } from '../../../../shared/api/methods/stats';
import type { QueueConfig } from '../../../../shared/queue/config';
import { arrivalBars, heatmapSvg } from '../../../../shared/stats/charts';
import { INDICATORS } from '../../../../shared/stats/indicators';
import { PERIOD_KINDS, PERIOD_LABELS_FR, periodContaining, type PeriodKind } from '../../../../shared/stats/periods';
import { WEEKDAY_NAMES_FR, type IsoWeekday } from '../../../../shared/reference/sites';
import { formatDayFr, localDay, localTime } from '../../../../shared/time/paris';
import { formatCount, formatHourSlot, formatPercent } from '../../../../shared/format/fr';
import { api, errorMessage } from '../../api/client';
import { DayInput } from '../../components/dates';
import { BarChart, BreakdownGrid, Definition, formatValue, Kpi } from './parts';
import { downloadExport } from '../../download';

function useServiceLabel() {
  const [config, setConfig] = useState<QueueConfig | null>(null);
  useEffect(() => {
    api.call('queue.getConfig', {}).then(setConfig, () => undefined);
  }, []);
  return useCallback((code: string) => config?.services.find((s) => s.code === code)?.label ?? code, [config]);
}

function hourBars(f: Figures) {
  return f.arrivalsByHour.filter((h) => h.hour >= 8 && h.hour <= 17).map((h) => ({ label: formatHourSlot(h.hour), value: h.count }));
}

export function StatsPage() {
  return (
    <Stack>
      <Title order={1} size="h2">
        Statistiques du site
      </Title>
      <Tabs defaultValue="today" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="today">Aujourd’hui</Tabs.Tab>
          <Tabs.Tab value="period">Rapports et exports</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="today" pt="sm">
          <TodayPanel />
        </Tabs.Panel>
        <Tabs.Panel value="period" pt="sm">
          <PeriodPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function TodayPanel() {
  const [data, setData] = useState<{ day: string; now: string; waitingNow: number; figures: Figures } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const serviceLabel = useServiceLabel();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    try {
      setData(await api.call('stats.today', {}));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    void load();
    // Live: any change of the queue, the contacts or the hand-overs refreshes the figures (debounced).
    const soon = () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void load(), 400);
    };
    const offs = [api.on('queue.changed', soon), api.on('contacts.changed', soon), api.on('handoff.changed', soon), api.on('day.changed', soon)];
    const poll = setInterval(() => void load(), 60_000);
    return () => {
      offs.forEach((off) => off());
      clearInterval(poll);
    };
  }, [load]);

  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Text c="dimmed">Chargement…</Text>;
  const f = data.figures;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {formatDayFr(data.day)} · mis à jour à {localTime(new Date(data.now))} · se met à jour en direct
      </Text>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <Kpi code="arrivals" value={f.arrivals} />
        <Kpi code="received" value={f.received} extra={<Text size="xs">{`dont ${f.handedOver} relayé${f.handedOver > 1 ? 's' : ''} à une autre institution`}</Text>} />
        <Kpi code="waitingNow" value={data.waitingNow} />
        <Kpi code="waitMedian" value={f.waitMedian} />
        <Kpi code="waitP90" value={f.waitP90} />
        <Kpi
          code="leftRate"
          value={f.leftRate}
          extra={<Text size="xs">{`${formatCount(f.left)} partis · ${formatCount(f.noShow)} absents · ${formatCount(f.closedUnseen)} à la fermeture`}</Text>}
        />
        <Kpi code="contacts" value={f.contacts} />
        <Kpi code="handoffs" value={f.handoffs} />
        <Kpi code="outsideHours" value={f.outsideHours} />
      </SimpleGrid>
      <BarChart title="Arrivées par heure" bars={hourBars(f)} alt={`Arrivées par heure : ${hourBars(f).map((b) => `${b.label} ${b.value}`).join(', ')}`} />
      <BreakdownGrid f={f} serviceLabel={serviceLabel} />
    </Stack>
  );
}

function trend(current: number | null, before: number | null): string {
  if (current === null || before === null) return '—';
  if (before === 0) return current === 0 ? '=' : 'nouveau';
  const pct = Math.round(((current - before) / before) * 100);
  if (pct === 0) return '=';
  return `${pct > 0 ? '+' : '−'}${formatPercent(Math.abs(pct))}`;
}

const SCALARS = ['arrivals', 'contacts', 'distinctPersons', 'identifiedPassages', 'anonymousContacts', 'waitMedian', 'waitP90', 'serviceMedian', 'leftRate', 'outsideHours', 'handoffs', 'handoffAcceptance', 'handoffAcceptMedian'] as const;

function PeriodPanel() {
  const today = localDay(new Date());
  const [kind, setKind] = useState<PeriodKind>('month');
  const [offset, setOffset] = useState(0);
  const [custom, setCustom] = useState({ from: today.slice(0, 8) + '01', to: today });
  const [report, setReport] = useState<PeriodReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ percent: number; stage: string } | null>(null);
  const serviceLabel = useServiceLabel();

  const range = kind === 'custom' ? custom : periodContaining(kind, today, offset);

  useEffect(() => {
    let cancelled = false;
    setReport(null);
    api.call('stats.period', range).then(
      (r) => !cancelled && (setReport(r), setError(null)),
      (e: unknown) => !cancelled && setError(errorMessage(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [range.from, range.to]);

  const exportAs = async (format: 'csv' | 'xlsx' | 'pdf') => {
    const exportId = `exp${Date.now()}`;
    const off = api.on('export.progress', (p) => p.exportId === exportId && setProgress({ percent: p.percent, stage: p.stage }));
    setProgress({ percent: 1, stage: 'Préparation' });
    try {
      const file = await api.call('exports.report', { ...range, format, exportId });
      await downloadExport(file);
      notifications.show({ color: 'teal', message: `Fichier ${file.filename} prêt.` });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      off();
      setProgress(null);
    }
  };

  const f = report?.figures;
  return (
    <Stack>
      <Group align="flex-end" gap="sm">
        <SegmentedControl
          value={kind}
          onChange={(v) => {
            setKind(v as PeriodKind);
            setOffset(0);
          }}
          data={PERIOD_KINDS.map((k) => ({ value: k, label: PERIOD_LABELS_FR[k] }))}
          aria-label="Type de période"
        />
        {kind !== 'custom' ? (
          <Group gap={4}>
            <Button variant="default" size="sm" onClick={() => setOffset((o) => o - 1)} aria-label="Période précédente">
              ←
            </Button>
            <Button variant="default" size="sm" onClick={() => setOffset((o) => o + 1)} aria-label="Période suivante" disabled={offset >= 0}>
              →
            </Button>
          </Group>
        ) : (
          <Group gap="xs">
            <DayInput label="Du" value={custom.from} onChange={(d) => d && setCustom({ ...custom, from: d })} maxDate={custom.to} w={150} />
            <DayInput label="Au" value={custom.to} onChange={(d) => d && setCustom({ ...custom, to: d })} minDate={custom.from} w={150} />
          </Group>
        )}
      </Group>
      <Group justify="space-between">
        <Text fw={600} data-testid="period-label">
          Du {formatDayFr(range.from)} au {formatDayFr(range.to)}
        </Text>
        <Group gap="xs">
          <Button variant="light" onClick={() => void exportAs('csv')} disabled={!report || progress !== null}>
            Export CSV
          </Button>
          <Button variant="light" onClick={() => void exportAs('xlsx')} disabled={!report || progress !== null}>
            Export Excel (XLSX)
          </Button>
          <Button variant="light" onClick={() => void exportAs('pdf')} disabled={!report || progress !== null}>
            Rapport PDF
          </Button>
        </Group>
      </Group>
      {progress && (
        <div>
          <Text size="sm">{progress.stage}…</Text>
          <Progress value={progress.percent} aria-label="Avancement de l’export" animated />
        </div>
      )}
      {error && <Alert color="red">{error}</Alert>}
      {!report && !error && <Text c="dimmed">Calcul du rapport…</Text>}
      {report && f && (
        <>
          <Table aria-label="Indicateurs de la période" striped data-testid="period-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Indicateur</Table.Th>
                <Table.Th scope="col" ta="right">
                  Période
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Période précédente
                  <Text size="xs" c="dimmed" data-testid="previous-range">
                    {formatDayFr(report.previous.from)} – {formatDayFr(report.previous.to)}
                  </Text>
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Évolution
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Même période l’an dernier
                  <Text size="xs" c="dimmed" data-testid="last-year-range">
                    {formatDayFr(report.lastYear.from)} – {formatDayFr(report.lastYear.to)}
                  </Text>
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Évolution
                </Table.Th>
                <Table.Th scope="col">
                  <span className="sr-only">Définition</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {SCALARS.map((k) => (
                <Table.Tr key={k} data-testid={`row-${k}`}>
                  <Table.Td>{INDICATORS[k].label}</Table.Td>
                  <Table.Td ta="right" fw={700}>
                    {formatValue(f[k], INDICATORS[k].unit)}
                  </Table.Td>
                  <Table.Td ta="right">{formatValue(report.previous[k], INDICATORS[k].unit)}</Table.Td>
                  <Table.Td ta="right">{trend(f[k], report.previous[k])}</Table.Td>
                  <Table.Td ta="right">{formatValue(report.lastYear[k], INDICATORS[k].unit)}</Table.Td>
                  <Table.Td ta="right">{trend(f[k], report.lastYear[k])}</Table.Td>
                  <Table.Td>
                    <Definition code={k} />
                  </Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Td>{INDICATORS.daysClosedShare.label}</Table.Td>
                <Table.Td ta="right" fw={700}>
                  {formatValue(report.daysClosedShare, '%')} ({formatCount(report.closedDays)}/{formatCount(report.openDays)})
                </Table.Td>
                <Table.Td colSpan={4} />
                <Table.Td>
                  <Definition code="daysClosedShare" />
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <BarChart {...arrivalBars(report.perDay)} />
          <BarChart title="Arrivées par heure" bars={hourBars(f)} alt={`Arrivées par heure : ${hourBars(f).map((b) => `${b.label} ${b.value}`).join(', ')}`} />
          <HeatMap report={report} />
          <BreakdownGrid f={f} serviceLabel={serviceLabel} />
        </>
      )}
    </Stack>
  );
}

function HeatMap({ report }: { report: PeriodReport }) {
  const hours = Array.from({ length: 11 }, (_, i) => i + 8);
  const rows = ([1, 2, 3, 4, 5] as IsoWeekday[]).map((w) => ({
    label: WEEKDAY_NAMES_FR[w],
    values: hours.map((h) => report.heatmap.find((c) => c.weekday === w && c.hour === h)?.count ?? 0),
  }));
  const svg = heatmapSvg(
    rows,
    hours.map((h) => formatHourSlot(h)),
  );
  return (
    <div>
      <Group justify="space-between">
        <Title order={3} size="h5">
          {INDICATORS.heatmap.label}
        </Title>
        <Definition code="heatmap" />
      </Group>
      <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt="Carte de chaleur de l’affluence, détail dans le tableau qui suit" style={{ maxWidth: '100%' }} />
      <Table aria-label="Affluence par jour et heure" className="sr-only">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Jour</Table.Th>
            {hours.map((h) => (
              <Table.Th key={h} scope="col">
                {formatHourSlot(h)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.label}>
              <Table.Td>{r.label}</Table.Td>
              {r.values.map((v, i) => (
                <Table.Td key={i}>{v}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
