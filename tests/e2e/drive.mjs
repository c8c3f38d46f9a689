// Drives the Microsoft 365 Agents Playground's web page with headless Chromium (npm playwright-core).
//
// Started by tests/e2e/browser.py; speaks JSON Lines on stdin/stdout, one command at a time:
//   in : {"id": 1, "cmd": "send", "text": "..."}
//   out: {"id": 1, "ok": true, "result": ...}   or   {"id": 1, "ok": false, "error": "...", "screenshot": "..."}
// Diagnostics (page console errors, failed loopback requests, bot-facing websocket closes) go to stderr.
//
// Selectors (the Playground uses hashed CSS class names, so only ARIA labels, roles and the stable
// component classes of Fluent UI / Adaptive Cards are used):
//   message box     [contenteditable="true"][role="textbox"][data-lexical-editor="true"]
//   bot message     the parent of [aria-label="Message header"] that has [aria-label="Message author"]
//                   (the user's own messages have a header without an author)
//   message body    .fai-OutputCard (text, streamed text, or an Adaptive Card .ac-adaptiveCard)
//   AI label        .fai-AiGeneratedDisclaimer in the header ("AI generated")
//   feedback        [aria-label="Feedback Button"] (Like / Dislike)
//   card inputs     by their Adaptive Card label (<label for>) or placeholder; buttons by role and name
//
// Every request that is not to a loopback address is aborted: the page would otherwise try Office's
// CDN for fonts, and the test must work (and stay) offline.

import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import readline from 'node:readline';

