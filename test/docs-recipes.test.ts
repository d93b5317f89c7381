/**
 * Every JSON body in the recipes, with Zapier's `{{Field}}` placeholders replaced as Zapier would
 * (plain text pasted in place), must be valid JSON both when the reward has its Reward Metadata and
 * when it has none: an invalid body is rejected by the vendor, and an error branch could then refuse
 * an advocate for a set-up mistake.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const RECIPES = join(__dirname, '..', 'docs', 'recipes');

/** Fields every trigger output has, with sample values. */
const ALWAYS: Record<string, string> = {
  'Idempotency Key': 'influitive-b97d33f3-redemption-48213',
  'Idempotency Key, Letters and Digits Only': 'influitiveb97d33f3redemptionid48213',
  'Redemption ID': '48213',
  'Member Email': 'maya.patel@northwind-analytics.example',
  'Reward Name': 'Amazon.com Gift Card ($25)',
  'LoudCrowd ID': 'RWD-7Q2K9X4M',
  Email: 'jordan.reyes@lumen-outdoor.example',
  'Story Count': '2',
};

/** Fields that are empty for a reward without metadata, or a member or event without them. */
const OPTIONAL: Record<string, string> = {
  'Reward Metadata: Amount': '25',
  'Reward Metadata: Currency': 'USD',
  'Reward Metadata: Vendor Product ID': 'OKMHM2X2OHYV',
  'Member Name': "Maya O'Neill",
  'Member First Name': 'Maya',
  'Member Last Name': "O'Neill",
  'Discount Code': 'JORDAN15-7Q2K',
  'Instagram Username': 'jordanreyes.trails',
  'TikTok Username': '',
};

/** Formatter steps' outputs: the value with metadata, and the step's default without it. */
const FORMATTED: Record<string, { sample: string; fallback: string }> = {
  'Formatted Amount': { sample: '25', fallback: '0' },
};

interface Body {
  recipe: string;
  line: number;
  text: string;
}

const jsonBodies = (): Body[] =>
  readdirSync(RECIPES)
    .filter((name) => name.endsWith('.md'))
    .flatMap((recipe) => {
      const lines = readFileSync(join(RECIPES, recipe), 'utf8').split('\n');
      const bodies: Body[] = [];
      lines.forEach((line, index) => {
        if (line.trim() !== '```json') return;
        const end = lines.findIndex((l, i) => i > index && l.trim() === '```');
        bodies.push({ recipe, line: index + 1, text: lines.slice(index + 1, end).join('\n') });
      });
      return bodies;
    });

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{([^{}]+)\}\}/g)].map((match) => (match[1] ?? '').trim());

/** Zapier's substitution: the field's text, pasted as is. */
const substitute = (text: string, withMetadata: boolean): string =>
  text.replace(/\{\{([^{}]+)\}\}/g, (_, raw: string) => {
    const name = raw.trim();
    if (name in ALWAYS) return ALWAYS[name] ?? '';
    if (name in OPTIONAL) return withMetadata ? (OPTIONAL[name] ?? '') : '';
    const formatted = FORMATTED[name];
    if (formatted) return withMetadata ? formatted.sample : formatted.fallback;
    throw new Error(`unknown placeholder {{${name}}}`);
  });

/** `<your funding source ID>`: a value the reader types once; it sits inside quotes. */
const ownValues = (text: string): string => text.replace(/<[^<>]+>/g, 'set-by-you');

const bodies = jsonBodies();
const cases = bodies.map((body) => [`${body.recipe}:${body.line}`, body] as const);

describe('the JSON bodies in the recipes', () => {
  it('are there to check', () => {
    expect(bodies.length).toBeGreaterThanOrEqual(6);
  });

  it.each(cases)('%s names only fields the test knows', (_, body) => {
    const known = new Set([
      ...Object.keys(ALWAYS),
      ...Object.keys(OPTIONAL),
      ...Object.keys(FORMATTED),
    ]);
    expect(placeholders(body.text).filter((name) => !known.has(name))).toEqual([]);
  });

  it.each(cases)('%s is valid JSON for a reward with its metadata', (_, body) => {
    expect(() => JSON.parse(ownValues(substitute(body.text, true)))).not.toThrow();
  });

  it.each(cases)('%s is valid JSON for a reward without metadata', (_, body) => {
    expect(() => JSON.parse(ownValues(substitute(body.text, false)))).not.toThrow();
  });

  it.each(cases)(
    '%s quotes every field, or takes it from a Formatter step with a default',
    (_, body) => {
      const outsideQuotes = body.text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
      expect(placeholders(outsideQuotes).filter((name) => !(name in FORMATTED))).toEqual([]);
    },
  );
});

describe('the recipes that order a reward', () => {
  const ordering = [...new Set(bodies.map((body) => body.recipe))].filter(
    (recipe) => !recipe.startsWith('loudcrowd'),
  );

  it.each(ordering)(
    "%s stops at a Filter before ordering and refuses only on the vendor's words",
    (recipe) => {
      const text = readFileSync(join(RECIPES, recipe), 'utf8').replace(/\s+/g, ' ');
      expect(text).toContain('Only continue if');
      expect(text).toMatch(/\*\*Refuse\*\*[^.]*(unavailable|inactive or unknown UTID)/);
      expect(text).toContain('**A person**');
      expect(text).not.toMatch(/refuse only on a definite error|replay the run instead/i);
    },
  );
});
