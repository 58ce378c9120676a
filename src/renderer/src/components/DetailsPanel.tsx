// Device details: every address with its target and who may connect, agent and online state, per-device
// usernames, the pinned SSH host key, remembered passwords, and a local note.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Username, type Service } from '../../../shared/directory-types';
import { useDeviceIndex } from '../hooks/use-directory';
import { serviceAddress, type IndexedDevice } from '../search/device-index';
import { useAppStore } from '../store';
import { KIND_LABEL, offlineWhy, sshLoginWords } from '../store/format';
import { findUnsaved, unsavedWords, type UnsavedField } from '../store/unsaved-edits';
import { siteState } from './directory/SiteHeader';

interface HostKey {
  fingerprint: string;
  keyType: string;
  pinnedAt: string;
}

/** Extra resolver detail a newer core adds to a service (targets in failover order); shown when present. */
type Detailed = Service & { details?: { targets?: { url: string; online: boolean }[] } };

/**
 * An address that wraps only after its "://", dots and colons (and a dash, as text does): breaking anywhere cut
 * `tcp://frontdesk.cl` / `inic1.internal:22` in the middle of a name.
 */
function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=:\/\/|[.:])/);
  return (
    <code className="breakable">
      {parts.map((part, i) => (
        <span key={i}>
          {i > 0 && <wbr />}
          {part}
        </span>
      ))}
    </code>
  );
}

/** `login`: who an SSH service logs in as (the core's choice for it), shown under its address. */
function Addresses({ service, login }: { service: Detailed; login: string | null }) {
  const why = offlineWhy(service);
  const targets = service.details?.targets;
  return (
    <li className="detail-service">
      <div>
        <span className={`kind kind-${service.kind}`}>{KIND_LABEL[service.kind]}</span>{' '}
        <code>{serviceAddress(service)}</code>{' '}
        <span className={service.online ? 'ok' : 'warn'}>{why ? `Offline: ${why}` : 'Online'}</span>
      </div>
      <dl>
        <dt>Target</dt>
        <dd>
          {targets && targets.length > 1 ? (
            <ol>
              {targets.map((t) => (
                <li key={t.url}>
                  <Breakable text={t.url} /> {t.online ? '(online)' : '(offline)'}
                </li>
              ))}
            </ol>
          ) : (
            <Breakable text={service.target} />
          )}
        </dd>
        <dt>Allowed from</dt>
        <dd>{service.allow.length ? service.allow.join(', ') : 'anywhere (no IP restriction)'}</dd>
        {service.deny.length > 0 && (
          <>
            <dt>Denied from</dt>
            <dd>{service.deny.join(', ')}</dd>
          </>
        )}
        {login && (
          <>
            <dt>Logs in as</dt>
            <dd>{login}</dd>
          </>
        )}
        {service.problem && (
          <>
            <dt>Problem</dt>
            <dd className="warn">{service.problem}</dd>
          </>
        )}
      </dl>
    </li>
  );
}

export function DetailsPanel() {
  const detailsId = useAppStore((s) => s.detailsId);
  const index = useDeviceIndex();
  const entry = detailsId ? index.byId.get(detailsId) : undefined;
  // Keyed by device: opening another device starts with fresh fields.
  return entry ? <DeviceDetails key={entry.device.id} entry={entry} /> : null;
}

