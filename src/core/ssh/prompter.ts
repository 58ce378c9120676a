// What a connection asks the technician, answered by the app's prompt UI ('ssh.prompt') or the CLI's terminal.
// null means "cancelled"; a secret comes back with whether to remember it (keychain, per device, after success).
export interface SecretAnswer {
  secret: string;
  remember: boolean;
}

export interface SshPrompter {
  /** false when nobody can answer (a script without a terminal): a null answer is then not a cancellation. */
  readonly canAsk?: boolean;
  /** First use of a device: accept (pin) or refuse its host key. */
  hostKey(info: { fingerprint: string; keyType: string }): Promise<boolean>;
  username(): Promise<string | null>;
  password(info: { username: string; retry: boolean }): Promise<SecretAnswer | null>;
  passphrase(info: { keyName: string; retry: boolean }): Promise<SecretAnswer | null>;
  keyboardInteractive(info: {
    name: string;
    instructions: string;
    prompts: Array<{ prompt: string; echo: boolean }>;
  }): Promise<{ answers: string[]; remember: boolean } | null>;
}
