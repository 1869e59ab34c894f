/** handoffs.* and directory.* methods. */
import { listDirectory, saveDirectoryEntry, savePartner } from '../../core/directory/directory';
import { actOnHandoff, createHandoff, getHandoffConfig, inbox, readDetails, sent, updateHandoffConfig } from '../../core/handoffs/handoffs';
import { requireSession, type Handlers } from '../types';

type HandoffHandlers = Pick<Handlers, Extract<keyof Handlers, `handoffs.${string}` | `directory.${string}`>>;

export const handoffsHandlers: HandoffHandlers = {
  'directory.list': (p, ctx) => listDirectory(ctx.services.core, p),
  'directory.saveEntry': (p, ctx) => saveDirectoryEntry(ctx.services.core, requireSession(ctx), p),
  'directory.savePartner': (p, ctx) => savePartner(ctx.services.core, requireSession(ctx), p),
  'handoffs.getConfig': (_p, ctx) => getHandoffConfig(ctx.services.core),
  'handoffs.updateConfig': (p, ctx) => updateHandoffConfig(ctx.services.core, requireSession(ctx), p.config),
  'handoffs.create': (p, ctx) => createHandoff(ctx.services.core, requireSession(ctx), p),
  'handoffs.inbox': (p, ctx) => inbox(ctx.services.core, requireSession(ctx), p.scope ?? 'institution'),
  'handoffs.sent': (p, ctx) => sent(ctx.services.core, requireSession(ctx), p.day, p.all ?? false),
  'handoffs.details': (p, ctx) => readDetails(ctx.services.core, requireSession(ctx), p.id),
  'handoffs.seen': (p, ctx) => actOnHandoff(ctx.services.core, requireSession(ctx), 'seen', p),
  'handoffs.accept': (p, ctx) => actOnHandoff(ctx.services.core, requireSession(ctx), 'accept', p),
  'handoffs.decline': (p, ctx) => actOnHandoff(ctx.services.core, requireSession(ctx), 'decline', p),
  'handoffs.complete': (p, ctx) => actOnHandoff(ctx.services.core, requireSession(ctx), 'complete', p),
  'handoffs.cancel': (p, ctx) => actOnHandoff(ctx.services.core, requireSession(ctx), 'cancel', p),
  'handoffs.personLeft': (p, ctx) => actOnHandoff(ctx.services.core, requireSession(ctx), 'personLeft', p),
};
