/**
 * The whole JSON-RPC contract: every method and event, defined once. The router, the clients,
 * `rpc.schema`, the contract tests and the fuzzers all read this table.
 */
import { z } from 'zod';
import { defineEvent, defineMethod, documentedAs, zEmpty } from './define';
import { sessionMethods } from './methods/session';
import { accountsMethods } from './methods/accounts';
import { siteMethods } from './methods/site';
import { queueMethods, zDisplayCall, zQueueChanged } from './methods/queue';
import { contactsMethods } from './methods/contacts';
import { directoryMethods } from './methods/directory';
import { handoffsMethods } from './methods/handoffs';
import { statsMethods } from './methods/stats';
import { auditMethods } from './methods/audit';
import { backupMethods } from './methods/backups';
import { privacyMethods } from './methods/privacy';
import { syncMethods, zSyncProgress } from './methods/sync';
import { devicesMethods } from './methods/devices';
import { systemMethods } from './methods/system';
import { setupMethods } from './methods/setup';
import { HANDOFF_STATES } from '../handoffs/states';
import { INSTITUTION_CODES } from '../reference/institutions';
import { canSeeContact, canSeeHandoff, canSeeService } from '../permissions';

const rpcMethods = {
  'rpc.schema': defineMethod({
    summary: 'JSON Schema de toutes les méthodes et de tous les événements.',
    permission: 'public',
    params: zEmpty,
    result: z.strictObject({
      methods: z.record(
        z.string(),
        z.strictObject({
          params: z.unknown(),
          result: z.unknown(),
          permission: z.string(),
          summary: z.string(),
        }),
      ),
      events: z.record(z.string(), z.unknown()),
    }),
  }),
};

export const METHODS = {
  ...rpcMethods,
  ...sessionMethods,
  ...accountsMethods,
  ...siteMethods,
  ...queueMethods,
  ...contactsMethods,
  ...directoryMethods,
  ...handoffsMethods,
  ...statsMethods,
  ...auditMethods,
  ...backupMethods,
  ...privacyMethods,
  ...syncMethods,
  ...devicesMethods,
  ...systemMethods,
  ...setupMethods,
};

export type Methods = typeof METHODS;
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;

export const EVENTS = {
  'accounts.changed': defineEvent({
    summary: 'Un compte du site a été créé ou modifié.',
    permission: 'accounts.manage',
    payload: z.strictObject({ accountId: z.string() }),
  }),
  'queue.changed': defineEvent({
    summary: 'La file du site a changé (arrivée, appel, fin, déplacement, configuration…), avec le passage modifié et la version du jour.',
    permission: 'queue.view',
    payload: zQueueChanged,
    // Whole-queue changes (configuration, bulk closing) carry no service: every viewer re-reads.
    scope: (viewer, p) =>
      p.serviceCode === null || canSeeService(viewer, p.institution) || (p.previousInstitution !== null && canSeeService(viewer, p.previousInstitution)),
  }),
  'contacts.changed': defineEvent({
    summary: 'Un contact du site a été enregistré ou corrigé.',
    permission: 'contacts.view',
    payload: z.strictObject({ day: z.string(), contactId: z.string(), agentId: z.string() }),
    scope: (viewer, p) => canSeeContact(viewer, p.agentId),
  }),
  'handoff.changed': defineEvent({
    summary: 'Un passage de relais a été créé ou a changé d’état (sans information personnelle).',
    permission: 'handoffs.create',
    payload: z.strictObject({
      id: z.string(),
      state: z.enum(HANDOFF_STATES),
      toInstitution: z.enum(INSTITUTION_CODES),
      fromInstitution: z.enum(INSTITUTION_CODES).nullable(),
      fromAccountId: z.string(),
      action: z.string(),
    }),
    scope: (viewer, p) => canSeeHandoff(viewer, p),
  }),
  'day.changed': defineEvent({
    summary: 'Une journée du site a été clôturée ou rouverte.',
    permission: 'stats.view',
    payload: z.strictObject({ day: z.string(), state: z.enum(['closed', 'reopened']) }),
  }),
  'export.progress': defineEvent({
    summary: 'Avancement d’un export de rapport.',
    permission: 'stats.view',
    payload: z.strictObject({ exportId: z.string(), percent: z.int().min(0).max(100), stage: z.string() }),
  }),
  'sync.progress': defineEvent({
    summary: 'Avancement de la synchronisation avec la base centrale.',
    permission: 'sync.view',
    payload: zSyncProgress,
  }),
  'display.called': defineEvent({
    summary: 'Un ticket vient d’être appelé (écran de salle d’attente, sans nom).',
    permission: 'public',
    payload: zDisplayCall,
  }),
};

export type Events = typeof EVENTS;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(METHODS, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(EVENTS, name);
}

/** A `checkedArray` is documented as the zod array it checks. */
function documentChecked(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  const documented = documentedAs(ctx.zodSchema);
  if (!documented) return;
  const { $schema: _draft, ...json } = z.toJSONSchema(documented, { io: 'output' });
  Object.assign(ctx.jsonSchema, json);
}

/** The answer of `rpc.schema`, generated from the zod definitions. */
export function contractJsonSchema(): ResultOf<'rpc.schema'> {
  const methods: ResultOf<'rpc.schema'>['methods'] = {};
  for (const [name, def] of Object.entries(METHODS)) {
    methods[name] = {
      params: z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }),
      result: z.toJSONSchema(def.result, { io: 'output', unrepresentable: 'any', override: documentChecked }),
      permission: def.permission,
      summary: def.summary,
    };
  }
  const events: ResultOf<'rpc.schema'>['events'] = {};
  for (const [name, def] of Object.entries(EVENTS)) {
    events[name] = z.toJSONSchema(def.payload, { io: 'output', unrepresentable: 'any' });
  }
  return { methods, events };
}
