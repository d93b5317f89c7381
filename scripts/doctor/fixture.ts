/**
 * `--save`: the page (or webhook body) as a test fixture, with everything that could identify a
 * person or the hub replaced by stable fakes (the same original always gets the same fake, so a
 * side-loaded member still matches its redemption) and no secret anywhere. Ids, dates, statuses,
 * reward names and Reward Metadata codes are kept: they are what the tests need.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_INFLUITIVE_API_URL } from '../../src/influitive/client';
import { isJsonObject, type JsonObject } from '../../src/shared/types';

const FAKE_NAMES = [
  'Alex',
  'Morgan',
  'Riley',
  'Jamie',
  'Casey',
  'Taylor',
  'Jordan',
  'Quinn',
  'Avery',
  'Rowan',
  'Sasha',
  'Emerson',
  'Harper',
  'Kendall',
  'Logan',
  'Parker',
] as const;
const FAKE_SURNAMES = [
  'Example',
  'Sample',
  'Testwood',
  'Fakeley',
  'Placeholder',
  'Mockridge',
  'Dummond',
  'Stubbs',
] as const;
/** Stands in for the org ID wherever the hub echoed it. */
export const FAKE_ORG_ID = '00000000-0000-4000-8000-000000000000';

const EMAIL = /[^\s@"'<>()]+@[^\s@"'<>()]+\.[a-z]{2,}/gi;
const EMAIL_KEY = /e-?mail/i;
const PERSON_NAME_KEY =
  /^(first_?name|last_?name|full_?name|display_?name|nick_?name|user_?name|login|handle|(member|contact|advocate|user)_?name)$/i;
const PERSON_KEYS = /^(email|first_?name|last_?name|firstName|lastName)$/i;
const ADDRESS_KEY =
  /^(address(_?\d|_line_?\d)?|street\w*|line_?\d|city|town|zip(_?code)?|post(al)?_?code|phone\w*|mobile\w*)$/i;
const COMPANY_KEY = /^(company|company_name|organi[sz]ation|employer)$/i;
const JOB_KEY = /^(title|job_?title|position|role)$/i;
const CUSTOM_KEY = /custom/i;
/** Labels an admin wrote for rewards, levels and statuses: useful in tests, about no one. */
const LABEL_KEY =
  /^(name|title|reward_name|reward_title|status|state|type|provider|currency|language|label|key)$/i;
const URL_VALUE = /^https?:\/\//i;
const DATE_VALUE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?([zZ]|[+-]\d{2}(:?\d{2})?)?$/;

type Category = 'email' | 'name' | 'address' | 'company' | 'job' | 'text' | 'custom' | 'url';

/** Hands out fakes, one per distinct original, numbered in order of appearance. */
class Fakes {
  private readonly seen = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly secrets: readonly string[],
    private readonly apiOrigin: string,
  ) {}

  private next(kind: string): number {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    return n;
  }

  private once(kind: string, original: string, make: (n: number) => string): string {
    const id = `${kind}\u0000${original.toLowerCase()}`;
    const known = this.seen.get(id);
    if (known !== undefined) return known;
    const fake = make(this.next(kind));
    this.seen.set(id, fake);
    return fake;
  }

  /** Each word of a name on its own, so "Maya Patel" stays "first_name last_name". */
  private name(original: string): string {
    return original.replace(/[^\s]+/g, (word) =>
      this.once('word', word, (n) =>
        n <= FAKE_NAMES.length
          ? (FAKE_NAMES[n - 1] as string)
          : `${FAKE_SURNAMES[(n - 1) % FAKE_SURNAMES.length]}${Math.ceil(n / FAKE_SURNAMES.length)}`,
      ),
    );
  }

  private email(original: string): string {
    return this.once('email', original, (n) => `advocate${n}@example.com`);
  }

  private url(original: string): string {
    let url: URL;
    try {
      url = new URL(original);
    } catch {
      return this.once('url', original, (n) => `https://hub.example.com/files/${n}`);
    }
    // A link to the API itself (paging) keeps its path and query on Influitive's public host.
    if (url.origin === this.apiOrigin || url.origin === DEFAULT_INFLUITIVE_API_URL) {
      return `${DEFAULT_INFLUITIVE_API_URL}${url.pathname}${url.search}`;
    }
    return this.once('url', original, (n) => `https://hub.example.com/files/${n}`);
  }

  private scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('REDACTED');
    return out;
  }

  /** A street, a city, a postcode or a phone number, by what its key says it is. */
  private address(key: string, original: string): string {
    if (/phone|mobile/i.test(key)) {
      return this.once('phone', original, (n) => `+1 555-01${String(n % 100).padStart(2, '0')}`);
    }
    if (/city|town/i.test(key)) return this.once('city', original, (n) => `Exampleton ${n}`);
    if (/zip|post/i.test(key)) return this.once('postcode', original, (n) => `0000${n}`);
    if (/\d$/.test(key)) return this.once('unit', original, (n) => `Unit ${n}`);
    return this.once('street', original, (n) => `${100 + n} Example Street`);
  }

  string(value: string, category: Category | undefined, key = ''): string {
    const text = this.scrub(value);
    switch (category) {
      case 'email':
        return text.replace(EMAIL, (found) => this.email(found));
      case 'name':
        return this.name(text);
      case 'address':
        return this.address(key, text);
      case 'company':
        return this.once('company', text, (n) => `Example Company ${n}`);
      case 'job':
        return this.once('job', text, (n) => `Job Title ${n}`);
      case 'text':
        return this.once('text', text, (n) => `Free text ${n}`);
      case 'custom':
        return this.once('custom', text, (n) => `Custom value ${n}`);
      case 'url':
        return this.url(text);
      default:
        return text.replace(EMAIL, (found) => this.email(found));
    }
  }
}

