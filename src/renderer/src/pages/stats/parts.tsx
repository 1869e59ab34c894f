/** Building blocks of the statistics screens: indicator cards with definitions, breakdown tables, charts. */
import type { ReactNode } from 'react';
import { Card, Group, Popover, SimpleGrid, Table, Text, Title, UnstyledButton } from '@mantine/core';
import type { Figures } from '../../../../shared/api/methods/stats';
import { CHANNEL_LABELS_FR, type Channel } from '../../../../shared/contacts/vocabulary';
import { HANDOFF_STATE_LABELS_FR, type HandoffState } from '../../../../shared/handoffs/states';
import { barChartSvg } from '../../../../shared/stats/charts';
import { INDICATORS, type IndicatorCode } from '../../../../shared/stats/indicators';
import { domainLabel } from '../../../../shared/reference/taxonomy';
import { orientationLabel } from '../contacts/labels';
import { formatCount, formatMinutesFigure, formatNumber, formatPercent } from '../../../../shared/format/fr';

/** A figure in its unit, French style: `4 528`, `12,5 %`, `12,5 min`, `1 h 05`. */
export function formatValue(v: number | null, unit: string): string {
  if (v === null) return '—';
  if (unit === '%') return formatPercent(v);
  if (unit === 'minutes') return formatMinutesFigure(v);
  return formatNumber(v);
}

export function Definition({ code }: { code: IndicatorCode }) {
  const d = INDICATORS[code];
  return (
    <Popover width={320} withArrow shadow="md">
      <Popover.Target>
        <UnstyledButton aria-label={`Définition : ${d.label}`} style={{ fontSize: 12, color: 'var(--mantine-color-teal-9)', textDecoration: 'underline' }}>
          définition
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown>
        <Text size="sm" fw={600}>
          {d.label} ({d.unit})
        </Text>
        <Text size="sm">{d.definition}</Text>
      </Popover.Dropdown>
    </Popover>
  );
}

export function Kpi({ code, value, extra }: { code: IndicatorCode; value: number | null; extra?: ReactNode }) {
  const d = INDICATORS[code];
  return (
    <Card withBorder padding="sm" data-testid={`kpi-${code}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Text size="sm" c="dimmed">
          {d.label}
        </Text>
        <Definition code={code} />
      </Group>
      <Text fz={28} fw={800} data-testid="kpi-value">
        {formatValue(value, d.unit)}
      </Text>
      {extra}
    </Card>
  );
}

type BreakdownKey = 'byService' | 'byChannel' | 'byDomain' | 'byOrientation' | 'handoffsByState';

export function Breakdown({ code, items, serviceLabel }: { code: BreakdownKey; items: Figures[BreakdownKey]; serviceLabel?: (code: string) => string }) {
  const d = INDICATORS[code];
  const label = (k: string) =>
    code === 'byService'
      ? (serviceLabel?.(k) ?? k)
      : code === 'byChannel'
        ? (CHANNEL_LABELS_FR[k as Channel] ?? k)
        : code === 'byDomain'
          ? domainLabel(k)
          : code === 'byOrientation'
            ? orientationLabel(k)
            : (HANDOFF_STATE_LABELS_FR[k as HandoffState] ?? k);
  return (
    <Card withBorder padding="sm">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {d.label}
        </Title>
        <Definition code={code} />
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Aucune donnée.
        </Text>
      ) : (
        <Table aria-label={d.label} verticalSpacing={2} data-testid={`breakdown-${code}`}>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.key}>
                <Table.Td>{label(i.key)}</Table.Td>
                <Table.Td ta="right" fw={600}>
                  {formatCount(i.count)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

export function BarChart({ title, bars, alt }: { title: string; bars: { label: string; value: number }[]; alt: string }) {
  const svg = barChartSvg(bars, { width: 720, height: 220 });
  return (
    <Card withBorder padding="sm">
      <Title order={3} size="h5" mb={4}>
        {title}
      </Title>
      <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt={alt} style={{ width: '100%', maxWidth: 720 }} />
    </Card>
  );
}

export function BreakdownGrid({ f, serviceLabel }: { f: Figures; serviceLabel: (code: string) => string }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
      <Breakdown code="byService" items={f.byService} serviceLabel={serviceLabel} />
      <Breakdown code="byChannel" items={f.byChannel} />
      <Breakdown code="byDomain" items={f.byDomain} />
      <Breakdown code="byOrientation" items={f.byOrientation} />
      <Breakdown code="handoffsByState" items={f.handoffsByState} />
    </SimpleGrid>
  );
}
