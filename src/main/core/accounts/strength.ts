/**
 * Password strength: a maintained estimator that knows French words, names and keyboard layouts
 * (zxcvbn-ts with its common and French dictionaries), loaded once, on first use, so that the
 * hub does not pay for it at start. A password is refused below score 3 (fewer than about 10^8
 * guesses) with the estimator's French explanation (decision 011).
 */
import { AppError } from '../../../shared/api/errors';

/** Longer passwords are scored on their first characters: the estimate is costly and grows with length. */
const SCORED_LENGTH = 64;
const MIN_SCORE = 3;

interface Estimator {
  check(password: string, userInputs?: (string | number)[]): { score: number; feedback: { warning: string | null; suggestions: string[] } };
}

let estimator: Promise<Estimator> | null = null;

/** A module namespace whose named exports may be under `default` (CommonJS loaded as ESM). */
function interop<T extends object>(ns: T): T {
  const fallback = (ns as { default?: unknown }).default;
  if (!fallback || typeof fallback !== 'object') return ns;
  return new Proxy(ns, { get: (target, key) => Reflect.get(target, key) ?? Reflect.get(fallback, key) });
}

function loadEstimator(): Promise<Estimator> {
  estimator ??= (async () => {
    const [coreNs, commonNs, frNs] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-fr')]);
    // The production bundle (esbuild, plain node) loads these packages' CommonJS builds: their
    // exports then sit under `default`.
    const core = interop(coreNs);
    const common = interop(commonNs);
    const fr = interop(frNs);
    return new core.ZxcvbnFactory({
      translations: fr.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...fr.dictionary },
    });
  })();
  return estimator;
}

/** Words of the context a guesser would try first (login, name, site…), split into pieces. */
function contextWords(context: readonly (string | null | undefined)[]): string[] {
  const words = new Set<string>(['accueil', 'esc', 'rennes', 'ccas', 'cdas', 'caf', 'arcs', 'weker']);
  for (const c of context) {
    if (!c) continue;
    words.add(c.toLowerCase());
    for (const w of c.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (w.length >= 3) words.add(w);
  }
  return [...words];
}

const sentence = (s: string) => {
  const t = s.trim().replace(/[.\s]+$/, '');
  return t ? `${t}.` : '';
};

/** Why a password is too easy to guess (French), or null when it is strong enough. */
export async function passwordWeakness(password: string, context: readonly (string | null | undefined)[] = []): Promise<string | null> {
  const result = (await loadEstimator()).check(password.slice(0, SCORED_LENGTH), contextWords(context));
  if (result.score >= MIN_SCORE) return null;
  const warning = result.feedback.warning ? sentence(result.feedback.warning) : 'il ressemble à des mots, des noms ou des suites connus.';
  const lowered = warning.charAt(0).toLowerCase() + warning.slice(1);
  const advice = result.feedback.suggestions.map(sentence).filter(Boolean);
  return [`Mot de passe trop facile à deviner : ${lowered}`, ...advice, 'Une phrase de quelques mots inattendus est à la fois sûre et facile à retenir.'].join(' ');
}

/** Refuses a weak password as a VALIDATION error on the given field. */
export async function assertStrongPassword(password: string, context: readonly (string | null | undefined)[], path: string): Promise<void> {
  const weakness = await passwordWeakness(password, context);
  if (weakness) throw new AppError('VALIDATION', weakness, [{ path, message: weakness }]);
}
