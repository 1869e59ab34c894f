/**
 * Sign-in rate limiting on the hub: at most `max` sign-in attempts per client address per
 * `windowMs`, across HTTP and WebSocket. Lock-out per account (core) stops guessing one account;
 * this stops trying many accounts from one machine.
 */
import type { JsonRpcResponse } from '../../shared/api/jsonrpc';
import { JSONRPC_ERROR_NUMBERS } from '../../shared/api/errors';

export const SIGN_IN_METHODS = new Set(['session.login', 'session.pinLogin', 'session.unlock']);

export class SignInLimiter {
  private readonly attempts = new Map<string, number[]>();
  constructor(
    private readonly max = 10,
    private readonly windowMs = 60_000,
  ) {}

  /** Records an attempt; false when the address is over its budget. */
  allow(address: string, now = Date.now()): boolean {
    const recent = (this.attempts.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.max) {
      this.attempts.set(address, recent);
      return false;
    }
    recent.push(now);
    this.attempts.set(address, recent);
    if (this.attempts.size > 10_000) this.attempts.clear();
    return true;
  }
}

function signInRequests(message: unknown): { id: unknown }[] {
  const items = Array.isArray(message) ? message : [message];
  return items.filter(
    (m): m is { id: unknown; method: string } => typeof m === 'object' && m !== null && SIGN_IN_METHODS.has(String((m as { method?: unknown }).method)),
  );
}

/** The refusal to send instead of routing, or null when the message may go through. */
export function limitSignIn(limiter: SignInLimiter, address: string, message: unknown): JsonRpcResponse | null {
  const requests = signInRequests(message);
  if (requests.length === 0) return null;
  if (requests.every(() => limiter.allow(address))) return null;
  const id = requests[0]!.id;
  return {
    jsonrpc: '2.0',
    id: typeof id === 'string' || typeof id === 'number' ? id : null,
    error: {
      code: JSONRPC_ERROR_NUMBERS.UNAVAILABLE,
      message: 'Trop de tentatives de connexion depuis ce poste : patientez une minute avant de réessayer.',
      data: { code: 'UNAVAILABLE' },
    },
  };
}
