// Before an RDP launch: the login to hand to the system client. The password is optional (the client can ask)
// and goes to the core once, which passes it to the client on stdin, never on its command line.
import { useEffect, useState, type FormEvent } from 'react';
import { useAppStore } from '../../store';
import type { ConnectTarget } from '../../store/sessions-slice';
import { Modal } from '../Modal';

export function RdpDialog() {
  const ask = useAppStore((s) => s.rdpAsk);
  if (!ask) return null;
  return <RdpForm key={`${ask.device.id}/${ask.service.id}`} ask={ask} />;
}

function RdpForm({ ask }: { ask: ConnectTarget }) {
  const client = useAppStore((s) => s.client);
  const rdpLaunched = useAppStore((s) => s.rdpLaunched);
  const rdpCancelled = useAppStore((s) => s.rdpCancelled);
  const [username, setUsername] = useState(ask.service.username ?? '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let live = true;
    void client
      .call('devicePrefs.get', { deviceId: ask.device.id })
      .then((p) => live && p.rdpUsername && setUsername(p.rdpUsername))
      .catch(() => undefined);
    void client
      .call('credentials.status', { deviceId: ask.device.id })
      .then((c) => live && setSaved(c.rdp))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [ask, client]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const u = username.trim();
    void rdpLaunched({ ...ask, ...(u ? { username: u } : {}), ...(password ? { password, remember } : {}) });
  };
  return (
    <Modal title={`RDP to ${ask.device.name}`} onCancel={rdpCancelled}>
      <form onSubmit={submit} className="rdp-form">
        <label>
          Username
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoFocus
            autoComplete="off"
          />
        </label>
        <label>
          Password <span className="muted">(optional{saved ? ', one is remembered' : ''})</span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="off"
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={remember}
            onChange={(e) => setRemember(e.target.checked)}
            disabled={!password}
          />
          Remember it in this computer’s keychain
        </label>
        <div className="actions">
          <button type="submit" className="primary">
            Launch remote desktop
          </button>
          <button type="button" onClick={rdpCancelled}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
