// The preload exposes exactly the contract: one function per call, one subscription per event, built from the
// contract's own name lists. No raw ipcRenderer reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { callChannel, callNames, eventChannel, eventNames, type SitehopBridge } from '../shared/contract';

const calls = Object.fromEntries(
  callNames.map((name) => [name, (input: unknown) => ipcRenderer.invoke(callChannel(name), input)]),
) as unknown as SitehopBridge['calls'];

const events = Object.fromEntries(
  eventNames.map((name) => [
    name,
    (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      const channel = eventChannel(name);
      // Strip the IpcRendererEvent: it carries `sender`, which must not cross into the page.
      const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => ipcRenderer.removeListener(channel, forward);
    },
  ]),
) as unknown as SitehopBridge['events'];

contextBridge.exposeInMainWorld('sitehop', { calls, events } satisfies SitehopBridge);
