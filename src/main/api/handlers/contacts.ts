/** contacts.* and taxonomy.* methods. */
import { cancelContact, countPersons, getContact, listContacts, logContact, updateContact } from '../../core/contacts/contacts';
import { listDomains } from '../../core/taxonomy/taxonomy';
import { requireSession, type Handlers } from '../types';

type ContactHandlers = Pick<Handlers, Extract<keyof Handlers, `contacts.${string}` | `taxonomy.${string}`>>;

export const contactsHandlers: ContactHandlers = {
  'taxonomy.list': (p, ctx) => listDomains(ctx.services.core, p.includeRetired ?? false),
  'contacts.log': (p, ctx) => logContact(ctx.services.core, requireSession(ctx), p),
  'contacts.update': (p, ctx) => updateContact(ctx.services.core, requireSession(ctx), p),
  'contacts.cancel': (p, ctx) => cancelContact(ctx.services.core, requireSession(ctx), p),
  'contacts.get': (p, ctx) => getContact(ctx.services.core, requireSession(ctx), p.id),
  'contacts.list': (p, ctx) => listContacts(ctx.services.core, requireSession(ctx), p),
  'contacts.persons': (p, ctx) => countPersons(ctx.services.core, p.from, p.to),
};
