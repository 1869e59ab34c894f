/**
 * When the desktop looks for an update, when it offers to restart, and what it says
 * (docs/decisions/026-updates-and-versions.md). Pure: the desktop shell (desktop/updater.ts)
 * feeds it electron-updater's events, the clock and what is happening at the desk, and does what
 * it answers; tests/unit/update-policy.test.ts drives it.
 *
 * - Check 30 seconds after start, then every 4 hours (30 minutes after a failure).
 * - Download in the background as soon as an update is found.
 * - Offer « Redémarrer pour mettre à jour » only when nobody is being received at this desk
 *   (no queue entry called to, or in progress at, « Mon poste »); after « Plus tard », again
 *   2 hours later. A downloaded update is installed anyway when the app is closed.
 * - Never restart by itself, and refuse the restart asked while someone is being received.
 */
export const FIRST_CHECK_AFTER_MS = 30_000;
export const CHECK_EVERY_MS = 4 * 3600_000;
export const RETRY_AFTER_ERROR_MS = 30 * 60_000;
export const OFFER_AGAIN_AFTER_MS = 2 * 3600_000;

export type UpdatePhase = 'idle' | 'checking' | 'downloading' | 'ready' | 'error';

export interface UpdateState {
  phase: UpdatePhase;
  /** Version found on the hub (downloading or ready). */
  version: string | null;
  percent: number;
  /** When the last check started (ms since epoch), and when the app started. */
  lastCheckAt: number | null;
  startedAt: number;
  /** A French line for the last failure (never a URL or a stack). */
  lastError: string | null;
  /** When « Plus tard » was last chosen. */
  dismissedAt: number | null;
}

/** What electron-updater reports, reduced to what the policy needs. */
export type UpdateEvent =
  | { type: 'check-started'; at: number }
  | { type: 'update-available'; version: string }
  | { type: 'update-not-available' }
  | { type: 'download-progress'; percent: number }
  | { type: 'update-downloaded'; version: string }
  | { type: 'error'; code: string | null }
  | { type: 'dismissed'; at: number };

/** What is happening at this desk: people called to « Mon poste » or being received there. */
export interface DeskActivity {
  receiving: number;
}

export function initialUpdateState(startedAt: number): UpdateState {
  return { phase: 'idle', version: null, percent: 0, lastCheckAt: null, startedAt, lastError: null, dismissedAt: null };
}

/** A French sentence for an electron-updater failure, by its code (messages carry URLs). */
export function updateErrorText(code: string | null): string {
  switch (code) {
    case 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND':
      return 'aucune mise à jour n’est déposée sur le hub du site';
    case 'ERR_UPDATER_INVALID_UPDATE_INFO':
      return 'le fichier de mise à jour du hub est illisible (latest.yml)';
    case 'ERR_CHECKSUM_MISMATCH':
    case 'ERR_UPDATER_INVALID_SIGNATURE':
      return 'le fichier téléchargé ne correspond pas à celui annoncé : il a été écarté';
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'ETIMEDOUT':
    case 'ERR_CONNECTION_REFUSED':
    case 'ERR_NAME_NOT_RESOLVED':
    case 'ERR_INTERNET_DISCONNECTED':
      return 'le hub du site est injoignable';
    default:
      return 'la vérification a échoué';
  }
}

export function reduceUpdate(state: UpdateState, event: UpdateEvent): UpdateState {
  switch (event.type) {
    case 'check-started':
      return { ...state, phase: state.phase === 'ready' ? 'ready' : 'checking', lastCheckAt: event.at };
    case 'update-available':
      return { ...state, phase: 'downloading', version: event.version, percent: 0, lastError: null };
    case 'update-not-available':
      return { ...state, phase: 'idle', version: null, percent: 0, lastError: null };
    case 'download-progress':
      return state.phase === 'downloading' ? { ...state, percent: Math.max(0, Math.min(100, Math.round(event.percent))) } : state;
    case 'update-downloaded':
      return { ...state, phase: 'ready', version: event.version, percent: 100, lastError: null };
    case 'error':
      // A failure after the download (e.g. a later check) keeps the update that is ready.
      return state.phase === 'ready' ? { ...state, lastError: updateErrorText(event.code) } : { ...state, phase: 'error', lastError: updateErrorText(event.code) };
    case 'dismissed':
      return { ...state, dismissedAt: event.at };
  }
}

