// TEST HELPER: an SshPrompter that answers from a script and records what it was asked.
import type { SecretAnswer, SshPrompter } from '../prompter';

export interface PromptScript {
  hostKey?: boolean;
  username?: string | null;
  passwords?: Array<SecretAnswer | null>;
  passphrases?: Array<SecretAnswer | null>;
  keyboard?: Array<{ answers: string[]; remember: boolean } | null>;
}

export interface ScriptedPrompter extends SshPrompter {
  asked: string[];
}

export function scriptedPrompter(script: PromptScript): ScriptedPrompter {
  const asked: string[] = [];
  const passwords = [...(script.passwords ?? [])];
  const passphrases = [...(script.passphrases ?? [])];
  const keyboard = [...(script.keyboard ?? [])];
  return {
    asked,
    hostKey: async ({ fingerprint }) => {
      asked.push(`hostKey ${fingerprint}`);
      return script.hostKey ?? false;
    },
    username: async () => {
      asked.push('username');
      return script.username ?? null;
    },
    password: async ({ retry }) => {
      asked.push(`password${retry ? ' (retry)' : ''}`);
      return passwords.shift() ?? null;
    },
    passphrase: async ({ keyName }) => {
      asked.push(`passphrase ${keyName}`);
      return passphrases.shift() ?? null;
    },
    keyboardInteractive: async ({ prompts }) => {
      asked.push(`keyboard ${prompts.map((p) => p.prompt.trim()).join('|')}`);
      return keyboard.shift() ?? null;
    },
  };
}
