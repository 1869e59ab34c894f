/**
 * Stable error codes of the JSON-RPC contract (DESIGN.md "API"). `data.code` never changes
 * meaning; `message` is French, ready to show to the person at the desk.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'LOCKED',
  'UNAVAILABLE',
  'VERSION',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** JSON-RPC numeric codes: the standard ones where they fit, the server range otherwise. */
export const JSONRPC_ERROR_NUMBERS: Record<ErrorCode, number> = {
  VALIDATION: -32602,
  UNAUTHENTICATED: -32001,
  FORBIDDEN: -32003,
  NOT_FOUND: -32004,
  CONFLICT: -32009,
  LOCKED: -32023,
  UNAVAILABLE: -32050,
  VERSION: -32060,
};

export const DEFAULT_MESSAGES_FR: Record<ErrorCode, string> = {
  VALIDATION: 'Les informations saisies ne sont pas valides.',
  UNAUTHENTICATED: 'Votre session a expiré ou vous n’êtes pas connecté·e. Merci de vous reconnecter.',
  FORBIDDEN: 'Vous n’avez pas les droits nécessaires pour cette action.',
  NOT_FOUND: 'L’élément demandé est introuvable.',
  CONFLICT: 'Cet élément vient d’être modifié par quelqu’un d’autre. L’affichage a été actualisé.',
  LOCKED: 'Cette journée est clôturée : elle ne peut plus être modifiée.',
  UNAVAILABLE: 'Le service est momentanément indisponible. Réessayez dans un instant.',
  VERSION: 'Ce poste et le hub du site n’ont pas des versions compatibles de l’application.',
};

export interface ValidationIssue {
  /** Dotted path of the failing field ("" for the whole params object). */
  path: string;
  message: string;
}

export interface RpcErrorData {
  code: ErrorCode;
  issues?: ValidationIssue[];
  /** With `VERSION`: what the desk must do, and the contract the hub speaks. */
  action?: 'update_desk' | 'wait_for_hub';
  hubContract?: number;
}

/** An expected failure of a use case, carried to the client as a JSON-RPC error. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: ValidationIssue[] | undefined;

  constructor(code: ErrorCode, message?: string, issues?: ValidationIssue[]) {
    super(message ?? DEFAULT_MESSAGES_FR[code]);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
