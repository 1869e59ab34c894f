/** The site's queue configuration (services, desks, thresholds, ordering policy). */
import { AppError } from '../../../shared/api/errors';
import { DEFAULT_QUEUE_CONFIG, zQueueConfig, type QueueConfig, type QueueService } from '../../../shared/queue/config';
import type { Actor, CoreContext } from '../context';
import { readSetting, writeSetting } from '../settings/settings';
import { localDay } from '../../../shared/time/paris';
import { dayVersion } from './queue';

const KEY = 'queue.config';

export function getQueueConfig(ctx: CoreContext): QueueConfig {
  return readSetting(ctx, KEY, zQueueConfig, DEFAULT_QUEUE_CONFIG);
}

export function updateQueueConfig(ctx: CoreContext, actor: Actor, config: QueueConfig): QueueConfig {
  const before = getQueueConfig(ctx);
  // A service that has already issued tickets keeps its code and letter: ticket numbers and
  // statistics refer to them. It can be deactivated instead.
  for (const old of before.services) {
    const next = config.services.find((s) => s.code === old.code);
    if (!next) {
      throw new AppError('VALIDATION', `Le service « ${old.label} » ne peut pas être supprimé : désactivez-le.`, [
        { path: 'config.services', message: 'Un service existant se désactive, il ne se supprime pas.' },
      ]);
    }
    if (next.prefix !== old.prefix) {
      throw new AppError('VALIDATION', `La lettre de ticket du service « ${old.label} » ne peut pas changer.`, [
        { path: 'config.services', message: 'La lettre de ticket d’un service existant est fixe.' },
      ]);
    }
  }
  ctx.store.sqlite.transaction(() => writeSetting(ctx, actor, KEY, config))();
  // No entry changed: the version stays, desks re-read the configuration only.
  const day = localDay(ctx.clock.now());
  const version = dayVersion(ctx, day);
  ctx.events.emit('queue.changed', {
    day,
    action: 'config',
    entryId: null,
    previousVersion: version,
    version,
    entry: null,
    serviceCode: null,
    institution: null,
    previousInstitution: null,
  });
  return config;
}

export function findService(config: QueueConfig, code: string): QueueService {
  const service = config.services.find((s) => s.code === code);
  if (!service) {
    throw new AppError('VALIDATION', `Service inconnu : ${code}.`, [{ path: 'serviceCode', message: 'Ce service n’existe pas sur ce site.' }]);
  }
  return service;
}
