import { MAX_JSON_DEPTH, nestsDeeperThan, parseJson } from '../../src/shared/json';

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
};
const nestedText = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

describe('nestsDeeperThan', () => {
  it('measures objects and arrays alike, exactly at the limit', () => {
    expect(nestsDeeperThan(nested(3), 3)).toBe(false);
    expect(nestsDeeperThan(nested(4), 3)).toBe(true);
    expect(nestsDeeperThan('scalar', 0)).toBe(false);
  });

  it('handles nesting far deeper than the call stack allows', () => {
    expect(nestsDeeperThan(nested(200_000), MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('parseJson', () => {
  it('parses JSON, ignoring a leading byte-order mark', () => {
    expect(parseJson('\uFEFF{"sku":"HOOD-M"}')).toEqual({ ok: true, value: { sku: 'HOOD-M' } });
    expect(parseJson('"text"')).toEqual({ ok: true, value: 'text' });
  });

  it('says when text is not JSON', () => {
    expect(parseJson('{"sku":')).toEqual({ ok: false, reason: 'not_json' });
    expect(parseJson('')).toEqual({ ok: false, reason: 'not_json' });
  });

  it(`refuses JSON nested more than ${MAX_JSON_DEPTH} levels deep, however deep`, () => {
    expect(parseJson(nestedText(MAX_JSON_DEPTH))).toMatchObject({ ok: true });
    expect(parseJson(nestedText(MAX_JSON_DEPTH + 1))).toEqual({ ok: false, reason: 'too_deep' });
    expect(parseJson(nestedText(100_000))).toEqual({ ok: false, reason: 'too_deep' });
  });
});
