import { useEffect } from 'react';
import { useAppStore } from '../store';

/** A short confirmation ("Copied 1.tcp.ngrok.io:21234") announced politely, gone after a few seconds. */
export function Toast() {
  const toast = useAppStore((s) => s.toast);
  const toastShown = useAppStore((s) => s.toastShown);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => toastShown(null), 3000);
    return () => clearTimeout(t);
  }, [toast, toastShown]);
  return (
    <div className="toast-slot" role="status" aria-live="polite">
      {toast && <div className="toast">{toast}</div>}
    </div>
  );
}
