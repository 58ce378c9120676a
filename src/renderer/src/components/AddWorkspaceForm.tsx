// Adding an ngrok account: name, API key, and (advanced) the API URL. The key is sent once to the core, which
// verifies it and keeps it in the OS keychain; the form forgets it after every attempt. Errors show inline.
// ApiKeyField is the same key field in the workspace dialog's "Replace API key".
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useAppStore } from '../store';
import { realWorkspaces } from '../store/app-store';
import { returnFocus, selectedTab } from './focus-return';

/**
 * The API key field: typed or pasted, never shown, and described by the form's inline error (`errorId`, set while
 * one shows). `autoFocus`: the keyboard starts here (the dialog's Modal focuses what is marked data-autofocus).
 */
export function ApiKeyField({
  value,
  onChange,
  errorId,
  autoFocus = false,
}: {
  value: string;
  onChange: (value: string) => void;
  errorId: string | undefined;
  autoFocus?: boolean;
}) {
  return (
    <label>
      API key
      <input
        type="password"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="off"
        required
        autoFocus={autoFocus}
        data-autofocus={autoFocus ? true : undefined}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
      />
    </label>
  );
}

export function AddWorkspaceForm({ onCancel }: { onCancel?: () => void }) {
  const busy = useAppStore((s) => s.addBusy);
  const addError = useAppStore((s) => s.addError);
  const workspaceAdded = useAppStore((s) => s.workspaceAdded);
  const addCancelled = useAppStore((s) => s.addCancelled);
  const canCancel = useAppStore((s) => realWorkspaces(s.workspaces).length > 0 || s.workspaceId !== null);
  const [name, setName] = useState('');
  const [apiUrl, setApiUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const errorId = useId();
  // What opened the form (the workspace switcher) has the keyboard back when it goes, cancelled or done.
  const [opener] = useState(() => document.activeElement);
  useEffect(() => () => returnFocus(opener, selectedTab), [opener]);
  const cancel = onCancel ?? (canCancel ? addCancelled : undefined);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const ok = await workspaceAdded({ name, apiKey, ...(apiUrl.trim() ? { apiUrl: apiUrl.trim() } : {}) });
    setApiKey('');
    if (ok) {
      setName('');
      setApiUrl('');
    }
  };
  const describedBy = addError ? errorId : undefined;

  return (
    <form
      className="card add-workspace"
      onSubmit={(e) => void submit(e)}
      aria-label="Add ngrok account"
      // Escape cancels, as in every other dialog of the app (not while the key is being checked).
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !cancel || busy) return;
        e.preventDefault();
        cancel();
      }}
    >
      <h2>Add an ngrok account</h2>
      <p className="muted">
        Paste an ngrok API key (dashboard → API → API Keys; not an agent authtoken). SiteHop checks it, then
        keeps it in this computer’s keychain.
      </p>
      <label>
        Name
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          // Asked for on purpose (a button, the switcher): the keyboard goes to the first field.
          autoFocus
          placeholder="Acme MSP"
          required
          maxLength={100}
          aria-describedby={describedBy}
        />
      </label>
      <ApiKeyField value={apiKey} onChange={setApiKey} errorId={describedBy} />
      <details>
        <summary>Advanced</summary>
        <label>
          API URL
          <input
            value={apiUrl}
            onChange={(e) => setApiUrl(e.target.value)}
            placeholder="https://api.ngrok.com"
          />
        </label>
      </details>
      {addError && (
        <p id={errorId} role="alert" className="inline-error">
          {addError}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking the key…' : 'Add account'}
        </button>
        {cancel && (
          <button type="button" onClick={cancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
