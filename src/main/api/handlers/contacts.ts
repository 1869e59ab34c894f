/** contacts.* and taxonomy.* methods. */
import { getContact, listContacts, logContact, updateContact } from '../../core/contacts/contacts';
import { listDomains } from '../../core/taxonomy/taxonomy';
import { requireSession, type Handlers } from '../types';

type ContactHandlers = Pick<Handlers, Extract<keyof Handlers, `contacts.${string}` | `taxonomy.${string}`>>;

export const contactsHandlers: ContactHandlers = {
  'taxonomy.list': (p, ctx) => listDomains(ctx.services.core, p.includeRetired ?? false),
  'contacts.log': (p, ctx) => logContact(ctx.services.core, requireSession(ctx), p),
  'contacts.update': (p, ctx) => updateContact(ctx.services.core, requireSession(ctx), p),
  'contacts.get': (p, ctx) => getContact(ctx.services.core, requireSession(ctx), p.id),
  'contacts.list': (p, ctx) => listContacts(ctx.services.core, requireSession(ctx), p),
  // A count over up to eleven years of contacts: in the job worker.
  'contacts.persons': (p, ctx) => ctx.services.jobs.run('persons', { from: p.from, to: p.to }, { owner: requireSession(ctx).tokenHash, now: ctx.services.core.clock.now() }),
};
