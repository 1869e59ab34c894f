/** The surface the Electron preload exposes on `window.escApi` (nothing else crosses the bridge). */
export interface EscBridge {
  invoke(method: string, params: unknown): Promise<unknown>;
  subscribe(event: string, callback: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    escApi?: EscBridge;
  }
}
