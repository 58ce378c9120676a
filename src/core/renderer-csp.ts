// The renderer's Content-Security-Policy, sent as a response header by both the Electron protocol handler and
// the browser harness. No inline script, no eval, no remote origins: the UI only talks to its own back end.
export function rendererCsp(extraConnect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...extraConnect].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
