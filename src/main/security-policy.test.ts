import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl, isAllowedNavigation, isTrustedSender } from './security-policy';

describe('security policy', () => {
  it('trusts only the app origin in the main frame, or the dev server when one is set', () => {
    expect(isTrustedSender('app://sitehop/index.html', true)).toBe(true);
    expect(isTrustedSender('app://sitehop/index.html', false)).toBe(false);
    expect(isTrustedSender('app://other/index.html', true)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', true)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', true, 'http://localhost:5173')).toBe(true);
    expect(isTrustedSender('not a url', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
  });

  it('blocks navigation away from the current page', () => {
    expect(isAllowedNavigation('app://sitehop/index.html#x', 'app://sitehop/index.html')).toBe(true);
    expect(isAllowedNavigation('https://evil.example/', 'app://sitehop/index.html')).toBe(false);
    expect(isAllowedNavigation('app://sitehop/other.html', 'app://sitehop/index.html')).toBe(false);
  });

  // URL.origin is "null" for every custom scheme, so an origin comparison passed all of these.
  it.each([
    ['another host on the app scheme', 'app://evil/index.html'],
    ['another custom scheme', 'foo://x/index.html'],
    ['another custom scheme, same host', 'foo://sitehop/index.html'],
    ['the same host with a port', 'app://sitehop:8080/index.html'],
    ['credentials in the URL', 'app://user:pw@sitehop/index.html'],
    ['a file URL', 'file:///index.html'],
    ['a hostless custom URL', 'foo:index.html'],
  ])('blocks navigation to %s', (_label, target) => {
    expect(isAllowedNavigation(target, 'app://sitehop/index.html')).toBe(false);
  });

  it('allows a move within the page on the app scheme and on the dev server', () => {
    expect(isAllowedNavigation('app://sitehop/index.html?x=1#y', 'app://sitehop/index.html')).toBe(true);
    expect(isAllowedNavigation('http://localhost:5173/#a', 'http://localhost:5173/')).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    // Both sides opaque: still not the same page.
    expect(isAllowedNavigation('foo://x/index.html', 'bar://x/index.html')).toBe(false);
  });

  it('does not trust a custom-scheme sender because both origins read "null"', () => {
    expect(isTrustedSender('foo://x/index.html', true, 'bar://y/')).toBe(false);
    expect(isTrustedSender('app://evil/index.html', true, 'foo://x/')).toBe(false);
  });

  it('opens only https and mailto links externally', () => {
    expect(isAllowedExternalUrl('https://dashboard.ngrok.com/')).toBe(true);
    expect(isAllowedExternalUrl('mailto:help@example.com')).toBe(true);
    for (const bad of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'ms-msdt:x',
      'smb://host/share',
      'http://x',
      '',
    ]) {
      expect(isAllowedExternalUrl(bad)).toBe(false);
    }
  });
});
