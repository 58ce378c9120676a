// First import: zod must be configured before any module builds a schema.
import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

// Marks read by the UI bench (bench/ui.bench.ts): script evaluated, first directory data, first paint.
performance.mark('app-start');
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
