/** The active request domains of the site's taxonomy (loaded once per page). */
import { useEffect, useState } from 'react';
import { REQUEST_DOMAINS_V1 } from '../../../../shared/reference/taxonomy';
import { api } from '../../api/client';

export interface DomainOption {
  code: string;
  label: string;
}

let cache: DomainOption[] | null = null;

export function useDomains(): DomainOption[] {
  const [domains, setDomains] = useState<DomainOption[]>(cache ?? REQUEST_DOMAINS_V1.map((d) => ({ code: d.code, label: d.label })));
  useEffect(() => {
    if (cache) return;
    api.call('taxonomy.list', {}).then(
      (r) => {
        cache = r.domains.map((d) => ({ code: d.code, label: d.label }));
        setDomains(cache);
      },
      () => undefined,
    );
  }, []);
  return domains;
}
