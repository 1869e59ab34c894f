/**
 * The portal's pages, rendered on the server as plain HTML (decision 023): no script at all (the
 * Content-Security-Policy forbids scripts), forms with GET for the dashboard so that a summary has
 * an address, POST for signing in and out. French, Paris dates, labels never codes.
 */
import { SITES } from '../../../shared/reference/sites';
import { formatDateTimeFr } from '../../../shared/time/paris';
import type { SiteSyncState } from '../admin';
import { monthLabel, PORTAL_PERIOD_KINDS, PORTAL_PERIOD_LABELS, type PortalPeriodKind, type PortalSummary } from '../summary';
import { PORTAL_ROLE_LABELS, type PortalAccount } from './accounts';

export const h = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const when = (iso: string | null) => (iso ? formatDateTimeFr(new Date(iso)) : 'jamais');

export function layout(title: string, account: PortalAccount | null, body: string, active = ''): string {
  const nav = account
    ? `<nav aria-label="Navigation principale"><ul>
        ${account.role !== 'it' ? `<li><a href="/tableau"${active === 'tableau' ? ' aria-current="page"' : ''}>Tableau de bord inter-ESC</a></li>` : ''}
        ${account.role !== 'gtesc' ? `<li><a href="/sites"${active === 'sites' ? ' aria-current="page"' : ''}>État des sites</a></li>` : ''}
        <li><a href="/aide"${active === 'aide' ? ' aria-current="page"' : ''}>Aide et définitions</a></li>
      </ul>
      <form method="post" action="/deconnexion" class="signout"><span>${h(account.displayName)} · ${h(PORTAL_ROLE_LABELS[account.role])}</span> <button type="submit">Se déconnecter</button></form>
      </nav>`
    : '';
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)} – Portail inter-ESC</title><link rel="stylesheet" href="/portail.css"></head>
<body><header class="top"><p class="brand">Accueil ESC · portail inter-ESC</p>${nav}</header>
<main id="contenu">${body}</main>
<footer><p>Portail central des Espaces sociaux communs de Rennes : chiffres agrégés par mois, jamais une personne.</p></footer>
</body></html>`;
}

export function signInPage(error: string | null, login = ''): string {
  return layout(
    'Connexion',
    null,
    `<section class="signin"><h1>Connexion au portail inter-ESC</h1>
     <p>Pour l’APRAS, les membres du GTESC et le service informatique. Utilisez votre compte du portail (distinct des comptes des sites).</p>
     ${error ? `<p class="error" role="alert">${h(error)}</p>` : ''}
     <form method="post" action="/connexion">
       <label for="login">Identifiant</label><input id="login" name="login" autocomplete="username" required value="${h(login)}">
       <label for="password">Mot de passe</label><input id="password" name="password" type="password" autocomplete="current-password" required>
       <button type="submit">Se connecter</button>
     </form></section>`,
  );
}

export interface DashboardForm {
  kind: PortalPeriodKind;
  month: string;
  to: string;
  sites: string[];
}

function figureCell(text: string, masked: string | null): string {
  return `<td class="num${masked ? ' masked' : ''}"${masked === 'primary' ? ' title="Petit effectif masqué (secret statistique)"' : masked === 'secondary' ? ' title="Masqué pour protéger une petite valeur (secret secondaire)"' : ''}>${h(text)}</td>`;
}

export function summaryHtml(s: PortalSummary): string {
  const coverage = `<section aria-labelledby="couverture"><h2 id="couverture">Couverture</h2>
    <p>Période : <strong>${h(s.periodLabel)}</strong> · généré le ${h(when(s.generatedAt))} (heure de Paris) · secret statistique : effectifs inférieurs à ${s.threshold} masqués.</p>
    ${s.incompleteMonths.length ? `<p class="warning" role="status">Mois en cours incomplet : ${s.incompleteMonths.map((m) => h(monthLabel(m))).join(', ')}. Ses chiffres changeront aux prochaines synchronisations.</p>` : ''}
    ${s.coverage
      .filter((c) => c.missing)
      .map((c) => `<p class="warning" role="status">${h(c.name)} : ${h(c.status)}</p>`)
      .join('')}
    <div class="scroll"><table><caption>ESC couverts, dernière synchronisation et journées par mois</caption>
    <thead><tr><th scope="col">ESC</th><th scope="col">Dernière synchronisation réussie</th><th scope="col">Dernières données reçues</th>${s.coverage[0]!.months
      .map((m) => `<th scope="col">${h(monthLabel(m.month))}${m.incomplete ? ' (en cours)' : ''}<br><span class="sub">ouverts / reçus / clôturés</span></th>`)
      .join('')}</tr></thead>
    <tbody>${s.coverage
      .map(
        (c) =>
          `<tr${c.missing ? ' class="missing"' : ''}><th scope="row">${h(c.name)}${c.missing ? ' <span class="badge">manquant</span>' : ''}</th><td>${h(when(c.lastSuccessAt))}</td><td>${h(when(c.lastRowsAt))}</td>${c.months
            .map((m) => `<td class="num">${m.openDaysSoFar}${m.incomplete ? ` (sur ${m.openDays})` : ''} / ${m.daysReceived} / ${m.daysClosed}</td>`)
            .join('')}</tr>`,
      )
      .join('')}</tbody></table></div></section>`;
  const charts = `<section aria-labelledby="graphiques"><h2 id="graphiques">Graphiques</h2><div class="charts">${s.charts
    .map((c) => `<figure>${c.svg.replace('<svg ', `<svg role="img" aria-label="${h(c.title)}" `)}<figcaption>${h(c.title)} (valeurs masquées non représentées ; données dans les tableaux)</figcaption></figure>`)
    .join('')}</div></section>`;
  const tables = s.tables
    .map(
      (t) => `<section aria-labelledby="t-${t.id}"><h2 id="t-${t.id}">${h(t.title)}</h2><p class="definition">${h(t.definition)}</p>
      <div class="scroll"><table><thead><tr>${t.columns.map((c) => `<th scope="col">${h(c)}</th>`).join('')}</tr></thead>
      <tbody>${t.rows.length === 0 ? `<tr><td colspan="${t.columns.length}">Aucune donnée sur la période.</td></tr>` : ''}${t.rows
        .map((r) => `<tr${r.total ? ' class="total"' : ''}><th scope="row">${h(r.label)}</th>${r.cells.map((c) => figureCell(c.text, c.masked)).join('')}</tr>`)
        .join('')}</tbody></table></div></section>`,
    )
    .join('');
  const defs = `<section aria-labelledby="definitions"><h2 id="definitions">Définitions</h2><dl>${s.definitions
    .map((d) => `<dt>${h(d.label)}${d.unit ? ` <span class="sub">(${h(d.unit)})</span>` : ''}</dt><dd>${h(d.definition)}</dd>`)
    .join('')}</dl><ul class="notes">${s.notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul></section>`;
  return coverage + charts + tables + defs;
}

export function dashboardPage(account: PortalAccount, form: DashboardForm, months: string[], content: string, error: string | null, exportQuery: string | null): string {
  const monthOptions = (selected: string) => months.map((m) => `<option value="${m}"${m === selected ? ' selected' : ''}>${h(monthLabel(m))}</option>`).join('');
  const body = `<h1>Tableau de bord inter-ESC</h1>
  <form method="get" action="/tableau" class="filters" aria-label="Choix de la période et des ESC">
    <fieldset><legend>Période</legend>
      <label for="periode">Type de période</label>
      <select id="periode" name="periode">${PORTAL_PERIOD_KINDS.map((k) => `<option value="${k}"${k === form.kind ? ' selected' : ''}>${h(PORTAL_PERIOD_LABELS[k])}</option>`).join('')}</select>
      <label for="mois">Mois (ou premier mois)</label><select id="mois" name="mois">${monthOptions(form.month)}</select>
      <label for="fin">Dernier mois (période personnalisée)</label><select id="fin" name="fin"><option value="">—</option>${monthOptions(form.to)}</select>
    </fieldset>
    <fieldset><legend>ESC</legend>${SITES.map(
      (s) => `<label class="check"><input type="checkbox" name="esc" value="${s.code}"${form.sites.length === 0 || form.sites.includes(s.code) ? ' checked' : ''}> ${h(s.name)}</label>`,
    ).join('')}</fieldset>
    <button type="submit">Afficher la synthèse</button>
  </form>
  ${error ? `<p class="error" role="alert">${h(error)}</p>` : ''}
  ${
    exportQuery && account.role === 'apras'
      ? `<p class="exports">Exporter cette synthèse : <a href="/export?format=xlsx&amp;${h(exportQuery)}" download>Classeur Excel (.xlsx)</a> · <a href="/export?format=csv&amp;${h(exportQuery)}" download>CSV pour Excel</a> · <a href="/export?format=pdf&amp;${h(exportQuery)}" download>Rapport PDF (comité de pilotage)</a></p>`
      : ''
  }
  ${content}`;
  return layout('Tableau de bord', account, body, 'tableau');
}

export function sitesPage(account: PortalAccount, states: SiteSyncState[], generatedAt: Date, centralSchema: number): string {
  const late = states.filter((s) => s.late);
  const body = `<h1>État des sites</h1>
  <p>Au ${h(formatDateTimeFr(generatedAt))} (heure de Paris) · schéma du serveur central : ${centralSchema}. Retard : pas de synchronisation réussie après la dernière journée d’ouverture, deux heures après l’ouverture suivante (week-ends et jours fériés exclus). Sortie pour la supervision : <code>npm run central -- status --json</code> (code 3 si un site est en retard).</p>
  ${late.length ? `<p class="error" role="alert">${late.length} site(s) en retard ou à mettre à jour : ${late.map((s) => h(s.name)).join(', ')}.</p>` : '<p class="ok" role="status">Aucun site en retard.</p>'}
  <div class="scroll"><table><caption>Synchronisation des sites</caption><thead><tr>
    <th scope="col">ESC</th><th scope="col">État</th><th scope="col">Dernier contact</th><th scope="col">Dernière synchronisation réussie</th><th scope="col">Dernières lignes reçues</th>
    <th scope="col">Lignes reçues</th><th scope="col">Version (schéma)</th><th scope="col">Restaurations</th></tr></thead><tbody>
  ${states
    .map(
      (s) => `<tr${s.late ? ' class="late"' : ''}><th scope="row">${h(s.name)}</th>
      <td>${s.revokedAt ? 'Révoqué' : s.late ? `<strong>En retard</strong> : ${h(s.lateReason ?? '')}` : s.resendPending ? 'Renvoi complet en cours (base restaurée)' : 'À jour'}</td>
      <td>${h(when(s.lastContactAt))}</td><td>${h(when(s.lastSuccessAt))}</td><td>${h(when(s.lastRowsAt))}</td>
      <td class="num">${h(new Intl.NumberFormat('fr-FR').format(s.rowsReceived))}</td>
      <td>${h(s.appVersion ?? '—')} (${s.siteSchema ?? '—'})</td>
      <td class="num">${s.restores}${s.orphanedRows ? ` (${h(new Intl.NumberFormat('fr-FR').format(s.orphanedRows))} lignes absentes du site retirées des chiffres)` : ''}</td></tr>`,
    )
    .join('')}
  </tbody></table></div>`;
  return layout('État des sites', account, body, 'sites');
}

export function helpPage(account: PortalAccount, definitions: { label: string; unit: string; definition: string }[]): string {
  return layout(
    'Aide',
    account,
    `<h1>Aide et définitions</h1>
    <h2>Ce que montre le portail</h2>
    <p>Des chiffres agrégés par mois et par ESC, calculés au serveur central à chaque synchronisation des sites. Aucune ligne individuelle, aucun jour ni aucune heure n’est lisible ici.</p>
    <h2>Secret statistique</h2><p>Les effectifs inférieurs au seuil sont affichés « &lt; 5 » ; d’autres cases sont masquées (« s ») pour que les totaux ne permettent pas de les retrouver. Les mêmes valeurs figurent à l’écran et dans chaque fichier exporté.</p>
    <h2>Définitions</h2><dl>${definitions.map((d) => `<dt>${h(d.label)}</dt><dd>${h(d.definition)}</dd>`).join('')}</dl>`,
    'aide',
  );
}

export function errorPage(account: PortalAccount | null, title: string, message: string): string {
  return layout(title, account, `<h1>${h(title)}</h1><p class="error" role="alert">${h(message)}</p><p><a href="/">Retour à l’accueil du portail</a></p>`);
}

export const PORTAL_CSS = `
:root { color-scheme: light; --accent: #0b6b5e; --ink: #1d1d1f; --muted: #5b5b62; --line: #d8dde3; --warn: #8a4b00; --err: #a61b1b; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: #f6f7f9; }
header.top { background: var(--accent); color: #fff; padding: 8px 20px; display: flex; flex-wrap: wrap; align-items: center; gap: 16px; }
header.top .brand { font-weight: 700; margin: 0; }
header.top nav { display: flex; flex: 1; align-items: center; gap: 16px; flex-wrap: wrap; }
header.top ul { list-style: none; display: flex; gap: 14px; margin: 0; padding: 0; }
header.top a { color: #fff; }
header.top a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
.signout { margin-left: auto; display: flex; gap: 10px; align-items: center; }
main { padding: 16px 20px; max-width: 1320px; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: 4px 0 12px; }
h2 { font-size: 1.15rem; margin: 22px 0 6px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin: 12px 0; }
.signin { max-width: 460px; margin: 40px auto; }
form label { display: block; font-weight: 600; margin: 8px 0 2px; }
input, select, button { font: inherit; padding: 6px 8px; border: 1px solid #8d96a0; border-radius: 6px; }
input:focus-visible, select:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; margin-top: 10px; }
.signout button { margin: 0; background: #fff; color: var(--accent); }
.signin input { width: 100%; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; }
.filters fieldset { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: flex-end; }
.filters legend { font-weight: 700; }
.filters label { margin: 0; }
label.check { font-weight: 400; display: inline-flex; gap: 4px; align-items: center; }
.error { color: var(--err); font-weight: 600; }
.warning { color: var(--warn); font-weight: 600; }
.ok { color: var(--accent); font-weight: 600; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #e6f2ef; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.masked { color: var(--muted); font-style: italic; }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
tr.missing th, tr.missing td, tr.late th, tr.late td { background: #fff4e5; }
.badge { background: var(--warn); color: #fff; border-radius: 4px; padding: 0 6px; font-size: 12px; }
.sub { color: var(--muted); font-weight: 400; font-size: 12px; }
.definition { color: var(--muted); margin: 0 0 6px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: var(--muted); }
.exports a { font-weight: 600; }
dl dt { font-weight: 700; margin-top: 6px; }
dl dd { margin: 0 0 4px 0; }
footer { color: var(--muted); font-size: 12px; padding: 8px 20px 20px; max-width: 1320px; margin: 0 auto; }
code { background: #eef0f3; padding: 0 4px; border-radius: 4px; }
`;
