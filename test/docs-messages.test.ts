import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appMessages, missingFrom, phrasesOf } from './helpers/messages';

const ROOT = join(__dirname, '..');
const GUIDE = 'docs/operations.md';

describe('the operations guide', () => {
  const messages = appMessages(ROOT);

  it('finds the messages the app can show, so an empty scan cannot pass', () => {
    expect(messages.length).toBeGreaterThan(40);
    expect(messages.map((m) => m.phrases[0])).toEqual(
      expect.arrayContaining([
        'Not pending: Influitive says reward redemption',
        'Repeat: reward redemption',
        'Could not tell whether reward redemption',
      ]),
    );
  });

  it(`lists every halt and error message in ${GUIDE}`, () => {
    const missing = missingFrom(readFileSync(join(ROOT, GUIDE), 'utf8'), messages);
    const report = missing.map(
      ({ where, text, missing: phrases }) =>
        `${where}: add ${phrases.map((p) => `"${p}"`).join(' and ')} to ${GUIDE} (message: ${text})`,
    );
    expect(report).toEqual([]);
  });
});

describe('the phrases a message is known by', () => {
  it('is the opening, cut to six words, when it is long enough to tell messages apart', () => {
    expect(
      phrasesOf(['Not pending: Influitive says reward redemption ', ' is already ', '.']),
    ).toEqual(['Not pending: Influitive says reward redemption']);
  });

  it('adds the first long later run when the opening is short or empty', () => {
    expect(
      phrasesOf(['Influitive answered ', ' with ', ' and an empty body, where JSON was expected.']),
    ).toEqual(['Influitive answered', 'and an empty body, where JSON']);
    expect(phrasesOf(['', ' sent an empty body; there is no event to process.'])).toEqual([
      'sent an empty body; there is',
    ]);
  });

  it('has none for a message made only of other messages', () => {
    expect(phrasesOf(['', ' ', ''])).toEqual([]);
  });

  it('reports the phrases a document lacks, with where the message is', () => {
    const message = {
      where: 'src/x.ts:1',
      text: 'Repeat: …',
      phrases: ['Repeat: reward redemption'],
    };
    expect(missingFrom('**Repeat:** reward   redemption 4', [message])).toEqual([]);
    expect(missingFrom('Not pending', [message])).toEqual([
      { where: 'src/x.ts:1', text: 'Repeat: …', missing: ['Repeat: reward redemption'] },
    ]);
  });
});

describe('reading messages from source', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'messages-'));
    mkdirSync(join(root, 'src'));
    const files: Record<string, string> = {
      'copy.ts': `
        export const COPY = {
          notPending: (id: string) => \`Not pending: reward redemption \${id} was decided.\`,
        };
        export const unreadable = (keys: string) => 'A body the app cannot read: its shape is ' + keys;
        const scrub = (text: string, secrets: string[]) => (secrets.length ? text.replace('x', 'y') : text);
        export { scrub };`,
      'trigger.ts': `
        import { COPY, unreadable as bodyText, scrub } from './copy';
        export const perform = (z: any, bundle: any, id: string, keys: string) => {
          if (id === '1') throw haltDelivery(z, bundle, COPY.notPending(id));
          if (id === '2') throw new z.errors.Error(scrub(bodyText(keys), []), 'unreadable', 400);
          throw new z.errors.HaltedError(scrub(\`Repeat: reward redemption \${id} came again.\`, []));
        };`,
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'src', name), text);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('follows builders in a copy module, imports under another name, and wrappers', () => {
    const found = appMessages(root).map(({ where, phrases }) => [where, phrases]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['src/copy.ts:3', ['Not pending: reward redemption']],
        ['src/copy.ts:5', ['A body the app cannot read:']],
        ['src/trigger.ts:6', ['Repeat: reward redemption']],
      ]),
    );
    expect(found).toHaveLength(3);
  });
});
