/**
 * JSON-RPC 2.0 router, identical over IPC, HTTP and WebSocket: envelope check, method lookup,
 * strict zod validation (VALIDATION with failing paths), session and permission check, handler,
 * result validation (nothing undeclared ever leaves), errors mapped to stable codes.
 */
import { z } from 'zod';
import { METHODS, isMethodName, type MethodName } from '../../shared/api/contract';
import { AppError, DEFAULT_MESSAGES_FR, JSONRPC_ERROR_NUMBERS, type ValidationIssue } from '../../shared/api/errors';
import type { JsonRpcId, JsonRpcResponse } from '../../shared/api/jsonrpc';
import { can } from '../../shared/permissions';
import type { Session } from '../core/accounts/sessions';
import type { Handlers, CallContext, Connection, Services } from './types';
import { log } from './log';
import { isRpcSchema, rpcSchemaJson } from './schema';

const MAX_BATCH = 50;

/**
 * Answers of one batch, all together, beyond which the rest of the batch is not run (each of its
 * requests is answered with an error saying so): a small batch cannot make a huge answer.
 */
export const MAX_BATCH_ANSWER_CHARS = 1024 * 1024;

/** Size of an answer as sent (the schema's kept text is not serialised again to be measured). */
function answerSize(r: JsonRpcResponse): number {
  return 'result' in r && isRpcSchema(r.result) ? rpcSchemaJson().length + 60 : JSON.stringify(r).length;
}

/** Methods a session that must change its password may still call. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set<MethodName>(['session.me', 'session.logout', 'session.changePassword', 'session.resume', 'rpc.schema', 'site.info']);

/** Methods a locked desk may still call: nothing that shows data. */
const ALLOWED_WHILE_LOCKED = new Set<MethodName>(['session.me', 'session.logout', 'session.unlock', 'session.lock', 'session.resume', 'rpc.schema']);

export function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

