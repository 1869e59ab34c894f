/** Saves a file received from the API (base64) through the browser's download. */
export function downloadBase64(name: string, mime: string, base64: string): void {
  saveBlob(name, new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: mime }));
}

function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

/** Saves text produced by the API (e.g. the support bundle's JSON) through the browser's download. */
export function downloadText(name: string, mime: string, text: string): void {
  saveBlob(name, new Blob([text], { type: `${mime};charset=utf-8` }));
}
