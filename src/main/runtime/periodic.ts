/**
 * A background tick: first after `firstDelayMs`, then every `everyMs`, never keeping the process
 * alive (timers unref'd). Returns the function that stops it. Housekeeping and the backup schedule
 * run on it; each keeps its own "one at a time" rule.
 */
export function startPeriodic(firstDelayMs: number, everyMs: number, tick: () => void): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const first = setTimeout(() => {
    tick();
    timer = setInterval(tick, everyMs);
    timer.unref();
  }, firstDelayMs);
  first.unref();
  return () => {
    clearTimeout(first);
    if (timer) clearInterval(timer);
  };
}
