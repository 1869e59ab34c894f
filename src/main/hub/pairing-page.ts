/**
 * The page a new desk or office sees before it is paired with the LAN hub: plain HTML, no script,
 * in French, usable with the keyboard and a screen reader.
 */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function pairingPage(p: { siteName: string; fingerprint: string; error?: string | undefined; name?: string | undefined }): string {
  const error = p.error ? `<p class="error" role="alert" id="error">${escapeHtml(p.error)}</p>` : '';
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Appairer ce poste – Accueil ESC</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f4f6f5; color: #1d2521; }
  main { max-width: 36rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px; border: 1px solid #d5ddd9; }
  h1 { font-size: 1.5rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { font-size: 1.1rem; padding: .5rem; width: 100%; box-sizing: border-box; border: 1px solid #6b7872; border-radius: 4px; }
  button { margin-top: 1.5rem; font-size: 1rem; padding: .6rem 1.2rem; background: #08603f; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  button:focus, input:focus { outline: 3px solid #f0b400; outline-offset: 2px; }
  .error { background: #fde8e8; border: 1px solid #b42318; color: #7a1a12; padding: .75rem; border-radius: 4px; }
  code { font-size: .85rem; word-break: break-all; }
  .hint { color: #46524c; font-size: .95rem; }
</style>
</head>
<body>
<main>
<h1>Appairer ce poste avec le hub de ${escapeHtml(p.siteName)}</h1>
<p>Ce poste n’est pas encore autorisé à utiliser Accueil ESC sur le réseau du site. Demandez à
l’administration du site un <strong>code d’appairage</strong> (écran « Postes du site » du hub, valable 10 minutes).</p>
<p class="hint">Avant de saisir le code, vérifiez que l’empreinte du certificat affichée par votre navigateur
(cadenas › certificat › empreinte SHA-256) est bien celle affichée sur le hub :<br><code>${escapeHtml(p.fingerprint || '(hub sans TLS)')}</code></p>
${error}
<form method="post" action="/appairage">
  <label for="code">Code d’appairage</label>
  <input id="code" name="code" required autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="XXXX-XXXX-XXXX"${p.error ? ' aria-describedby="error" aria-invalid="true"' : ''}>
  <label for="name">Nom du poste</label>
  <input id="name" name="name" required minlength="2" maxlength="60" placeholder="Bureau CDAS 2" value="${escapeHtml(p.name ?? '')}">
  <button type="submit">Appairer ce poste</button>
</form>
</main>
</body>
</html>`;
}
