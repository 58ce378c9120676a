// What a connecting session asks the technician, in the tab: a first-use host key to accept or refuse, a
// username, a password or key passphrase (with "remember"), or the server's keyboard-interactive questions.
import { useState, type FormEvent } from 'react';
import type { SshPrompt } from '../../../shared/session-types';

export interface PromptReply {
  accept: boolean;
  answers?: string[];
  remember?: boolean;
}

export function PromptForm({
  prompt,
  onReply,
  rememberAsked = false,
}: {
  prompt: SshPrompt;
  onReply: (r: PromptReply) => void;
  /** Whether the answer this question follows was to be remembered (the box starts ticked on a retry). */
  rememberAsked?: boolean;
}) {
  const [values, setValues] = useState<string[]>([]);
  // A password asked again after a wrong one keeps the technician's tick: it came back unticked, and the right
  // password typed next was silently not remembered (the next connection asked for it again).
  const [remember, setRemember] = useState(prompt.kind === 'password' && prompt.retry && rememberAsked);
  const set = (i: number, v: string) => setValues((old) => Object.assign([...old], { [i]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onReply({ accept: true, answers: values.map((v) => v ?? ''), remember });
  };
  const cancel = (
    <button type="button" onClick={() => onReply({ accept: false })}>
      Cancel
    </button>
  );
  const rememberBox = (
    <label className="terminal-remember">
      <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
      Remember in the keychain for this device
    </label>
  );

  if (prompt.kind === 'hostKey') {
    return (
      <div className="terminal-prompt" role="alertdialog" aria-label="Verify the device's host key">
        <h3>First connection to this device</h3>
        <p>
          Its SSH host key is <code className="fingerprint">{prompt.fingerprint}</code> ({prompt.keyType}).
          Accept it only if it matches the device's real key; SiteHop then pins it to this device and warns if
          it ever changes.
        </p>
        <div className="terminal-prompt-actions">
          <button type="button" className="primary" autoFocus onClick={() => onReply({ accept: true })}>
            Accept and connect
          </button>
          <button type="button" onClick={() => onReply({ accept: false })}>
            Refuse
          </button>
        </div>
      </div>
    );
  }

  if (prompt.kind === 'keyboardInteractive') {
    const single = prompt.prompts.length === 1 && !prompt.prompts[0]!.echo;
    return (
      <form className="terminal-prompt" aria-label={prompt.name || 'The device asks'} onSubmit={submit}>
        <h3>{prompt.name || 'The device asks'}</h3>
        {prompt.instructions && <p>{prompt.instructions}</p>}
        {prompt.prompts.map((p, i) => (
          <label key={i}>
            {p.prompt.trim() || `Answer ${i + 1}`}
            <input
              type={p.echo ? 'text' : 'password'}
              autoFocus={i === 0}
              autoComplete="off"
              value={values[i] ?? ''}
              onChange={(e) => set(i, e.target.value)}
            />
          </label>
        ))}
        {single && rememberBox}
        <div className="terminal-prompt-actions">
          <button type="submit" className="primary">
            Send
          </button>
          {cancel}
        </div>
      </form>
    );
  }

  const field =
    prompt.kind === 'username'
      ? { title: 'Log in as', label: 'Username', type: 'text', secret: false }
      : prompt.kind === 'password'
        ? {
            // The retry names the user too: the login it tries may be the thing to change (a metadata user).
            title: prompt.retry
              ? `That password for ${prompt.username} was not accepted`
              : `Password for ${prompt.username}`,
            label: 'Password',
            type: 'password',
            secret: true,
          }
        : {
            title: `Passphrase for the key ${prompt.keyName}`,
            label: 'Passphrase',
            type: 'password',
            secret: true,
          };
  return (
    <form className="terminal-prompt" aria-label={field.title} onSubmit={submit}>
      <h3>{field.title}</h3>
      <label>
        {field.label}
        <input
          type={field.type}
          autoFocus
          autoComplete="off"
          value={values[0] ?? ''}
          onChange={(e) => set(0, e.target.value)}
        />
      </label>
      {field.secret && rememberBox}
      <div className="terminal-prompt-actions">
        <button type="submit" className="primary">
          {prompt.kind === 'username' ? 'Continue' : 'Log in'}
        </button>
        {cancel}
      </div>
    </form>
  );
}
