/**
 * Issue 13 item 13: a malformed percent-encoding in a static path is the client's mistake: 400,
 * quietly (no error in the hub's log), and the hub goes on serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, startTestHub, type TestHub } from './hub-helpers';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t.close());

/** Runs `fn` with the hub's log on (the suite runs silent) and returns what it wrote to stderr. */
async function captureLog(fn: () => Promise<void>): Promise<string> {
  const previous = process.env.ESC_LOG;
  delete process.env.ESC_LOG;
  const write = process.stderr.write.bind(process.stderr);
  let written = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = write;
    if (previous === undefined) delete process.env.ESC_LOG;
    else process.env.ESC_LOG = previous;
  }
  return written;
}

describe('malformed static paths', () => {
  it('answer 400 without logging an error, and the hub keeps serving', async () => {
    const statuses: number[] = [];
    const bodies: string[] = [];
    const logged = await captureLog(async () => {
      for (const path of ['/assets/%E0%A4%A', '/%E0%A4%A', '/assets/%', '/display/%C3%28']) {
        const r = await raw({ port: t.port, path });
        statuses.push(r.status);
        bodies.push(r.body);
      }
    });
    expect(statuses).toEqual([400, 400, 400, 400]);
    for (const b of bodies) expect(JSON.parse(b).error).toMatch(/^Adresse invalide/);
    expect(logged).toBe('');
    expect((await raw({ port: t.port, path: '/assets/app.js' })).status).toBe(200);
    expect((await raw({ port: t.port, path: '/display' })).body).toContain('<div id="root">');
  });

  it('still logs a real failure (the check above would see one)', async () => {
    // The folder of the built UI disappears under the running hub: a genuine internal error.
    const { rmSync } = await import('node:fs');
    rmSync(t.staticDir!, { recursive: true, force: true });
    let status = 0;
    const logged = await captureLog(async () => {
      status = (await raw({ port: t.port, path: '/comptes' })).status;
    });
    expect(status).toBe(500);
    expect(logged).toContain('hub.http_failure');
  });
});
