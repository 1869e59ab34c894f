/** Locks the desk after the site's inactivity delay (keyboard, mouse, touch reset the timer). */
import { useEffect } from 'react';

export function useInactivityLock(minutes: number | null, lock: () => void): void {
  useEffect(() => {
    if (!minutes) return;
    let timer = setTimeout(lock, minutes * 60_000);
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(lock, minutes * 60_000);
    };
    const events = ['keydown', 'mousedown', 'mousemove', 'touchstart', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, reset, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [minutes, lock]);
}
