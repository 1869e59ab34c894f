/** queue.* and display.* methods. */
import { getQueueConfig, updateQueueConfig } from '../../core/queue/config';
import { act, addEntry, callNext, closeOpenEntries, displayBoard, listDay, listProfessionals } from '../../core/queue/queue';
import { requireSession, type Handlers } from '../types';

type QueueHandlers = Pick<Handlers, Extract<keyof Handlers, `queue.${string}` | `display.${string}`>>;

export const queueHandlers: QueueHandlers = {
  'queue.getConfig': (_p, ctx) => getQueueConfig(ctx.services.core),
  'queue.updateConfig': (p, ctx) => updateQueueConfig(ctx.services.core, requireSession(ctx), p.config),
  'queue.professionals': (_p, ctx) => ({ professionals: listProfessionals(ctx.services.core) }),
  'queue.add': (p, ctx) => addEntry(ctx.services.core, requireSession(ctx), p),
  'queue.list': (p, ctx) => listDay(ctx.services.core, requireSession(ctx), p.day, p.since),
  'queue.call': (p, ctx) => act(ctx.services.core, requireSession(ctx), 'call', p),
  'queue.callNext': (p, ctx) => callNext(ctx.services.core, requireSession(ctx), p.serviceCode, p.destination),
  'queue.recall': (p, ctx) => act(ctx.services.core, requireSession(ctx), 'recall', p),
  'queue.start': (p, ctx) => act(ctx.services.core, requireSession(ctx), 'start', p),
  'queue.finish': (p, ctx) => act(ctx.services.core, requireSession(ctx), 'finish', p),
  'queue.noShow': (p, ctx) => act(ctx.services.core, requireSession(ctx), 'noShow', p),
  'queue.left': (p, ctx) => act(ctx.services.core, requireSession(ctx), 'left', p),
  'queue.cancel': (p, ctx) => act(ctx.services.core, requireSession(ctx), 'cancel', p),
  'queue.move': (p, ctx) => act(ctx.services.core, requireSession(ctx), 'move', p),
  'queue.reorder': (p, ctx) => act(ctx.services.core, requireSession(ctx), 'reorder', p),
  'queue.closeDay': (_p, ctx) => ({ closed: closeOpenEntries(ctx.services.core, requireSession(ctx), 'today') }),
  'display.board': (_p, ctx) => displayBoard(ctx.services.core),
};
