// The keychain behind a small interface, so services take it as a dependency. One item per account
// (SiteHop uses the workspace id); the implementation decides where items live (the OS keychain in production).
export interface SecretStore {
  /** The secret, or null when there is none. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when an item was removed, false when there was none. */
  delete(account: string): Promise<boolean>;
}
