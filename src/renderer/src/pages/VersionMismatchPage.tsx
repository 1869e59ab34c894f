/**
 * The hub and this page do not speak compatible versions of the contract (a roll-out in
 * progress): say plainly what to do instead of letting every screen fail.
 */
import { Alert, Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { VersionMismatch } from '../api/client';

export function VersionMismatchPage({ mismatch }: { mismatch: VersionMismatch }) {
  const title = mismatch.action === 'wait_for_hub' ? 'Le hub du site doit d’abord être mis à jour' : 'Ce poste doit être mis à jour';
  return (
    <Center mih="100vh" component="main" p="md">
      <Paper withBorder p="xl" radius="md" maw={620} w="100%">
        <Stack>
          <Title order={1} size="h2">
            {title}
          </Title>
          <Alert color={mismatch.action === 'wait_for_hub' ? 'yellow' : 'blue'} role="alert" title="Versions différentes de l’application">
            {mismatch.message}
          </Alert>
          <Text size="sm">
            Les personnes en attente et les contacts déjà enregistrés sont conservés sur le hub du site : rien n’est perdu pendant la mise à jour.
          </Text>
          <Button onClick={() => location.reload()} w="fit-content">
            Recharger la page
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
