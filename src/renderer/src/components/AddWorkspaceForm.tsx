import { useState, type FormEvent } from 'react';
import { useAppStore } from '../store/app-store';

/** The key is sent once to the core, which verifies it and stores it in the OS keychain; the form then forgets it. */
export function AddWorkspaceForm() {
  const busy = useAppStore((s) => s.busy);
  const workspaceAdded = useAppStore((s) => s.workspaceAdded);
  const addCancelled = useAppStore((s) => s.addCancelled);
  const canCancel = useAppStore((s) => s.workspaces.length > 0);
  const [name, setName] = useState('');
  const [apiUrl, setApiUrl] = useState('');
  const [apiKey, setApiKey] = useState('');

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const ok = await workspaceAdded({ name, apiKey, ...(apiUrl.trim() ? { apiUrl: apiUrl.trim() } : {}) });
    setApiKey('');
    if (ok) {
      setName('');
      setApiUrl('');
    }
  };

  return (
    <form className="card add-workspace" onSubmit={(e) => void submit(e)} aria-label="Add workspace">
      <h2>Add an ngrok workspace</h2>
      <p className="muted">
        Paste an ngrok API key (not an agent authtoken). It is checked, then kept in your OS keychain.
      </p>
      <label>
        Name
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Acme MSP"
          required
          maxLength={100}
        />
      </label>
      <label>
        API URL <span className="muted">(optional)</span>
        <input
          value={apiUrl}
          onChange={(e) => setApiUrl(e.target.value)}
          placeholder="https://api.ngrok.com"
        />
      </label>
      <label>
        API key
        <input
          type="password"
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          autoComplete="off"
          required
        />
      </label>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Add workspace'}
        </button>
        {canCancel && (
          <button type="button" onClick={addCancelled} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
