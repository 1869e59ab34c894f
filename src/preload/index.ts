/**
 * Preload: exposes exactly two functions to the page, `invoke(method, params)` and
 * `subscribe(event, cb)`, over one IPC channel each. Nothing of Node or Electron leaks through.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

let nextId = 1;

const escApi = {
  invoke(method: string, params: unknown): Promise<unknown> {
    return ipcRenderer.invoke('rpc', { jsonrpc: '2.0', id: nextId++, method: String(method), params });
  },
  subscribe(event: string, callback: (payload: unknown) => void): () => void {
    const listener = (_e: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) callback(payload);
    };
    ipcRenderer.on('rpc:event', listener);
    return () => {
      ipcRenderer.removeListener('rpc:event', listener);
    };
  },
};

contextBridge.exposeInMainWorld('escApi', escApi);
