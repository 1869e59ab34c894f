/** A tiny path router over the History API (the hub serves index.html for every client route). */
import { useEffect, useState } from 'react';

const listeners = new Set<() => void>();

/** The desktop app loads a file: there the route lives in the hash (#/display). */
const useHash = location.protocol === 'file:';

function currentPath(): string {
  return useHash ? location.hash.replace(/^#/, '') || '/' : location.pathname;
}

export function navigate(path: string): void {
  if (currentPath() === path) return;
  if (useHash) location.hash = path;
  else history.pushState(null, '', path);
  for (const l of listeners) l();
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    listeners.add(update);
    window.addEventListener('popstate', update);
    window.addEventListener('hashchange', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
      window.removeEventListener('hashchange', update);
    };
  }, []);
  return path;
}