/** When the next check is due. */
export function nextCheckAt(state: UpdateState): number {
  if (state.lastCheckAt === null) return state.startedAt + FIRST_CHECK_AFTER_MS;
  return state.lastCheckAt + (state.phase === 'error' ? RETRY_AFTER_ERROR_MS : CHECK_EVERY_MS);
}

/** Whether to ask the hub now: never while checking, downloading or holding a ready update. */
export function shouldCheck(state: UpdateState, now: number): boolean {
  if (state.phase === 'checking' || state.phase === 'downloading' || state.phase === 'ready') return false;
  return now >= nextCheckAt(state);
}

export type OfferDecision = { offer: true } | { offer: false; reason: 'nothing_ready' | 'receiving' | 'dismissed_recently' };

/** Whether to show the restart offer now. */
export function offerDecision(state: UpdateState, activity: DeskActivity, now: number): OfferDecision {
  if (state.phase !== 'ready') return { offer: false, reason: 'nothing_ready' };
  if (activity.receiving > 0) return { offer: false, reason: 'receiving' };
  if (state.dismissedAt !== null && now - state.dismissedAt < OFFER_AGAIN_AFTER_MS) return { offer: false, reason: 'dismissed_recently' };
  return { offer: true };
}

export const RESTART_LABEL = 'Redémarrer pour mettre à jour';

/** Whether a restart asked by the person at the desk may happen now, else what to tell them. */
export function restartDecision(state: UpdateState, activity: DeskActivity): { allowed: true } | { allowed: false; message: string } {
  if (state.phase !== 'ready') return { allowed: false, message: 'Aucune mise à jour n’est prête à être installée.' };
  if (activity.receiving > 0) {
    return {
      allowed: false,
      message:
        `${activity.receiving === 1 ? 'Une personne est' : `${activity.receiving} personnes sont`} en cours d’accueil à ce poste (appelée ou reçue). ` +
        'Terminez d’abord ; la mise à jour vous sera proposée ensuite, ou s’installera à la fermeture de l’application.',
    };
  }
  return { allowed: true };
}

/** The offer dialog. */
export function offerText(state: UpdateState): { title: string; message: string; detail: string; buttons: [string, string] } {
  return {
    title: 'Mise à jour d’Accueil ESC',
    message: `La version ${state.version ?? ''} d’Accueil ESC est prête.`.replace('  ', ' '),
    detail:
      'Le redémarrage prend moins d’une minute ; les données sont conservées. ' +
      'Choisissez « Plus tard » si vous êtes occupé·e : elle sera proposée de nouveau, et installée à la fermeture de l’application.',
    buttons: [RESTART_LABEL, 'Plus tard'],
  };
}

/** One line for the application menu: where the update stands. */
export function statusLine(state: UpdateState, formatTime: (ms: number) => string): string {
  switch (state.phase) {
    case 'idle':
      return state.lastCheckAt === null ? 'Mises à jour : première vérification au démarrage' : `Application à jour (vérifié à ${formatTime(state.lastCheckAt)})`;
    case 'checking':
      return 'Recherche d’une mise à jour…';
    case 'downloading':
      return `Téléchargement de la version ${state.version} (${state.percent} %)…`;
    case 'ready':
      return `Version ${state.version} prête : ${RESTART_LABEL.toLowerCase()}`;
    case 'error':
      return `Mise à jour impossible : ${state.lastError ?? 'erreur'} (nouvel essai à ${formatTime(nextCheckAt(state))})`;
  }
}