const isPerson = (record: JsonObject): boolean =>
  Object.keys(record).some((k) => PERSON_KEYS.test(k));

/** What a string under `key` in `parent` is, for the fake it gets; undefined keeps it. */
const categoryOf = (
  key: string,
  value: string,
  parent: JsonObject | undefined,
  inCustom: boolean,
): Category | undefined => {
  if (URL_VALUE.test(value.trim())) return 'url';
  if (EMAIL_KEY.test(key)) return 'email';
  if (inCustom) return 'custom';
  const person = parent !== undefined && isPerson(parent);
  if (PERSON_NAME_KEY.test(key) || (person && /^name$/i.test(key))) return 'name';
  if (ADDRESS_KEY.test(key)) return 'address';
  if (COMPANY_KEY.test(key)) return 'company';
  if (JOB_KEY.test(key) && person) return 'job';
  if (LABEL_KEY.test(key) || DATE_VALUE.test(value.trim())) return undefined;
  // Anything else with a space in it is free text someone wrote (a message, a description).
  return /\s/.test(value.trim()) ? 'text' : undefined;
};

/**
 * A copy of `value` with names, emails, addresses, phone numbers, free text, custom fields and
 * links replaced by stable fakes, and every secret (the token, the org ID) removed.
 */
export const anonymize = (
  value: unknown,
  options: { token: string; orgId: string; apiOrigin: string },
): unknown => {
  // A value too short to be a credential would match ordinary text (and '' would match everywhere).
  const secret = (value: string) => value.trim().length >= 4;
  const fakes = new Fakes([options.token].filter(secret), options.apiOrigin);
  const orgId = (text: string) =>
    secret(options.orgId) ? text.split(options.orgId.trim()).join(FAKE_ORG_ID) : text;
  const walk = (
    node: unknown,
    key: string,
    parent: JsonObject | undefined,
    inCustom: boolean,
  ): unknown => {
    if (typeof node === 'string') {
      return orgId(fakes.string(node, categoryOf(key, node, parent, inCustom), key));
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, key, parent, inCustom));
    if (!isJsonObject(node)) return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [
        orgId(fakes.string(k, undefined)),
        walk(v, k, node, inCustom || CUSTOM_KEY.test(k)),
      ]),
    );
  };
  return walk(value, '', undefined, false);
};

/**
 * The fixture as the project's Biome formats it, so `npm run lint` passes with the file added;
 * plain JSON with two-space indents where Biome is not installed.
 */
export const formatFixture = (value: unknown): string => {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  let biome: string;
  try {
    biome = require.resolve('@biomejs/biome/bin/biome');
  } catch {
    return text;
  }
  const root = join(dirname(biome), '..', '..', '..', '..');
  const run = spawnSync(process.execPath, [biome, 'format', '--stdin-file-path=fixture.json'], {
    cwd: root,
    input: text,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return run.status === 0 && run.stdout.trim() !== '' ? run.stdout : text;
};

/** Writes the anonymised fixture, creating its folder; returns the text written. */
export const saveFixture = (
  path: string,
  value: unknown,
  options: { token: string; orgId: string; apiOrigin: string },
): string => {
  const text = formatFixture(anonymize(value, options));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return text;
};
