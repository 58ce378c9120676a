// The app's SshPrompter: each question becomes an 'ssh.prompt' event for the session's tab and waits for the
// matching 'ssh.answer'. Pending questions are replayed when a terminal attaches (a tab that mounted late still
// sees them) and cancelled when the session closes.
import { randomUUID } from 'node:crypto';
import type { SshPrompt } from '../../shared/session-types';
import type { SshPrompter } from './prompter';

export interface PromptAnswer {
  accept: boolean;
  answers?: string[] | undefined;
  remember?: boolean | undefined;
}

export class AppPrompter implements SshPrompter {
  private readonly pending = new Map<string, { prompt: SshPrompt; resolve: (a: PromptAnswer) => void }>();

  constructor(
    private readonly sessionId: string,
    private readonly emit: (prompt: SshPrompt) => void,
  ) {}

  /** Resolves a pending prompt; false when there is no such prompt (already answered, or cancelled). */
  answer(promptId: string, answer: PromptAnswer): boolean {
    const p = this.pending.get(promptId);
    if (!p) return false;
    this.pending.delete(promptId);
    p.resolve(answer);
    return true;
  }

  replay(): void {
    for (const { prompt } of this.pending.values()) this.emit(prompt);
  }

  cancelAll(): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve({ accept: false });
    }
  }

  private ask(build: (promptId: string) => SshPrompt): Promise<PromptAnswer> {
    const promptId = randomUUID();
    const prompt = build(promptId);
    return new Promise((resolve) => {
      this.pending.set(promptId, { prompt, resolve });
      this.emit(prompt);
    });
  }

  async hostKey(info: { fingerprint: string; keyType: string }): Promise<boolean> {
    const a = await this.ask((promptId) => ({
      kind: 'hostKey',
      sessionId: this.sessionId,
      promptId,
      ...info,
    }));
    return a.accept;
  }

  async username(): Promise<string | null> {
    const a = await this.ask((promptId) => ({ kind: 'username', sessionId: this.sessionId, promptId }));
    const name = a.answers?.[0]?.trim();
    return a.accept && name ? name : null;
  }

  async password(info: { username: string; retry: boolean }) {
    const a = await this.ask((promptId) => ({
      kind: 'password',
      sessionId: this.sessionId,
      promptId,
      ...info,
    }));
    const secret = a.answers?.[0];
    return a.accept && secret !== undefined ? { secret, remember: a.remember === true } : null;
  }

  async passphrase(info: { keyName: string; retry: boolean }) {
    const a = await this.ask((promptId) => ({
      kind: 'passphrase',
      sessionId: this.sessionId,
      promptId,
      keyName: info.keyName,
    }));
    const secret = a.answers?.[0];
    return a.accept && secret !== undefined ? { secret, remember: a.remember === true } : null;
  }

  async keyboardInteractive(info: {
    name: string;
    instructions: string;
    prompts: Array<{ prompt: string; echo: boolean }>;
  }) {
    const a = await this.ask((promptId) => ({
      kind: 'keyboardInteractive',
      sessionId: this.sessionId,
      promptId,
      ...info,
    }));
    if (!a.accept) return null;
    return { answers: info.prompts.map((_, i) => a.answers?.[i] ?? ''), remember: a.remember === true };
  }
}