const require = createRequire(new URL('../../.ci/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];
const LOOPBACK = /^(https?|wss?):\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;
const BOX = '[contenteditable="true"][role="textbox"][data-lexical-editor="true"]';

const options = JSON.parse(process.argv[2] || '{}');
const artifacts = options.artifacts || '.artifacts/e2e';
fs.mkdirSync(artifacts, { recursive: true });
const log = (...parts) => process.stderr.write(`[drive] ${parts.join(' ')}\n`);

let browser;
let page;
let failures = 0;

// ---- in-page helpers (serialised into the page by evaluate / waitForFunction) -------------------

function pageBotMessages() {
  return [...document.querySelectorAll('[aria-label="Message header"]')]
    .filter((h) => h.querySelector('[aria-label="Message author"]'))
    .map((h) => h.parentElement);
}

function pageDescribe(el, index) {
  const body = el.querySelector('.fai-OutputCard');
  const card = el.querySelector('.ac-adaptiveCard');
  return {
    index,
    text: (body ? body.innerText : el.innerText).trim(),
    author: el.querySelector('[aria-label="Message author"]')?.innerText.trim() || '',
    ai_label: !!el.querySelector('.fai-AiGeneratedDisclaimer'),
    feedback: !!el.querySelector('[aria-label="Feedback Button"]'),
    card: !!card,
    buttons: card ? [...card.querySelectorAll('button')].map((b) => (b.getAttribute('aria-label') || b.innerText).trim()) : [],
    inputs: card ? [...card.querySelectorAll('input, textarea, select')].map((i) => ({
      id: i.id, type: i.tagName.toLowerCase(), placeholder: i.getAttribute('placeholder') || '', value: i.value || '',
      label: i.labels && i.labels[0] ? i.labels[0].innerText.trim() : (i.getAttribute('aria-label') || ''),
    })) : [],
  };
}

// ---- helpers in Node ------------------------------------------------------------------------------

async function botMessages() {
  return page.evaluate(`(${pageBotMessages.toString()})().map((el, i) => (${pageDescribe.toString()})(el, i))`);
}

function messageLocator(index) {
  // nth bot message: the header with an author, then its parent element.
  return page.locator('[aria-label="Message header"]:has([aria-label="Message author"])').nth(index).locator('..');
}

async function shot(name, index) {
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  const out = { page: file };
  if (index !== undefined && index !== null) {
    const msgFile = path.join(artifacts, `${name}-message.png`);
    const msg = messageLocator(index);
    await msg.scrollIntoViewIfNeeded({ timeout: 5000 });
    await msg.screenshot({ path: msgFile, timeout: 10000 });
    out.message = msgFile;
  }
  return out;
}

// Wait for a bot message at index >= after whose text contains every string of `contains`
// (and, with ai_label, that carries the AI-generated label). Polls in the page every 100 ms.
async function waitBot({ after = 0, contains = [], ai_label = false, timeout_ms = 30000 }) {
  const handle = await page.waitForFunction(
    ([after_, contains_, aiLabel]) => {
      const messages = [...document.querySelectorAll('[aria-label="Message header"]')]
        .filter((h) => h.querySelector('[aria-label="Message author"]'))
        .map((h) => h.parentElement);
      for (let i = messages.length - 1; i >= after_; i--) {
        const body = messages[i].querySelector('.fai-OutputCard');
        const text = (body ? body.innerText : messages[i].innerText);
        const labelled = !!messages[i].querySelector('.fai-AiGeneratedDisclaimer');
        if (contains_.every((c) => text.includes(c)) && (!aiLabel || labelled)) return { index: i };
      }
      return false;
    },
    [after, contains, ai_label],
    { timeout: timeout_ms, polling: 100 },
  );
  const { index } = await handle.jsonValue();
  return (await botMessages())[index];
}

// Watch the newest bot message (index >= after) until it contains `final`; screenshot each new
// intermediate text (informative, then streamed parts) so a person can see the answer grow.
async function captureStream({ after = 0, final, name = 'stream', timeout_ms = 60000, max_shots = 4 }) {
  const deadline = Date.now() + timeout_ms;
  const started = Date.now();
  const states = [];
  let last = null;
  while (Date.now() < deadline) {
    const messages = await botMessages();
    const current = messages.length > after ? messages[messages.length - 1] : null;
    if (current && current.text !== last) {
      last = current.text;
      const isFinal = current.text.includes(final);
      const state = { t_ms: Date.now() - started, text: current.text, ai_label: current.ai_label,
        feedback: current.feedback, final: isFinal, index: current.index };
      const shots = states.filter((s) => s.shot).length;
      if (!isFinal && shots < max_shots) state.shot = (await shot(`${name}-${shots + 1}`)).page;
      states.push(state);
      if (isFinal) return states;
    }
    await page.waitForTimeout(50);
  }
  const err = new Error(`the answer did not finish with ${JSON.stringify(final)} within ${timeout_ms} ms; ` +
    `states seen: ${JSON.stringify(states.map((s) => s.text.slice(0, 80)))}`);
  throw err;
}

function cardScope(index) {
  return messageLocator(index).locator('.ac-adaptiveCard');
}

async function fieldIn(index, label) {
  const scope = cardScope(index);
  const byLabel = scope.getByLabel(label, { exact: false });
  if (await byLabel.count()) return byLabel.first();
  return scope.getByPlaceholder(label, { exact: false }).first();
}

// ---- commands -------------------------------------------------------------------------------------

const commands = {
  async open({ url, timeout_ms = 60000 }) {
    browser = await chromium.launch({ executablePath: options.chromium || '/usr/bin/chromium', headless: true,
      args: CHROMIUM_FLAGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo' });
    await context.route((u) => !LOOPBACK.test(u.href), (route) => route.abort('blockedbyclient'));
    page = await context.newPage();
    page.setDefaultTimeout(30000);
    page.on('console', (m) => {
      // Errors about the blocked Office CDN are expected; anything else is worth reading.
      if (m.type() === 'error' && !/ERR_BLOCKED_BY_CLIENT|Failed to load resource|https:\/\/res-1\.cdn\.office\.net/.test(m.text())) {
        log('console:', m.text().slice(0, 400));
      }
    });
    page.on('pageerror', (e) => log('pageerror:', String(e).slice(0, 400)));
    page.on('requestfailed', (r) => { if (LOOPBACK.test(r.url())) log('request failed:', r.method(), r.url(), r.failure()?.errorText); });
    page.on('response', (r) => { if (LOOPBACK.test(r.url()) && r.status() >= 400) log('http', r.status(), r.request().method(), r.url()); });
    page.on('websocket', (ws) => ws.on('close', () => log('websocket closed:', ws.url())));
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeout_ms });
    await page.locator(BOX).waitFor({ state: 'visible', timeout: timeout_ms });
    return { title: await page.title() };
  },

  async messages() {
    return botMessages();
  },

  async send({ text }) {
    const before = (await botMessages()).length;
    const box = page.locator(BOX);
    await box.click();
    await page.keyboard.insertText(text);
    await box.press('Enter');
    // The user's bubble appears in the chat and the box empties: the message left the page.
    await page.waitForFunction((sel) => document.querySelector(sel).innerText.trim() === '', BOX, { timeout: 15000 });
    return { before };
  },

  async wait_bot(args) {
    return waitBot(args);
  },

  async capture_stream(args) {
    return captureStream(args);
  },

  async fill({ index, label, value }) {
    const field = await fieldIn(index, label);
    await field.fill(String(value));
    return { ok: true };
  },

  async select({ index, label, value }) {
    // A compact Input.ChoiceSet is a Fluent combobox (not a <select>): open it, pick the option
    // (rendered in a popup outside the card), and check the combobox shows it.
    const field = await fieldIn(index, label);
    if (await field.evaluate((el) => el.tagName === 'SELECT')) {
      await field.selectOption({ label: value });
      return { ok: true };
    }
    await field.click();
    await page.getByRole('option', { name: value, exact: true }).click();
    await page.waitForFunction(([el, v]) => el.value === v, [await field.elementHandle(), value], { timeout: 5000 });
    return { ok: true };
  },

  async click({ index, name }) {
    const scope = cardScope(index);
    await scope.getByRole('button', { name, exact: true }).first().click();
    return { ok: true };
  },

  async missing_glyphs({ index }) {
    // Characters of bot message `index` that the page can only draw as the "missing glyph" box:
    // each is drawn on a canvas in the message's own font and compared with unassigned code points.
    return messageLocator(index).evaluate((el) => {
      const body = el.querySelector('.ac-textBlock, .fai-OutputCard p, .fai-OutputCard') || el;
      const canvas = document.createElement('canvas');
      canvas.width = 48;
      canvas.height = 48;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      ctx.font = `32px ${getComputedStyle(body).fontFamily}`;
      const signature = (ch) => {
        ctx.clearRect(0, 0, 48, 48);
        ctx.fillText(ch, 4, 38);
        const data = ctx.getImageData(0, 0, 48, 48).data;
        let hash = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]) hash = (hash * 31 + i + data[i]) | 0;
        return `${hash}:${ctx.measureText(ch).width.toFixed(2)}`;
      };
      const missing = new Set([signature('\u0378'), signature('\u{10FFFD}')]);
      const chars = [...new Set([...el.innerText].filter((c) => c.codePointAt(0) > 0x7f && c.trim()))];
      return chars.filter((c) => missing.has(signature(c)));
    });
  },

  async shot({ name, index }) {
    return shot(name, index);
  },

  async close() {
    if (browser) await browser.close();
    browser = undefined;
    return { ok: true };
  },
};

async function handle(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (e) {
    return { id: null, ok: false, error: `bad JSON: ${e.message}` };
  }
  const { id, cmd, ...args } = request;
  const started = Date.now();
  try {
    if (!commands[cmd]) throw new Error(`unknown command ${cmd}`);
    const result = await commands[cmd](args);
    return { id, ok: true, result, ms: Date.now() - started };
  } catch (e) {
    const out = { id, ok: false, error: String(e && e.message ? e.message : e).split('\n').slice(0, 6).join('\n'), ms: Date.now() - started };
    if (page) {
      try {
        failures += 1;
        out.screenshot = (await shot(`failure-${String(failures).padStart(2, '0')}-${cmd}`)).page;
        out.messages = (await botMessages()).slice(-3).map((m) => m.text.slice(0, 300));
      } catch (e2) {
        out.screenshot_error = String(e2).slice(0, 200);
      }
    }
    return out;
  }
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  const response = await handle(line);
  process.stdout.write(`${JSON.stringify(response)}\n`);
  if (response.id !== null && JSON.parse(line).cmd === 'close') break;
}
if (browser) await browser.close();
process.exit(0);
