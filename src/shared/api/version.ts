/**
 * Versions of the JSON-RPC contract (docs/decisions/026-updates-and-versions.md). During a roll-out
 * the site hub and its desks run different versions: every client announces the contract it
 * speaks (WebSocket `/rpc?contract=N`, HTTP header `X-Esc-Contract: N`), and the hub serves it only
 * if it can, otherwise it answers every call with the error code `VERSION` and a French sentence
 * saying what to do — never a cryptic failure.
 *
 * Bump CONTRACT_VERSION when a method or event changes in a way an existing client would
 * misread (a field removed or renamed, a meaning changed); raise OLDEST_SERVED_CONTRACT when the
 * hub stops serving the clients of an older contract. Purely additive changes (a new method, an
 * optional field) keep the version.
 */
export const CONTRACT_VERSION = 1;
/** The oldest contract this build still serves. */
export const OLDEST_SERVED_CONTRACT = 1;
/** Clients built before contracts were announced spoke version 1. */
export const UNANNOUNCED_CONTRACT = 1;

export const CONTRACT_HEADER = 'x-esc-contract';
export const CONTRACT_QUERY = 'contract';

/** What the person at a desk must do when the hub cannot serve its version. */
export type SkewAction = 'update_desk' | 'wait_for_hub';

export type ContractVerdict = { ok: true } | { ok: false; action: SkewAction; message: string };

export interface HubContract {
  current: number;
  oldest: number;
}

/** Reads an announced contract version: a positive integer, or null when absent or unreadable. */
export function parseContract(raw: string | null | undefined): number | null {
  if (raw === null || raw === undefined || raw === '') return null;
  return /^[0-9]{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
}

/** Whether a hub speaking `hub` serves a client announcing `client` (null: not announced). */
export function contractVerdict(client: number | null, hub: HubContract = { current: CONTRACT_VERSION, oldest: OLDEST_SERVED_CONTRACT }): ContractVerdict {
  const v = client ?? UNANNOUNCED_CONTRACT;
  if (Number.isNaN(v)) {
    return { ok: false, action: 'update_desk', message: 'Ce poste annonce une version de l’application illisible : rechargez la page ou réinstallez l’application de bureau.' };
  }
  if (v > hub.current) {
    return {
      ok: false,
      action: 'wait_for_hub',
      message:
        'Ce poste a une version de l’application plus récente que le hub du site, qui ne peut pas encore le servir. ' +
        'Le service informatique doit mettre le hub à jour : en attendant, rechargez la page pour reprendre la version du hub, ou utilisez un autre poste.',
    };
  }
  if (v < hub.oldest) {
    return {
      ok: false,
      action: 'update_desk',
      message:
        'Ce poste a une version de l’application plus ancienne que le hub du site, qui a été mis à jour. ' +
        'Mettez ce poste à jour : rechargez la page (touche F5), ou, pour l’application de bureau, redémarrez-la pour installer la mise à jour. Aucune donnée n’est perdue : elles sont sur le hub.',
    };
  }
  return { ok: true };
}
