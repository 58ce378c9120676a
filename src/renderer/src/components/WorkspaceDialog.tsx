// Renaming or removing a workspace the technician added (the demo and an environment workspace are not theirs to
// change). Removing takes its API key and its devices' remembered passwords out of the keychain and its saved
// directory off the disk; the ngrok account itself is not touched, so it can be added again with a new key (the
// way out when a key was revoked).
import { useId, useState, type FormEvent } from 'react';
import type { WorkspaceSummary } from '../../../shared/directory-types';
import { useAppStore } from '../store';
import { Modal } from './Modal';

export function WorkspaceDialog({
  workspace,
  onClose,
}: {
  workspace: WorkspaceSummary;
  onClose: () => void;
}) {
  const workspaceRenamed = useAppStore((s) => s.workspaceRenamed);
  const workspaceRemoved = useAppStore((s) => s.workspaceRemoved);
  const [name, setName] = useState(workspace.name);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

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

  return (
    <Modal title={`Workspace ${workspace.name}`} onCancel={onClose}>
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
        {error && (
          <p id={errorId} role="alert" className="inline-error" style={{ maxWidth: 360 }}>
            {error}
          </p>
        )}
        {confirming ? (
          <div role="group" aria-label="Remove the workspace?">
            <p className="muted" style={{ marginTop: 0, maxWidth: 360 }}>
              Remove “{workspace.name}”? Its API key and the passwords remembered for its devices leave this
              computer’s keychain, and its saved directory is deleted, with the notes, usernames, favorites
              and pinned host keys kept here for its devices (added again, it starts without them). The ngrok
              account is not touched: add it again any time.
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
            <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
              Remove workspace…
            </button>
            <button type="button" disabled={busy} onClick={onClose}>
              Cancel
            </button>
          </div>
        )}
      </form>
    </Modal>
  );
}
