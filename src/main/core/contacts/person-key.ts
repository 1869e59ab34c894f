/**
 * Recognising a returning person without storing who they are (docs/decisions/004): an HMAC of
 * normalised last name, first name and birth date under the site's secret. The key is stable
 * on the site, useless elsewhere (another site has another secret), and never leaves the site.
 */
import { createHmac } from 'node:crypto';
import { readMeta } from '../../store/open';
import type { CoreContext } from '../context';

function normalise(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function personKey(ctx: CoreContext, person: { lastName: string; firstName: string; birthDate: string }): string {
  const secret = readMeta(ctx.store, 'site_secret');
  if (!secret) throw new Error('site secret missing');
  return createHmac('sha256', Buffer.from(secret, 'hex'))
    .update(`${normalise(person.lastName)}|${normalise(person.firstName)}|${person.birthDate}`)
    .digest('hex');
}
