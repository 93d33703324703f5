import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@interop-blocks/core';
import { chromium, type BrowserContext } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_A, createEdgeWorld, type EdgeWorld } from './support/edge-world.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../test-artifacts/', import.meta.url);
const VIEWPORT = { width: 1000, height: 900 };

/** Width and height from a PNG's IHDR chunk (PNG spec 11.2.2). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))).toBe(true);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the clerk page in a real Chromium', () => {
  let w: EdgeWorld;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    w = await createEdgeWorld('sqlite');
    profile = mkdtempSync(join(tmpdir(), 'clerk-chromium-'));
    const clerk = w.identity('bank-a');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: VIEWPORT,
      ignoreHTTPSErrors: true,
      clientCertificates: [
        {
          origin: w.server.url,
          cert: Buffer.from(clerk.chainPem),
          key: Buffer.from(clerk.key.export({ type: 'pkcs8', format: 'pem' }) as string),
        },
      ],
    });
  }, 30_000);

  afterAll(async () => {
    await context?.close();
    await w?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('shows a waiting request, takes an answer typed in its form, and records it', async () => {
    const q = w.query(1, { referenceDate: '2026-11-30' });
    const submitted = await w.post('/async/v1/requests', {
      messageId: newId(),
      requests: [{ query: q }],
    });
    expect(submitted.status).toBe(200);

    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    const res = await page.goto(`${w.server.url}/clerk/rooms/${ROOM_A}`);
    expect(res?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      `Requests waiting in ${ROOM_A}`,
    );
    expect(await page.getByText(q.requestId).count()).toBe(1);

    // Every visible control has a label; the form is used with the keyboard only.
    const unlabelled = await page.$$eval(
      'input:not([type=hidden]), select, textarea',
      (els) =>
        els.filter(
          (el) => (el as unknown as { labels: { length: number } | null }).labels?.length === 0,
        ).length,
    );
    expect(unlabelled).toBe(0);
    await page.getByLabel(/^Balance/).focus();
    await page.keyboard.type('1234.5');
    await page.keyboard.press('Tab');
    await page.keyboard.press('E'); // the currency select: EUR
    await page.keyboard.press('Tab');
    await page.getByLabel(/^As of/).fill('2026-11-30');
    expect(await page.getByLabel(/^Currency/).inputValue()).toBe('EUR');

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = await page.screenshot({ path: new URL('clerk-page.png', ARTIFACTS).pathname });
    const saved = readFileSync(new URL('clerk-page.png', ARTIFACTS));
    expect(saved.equals(shot)).toBe(true);
    expect(saved.length).toBeGreaterThan(5_000);
    expect(pngSize(saved)).toEqual(VIEWPORT);

    await page.getByRole('button', { name: 'Send answer' }).focus();
    await Promise.all([page.waitForURL(/answered=1$/), page.keyboard.press('Enter')]);
    expect(await page.getByRole('status').textContent()).toBe('The answer was recorded.');

    const pulled = (await w.get('/async/v1/answers')).body.answers as {
      answer: { requestId: string; status: string; data: unknown };
    }[];
    expect(pulled.map((a) => a.answer)).toMatchObject([
      {
        requestId: q.requestId,
        status: 'found',
        data: { balance: 1234.5, currency: 'EUR', asOf: '2026-11-30' },
      },
    ]);
    await page.close();
  }, 30_000);

  it('refuses a form posted from another origin or without the session token', async () => {
    const q = w.query(2);
    await w.post('/async/v1/requests', { messageId: newId(), requests: [{ query: q }] });
    const page = await context.newPage();
    await page.goto(`${w.server.url}/clerk/rooms/${ROOM_A}`);
    const token = await page.locator('input[name=csrf]').first().inputValue();
    const [cookie] = await context.cookies(`${w.server.url}/clerk/`);
    await page.close();

    const post = async (headers: Record<string, string>, csrf: string) => {
      const res = await request(`${w.server.url}/clerk/rooms/${ROOM_A}/answers`, {
        method: 'POST',
        dispatcher: w.agent(w.identity('bank-a')),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `${cookie!.name}=${cookie!.value}`,
          ...headers,
        },
        body: new URLSearchParams({ csrf, requestId: q.requestId, status: 'not_found' }).toString(),
      });
      return { status: res.statusCode, text: await res.body.text() };
    };
    const origin = w.server.url;
    const crossSite = await post(
      { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' },
      token,
    );
    const noToken = await post({ origin }, 'forged');
    for (const refused of [crossSite, noToken]) {
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('ASYNC_CLERK_CSRF');
    }
    const answered = async () =>
      ((await w.get('/async/v1/answers')).body.answers as { answer: { requestId: string } }[]).map(
        (a) => a.answer.requestId,
      );
    expect(await answered()).not.toContain(q.requestId);

    const accepted = await post({ origin }, token);
    expect(accepted.status).toBe(303);
    expect(await answered()).toContain(q.requestId);
  });

  it('refuses a clerk of another organisation', async () => {
    const res = await request(`${w.server.url}/clerk/rooms/${ROOM_A}`, {
      dispatcher: w.agent(w.identity('bank-b')),
    });
    expect(res.statusCode).toBe(403);
    expect(await res.body.text()).toContain('ASYNC_CLERK_FORBIDDEN');
  });
});
