import { readFileSync } from 'node:fs';
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
