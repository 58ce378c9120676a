// Before an RDP launch: the login to hand to the system client, and which client that is. The password goes to the
// core once, which passes it to the client on stdin, never on its command line. It is optional when the client asks
// for it itself (mstsc, Windows App, Remmina, SDL FreeRDP) or one is remembered; xfreerdp cannot ask, so there the
// field is required rather than letting the launch fail in the sessions list. Every FreeRDP client needs the
// username too (the launcher refuses a launch without one).
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Username } from '../../../../shared/directory-types';
import type { RdpClientInfo } from '../../../../shared/session-types';
import { useAppStore } from '../../store';
import type { ConnectTarget } from '../../store/sessions-slice';
import { Modal } from '../Modal';
import { prefilledUsername } from './rdp-username';

export function RdpDialog() {
  const ask = useAppStore((s) => s.rdpAsk);
  if (!ask) return null;
  return <RdpForm key={`${ask.device.id}/${ask.service.id}`} ask={ask} />;
}

function RdpForm({ ask }: { ask: ConnectTarget }) {
  const client = useAppStore((s) => s.client);
  // The workspace the launch goes to (sessions-slice rdpLaunched): remembered passwords are kept per workspace.
  const workspaceId = useAppStore((s) => s.workspaceId);
  const rdpLaunched = useAppStore((s) => s.rdpLaunched);
  const rdpCancelled = useAppStore((s) => s.rdpCancelled);
  const [username, setUsername] = useState(ask.service.username ?? '');
  /** The technician typed in the username field: the kept name, read after the dialog opens, must not replace it. */
  const typed = useRef(false);
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [saved, setSaved] = useState(false);
  /** The client a launch will use (the saved choice, else the first found); null before the answer or when none. */
  const [rdpClient, setRdpClient] = useState<RdpClientInfo | null>(null);
  const [clientKnown, setClientKnown] = useState(false);
  /** What to install, when no client was found (the launch would fail with it). */
  const [installHint, setInstallHint] = useState<string | null>(null);
  const hintId = useId();
  const usernameErrorId = useId();
  const [usernameError, setUsernameError] = useState<string | null>(null);
  const userField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    // The username kept for the device in this workspace (device ids repeat across workspaces).
    if (workspaceId)
      void client
        .call('devicePrefs.get', { workspaceId, deviceId: ask.device.id })
        .then((p) => {
          if (live) setUsername((value) => prefilledUsername({ value, typed: typed.current }, p.rdpUsername));
        })
        .catch(() => undefined);
    if (workspaceId)
      void client
        .call('credentials.status', { workspaceId, deviceId: ask.device.id })
        .then((c) => live && setSaved(c.rdp))
        .catch(() => undefined);
    void client
      .call('rdp.clients', {})
      .then((r) => {
        if (!live) return;
        setRdpClient(r.clients.find((c) => c.id === r.preferred) ?? r.clients[0] ?? null);
        setInstallHint(r.installHint);
        setClientKnown(true);
      })
      .catch(() => live && setClientKnown(true));
    return () => {
      live = false;
    };
  }, [ask, client, workspaceId]);

  const needsPassword = rdpClient?.needsPassword ?? false;

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const u = username.trim();
    // Said here, the dialog open on the field: the launch failed in the list with the core's words for a malformed
    // request ('The request was not valid at "username": …').
    if (u && !Username.safeParse(u).success) {
      setUsernameError('A username is letters, digits and . _ - @ \\ only (no spaces).');
      userField.current?.focus();
      return;
    }
    void rdpLaunched({ ...ask, ...(u ? { username: u } : {}), ...(password ? { password, remember } : {}) });
  };
  return (
    <Modal title={`RDP to ${ask.device.name}`} onCancel={rdpCancelled}>
      <form onSubmit={submit} className="rdp-form">
        <label>
          Username
          <input
            ref={userField}
            value={username}
            onChange={(e) => {
              typed.current = true;
              setUsername(e.target.value);
              setUsernameError(null);
            }}
            aria-invalid={usernameError !== null || undefined}
            aria-errormessage={usernameError ? usernameErrorId : undefined}
            data-autofocus
            autoComplete="off"
            required={rdpClient?.needsUsername ?? false}
          />
        </label>
        {usernameError && (
          <p id={usernameErrorId} role="alert" className="inline-error">
            {usernameError}
          </p>
        )}
        <label>
          {/* One row (the label is a flex column): the note after the word must not add a row when it comes. */}
          <span>
            Password{' '}
            {(saved || (rdpClient && !needsPassword)) && (
              <span className="muted">(optional{saved ? ', one is remembered' : ': the client asks'})</span>
            )}
          </span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="off"
            required={needsPassword && !saved}
            aria-describedby={hintId}
          />
        </label>
        {/* There from the first frame, its room kept (.rdp-client-hint): the client's answer comes after the dialog
            opens, and a line appearing then moved "Remember it" under the technician's pointer. */}
        <p id={hintId} className="muted rdp-client-hint">
          {rdpClient
            ? `Opens in ${rdpClient.name}${
                needsPassword && !saved
                  ? ', which cannot ask for the password: SiteHop hands it over, never on its command line.'
                  : '.'
              }`
            : clientKnown
              ? `No remote desktop client was found on this computer.${installHint ? ` ${installHint}` : ''}`
              : 'Looking for the remote desktop client…'}
        </p>
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
