// The renderer's Content-Security-Policy, sent as a response header by both the Electron protocol handler and
// the browser harness. No inline script, no eval, no remote origins: the UI only talks to its own back end.
// Inline styles are allowed (as VS Code does): xterm.js's DOM renderer themes the terminal, its 256 colours
// included, through a <style> element it creates at run time, which a nonce cannot cover. Styles cannot run
// code, and with img/font/connect limited to 'self' they cannot send anything out.
export function rendererCsp(extraConnect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...extraConnect].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
