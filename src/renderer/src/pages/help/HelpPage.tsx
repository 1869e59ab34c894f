/**
 * `/aide`: the user guide of one's own role, and the other roles' guides one click away. Reached
 * from the header ("Aide") and with F1 anywhere.
 */
import { Anchor, Group, List, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useSession } from '../../session/SessionContext';
import { navigate } from '../../router';
import { GUIDES, guideFor } from './guides';

export const HELP_PATH = '/aide';

/** The guide page of a path (`/aide/coordination`), or of the signed-in role for `/aide`. */
export function helpPathFor(role: Parameters<typeof guideFor>[0]): string {
  return `${HELP_PATH}/${guideFor(role).slug}`;
}

export function HelpPage({ path }: { path: string }) {
  const { me } = useSession();
  const slug = path.slice(HELP_PATH.length + 1);
  const guide = GUIDES.find((g) => g.slug === slug) ?? (me ? guideFor(me.role) : GUIDES[0]!);
  return (
    <Stack maw={860} gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          Aide – {guide.title}
        </Title>
        <SegmentedControl
          aria-label="Guide à afficher"
          size="xs"
          value={guide.slug}
          onChange={(v) => navigate(`${HELP_PATH}/${v}`)}
          data={GUIDES.map((g) => ({ value: g.slug, label: g.slug === 'accueil' ? 'Accueil' : g.slug === 'professionnel' ? 'Professionnel·le' : g.slug === 'coordination' ? 'Coordination' : 'Administration' }))}
        />
      </Group>
      {guide.intro}
      <Paper withBorder p="sm" component="nav" aria-label="Sommaire du guide">
        <Text size="sm" fw={600} mb={4}>
          Sommaire
        </Text>
        <List size="sm" spacing={2}>
          {guide.sections.map((s) => (
            <List.Item key={s.id}>
              <Anchor
                href={`#aide-${s.id}`}
                size="sm"
                onClick={(e) => {
                  e.preventDefault();
                  const el = document.getElementById(`aide-${s.id}`);
                  el?.scrollIntoView({ block: 'start' });
                  el?.focus();
                }}
              >
                {s.title}
              </Anchor>
            </List.Item>
          ))}
        </List>
      </Paper>
      {guide.sections.map((s) => (
        <section key={s.id} aria-labelledby={`aide-${s.id}`} data-testid={`help-${s.id}`}>
          <Title order={2} size="h4" id={`aide-${s.id}`} tabIndex={-1} mb={6}>
            {s.title}
          </Title>
          {s.body}
        </section>
      ))}
    </Stack>
  );
}
