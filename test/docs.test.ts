import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import App from '../src';

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const RECIPES = readdirSync(join(ROOT, 'docs', 'recipes'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/recipes/${name}`);
/** What a user reads, and the `npm start` report (whose step names live in sandbox/loop.ts). */
const DOCS = [
  'README.md',
  'docs/operations.md',
  'docs/development.md',
  ...RECIPES,
  'sandbox/loop.ts',
];

/** The label issue 17 gives the `overdue_reward_redemption` trigger. */
const STILL_WAITING = 'Reward Request Still Waiting';

const labelOf = (key: string): string =>
  (App.triggers[key] as unknown as { display: { label: string } }).display.label;

describe('the names users read', () => {
  it.each([
    [
      'README.md',
      ['reward_redemption_requested', 'new_reward_redemption', 'loudcrowd_reward_event'],
    ],
    ['docs/recipes/README.md', ['reward_redemption_requested', 'new_reward_redemption']],
    ['docs/recipes/tremendous.md', ['reward_redemption_requested', 'new_reward_redemption']],
    ['docs/recipes/tango-card.md', ['reward_redemption_requested', 'new_reward_redemption']],
    [
      'docs/recipes/webhooks-by-zapier.md',
      ['reward_redemption_requested', 'new_reward_redemption'],
    ],
    ['docs/recipes/loudcrowd-shopify-klaviyo.md', ['loudcrowd_reward_event']],
    [
      'docs/operations.md',
      ['reward_redemption_requested', 'new_reward_redemption', 'loudcrowd_reward_event'],
    ],
    [
      'sandbox/loop.ts',
      ['reward_redemption_requested', 'new_reward_redemption', 'loudcrowd_reward_event'],
    ],
  ])('%s calls the triggers what the Zap editor calls them', (path, keys) => {
    const text = read(path).replace(/\s+/g, ' ');
    for (const key of keys) expect(text).toContain(labelOf(key));
  });

  // The safety net's trigger is being built (issue 17); the docs already name it.
  it.each(['README.md', 'docs/operations.md', 'docs/recipes/safety-net.md'])(
    '%s names the safety net as the Zap editor will',
    (path) => {
      const stillWaiting = (App.triggers as Record<string, unknown>).overdue_reward_redemption as
        | { display: { label: string } }
        | undefined;
      const label = stillWaiting?.display.label ?? STILL_WAITING;
      expect(read(path).replace(/\s+/g, ' ')).toContain(label);
    },
  );

  // Zapier's replay retries failed action steps, never a trigger (help.zapier.com, "What is replay?").
  it.each(DOCS)('%s never tells anyone to replay a trigger run', (path) => {
    const text = read(path).replace(/\s+/g, ' ');
    expect(
      text.match(
        /replay (this|the) (run|trigger) (from the Zap history|later)|replay it a few minutes later/gi,
      ),
    ).toBeNull();
  });

  it.each(DOCS)('%s uses no retired trigger label', (path) => {
    const text = read(path).replace(/\s+/g, ' ');
    expect(
      text.match(
        /Reward Redemption Requested \(Instant\)|New Reward Redemption|\((Instant|Polling)\)/g,
      ),
    ).toBeNull();
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('links between the docs', () => {
  const pages = ['README.md', 'docs/operations.md', 'docs/development.md', ...RECIPES];
  const cases = pages.flatMap((page) =>
    [...read(page).matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1] ?? '')
      .filter((target) => !/^(https?:|mailto:)/.test(target))
      .map((target) => [page, target] as const),
  );

  it.each(cases)('%s links to %s, which exists', (page, target) => {
    const [file = '', anchor] = target.split('#');
    const path = file === '' ? page : join(page, '..', file).replace(/\\/g, '/');
    const text = read(path);
    if (anchor === undefined) return;
    const anchors = [...text.matchAll(/^#+ (.+)$/gm)].map((m) => anchorOf(m[1] ?? ''));
    expect(anchors).toContain(anchor);
  });
});
