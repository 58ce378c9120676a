import { useAppStore } from '../../store';
import { Modal } from '../Modal';

/** Closing a tab whose session is live asks first: a customer may be mid-task on the other end. */
export function CloseSessionDialog() {
  const closing = useAppStore((s) => s.tabs.find((t) => t.key === s.closing));
  const closeConfirmed = useAppStore((s) => s.closeConfirmed);
  const closeCancelled = useAppStore((s) => s.closeCancelled);
  if (!closing) return null;
  return (
    <Modal title={`Close the session to ${closing.title}?`} onCancel={closeCancelled}>
      <p>The SSH connection ends and anything still running in it may stop.</p>
      <div className="actions">
        <button type="button" className="danger" onClick={() => void closeConfirmed()}>
          Close session
        </button>
        <button type="button" data-autofocus onClick={closeCancelled}>
          Keep it open
        </button>
      </div>
    </Modal>
  );
}
