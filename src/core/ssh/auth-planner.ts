// Chooses the next login method for ssh2's authHandler, in OpenSSH's order: the agent, key files (asking for a
// passphrase when one is encrypted), the password, then keyboard-interactive, each only when the server offers
// it. Secrets the technician asked to remember are written to the keychain only once they have proved right.
import path from 'node:path';
import { AppError } from '../errors';
import type { AnyAuthMethod, AuthHandlerMiddleware, ParsedKey } from 'ssh2';
import type { CredentialKind, DeviceCredentials } from '../secrets/device-credentials';
import { parsePrivateKey, type KeyFile } from './key-files';
import type { SshPrompter } from './prompter';

type AuthMethod = AnyAuthMethod;

export interface AuthPlanOptions {
  username: string;
  /** The device's workspace: remembered secrets are kept per workspace, as device ids repeat across them. */
  workspaceId: string;
  deviceId: string;
  prompter: SshPrompter;
  credentials?: DeviceCredentials | null;
  keys: KeyFile[];
  /** SSH_AUTH_SOCK (or "pageant" on Windows); null = no agent. */
  agent?: string | null;
  /** A password given up front (CLI --password-stdin): tried before any prompt. */
  password?: string | null;
  /** Wraps every prompt, so the caller can stop its network timeout while the technician types. */
  whilePrompting?: <T>(ask: () => Promise<T>) => Promise<T>;
}

const MAX_TRIES = 3;

export class AuthPlanner {
  private readonly tried: string[] = [];
  private agentTried = false;
  private keyIndex = 0;
  private passwordTries = 0;
  private passwordDone = false;
  private kbdTries = 0;
  private kbdDone = false;
  private rememberedPasswordUsed = false;
  private rememberOnSuccess: { kind: CredentialKind; secret: string } | null = null;
  /** Secrets the technician asked to remember that the keychain (or the index) refused: said once logged in. */
  readonly notRemembered: string[] = [];
  /** The technician cancelled a prompt: a final failure is "cancelled", not "wrong credentials". */
  cancelled = false;

  constructor(private readonly o: AuthPlanOptions) {}

  /** For ssh2's `authHandler` option. */
  handler(): AuthHandlerMiddleware {
    return (methodsLeft, _partial, callback) => {
      // ssh2 passes null on the first round and accepts false for "no more methods"; its typings say neither.
      const next = callback as unknown as (m: AuthMethod | false) => void;
      this.next(methodsLeft as string[] | null).then(next, () => next(false));
    };
  }

  /** What was tried, for the failure message ("agent, key id_ed25519, password"). */
  triedSummary(): string {
    return triedWords(this.tried);
  }

  /** Called once the server accepted the login. */
  async succeeded(): Promise<void> {
    const r = this.rememberOnSuccess;
    this.rememberOnSuccess = null;
    if (r) await this.remember(r.kind, r.secret);
  }

  /**
   * Remembering is a convenience: a keychain failure or a failed index write must not fail a login that worked.
   * The reason is kept (never the secret) so the session can tell the technician it was not remembered.
   */
  private async remember(kind: CredentialKind, secret: string): Promise<void> {
    if (!this.o.credentials) return;
    try {
      await this.o.credentials.set(this.o.workspaceId, this.o.deviceId, kind, secret);
    } catch (err) {
      const what = kind === 'ssh-passphrase' ? 'The key passphrase' : 'The password';
      // An AppError's message is written for the technician (the keychain's); a file error is said plainly.
      const why =
        err instanceof AppError
          ? err.message
          : 'SiteHop could not update its list of remembered secrets (remembered-secrets.json).';
      this.notRemembered.push(`${what} was not remembered. ${why}`);
    }
  }

  private ask<T>(fn: () => Promise<T>): Promise<T> {
    return this.o.whilePrompting ? this.o.whilePrompting(fn) : fn();
  }

  private async remembered(kind: CredentialKind): Promise<string | null> {
    if (!this.o.credentials) return null;
    try {
      return await this.o.credentials.get(this.o.workspaceId, this.o.deviceId, kind);
    } catch {
      // A locked or missing keychain just means nothing is remembered: ask instead.
      return null;
    }
  }

