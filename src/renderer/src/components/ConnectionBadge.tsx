/** Tells the desk when the hub is unreachable, so nobody types into a dead screen unknowingly. */
import { useEffect, useState } from 'react';
import { Badge } from '@mantine/core';
import { api, type ConnectionState } from '../api/client';

export function ConnectionBadge() {
  const [state, setState] = useState<ConnectionState>('connecting');
  useEffect(() => api.onConnection(setState), []);
  if (state === 'online') return null;
  return (
    <Badge color={state === 'offline' ? 'red' : 'gray'} role="status">
      {state === 'offline' ? 'Hub injoignable – reconnexion…' : 'Connexion…'}
    </Badge>
  );
}
