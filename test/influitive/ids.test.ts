import { pathId } from '../../src/influitive/ids';
import type { ZObject } from '../../src/shared/types';
import { messageOf } from '../helpers/errors';

class AppError extends Error {
  constructor(message: string) {
    super(JSON.stringify({ message }));
  }
}
const z = { errors: { Error: AppError } } as unknown as ZObject;

const refusal = (value: unknown): string => {
  try {
    pathId(z, value, 'The Member');
  } catch (error) {
    return messageOf(error);
  }
  throw new Error(`${JSON.stringify(value)} was accepted`);
};

describe('pathId', () => {
  it.each([
    ['digits', '48213', '48213'],
    ['a number', 48213, '48213'],
    ['a uuid', '8E1B7C4F-2b4d-4f6a-8c1e-9d0b2a4c6e8f', '8E1B7C4F-2b4d-4f6a-8c1e-9d0b2a4c6e8f'],
    ['a token, trimmed', '\tmbr_Q7-x\n', 'mbr_Q7-x'],
    ['100 characters', 'a'.repeat(100), 'a'.repeat(100)],
  ])('returns %s as it goes into the path', (_what, value, id) => {
    expect(pathId(z, value, 'The Member')).toBe(id);
  });

  it.each([
    ['nothing', undefined, 'is empty'],
    ['blank text', '  ', 'is empty'],
    ['an object', { id: 5 }, 'is empty'],
    ['Infinity', Number.POSITIVE_INFINITY, 'is empty'],
    ['a decimal', 1.5, 'contains "."'],
  ])('refuses %s, saying why without echoing it', (_what, value, why) => {
    expect(refusal(value)).toMatch(
      new RegExp(`^The Member ${why}, so it cannot be an Influitive id`),
    );
  });

  it.each(['..', '.', '%2E', 'a\\b', 'é', 'ａ', '\u0000', '1e3.0', '../../x'])(
    'refuses %j, which is no Influitive id',
    (value) => {
      expect(refusal(value)).toMatch(/^The Member contains ".+", so it cannot be/s);
    },
  );

  it('names one character, never the value, so a pasted secret is not echoed', () => {
    const pasted = 'tok_live_5f2b8e9c1d7a4e3b9c0f6a2d8e1b7c4f/';
    expect(refusal(pasted)).not.toContain('tok_live');
  });
});
