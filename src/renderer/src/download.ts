/**
 * Saves a file prepared by the hub (report or journal export). The file is fetched once: in a
 * browser from the hub's one-time address (`GET /exports/<id>` with the session's token, no
 * base64), in the desktop app chunk by chunk over IPC (`exports.download`).
 */
import type { ExportFile } from '../../shared/api/methods/stats';
import { api, RpcError } from './api/client';

function save(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

async function overIpc(file: ExportFile): Promise<Blob> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  for (;;) {
    const part = await api.call('exports.download', { downloadId: file.downloadId, offset });
    const bytes = Uint8Array.from(atob(part.base64), (c) => c.charCodeAt(0));
    parts.push(bytes);
    offset += bytes.length;
    if (part.done) return new Blob(parts, { type: file.mimeType });
  }
}

async function overHttp(file: ExportFile): Promise<Blob> {
  const token = api.bearerToken();
  const res = await fetch(file.url, { headers: token ? { Authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new RpcError(res.status === 404 ? 'NOT_FOUND' : 'UNAVAILABLE', body?.error ?? 'Le fichier n’a pas pu être téléchargé : relancez l’export.');
  }
  return res.blob();
}

/** Fetches the prepared file and hands it to the browser's download. */
export async function downloadExport(file: ExportFile): Promise<void> {
  save(file.filename, api.isDesktop() ? await overIpc(file) : await overHttp(file));
}

/** Saves text produced by the API (e.g. the support bundle's JSON) through the browser's download. */
export function downloadText(name: string, mime: string, text: string): void {
  save(name, new Blob([text], { type: `${mime};charset=utf-8` }));
}