function DeviceDetails({ entry }: { entry: IndexedDevice }) {
  const detailsOpened = useAppStore((s) => s.detailsOpened);
  const client = useAppStore((s) => s.client);
  const saveFailed = useAppStore((s) => s.saveFailed);
  const unsavedCleared = useAppStore((s) => s.unsavedCleared);
  // Everything kept for a device (usernames, note, host key, remembered passwords) is kept per workspace, since device
  // ids repeat across workspaces: this device's is the one whose directory is on screen.
  const workspaceId = useAppStore((s) => s.snapshot?.workspaceId ?? null);
  /** The workspace the fields were loaded for: edits are saved there, never into one switched to meanwhile. */
  const [loadedFor, setLoadedFor] = useState<string | null>(null);
  const detailsId = entry.device.id;
  /** What this device's last saves could not keep (typed here, maybe in a panel since closed): shown, offered back. */
  const draft = useAppStore((s) => findUnsaved(s.unsaved, workspaceId, detailsId));
  const draftRef = useRef(draft);
  useLayoutEffect(() => {
    draftRef.current = draft;
  });
  /** The values as kept by core (read, or last saved): what "Discard" goes back to. */
  const kept = useRef<Record<UnsavedField, string>>({ note: '', sshUsername: '', rdpUsername: '' });
  const [sshUser, setSshUser] = useState('');
  const [rdpUser, setRdpUser] = useState('');
  const [note, setNote] = useState('');
  const [hostKey, setHostKey] = useState<HostKey | null>(null);
  const [remembered, setRemembered] = useState({ ssh: false, rdp: false });
  const [status, setStatus] = useState<string | null>(null);
  const [forgetting, setForgetting] = useState(false);
  /**
   * Why the usernames and note could not be read (a core error, a lost link), or null. Until they are read the fields
   * take no typing: an edit made then could not be saved (saving blind could also replace a kept note with an empty
   * one), and it was dropped without a word.
   */
  const [readFailed, setReadFailed] = useState<string | null>(null);
  /** Bumped by "Try again": the effect reads everything again. */
  const [attempt, setAttempt] = useState(0);

  // Another workspace's (or device's) values never stay on screen while this one's load (state adjusted while
  // rendering, as React advises for a changed input, rather than in the effect).
  const scope = `${workspaceId ?? ''} ${detailsId}`;
  const [shownScope, setShownScope] = useState(scope);
  if (shownScope !== scope) {
    setShownScope(scope);
    setLoadedFor(null);
    setSshUser('');
    setRdpUser('');
    setNote('');
    setHostKey(null);
    setRemembered({ ssh: false, rdp: false });
    setReadFailed(null);
  }

  useEffect(() => {
    let live = true;
    if (!workspaceId) return;
    const at = { workspaceId, deviceId: detailsId };
    void Promise.all([
      client.call('devicePrefs.get', at),
      client.call('deviceNote.get', at),
      client.call('hostKeys.get', at).catch(() => null),
      client.call('credentials.status', at).catch(() => ({ ssh: false, rdp: false })),
    ])
      .then(([prefs, n, key, creds]) => {
        if (!live) return;
        kept.current = {
          note: n.note,
          sshUsername: prefs.sshUsername ?? '',
          rdpUsername: prefs.rdpUsername ?? '',
        };
        // Text whose save failed comes back in its field, over the kept value, until it is saved or discarded.
        const typed = draftRef.current?.fields ?? {};
        setLoadedFor(workspaceId);
        setSshUser(typed.sshUsername ?? kept.current.sshUsername);
        setRdpUser(typed.rdpUsername ?? kept.current.rdpUsername);
        setNote(typed.note ?? kept.current.note);
        setHostKey(key);
        setRemembered(creds);
      })
      .catch((err: unknown) => live && setReadFailed(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [detailsId, workspaceId, client, attempt]);
  // A pin forgotten (or made) by the sitehop CLI while this panel is open: its host key line follows.
  useEffect(() => {
    if (!workspaceId) return;
    let live = true;
    const off = client.on('hostKeys.changed', (changed) => {
      if (changed.workspaceId !== workspaceId) return;
      client
        .call('hostKeys.get', { workspaceId, deviceId: detailsId })
        .then((key) => live && setHostKey(key))
        .catch(() => undefined);
    });
    return () => {
      live = false;
      off();
    };
  }, [detailsId, workspaceId, client]);
  const retryRead = (): void => {
    setReadFailed(null);
    setAttempt((n) => n + 1);
  };
  /** The fields show what is kept, or nothing editable: not before it is read, nor when it could not be. */
  const unread = loadedFor === null;
  const unreadHint = readFailed !== null ? 'could not be read (see above)' : 'reading…';

  const { device, site } = entry;
  // With no name kept here, the core logs in to each SSH service as the user that service's ngrok metadata names:
  // two services of one device may name different users.
  const ssh = device.services.filter((s) => s.kind === 'ssh');
  const metadataUsers = [...new Set(ssh.flatMap((s) => (s.username ? [s.username] : [])))];
  const metadataUser = metadataUsers.length === 1 && ssh.every((s) => s.username) ? metadataUsers[0]! : null;
  /**
   * Saves a field into the workspace the fields were loaded for (nothing before they have loaded). A failure goes to
   * the store with what was typed, not only to this panel: a save runs on blur, often as the panel closes, and its
   * answer then finds no panel to say it in (the store's notice offers the text back).
   */
  const save = (field: UnsavedField, value: string): void => {
    if (!loadedFor) return;
    const ws = loadedFor;
    const at = { workspaceId: ws, deviceId: device.id };
    // A username the core would refuse is said here in plain words, and nothing is sent: the core's answer spoke of
    // the request ('The request was not valid at "sshUsername": …').
    const refused = field !== 'note' && value.trim() !== '' && !Username.safeParse(value).success;
    const call = refused
      ? Promise.reject(new Error('a username is letters, digits and . _ - @ \\ only (no spaces).'))
      : field === 'note'
        ? client.call('deviceNote.set', { ...at, note: value })
        : client.call('devicePrefs.set', { ...at, [field]: value.trim() || null });
    const what = { note: 'Note', sshUsername: 'SSH username', rdpUsername: 'RDP username' }[field];
    call
      .then(() => {
        kept.current[field] = value;
        unsavedCleared(ws, device.id, [field]);
        setStatus(`${what} saved.`);
      })
      .catch((err: unknown) => {
        saveFailed({
          workspaceId: ws,
          deviceId: device.id,
          deviceName: device.name,
          fields: { [field]: value },
          error: err instanceof Error ? err.message : String(err),
        });
        setStatus(`${what} not saved.`);
      });
  };
  const fieldValue = (field: UnsavedField): string =>
    field === 'note' ? note : field === 'sshUsername' ? sshUser : rdpUser;
  const saveDraft = (): void => {
    for (const field of Object.keys(draft?.fields ?? {}) as UnsavedField[]) save(field, fieldValue(field));
  };
  const discardDraft = (): void => {
    if (!draft) return;
    const fields = Object.keys(draft.fields) as UnsavedField[];
    if (fields.includes('note')) setNote(kept.current.note);
    if (fields.includes('sshUsername')) setSshUser(kept.current.sshUsername);
    if (fields.includes('rdpUsername')) setRdpUser(kept.current.rdpUsername);
    unsavedCleared(draft.workspaceId, draft.deviceId, fields);
    setStatus('What was not saved is discarded.');
  };
  const aside = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** What had the keyboard when the panel opened (e.g. a failed tab's Device details): it gets it back on close. */
  const opener = useRef<Element | null>(document.activeElement);
  /** "Keep it" removes itself: the keyboard goes to "Forget host key…", which takes its place. */
  const refocusForget = useRef(false);
  useEffect(() => {
    // The button that opened the panel is often re-rendered away (the list narrows beside the panel), which
    // dropped the keyboard focus on the page's body: start the keyboard in the panel instead.
    if (!document.activeElement?.closest('.xterm')) heading.current?.focus();
  }, []);
  /** Closes the panel; a field being edited is saved first (its blur), and the keyboard goes back to the device. */
  const close = (): void => {
    const active = document.activeElement;
    const hadFocus = !active || active === document.body || !!aside.current?.contains(active);
    if (active instanceof HTMLElement && aside.current?.contains(active)) active.blur();
    detailsOpened(null);
    if (!hadFocus) return;
    const item = document.querySelector(`[data-device-id="${CSS.escape(device.id)}"]`);
    const back = [item, opener.current].find(
      (el): el is HTMLElement => el instanceof HTMLElement && el.isConnected && el.checkVisibility(),
    );
    (back ?? document.getElementById('search'))?.focus();
  };
  const closeRef = useRef(close);
  useLayoutEffect(() => {
    closeRef.current = close;
  });
  useEffect(() => {
    // Escape closes the panel, unless something above it owns the key: a dialog or the palette, a terminal (a
    // shell or vim needs its Escape), or a field outside the panel (the search box clears itself with it).
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      // Only a question on screen counts: one pending in a hidden (inactive) session tab does not own the key.
      const dialogs = document.querySelectorAll('dialog[open], [role="dialog"], [role="alertdialog"]');
      if (Array.from(dialogs).some((d) => d.checkVisibility())) return;
      const target = e.target instanceof Element ? e.target : null;
      const inPanel = !!target && !!aside.current?.contains(target);
      if (!inPanel && target?.closest('.terminal-session, input, textarea, select, [contenteditable="true"]'))
        return;
      e.preventDefault();
      closeRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <aside
      ref={aside}
      className="details"
      aria-label={`Details of ${device.name}`}
      // Busy until the workspace's usernames, note and host key have loaded or failed to (an e2e waits on it too).
      aria-busy={unread && readFailed === null}
    >
      <div className="details-head">
        <h2 ref={heading} tabIndex={-1}>
          {device.name}
        </h2>
        <button type="button" className="icon" aria-label="Close details" onClick={close}>
          <span aria-hidden>✕</span>
        </button>
      </div>
      <p className="muted">
        {site.name} · {siteState(site)} · {device.online ? 'device online' : 'device offline'}
      </p>
      <h3>Addresses</h3>
      <ul className="detail-services">
        {device.services.map((s) => (
          <Addresses
            key={s.id}
            service={s}
            login={s.kind === 'ssh' ? sshLoginWords(sshUser, s.username, metadataUsers.length > 0) : null}
          />
        ))}
      </ul>
      {readFailed !== null && (
        <div role="alert" className="banner error">
          <span id="details-read-failed">
            This device&apos;s usernames and note could not be read: {readFailed} They cannot be changed until
            they are read; what is kept stays as it is.
          </span>
          <button type="button" className="action" onClick={retryRead}>
            Try again
          </button>
        </div>
      )}
      {draft && (
        <div role="alert" className="banner error">
          <span>
            Your {unsavedWords(draft)} {Object.keys(draft.fields).length > 1 ? 'were' : 'was'} not saved:{' '}
            {draft.error}{' '}
            {unread
              ? 'What you typed is kept and comes back in its field once the fields are read.'
              : 'What you typed is back in its field below.'}
          </span>
          {!unread && (
            <>
              <button type="button" className="action" onClick={saveDraft}>
                Save again
              </button>
              <button type="button" className="action" onClick={discardDraft}>
                Discard
              </button>
            </>
          )}
        </div>
      )}
      <h3>Your usernames</h3>
      <div className="detail-form">
        <label>
          SSH username
          <input
            value={sshUser}
            onChange={(e) => setSshUser(e.target.value)}
            onBlur={() => save('sshUsername', sshUser)}
            readOnly={unread}
            placeholder={
              unread
                ? unreadHint
                : metadataUser
                  ? `${metadataUser} (from ngrok metadata)`
                  : metadataUsers.length > 0
                    ? 'per address, from ngrok metadata'
                    : 'ask when connecting'
            }
            aria-describedby={
              [readFailed !== null && 'details-read-failed', metadataUsers.length > 0 && 'ssh-user-note']
                .filter(Boolean)
                .join(' ') || undefined
            }
            autoComplete="off"
          />
        </label>
        {metadataUser ? (
          <p id="ssh-user-note" className="muted hint">
            Left empty, SiteHop logs in as {metadataUser}, the user ngrok&apos;s metadata names; a name typed
            here is used instead.
          </p>
        ) : (
          metadataUsers.length > 0 && (
            <p id="ssh-user-note" className="muted hint">
              Left empty, SiteHop logs in to each address as the user ngrok&apos;s metadata names for it (
              {metadataUsers.join(', ')}: see &quot;Logs in as&quot; above); a name typed here is used for all
              of them.
            </p>
          )
        )}
        <label>
          RDP username
          <input
            value={rdpUser}
            onChange={(e) => setRdpUser(e.target.value)}
            onBlur={() => save('rdpUsername', rdpUser)}
            readOnly={unread}
            placeholder={unread ? unreadHint : 'ask when connecting'}
            aria-describedby={readFailed !== null ? 'details-read-failed' : undefined}
            autoComplete="off"
          />
        </label>
      </div>
      <h3>SSH host key</h3>
      {hostKey ? (
        <p>
          Pinned {hostKey.keyType} <code className="fingerprint">{hostKey.fingerprint}</code>{' '}
          <span className="muted">since {new Date(hostKey.pinnedAt).toLocaleDateString()}</span>{' '}
          {forgetting ? (
            // The pin is what stops a swapped device or an interceptor: forgetting it is asked for twice.
            <span role="group" aria-label="Forget the pinned host key?" className="confirm">
              Forget it? The next connection then offers whatever key the device shows, to accept again.{' '}
              <button
                type="button"
                className="action danger"
                onClick={() =>
                  loadedFor !== null &&
                  void client
                    .call('hostKeys.forget', { workspaceId: loadedFor, deviceId: device.id })
                    .then(() => {
                      setForgetting(false);
                      setHostKey(null);
                      setStatus('Host key forgotten; the next connection asks again.');
                    })
                }
              >
                Forget host key
              </button>{' '}
              <button
                type="button"
                className="action"
                autoFocus
                onClick={() => {
                  refocusForget.current = true;
                  setForgetting(false);
                }}
              >
                Keep it
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="action"
              ref={(el) => {
                if (el && refocusForget.current) {
                  refocusForget.current = false;
                  el.focus();
                }
              }}
              onClick={() => setForgetting(true)}
            >
              Forget host key…
            </button>
          )}
        </p>
      ) : (
        <p className="muted">Not pinned yet: the first SSH connection shows its fingerprint to accept.</p>
      )}
      {(remembered.ssh || remembered.rdp) && (
        <p>
          Remembered in the keychain:{' '}
          {[remembered.ssh && 'SSH password', remembered.rdp && 'RDP password'].filter(Boolean).join(', ')}.{' '}
          <button
            type="button"
            className="action"
            onClick={() => {
              if (!workspaceId) return;
              void client.call('credentials.forget', { workspaceId, deviceId: device.id }).then(() => {
                setRemembered({ ssh: false, rdp: false });
                setStatus('Remembered passwords removed.');
              });
            }}
          >
            Forget passwords
          </button>
        </p>
      )}
      <h3>
        <label htmlFor="device-note">Note</label>
      </h3>
      <textarea
        id="device-note"
        value={note}
        maxLength={4000}
        rows={4}
        readOnly={unread}
        placeholder={unread ? unreadHint : 'Kept on this computer only'}
        aria-describedby={readFailed !== null ? 'details-read-failed' : undefined}
        onChange={(e) => setNote(e.target.value)}
        onBlur={() => save('note', note)}
      />
      <p className="muted" role="status">
        {status}
      </p>
    </aside>
  );
}
