// The app's store instance on the real client, and the React hook to read it.
import { useStore } from 'zustand';
import { client } from '../api/client';
import { createAppStore, type AppState } from './app-store';

export const appStore = createAppStore(client);

export function useAppStore<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}
