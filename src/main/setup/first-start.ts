/**
 * The first start of a desk (docs/decisions/027-first-start-logs-support.md): before this PC has
 * a base of its own or a hub to use, the desktop shows the renderer's « Premier démarrage » page
 * and answers its calls — `setup.status`, `setup.pair`, `setup.standalone`, `setup.retry` — with
 * this module, through IPC. Nothing here imports Electron: the same functions answer the test
 * harness (tests/e2e/harness/first-start-server.ts) that drives the page in Chromium.
 *
 * Also shown again when a paired desk cannot use its hub at start: certificate changed (never
 * connected to: pair again after checking the fingerprint), hub unreachable (retry), device
 * revoked (pair again). « Poste autonome » is offered on a new PC only — a desk that lost its hub
 * must not start a second base of the site's people — and never when IT's machine-wide file says
 * `"mode": "satellite"`.
 */
import { METHODS } from '../../shared/api/contract';
import { AppError, DEFAULT_MESSAGES_FR, JSONRPC_ERROR_NUMBERS } from '../../shared/api/errors';
import type { JsonRpcId, JsonRpcResponse } from '../../shared/api/jsonrpc';
import type { SetupStatus } from '../../shared/api/methods/setup';
import { zodIssues } from '../api/router';
import { log } from '../api/log';
import type { SatelliteConfig } from '../hub/satellite';
import type { MachineConfig } from './machine-config';
import { join } from 'node:path';
import { checkPairing, pairThisDesk, readSatelliteConfig, SATELLITE_FILE, type PairingCheck } from './pairing';

export type FirstStartOutcome = { kind: 'satellite'; config: SatelliteConfig } | { kind: 'standalone' };

/** What the desktop does at start (also what the test harness does). */
export type StartDecision = FirstStartOutcome | { kind: 'first-start'; options: FirstStartOptions };

/**
 * Paired and the hub answers with the pinned certificate: satellite. Own base (or IT said
 * standalone): standalone. Otherwise the first-start screen, with what went wrong if paired.
 */
export async function decideStart(input: { userData: string; machine: FirstStartOptions['machine']; deviceName: string; hasBase: boolean }): Promise<StartDecision> {
  const satellite = readSatelliteConfig(input.userData);
  if (satellite) {
    const check = await checkPairing(satellite);
    if (check.state === 'ok') return { kind: 'satellite', config: satellite };
    log.warn('setup.hub_check_failed', { state: check.state });
    return { kind: 'first-start', options: { userData: input.userData, machine: input.machine, deviceName: satellite.deviceName, paired: { config: satellite, check } } };
  }
  if (input.hasBase || input.machine.config.mode === 'standalone') return { kind: 'standalone' };
  return { kind: 'first-start', options: { userData: input.userData, machine: input.machine, deviceName: input.deviceName } };
}

export interface FirstStartOptions {
  /** Where satellite.json goes (the app's userData). */
  userData: string;
  machine: { config: MachineConfig; problem: string | null };
  /** Suggested device name (the computer's name). */
  deviceName: string;
  /** A desk already paired whose hub failed the check at start, with that check. */
  paired?: { config: SatelliteConfig; check: Exclude<PairingCheck, { state: 'ok' }> } | undefined;
}

function describe(check: Exclude<PairingCheck, { state: 'ok' }>, hubUrl: string): string {
  switch (check.state) {
    case 'certificate_changed':
      return (
        `Le hub ${hubUrl} présente un certificat différent de celui enregistré lors de l’appairage${check.presented ? ` (empreinte reçue : ${check.presented})` : ''} : ` +
        'ce poste ne s’y connecte pas. Ce peut être un nouveau certificat installé par le service informatique, ou une interception. ' +
        'Vérifiez l’empreinte affichée sur le hub (écran « Postes du site »), puis reliez de nouveau ce poste avec un nouveau code.'
      );
    case 'unreachable':
      return `Le hub ${hubUrl} ne répond pas (${check.message.replace(/\.$/, '')}). Vérifiez que ce poste est sur le réseau du site et que le hub est en marche, puis réessayez.`;
    case 'revoked':
      return `Ce poste a été révoqué sur le hub ${hubUrl} (écran « Postes du site »). Pour le remettre en service, reliez-le de nouveau avec un nouveau code.`;
  }
}

export class FirstStart {
  readonly done: Promise<FirstStartOutcome>;
  private finish!: (outcome: FirstStartOutcome) => void;
  private paired: FirstStartOptions['paired'];
  private finished: FirstStartOutcome | null = null;

