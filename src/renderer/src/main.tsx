// The page's entry holds only what must start first. On the harness page the socket's worker starts here, so the
// worker and its socket come up while the app's code (app-main.tsx: React, zod, the contract, the views) downloads
// and evaluates, instead of after it (early-worker.ts says why that order mattered).
import { startEarlyWorker } from './api/early-worker';
import { transportKind } from './api/transport-kind';
import './styles.css';

if (transportKind({ bridge: window.sitehop, location: window.location }) === 'harness')
  startEarlyWorker(window.location);
void import('./app-main');
