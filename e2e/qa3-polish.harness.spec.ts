// Technician acceptance, round 3 (polish), through the real UI in Chromium against a sandbox account of three
// veterinary sites whose names start alike ("Vet 1", "Vet 12", "Vet 13"): a favorite site's "Show devices" shows
// exactly that site's devices; a device with two SSH services whose ngrok metadata names different users says
// which user each service logs in as; a long target address wraps only at its dots, colons and "://".
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { SandboxStateFile } from '../src/sandbox/index';
import { useSiteHarness } from './site-fleet';
import { lineCount } from './ui-helpers';

// Long labels without dashes: only the dots, the colon and "://" are sensible places to wrap it.
const LONG_TARGET = 'tcp://radiologystation3.lakesideveterinaryclinic1.internal:22';

interface Published {
  site: string;
  device: string;
  internal: string;
  user?: string;
}
const PUBLISHED: Published[] = [
  { site: 'Vet 1', device: 'frontdesk', internal: 'tcp://frontdesk.vet1.internal:22', user: 'alice' },
  { site: 'Vet 1', device: 'frontdesk', internal: 'tcp://frontdesk-admin.vet1.internal:2222', user: 'bob' },
  { site: 'Vet 1', device: 'radiology', internal: LONG_TARGET },
  { site: 'Vet 12', device: 'kiosk', internal: 'tcp://kiosk.vet12.internal:22', user: 'tech' },
  { site: 'Vet 13', device: 'kiosk', internal: 'tcp://kiosk.vet13.internal:22', user: 'tech' },
];

/** Each service an agent endpoint (its agent online, upstream a closed port) behind a cloud endpoint. */
function vetFleet(): SandboxStateFile {
  const session = (site: string) => `ts_${site.replace(/\W/g, '')}`;
  return {
    tunnel_sessions: [...new Set(PUBLISHED.map((p) => session(p.site)))].map((id) => ({
      id,
      metadata: '{}',
    })),
    endpoints: PUBLISHED.flatMap((p, i) => [
      {
        id: `ep_a_${i}`,
        type: 'agent',
        url: p.internal,
        upstream_url: 'tcp://127.0.0.1:9',
        bindings: ['internal'],
        tunnel_session: { id: session(p.site), uri: '' },
      },
      {
        id: `ep_c_${i}`,
        type: 'cloud',
        url: 'tcp://127.0.0.1:0',
        bindings: ['public'],
        metadata: JSON.stringify({
          site: p.site,
          device: p.device,
          protocol: 'ssh',
          ...(p.user ? { username: p.user } : {}),
        }),
        traffic_policy: JSON.stringify({
          on_tcp_connect: [{ actions: [{ type: 'forward-internal', config: { url: p.internal } }] }],
        }),
      },
    ]),
  } as unknown as SandboxStateFile;
}

const account = useSiteHarness('qa3', vetFleet);

test.use({ viewport: { width: 1024, height: 700 } });

const card = (page: Page, name: string) =>
  page.getByTestId('directory-list').getByRole('listitem', { name, exact: true });

async function openDetails(page: Page, device: string): Promise<Locator> {
  await page.goto(account.harness().url);
  await card(page, device)
    .getByRole('button', { name: `Details of ${device}` })
    .click();
  const panel = page.getByRole('complementary', { name: `Details of ${device}` });
  await expect(panel).toBeVisible();
  return panel;
}

test("Home's Show devices of a favorite site shows exactly that site's devices, says so, and one click shows all", async ({
  page,
}) => {
  await page.goto(account.harness().url);
  await expect(card(page, 'radiology')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Add Vet 1 to favorites' }).click();
  await page.getByRole('tab', { name: 'Home' }).click();
  // By keyboard: the keyboard lands in the search box, and goes on into the devices.
  await page.getByRole('button', { name: 'Show the devices of Vet 1' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('searchbox', { name: 'Search' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('directory-list').locator('[data-index="0"]')).toBeFocused();

  const list = page.getByTestId('directory-list');
  await expect(list.locator('[data-index]')).toHaveCount(2);
  await expect(card(page, 'frontdesk')).toBeVisible();
  await expect(card(page, 'radiology')).toBeVisible();
  // The kiosks of Vet 12 and Vet 13 (whose names hold "Vet 1") are not shown.
  await expect(card(page, 'kiosk')).toHaveCount(0);
  // The search box and the line above the list say what is shown.
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('site:vet-1');
  const toolbar = page.locator('.directory-toolbar');
  await expect(toolbar).toContainText('2 devices of Vet 1');

  await toolbar.getByRole('button', { name: 'Show all devices' }).click();
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('');
  await expect(card(page, 'kiosk')).toHaveCount(2);
  await expect(toolbar).toContainText('3 sites, 4 devices');
});

test('a device with two SSH services whose metadata name different users: the panel says which user each uses', async ({
  page,
}) => {
  const panel = await openDetails(page, 'frontdesk');
  const services = panel.locator('.detail-service');
  await expect(services).toHaveCount(2);
  const loginOf = (service: Locator) =>
    service.locator('dt', { hasText: 'Logs in as' }).locator('xpath=following-sibling::dd[1]');
  await expect(loginOf(services.nth(0))).toHaveText('alice (from ngrok metadata)');
  await expect(loginOf(services.nth(1))).toHaveText('bob (from ngrok metadata)');
  // The username field names no single metadata user when they differ, and says a typed name is used for both.
  const sshUser = panel.getByLabel('SSH username');
  await expect(sshUser).not.toHaveAttribute('placeholder', /alice/);
  await expect(sshUser).toHaveAccessibleDescription(/alice .*bob|each address/);
  await expect(sshUser).not.toHaveAccessibleDescription(/logs in as alice, the user/);

  // A typed name is what core uses for every service (the technician's choice comes first).
  await sshUser.fill('carol');
  await expect(loginOf(services.nth(0))).toHaveText(/^carol \(typed below/);
  await expect(loginOf(services.nth(1))).toHaveText(/^carol \(typed below/);
  await sshUser.fill('');
  await expect(loginOf(services.nth(1))).toHaveText('bob (from ngrok metadata)');
});

test('a long target address wraps only after "://", dots and colons, never inside a name', async ({
  page,
}) => {
  const panel = await openDetails(page, 'radiology');
  const target = panel.locator('dt', { hasText: 'Target' }).locator('xpath=following-sibling::dd[1]');
  await expect(target).toHaveText(LONG_TARGET);
  // Where each line of the address ends: the character before each line break.
  const lineEnds = await target.evaluate((dd) => {
    const ends: string[] = [];
    let lastTop: number | null = null;
    let prev = '';
    const walker = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const top = Math.round(range.getBoundingClientRect().top);
        if (lastTop !== null && top > lastTop) ends.push(prev);
        lastTop = top;
        prev = text[i]!;
      }
    }
    return ends;
  });
  // Really wrapped at this width (else the test proves nothing), and only at those points.
  expect(lineEnds.length).toBeGreaterThan(0);
  for (const end of lineEnds) expect(end).toMatch(/[/.:]/);
});

// Closes the sandbox: keep it last.
test("offline: the banner's Try again keeps its label on one line at 1024 px", async ({ page }) => {
  await page.goto(account.harness().url);
  await expect(card(page, 'radiology')).toBeVisible({ timeout: 30_000 });
  await account.closeSandbox();
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  const retry = page.getByTestId('offline-banner').getByRole('button', { name: 'Try again' });
  await expect(retry).toBeVisible({ timeout: 30_000 });
  expect(await lineCount(retry)).toBe(1);
});