function errorResponse(id: JsonRpcId, err: AppError): JsonRpcResponse {
  const data = err.issues ? { code: err.code, issues: err.issues } : { code: err.code };
  return { jsonrpc: '2.0', id, error: { code: JSONRPC_ERROR_NUMBERS[err.code], message: err.message, data } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class Router {
  constructor(
    private readonly services: Services,
    private readonly handlers: Handlers,
  ) {}

  /** Handles one message (single or batch). Returns null when nothing must be answered. */
  async handle(message: unknown, conn: Connection): Promise<JsonRpcResponse | JsonRpcResponse[] | null> {
    if (Array.isArray(message)) {
      if (message.length === 0 || message.length > MAX_BATCH) {
        return errorResponse(null, new AppError('VALIDATION', `Un lot doit contenir entre 1 et ${MAX_BATCH} requêtes.`));
      }
      const out: JsonRpcResponse[] = [];
      let size = 0;
      let schemaGiven = false;
      for (const m of message) {
        const id = isRecord(m) && isValidId(m.id) ? m.id : null;
        const hasId = isRecord(m) && Object.prototype.hasOwnProperty.call(m, 'id');
        if (size > MAX_BATCH_ANSWER_CHARS) {
          if (hasId) out.push(errorResponse(id, new AppError('UNAVAILABLE', 'Réponse trop volumineuse : cette requête du lot n’a pas été exécutée. Envoyez-la à part.')));
          continue;
        }
        if (isRecord(m) && m.method === 'rpc.schema') {
          if (schemaGiven) {
            if (hasId) out.push(errorResponse(id, new AppError('VALIDATION', '« rpc.schema » ne se demande qu’une seule fois par lot.')));
            continue;
          }
          schemaGiven = true;
        }
        const r = await this.handleOne(m, conn);
        if (r) {
          out.push(r);
          size += answerSize(r);
        }
      }
      return out.length ? out : null;
    }
    return this.handleOne(message, conn);
  }

  /** The answer to a body that is not JSON at all. */
  static parseError(): JsonRpcResponse {
    return {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Message illisible : ce n’est pas du JSON valide.', data: { code: 'VALIDATION' } },
    };
  }

  private async handleOne(message: unknown, conn: Connection): Promise<JsonRpcResponse | null> {
    if (!isRecord(message) || message.jsonrpc !== '2.0' || typeof message.method !== 'string') {
      const id = isRecord(message) && isValidId(message.id) ? message.id : null;
      return {
        jsonrpc: '2.0',
        id,
        error: { code: -32600, message: 'Requête JSON-RPC 2.0 invalide.', data: { code: 'VALIDATION' } },
      };
    }
    const hasId = Object.prototype.hasOwnProperty.call(message, 'id');
    if (hasId && !isValidId(message.id)) {
      return { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Identifiant de requête invalide.', data: { code: 'VALIDATION' } } };
    }
    const id = (hasId ? message.id : null) as JsonRpcId;
    const response = await this.dispatch(message.method, message.params, conn, id);
    return hasId ? response : null;
  }

  private async dispatch(method: string, rawParams: unknown, conn: Connection, id: JsonRpcId): Promise<JsonRpcResponse> {
    if (!isMethodName(method)) {
      return { jsonrpc: '2.0', id, error: { code: -32601, message: `Méthode inconnue : ${method.slice(0, 80)}`, data: { code: 'NOT_FOUND' } } };
    }
    const def = METHODS[method];
    try {
      let session: Session | null = null;
      if (def.permission !== 'public') {
        session = conn.token ? this.services.resolveSession(conn.token) : null;
        if (!session) throw new AppError('UNAUTHENTICATED');
        if (!can(session, def.permission)) throw new AppError('FORBIDDEN');
        if (session.locked && !ALLOWED_WHILE_LOCKED.has(method)) {
          throw new AppError('FORBIDDEN', 'Poste verrouillé : déverrouillez-le avec votre code personnel.');
        }
        if (session.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(method)) {
          throw new AppError('FORBIDDEN', 'Vous devez d’abord choisir un nouveau mot de passe.');
        }
      }
      const parsed = def.params.safeParse(rawParams === undefined ? {} : rawParams);
      if (!parsed.success) {
        const issues = zodIssues(parsed.error);
        const first = issues[0]?.message.replace(/\.$/, '');
        throw new AppError('VALIDATION', first ? `${DEFAULT_MESSAGES_FR.VALIDATION.replace(/\.$/, '')} : ${first}.` : DEFAULT_MESSAGES_FR.VALIDATION, issues);
      }
      const ctx: CallContext = { session, conn, services: this.services };
      const handler = this.handlers[method] as (p: unknown, c: CallContext) => unknown;
      const result = await handler(parsed.data, ctx);
      // The kept answer of rpc.schema was checked once when it was built.
      if (isRpcSchema(result)) return { jsonrpc: '2.0', id, result };
      const checked = def.result.safeParse(result);
      if (!checked.success) {
        log.error('rpc.result_invalid', { method, paths: zodIssues(checked.error).map((i) => i.path) });
        throw new AppError('UNAVAILABLE', 'Erreur interne : la réponse du serveur est invalide.');
      }
      return { jsonrpc: '2.0', id, result: checked.data };
    } catch (err) {
      if (err instanceof AppError) return errorResponse(id, err);
      if (isBusy(err)) return errorResponse(id, new AppError('UNAVAILABLE'));
      log.error('rpc.failure', { method, error: describeError(err) });
      return errorResponse(id, new AppError('UNAVAILABLE', 'Erreur interne du serveur. L’incident a été journalisé.'));
    }
  }
}

function isValidId(v: unknown): v is JsonRpcId {
  return v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

function isBusy(err: unknown): boolean {
  const code = isRecord(err) ? err.code : undefined;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** Error class and stack frames only: messages may quote user input, which must never reach a log. */
function describeError(err: unknown): string {
  if (err instanceof Error) {
    const frames = (err.stack ?? '').split('\n').filter((l) => l.trim().startsWith('at ')).slice(0, 6).join(' | ');
    const code = (err as { code?: unknown }).code;
    return `${err.name}${typeof code === 'string' ? ` ${code}` : ''} ${frames}`;
  }
  return typeof err;
}
