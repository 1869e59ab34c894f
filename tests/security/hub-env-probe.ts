/**
 * Loaded with `--import` into a real hub process by hub-process.test.ts: on SIGUSR2 it reports what
 * a child process and a worker thread started by the hub now would find in their environment.
 */
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';

process.on('SIGUSR2', () => {
  const child = spawnSync('sh', ['-c', 'printf "%s" "${ESC_DB_KEY:-absent}"'], { encoding: 'utf8' }).stdout;
  const worker = new Worker("require('node:worker_threads').parentPort.postMessage(process.env.ESC_DB_KEY ?? 'absent')", { eval: true });
  worker.once('message', (inWorker: string) => {
    process.stdout.write(`PROBE hub=${process.env.ESC_DB_KEY ?? 'absent'} child=${child} worker=${inWorker}\n`);
    void worker.terminate();
  });
});
