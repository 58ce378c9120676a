// Renaming, re-keying or removing a workspace the technician added (the demo and an environment workspace are not
// theirs to change: the demo has no key, and SITEHOP_API_KEY's workspace takes its key from the environment).
// "Replace API key" is the way out when a key was revoked or rotated: the same workspace (its id) keeps its notes,
// usernames, favorites and pinned host keys; the core checks the new key reaches the same ngrok account. Removing
// takes its API key and its devices' remembered passwords out of the keychain and its saved directory off the disk.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { WorkspaceSummary } from '../../../shared/directory-types';
import { useAppStore } from '../store';
import { ApiKeyField } from './AddWorkspaceForm';
import { Modal } from './Modal';

export type WorkspaceDialogMode = 'manage' | 'replaceKey';

export function WorkspaceDialog({
  workspace,
  mode = 'manage',
  onClose,
}: {
  workspace: WorkspaceSummary;
  /** 'replaceKey' opens on the new key's field (the switcher's item, the rejected key's banner). */
  mode?: WorkspaceDialogMode;
  onClose: () => void;
}) {
  const workspaceRenamed = useAppStore((s) => s.workspaceRenamed);
  const workspaceRemoved = useAppStore((s) => s.workspaceRemoved);
  const keyReplaced = useAppStore((s) => s.keyReplaced);
  const [name, setName] = useState(workspace.name);
  // Renamed outside this window while open (`sitehop workspace rename`; the store's list follows the home watch):
  // the field follows unless the technician typed in it. Left with the name it opened with, Rename would have put
  // the old name back.
  const shownName = useRef(workspace.name);
  useEffect(() => {
    const before = shownName.current;
    if (workspace.name === before) return;
    shownName.current = workspace.name;
    setName((typed) => (typed === before ? workspace.name : typed));
  }, [workspace.name]);
  const [apiKey, setApiKey] = useState('');
  const [replacing, setReplacing] = useState(mode === 'replaceKey');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const replaceButton = useRef<HTMLButtonElement>(null);

  const run = async (op: () => Promise<string | null>): Promise<void> => {
    setBusy(true);
    setError(null);
    const refused = await op();
    setBusy(false);
    if (refused) setError(refused);
    else onClose();
  };
  const rename = (e: FormEvent): void => {
    e.preventDefault();
    if (name.trim() === workspace.name) return onClose();
    void run(() => workspaceRenamed(workspace.id, name));
  };
  const replace = (e: FormEvent): void => {
    e.preventDefault();
    const key = apiKey;
    // Forgotten after every attempt, as in the add form: a refused key is typed again, not kept on screen.
    setApiKey('');
    void run(() => keyReplaced(workspace.id, key));
  };
  const back = (): void => {
    setReplacing(false);
    setError(null);
    setApiKey('');
    // Opened on the key (from the banner or the switcher's item): back means done; else to the button it came from.
    if (mode === 'replaceKey') onClose();
    else setTimeout(() => replaceButton.current?.focus(), 0);
  };
  const errorLine = error && (
    <p id={errorId} role="alert" className="inline-error" style={{ maxWidth: 360 }}>
      {error}
    </p>
  );

  return (
    // Not while a key is being checked: the answer would land in a dialog that is gone.
    <Modal
      title={`Workspace ${workspace.name}`}
      onCancel={() => {
        if (!busy) onClose();
      }}
    >
      {replacing ? (
        <form className="rdp-form" onSubmit={replace} aria-label="Replace API key">
          <p className="muted" style={{ marginTop: 0, maxWidth: 360 }}>
            Paste a new API key of the same ngrok account (dashboard → API → API Keys). SiteHop checks it,
            then keeps it in this computer’s keychain in place of the old one. The workspace keeps its notes,
            usernames, favorites and pinned host keys. A key of another account is refused: add it as a new
            workspace.
          </p>
          <ApiKeyField value={apiKey} onChange={setApiKey} errorId={error ? errorId : undefined} autoFocus />
          {errorLine}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Checking the key…' : 'Replace key'}
            </button>
            <button type="button" disabled={busy} onClick={back}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <form className="rdp-form" onSubmit={rename}>
          <label>
            Name
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              maxLength={100}
              autoComplete="off"
              aria-describedby={error ? errorId : undefined}
            />
          </label>
          {errorLine}
          {confirming ? (
            <div role="group" aria-label="Remove the workspace?">
              <p className="muted" style={{ marginTop: 0, maxWidth: 360 }}>
                Remove “{workspace.name}”? Its API key and the passwords remembered for its devices leave this
                computer’s keychain, and its saved directory is deleted, with the notes, usernames, favorites
                and pinned host keys kept here for its devices (added again, it starts without them). The
                ngrok account is not touched: add it again any time. For a revoked or rotated key, Replace API
                key keeps them.
              </p>
              <div className="actions">
                <button
                  type="button"
                  className="danger"
                  disabled={busy}
                  onClick={() => void run(() => workspaceRemoved(workspace.id))}
                >
                  Remove
                </button>
                <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
                  Keep it
                </button>
              </div>
            </div>
          ) : (
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                Rename
              </button>
              <button
                ref={replaceButton}
                type="button"
                disabled={busy}
                onClick={() => {
                  setError(null);
                  setReplacing(true);
                }}
              >
                Replace API key…
              </button>
              <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
                Remove workspace…
              </button>
              <button type="button" disabled={busy} onClick={onClose}>
                Cancel
              </button>
            </div>
          )}
        </form>
      )}
    </Modal>
  );
}
