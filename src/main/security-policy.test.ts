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