  async next(methodsLeft: string[] | null): Promise<AuthMethod | false> {
    const username = this.o.username;
    this.rememberOnSuccess = null;
    // The first round asks "none": the server's answer lists the methods it accepts.
    if (methodsLeft === null) return { type: 'none', username };
    const offers = (m: string) => methodsLeft.includes(m);

    if (offers('publickey') && this.o.agent && !this.agentTried) {
      this.agentTried = true;
      this.tried.push('agent');
      return { type: 'agent', username, agent: this.o.agent };
    }
    while (offers('publickey') && this.keyIndex < this.o.keys.length) {
      const file = this.o.keys[this.keyIndex++]!;
      const key = await this.unlock(file);
      if (key) {
        this.tried.push(`key ${file.name}`);
        return { type: 'publickey', username, key };
      }
    }
    if (offers('password') && !this.passwordDone) {
      const secret = await this.nextPassword();
      if (secret !== null) {
        this.tried.push('password');
        return { type: 'password', username, password: secret };
      }
    }
    if (offers('keyboard-interactive') && !this.kbdDone && this.kbdTries < MAX_TRIES) {
      this.kbdTries++;
      this.tried.push('keyboard-interactive');
      return {
        type: 'keyboard-interactive',
        username,
        prompt: (name, instructions, _lang, prompts, finish) => {
          this.answerKeyboard(name, instructions, prompts).then(finish, () => finish([]));
        },
      };
    }
    return false;
  }

  private async unlock(file: KeyFile): Promise<ParsedKey | null> {
    const plain = parsePrivateKey(file.data);
    if (plain.ok) return plain.key;
    if (plain.reason !== 'encrypted') return null;
    const remembered = await this.remembered('ssh-passphrase');
    if (remembered !== null) {
      const r = parsePrivateKey(file.data, remembered);
      if (r.ok) return r.key;
    }
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const answer = await this.ask(() =>
        this.o.prompter.passphrase({ keyName: path.basename(file.path), retry: attempt > 0 }),
      );
      if (!answer) {
        this.cancelled = this.o.prompter.canAsk !== false;
        return null;
      }
      const r = parsePrivateKey(file.data, answer.secret);
      if (r.ok) {
        // The passphrase proved right by decrypting the key: remember it now if asked.
        if (answer.remember) await this.remember('ssh-passphrase', answer.secret);
        return r.key;
      }
    }
    return null;
  }

  private async nextPassword(): Promise<string | null> {
    if (this.passwordTries === 0 && this.o.password) {
      this.passwordTries++;
      return this.o.password;
    }
    if (!this.rememberedPasswordUsed) {
      this.rememberedPasswordUsed = true;
      const remembered = await this.remembered('ssh-password');
      if (remembered !== null) {
        this.passwordTries++;
        return remembered;
      }
    }
    if (this.passwordTries >= MAX_TRIES) {
      this.passwordDone = true;
      return null;
    }
    const retry = this.passwordTries > 0;
    this.passwordTries++;
    const answer = await this.ask(() => this.o.prompter.password({ username: this.o.username, retry }));
    if (!answer) {
      this.cancelled = this.o.prompter.canAsk !== false;
      this.passwordDone = true;
      return null;
    }
    if (answer.remember) this.rememberOnSuccess = { kind: 'ssh-password', secret: answer.secret };
    return answer.secret;
  }

  private async answerKeyboard(
    name: string,
    instructions: string,
    prompts: Array<{ prompt: string; echo?: boolean }>,
  ): Promise<string[]> {
    if (prompts.length === 0) return [];
    const shaped = prompts.map((p) => ({ prompt: p.prompt, echo: p.echo === true }));
    const passwordLike = shaped.length === 1 && !shaped[0]!.echo && /password/i.test(shaped[0]!.prompt);
    if (passwordLike && !this.rememberedPasswordUsed) {
      this.rememberedPasswordUsed = true;
      const remembered = this.o.password ?? (await this.remembered('ssh-password'));
      if (remembered !== null) return [remembered];
    }
    const answer = await this.ask(() =>
      this.o.prompter.keyboardInteractive({ name, instructions, prompts: shaped }),
    );
    if (!answer) {
      this.cancelled = this.o.prompter.canAsk !== false;
      this.kbdDone = true;
      return [];
    }
    if (answer.remember && passwordLike && answer.answers[0] !== undefined)
      this.rememberOnSuccess = { kind: 'ssh-password', secret: answer.answers[0] };
    return answer.answers;
  }
}

/**
 * The methods tried, each named once in the order first tried, with how often when more than once: "key id_ed25519,
 * password (3 times)", not "password, password, password".
 */
export function triedWords(tried: readonly string[]): string {
  if (tried.length === 0) return 'nothing the server accepts';
  const counts = new Map<string, number>();
  for (const t of tried) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([t, n]) => (n > 1 ? `${t} (${n} times)` : t)).join(', ');
}
