// The markup of a first-screen tree: every text and value escaped, void elements left open, times as of now.
import { describe, expect, it } from 'vitest';
import { firstScreenMarkup } from './markup';

describe('firstScreenMarkup', () => {
  it('writes elements, attributes and texts', () => {
    expect(
      firstScreenMarkup(
        ['div', { class: 'device', 'aria-label': 'frontdesk' }, ['span', {}, 'frontdesk'], ' ok'],
        0,
      ),
    ).toBe('<div class="device" aria-label="frontdesk"><span>frontdesk</span> ok</div>');
  });

  it('escapes texts and values, so a name cannot become markup', () => {
    const html = firstScreenMarkup(
      [
        'div',
        { title: '"><script>alert(1)</script>', 'data-x': "a'b&c" },
        '</div><script>alert(2)</script>&amp;',
      ],
      0,
    );
    expect(html).toBe(
      '<div title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" data-x="a\'b&amp;c">&lt;/div&gt;&lt;script&gt;alert(2)&lt;/script&gt;&amp;amp;</div>',
    );
    expect(html).not.toContain('<script');
  });

  it('leaves an input open and writes a time as of now', () => {
    const now = Date.parse('2026-11-30T04:00:00Z');
    expect(firstScreenMarkup(['input', { value: 'x' }], now)).toBe('<input value="x">');
    expect(firstScreenMarkup(['span', {}, 'Last synced ', { since: '2026-11-30T03:50:00Z' }], now)).toBe(
      '<span>Last synced 10 min ago</span>',
    );
  });
});