  constructor(private readonly options: FirstStartOptions) {
    this.paired = options.paired;
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  /** What this desk has become, once chosen (null while the screen is shown). */
  outcome(): FirstStartOutcome | null {
    return this.finished;
  }

  private complete(outcome: FirstStartOutcome): void {
    this.finished = outcome;
    this.finish(outcome);
  }

  status(): SetupStatus {
    const machine = this.options.machine;
    const hubUrl = this.paired?.config.hubUrl ?? machine.config.hubUrl ?? null;
    if (this.paired && this.finished?.kind === 'satellite') {
      return { state: 'connected', hubUrl, hubFromIT: false, allowStandalone: false, deviceName: this.paired.config.deviceName, message: null };
    }
    return {
      state: this.paired?.check.state ?? 'new',
      hubUrl,
      hubFromIT: !this.paired && Boolean(machine.config.hubUrl),
      allowStandalone: !this.paired && machine.config.mode !== 'satellite',
      deviceName: this.paired?.config.deviceName ?? this.options.deviceName,
      message: this.paired ? describe(this.paired.check, this.paired.config.hubUrl) : machine.problem,
    };
  }

  async pair(params: { hubUrl: string; code: string; deviceName: string }): Promise<{ hubUrl: string; fingerprint: string; deviceName: string }> {
    this.assertOpen();
    const config = await pairThisDesk({ ...params, expectedFingerprint: this.options.machine.config.hubFingerprint ?? null }, join(this.options.userData, SATELLITE_FILE));
    this.complete({ kind: 'satellite', config });
    return { hubUrl: config.hubUrl, fingerprint: config.fingerprint, deviceName: config.deviceName };
  }

  standalone(): { ok: true } {
    this.assertOpen();
    if (!this.status().allowStandalone) {
      throw new AppError(
        'FORBIDDEN',
        this.paired
          ? 'Ce poste est relié au hub du site : il ne devient pas autonome (les personnes reçues seraient enregistrées ailleurs que sur le hub). Réessayez, ou reliez-le de nouveau.'
          : 'Le service informatique a réservé ce poste au hub du site : reliez-le avec un code d’appairage.',
      );
    }
    this.complete({ kind: 'standalone' });
    return { ok: true };
  }

  async retry(): Promise<SetupStatus> {
    this.assertOpen();
    if (this.paired) {
      const check = await checkPairing(this.paired.config);
      if (check.state === 'ok') this.complete({ kind: 'satellite', config: this.paired.config });
      else this.paired = { config: this.paired.config, check };
    }
    return this.status();
  }

  private assertOpen(): void {
    if (this.finished) throw new AppError('CONFLICT', 'Ce poste est déjà configuré : l’application s’ouvre.');
  }
}

const SETUP_METHODS = ['setup.status', 'setup.pair', 'setup.standalone', 'setup.retry'] as const;
type SetupMethod = (typeof SETUP_METHODS)[number];

function failure(id: JsonRpcId, err: AppError): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: { code: JSONRPC_ERROR_NUMBERS[err.code], message: err.message, data: err.issues ? { code: err.code, issues: err.issues } : { code: err.code } } };
}

/**
 * One JSON-RPC message of the first-start page, validated by the same contract as the router
 * (strict zod params, checked result). Any other method: this desk is not set up yet.
 */
export async function handleFirstStartMessage(firstStart: FirstStart, message: unknown): Promise<JsonRpcResponse> {
  const m = (typeof message === 'object' && message !== null ? message : {}) as { id?: unknown; method?: unknown; params?: unknown };
  const id: JsonRpcId = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : null;
  const method = typeof m.method === 'string' ? m.method : '';
  if (!(SETUP_METHODS as readonly string[]).includes(method)) {
    return failure(id, new AppError('UNAVAILABLE', 'Ce poste n’est pas encore configuré : choisissez d’abord ce qu’il sera (premier démarrage).'));
  }
  const def = METHODS[method as SetupMethod];
  const parsed = def.params.safeParse(m.params ?? {});
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    return failure(id, new AppError('VALIDATION', issues[0]?.message ?? DEFAULT_MESSAGES_FR.VALIDATION, issues));
  }
  try {
    let result: unknown;
    if (method === 'setup.status') result = firstStart.status();
    else if (method === 'setup.pair') result = await firstStart.pair(parsed.data as { hubUrl: string; code: string; deviceName: string });
    else if (method === 'setup.standalone') result = firstStart.standalone();
    else result = await firstStart.retry();
    return { jsonrpc: '2.0', id, result: def.result.parse(result) };
  } catch (err) {
    return failure(id, err instanceof AppError ? err : new AppError('UNAVAILABLE', 'Erreur inattendue au premier démarrage.'));
  }
}
