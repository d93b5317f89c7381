import { normalizedHeaders, queryParameters, readHookBody } from '../../src/shared/hook-request';
import { MAX_JSON_DEPTH } from '../../src/shared/json';
import { describeJsonType } from '../../src/shared/types';
import { makeBundle } from '../helpers/bundle';

describe('normalizedHeaders', () => {
  it("undoes Zapier's renaming: Http- prefix, Camel-Case, underscores", () => {
    const headers = normalizedHeaders(
      makeBundle({
        rawRequest: {
          headers: {
            'Http-X-Api-Key': 'k1',
            'Http-Authorization': 'Bearer t',
            'Content-Type': 'application/json',
            HTTP_API_KEY: 'k2',
          },
        },
      }),
    );
    expect(Object.fromEntries(headers)).toEqual({
      'x-api-key': 'k1',
      authorization: 'Bearer t',
      'content-type': 'application/json',
      'api-key': 'k2',
    });
  });

  it('keeps the first of two spellings of one header and ignores non-string values', () => {
    const headers = normalizedHeaders(
      makeBundle({
        rawRequest: {
          headers: {
            'Http-X-Api-Key': 'first',
            'x-api-key': 'second',
            Bad: 7 as unknown as string,
          },
        },
      }),
    );
    expect(Object.fromEntries(headers)).toEqual({ 'x-api-key': 'first' });
  });

  it('is empty without a raw request', () => {
    expect(normalizedHeaders(makeBundle()).size).toBe(0);
  });
});

describe('queryParameters', () => {
  it('reads the raw query string, then fills gaps from the cleaned request', () => {
    const params = queryParameters(
      makeBundle({
        rawRequest: { querystring: '?api_key=a&x=1' },
        cleanedRequest: { querystring: { api_key: 'b', key: 'c', n: 3 } },
      }),
    );
    expect(Object.fromEntries(params)).toEqual({ api_key: 'a', x: '1', key: 'c' });
  });

  it('is empty without either', () => {
    expect([...queryParameters(makeBundle({ cleanedRequest: [1, 2] }))]).toEqual([]);
  });
});

describe('describeJsonType', () => {
  it.each([
    [null, 'null'],
    [[1], 'an array'],
    ['x', 'a string'],
    [3, 'a number'],
    [{}, 'an object'],
    [undefined, 'an undefined'],
  ])('names %p as %s', (value, name) => {
    expect(describeJsonType(value)).toBe(name);
  });
});

describe('readHookBody', () => {
  const z = { errors: { HaltedError: class HaltedError extends Error {} } } as never;
  const withContent = (content: string) => makeBundle({ rawRequest: { content } });

  it('ignores a leading byte-order mark, as JSON allows', () => {
    expect(readHookBody(z, withContent('\uFEFF{"lcId":"A1"}'), 'LoudCrowd')).toEqual({
      lcId: 'A1',
    });
  });

  it(`halts a body nested more than ${MAX_JSON_DEPTH} levels deep`, () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    expect(() => readHookBody(z, withContent(deep), 'LoudCrowd')).toThrow(
      `LoudCrowd sent a body nested more than ${MAX_JSON_DEPTH} levels deep`,
    );
    const fine = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(() => readHookBody(z, withContent(fine), 'LoudCrowd')).not.toThrow();
  });

  it('applies the depth limit to the cleaned request too', () => {
    let deep: unknown = {};
    for (let i = 0; i < MAX_JSON_DEPTH + 1; i += 1) deep = { a: deep };
    expect(() => readHookBody(z, makeBundle({ cleanedRequest: deep }), 'Influitive')).toThrow(
      /nested more than/,
    );
  });
});
