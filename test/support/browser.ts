/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { eventually } from './eventually';

/** Debian's chromium, installed by infra/setup.sh: Playwright drives it, it downloads no browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Quiet and offline: no sync, no component updates, no first-run pages, no QUIC, no GPU. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  context: BrowserContext;
  /** What went wrong inside the pages so far, oldest first: uncaught errors, errors logged, crashes. */
  troubles(): string[];
  close(): Promise<void>;
}

/** A fresh Chromium with a profile of its own, removed on close. */
export async function launchChromium(): Promise<Chromium> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'verity-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 860 },
    locale: 'en-US',
  });
  // A screen that vanishes mid-journey leaves a locator waiting with nothing to say; these do.
  const troubles: string[] = [];
  context.on('page', (page) => {
    page.on('pageerror', (error) => troubles.push(`${page.url()}: uncaught ${error.stack ?? error.message}`));
    page.on('crash', () => troubles.push(`${page.url()}: the page crashed`));
    // React reports a render that failed or looped (e.g. "Maximum update depth exceeded") here only.
    page.on('console', (message) => {
      if (message.type() === 'error') troubles.push(`${page.url()}: console error ${message.text()}`);
    });
  });
  return {
    context,
    troubles: () => [...troubles],
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a journey's steps; when one fails, its error says what each open tab showed (`keep`
 * characters of each) and what went wrong inside the pages. Every tab is closed after.
 */
export async function explained(chromium: Chromium, run: () => Promise<void>, keep = 8000): Promise<void> {
  try {
    await run();
  } catch (error) {
    const screens = await Promise.all(
      chromium.context.pages().map(async (page) => {
        // The accessibility tree is what getByRole reads: a button named otherwise shows there. Its
        // timeout is Playwright's own, so a renderer that stopped answering cannot hold the error.
        const text = await page
          .locator('body')
          .ariaSnapshot({ timeout: 5_000 })
          .catch((reason: unknown) => `(no accessibility tree in 5 s: ${String(reason).split('\n')[0]})`);
        return `--- ${page.url()}\n${text.slice(0, keep)}`;
      }),
    );
    const troubles = chromium.troubles().slice(-30);
    if (error instanceof Error) {
      const told = error.message;
      error.message += `\n\nopen tabs:\n${screens.join('\n')}\n\ntroubles in the pages (the last 30): ${
        troubles.length === 0 ? 'none' : `\n${troubles.join('\n')}`
      }`;
      // jest prints the stack, which Playwright has already written out with the message as it was.
      if (error.stack?.includes(told)) error.stack = error.stack.replace(told, error.message);
    }
    throw error;
  } finally {
    await Promise.all(chromium.context.pages().map((page) => page.close()));
  }
}

/** The accessibility violations of the page that matter most (serious and critical), as readable lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join('; ')})`,
    );
}

/** Where the tests put the screenshots the README shows. */
export const SCREENSHOTS = path.resolve(__dirname, '../../docs/screenshots');

/**
 * The controls of the page that Tab never reaches from the top (as readable names). Tabs, menu
 * items and radio buttons count as reached when their list or group is (arrow keys move within one,
 * as ARIA prescribes).
 */
export async function unreachableByKeyboard(page: Page, maxTabs = 300): Promise<string[]> {
  const total = await page.evaluate(() => {
    const controls = [
      ...document.querySelectorAll<HTMLElement>(
        'button, a[href], input:not([type=hidden]), textarea, [role=tab], [role=menuitem], [role=button], [role=switch]',
      ),
    ].filter(
      (el) =>
        el.getClientRects().length > 0 &&
        !(el as HTMLButtonElement).disabled &&
        !el.closest('[aria-hidden=true], [inert]'),
    );
    controls.forEach((el, index) => {
      const group = el.closest<HTMLElement>('[role=tablist], [role=menu], [role=menubar], [role=radiogroup]');
      // One mark per group element (two radio groups of one class are two groups).
      if (group) group.dataset.kb ??= `group-${index}`;
      el.dataset.kb = group ? group.dataset.kb : `control-${index}`;
    });
    (document.activeElement as HTMLElement | null)?.blur();
    return new Set(controls.map((el) => el.dataset.kb)).size;
  });
  const reached = new Set<string>();
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const mark = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement | null;
      return active?.closest<HTMLElement>('[data-kb]')?.dataset.kb ?? null;
    });
    if (mark) reached.add(mark);
    if (reached.size >= total) break;
  }
  return page.evaluate(
    (seen) =>
      [...document.querySelectorAll<HTMLElement>('[data-kb]')]
        .filter(
          (el) =>
            !seen.includes(el.dataset.kb!) &&
            !el.matches('[role=tablist], [role=menu], [role=menubar], [role=radiogroup]'),
        )
        .map(
          (el) =>
            `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.innerText ?? '').trim().slice(0, 60)}"`,
        ),
    [...reached],
  );
}

/**
 * Picks `option` of an antd select until `chosen` shows it was taken. A click on the select can land
 * while its dialog is still moving in on a busy machine and the list then closes unseen; the pick is
 * made again, as a person would, instead of failing the journey.
 */
export async function pick(page: Page, select: Locator, option: string, chosen: Locator): Promise<void> {
  await eventually(
    async () => {
      if (await chosen.isVisible()) return true;
      await select.click({ timeout: 5_000 });
      // The option in the open list (the select itself shows the chosen option under the same title).
      await page
        .locator(`.ant-select-item-option[title=${JSON.stringify(option)}]`)
        .click({ timeout: 5_000 });
      return chosen.isVisible();
    },
    60_000,
    `"${option}" chosen`,
  );
}

/**
 * Sends a form until the API has taken it. The worker's reminders and escalations of the cycle's
 * long-overdue steps move the appraisal's revision too: a refusal (412) reloads the form with what
 * was typed, and the person sends again, as the screen asks.
 */
export async function sendUntil(
  page: Page,
  button: Locator,
  route: string,
  done: () => Promise<boolean>,
): Promise<void> {
  await eventually(
    async () => {
      if (await done()) return true;
      const answered = page
        .waitForResponse((response) => response.url().includes(route))
        .catch(() => undefined);
      await button.click();
      await answered;
      await page.locator('.ant-btn-loading').first().waitFor({ state: 'detached' });
      return done();
    },
    120_000,
    `${route} taken`,
  );
}

/** Presses Tab until the focused element is named `name` (its label or its text), at most 200 times. */
export async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate((wanted) => {
      const active = document.activeElement as HTMLElement | null;
      return active?.getAttribute('aria-label') === wanted || active?.innerText?.trim() === wanted;
    }, name);
    if (focused) return;
  }
  throw new Error(`"${name}" is not reachable with Tab`);
}
