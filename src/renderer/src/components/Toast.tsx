import { useEffect } from 'react';
import { useAppStore } from '../store';
import { unsavedWords, type UnsavedEdit, type UnsavedField } from '../store/unsaved-edits';

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
    <>
      <UnsavedNotices />
      <div className="toast-slot" role="status" aria-live="polite">
        {toast && <div className="toast">{toast}</div>}
      </div>
    </>
  );
}

/**
 * Notes and usernames whose save failed after their details panel closed (or showed another device): said until
 * the technician reopens the panel, where the text is back in its field, or discards it. Never on a timer: it is
 * typed work not kept anywhere else. The open panel of that device says it itself.
 */
function UnsavedNotices() {
  const unsaved = useAppStore((s) => s.unsaved);
  const detailsId = useAppStore((s) => s.detailsId);
  const workspaceId = useAppStore((s) => s.snapshot?.workspaceId ?? null);
  const shown = unsaved.filter((e) => !(e.workspaceId === workspaceId && e.deviceId === detailsId));
  if (shown.length === 0) return null;
  return (
    <div className="unsaved-slot">
      {shown.map((e) => (
        <UnsavedNotice key={`${e.workspaceId} ${e.deviceId}`} edit={e} here={e.workspaceId === workspaceId} />
      ))}
    </div>
  );
}

function UnsavedNotice({ edit, here }: { edit: UnsavedEdit; here: boolean }) {
  const detailsOpened = useAppStore((s) => s.detailsOpened);
  const unsavedCleared = useAppStore((s) => s.unsavedCleared);
  const several = Object.keys(edit.fields).length > 1;
  return (
    <div role="alert" className="banner error">
      <span>
        Your {unsavedWords(edit)} for “{edit.deviceName}” {several ? 'were' : 'was'} not saved: {edit.error}{' '}
        {here
          ? 'Reopen its details to save it again; what you typed is kept there.'
          : 'It is kept: open the device’s details in its workspace to save it again.'}
      </span>
      {here && (
        <button type="button" className="action" onClick={() => detailsOpened(edit.deviceId)}>
          Reopen details of {edit.deviceName}
        </button>
      )}
      <button
        type="button"
        className="action"
        aria-label={`Discard the unsaved ${unsavedWords(edit)} for ${edit.deviceName}`}
        onClick={() =>
          unsavedCleared(edit.workspaceId, edit.deviceId, Object.keys(edit.fields) as UnsavedField[])
        }
      >
        Discard
      </button>
    </div>
  );
}
