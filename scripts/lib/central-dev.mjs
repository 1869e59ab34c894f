// What the end-to-end launchers share: their child processes (termination signals forwarded to
// each) and a development central PostgreSQL (`central dev`), ready once it prints "Ctrl+C".
import { spawn } from 'node:child_process';

/** Child processes that receive the launcher's SIGTERM / SIGINT. */
export function childProcesses() {
  const children = [];
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      for (const c of children) c.kill(signal);
    });
  }
  return children;
}

/**
 * Starts `central dev --dir dir --port port` through `cliArgs` (the node arguments that run the
 * CLI: the built hub or run-cli.mjs), adds it to `children` and resolves with it once it is ready.
 */
export async function startCentralDev({ cliArgs, cwd, dir, port, children }) {
  const central = spawn(process.execPath, [...cliArgs, 'central', 'dev', '--dir', dir, '--port', String(port)], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(central);
  await new Promise((resolve, reject) => {
    let out = '';
    central.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ctrl+C')) resolve();
    });
    central.on('exit', (code) => reject(new Error(`central dev exited (${code})\n${out}`)));
  });
  return central;
}

/** When `main` exits: stop the central, then exit with main's code. */
export function stopCentralWith(main, central) {
  main.on('exit', (code) => {
    central.kill('SIGTERM');
    central.on('exit', () => process.exit(code ?? 0));
  });
}
