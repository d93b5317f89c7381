import {
  excerpt,
  scrubbingSecrets,
  scrubDeep,
  scrubError,
  scrubSecrets,
  secretsOf,
} from '../../src/shared/secrets';

const TOKEN = 'tok/"Sp+cial&=<9f2b>';
const KEY = 'lc key~%2F\\9d1e';

describe('secretsOf', () => {
  const secrets = secretsOf({
    authData: { api_token: `\t${TOKEN}\n`, org_id: 'org-1', loudcrowd_api_key: ` ${KEY} ` },
  });

  it.each([
    ['the token as sent (trimmed)', TOKEN],
    ['the token URL-encoded', encodeURIComponent(TOKEN)],
    ['the token form-encoded', new URLSearchParams({ t: TOKEN }).toString().slice(2)],
    ['the token JSON-escaped', JSON.stringify(TOKEN).slice(1, -1)],
    ['the token JSON-escaped the way Rails does', 'tok\\/\\"Sp+cial\\u0026=\\u003c9f2b\\u003e'],
    ['the key as sent (trimmed)', KEY],
    ['the key URL-encoded', encodeURIComponent(KEY)],
    ['the key form-encoded', 'lc+key%7E%252F%5C9d1e'],
    ['the key JSON-escaped', 'lc key~%2F\\\\9d1e'],
  ])('covers %s', (_form, text) => {
    expect(scrubSecrets(`before ${text} after`, secrets)).toBe('before [redacted] after');
  });

  it('covers the stored value with its whitespace too, and never the org id', () => {
    expect(scrubSecrets(`[\t${TOKEN}\n]`, secrets)).toBe('[\t[redacted]\n]');
    expect(scrubSecrets('org-1', secrets)).toBe('org-1');
  });

  it('scrubs percent-encoding in either letter case', () => {
    expect(scrubSecrets(encodeURIComponent(TOKEN).toLowerCase(), secrets)).toBe('[redacted]');
  });

  it('accepts a key no encoder can encode (a lone surrogate) without throwing', () => {
    const odd = secretsOf({ authData: { loudcrowd_api_key: 'key\ud800key' } });
    expect(scrubSecrets('key\ud800key and key\\ud800key', odd)).toBe('[redacted] and [redacted]');
  });

  it('ignores values too short to be a secret, and a connection without secrets', () => {
    expect(secretsOf({ authData: { api_token: ' ab ' } })).toEqual([]);
    expect(scrubSecrets('a.b', [])).toBe('a.b');
  });
});

describe('excerpt', () => {
  it('scrubs before shortening, so a secret cut in half cannot slip through', () => {
    const secrets = secretsOf({ authData: { api_token: TOKEN } });
    expect(excerpt(`${'x'.repeat(140)} ${TOKEN}`, secrets)).toBe(`${'x'.repeat(140)} [redacted]`);
  });
});

describe('scrubDeep', () => {
  const secrets = secretsOf({ authData: { api_token: TOKEN } });

  it('replaces the secret inside every string and field name, keeping every field', () => {
    const scrubbed = scrubDeep(
      {
        url: `https://x.example/?t=${encodeURIComponent(TOKEN)}`,
        [TOKEN]: [1, `a ${TOKEN}`],
        n: 3,
        z: null,
      },
      secrets,
    );
    expect(scrubbed).toEqual({
      url: 'https://x.example/?t=[redacted]',
      '[redacted]': [1, 'a [redacted]'],
      n: 3,
      z: null,
    });
  });

  it('returns the value itself when the connection has no secret', () => {
    const value = { a: TOKEN };
    expect(scrubDeep(value, [])).toBe(value);
  });

  it('returns plain data that holds no secret as it is, without copying it', () => {
    const value = { a: 'clean', list: [1, { b: 'also clean' }], n: null };
    expect(scrubDeep(value, secrets)).toBe(value);
  });

  it('copies anything but plain data, keeping only its own fields, as before', () => {
    const error = new Error(`bad ${TOKEN}`);
    expect(scrubDeep({ when: new Date(0), error }, secrets)).toEqual({ when: {}, error: {} });
    expect(scrubDeep([error], secrets)).toEqual([{}]);
  });

  it('finds a secret in the last of many strings and in a field name alone', () => {
    const many = Array.from({ length: 50 }, (_, i) => `clean ${i}`);
    expect(scrubDeep([...many, TOKEN], secrets).at(-1)).toBe('[redacted]');
    expect(scrubDeep({ [`x ${TOKEN}`]: 1 }, secrets)).toEqual({ 'x [redacted]': 1 });
  });
});

describe('the compiled patterns', () => {
  const secrets = secretsOf({ authData: { api_token: TOKEN } });

  it('scrub every text of a run alike: no state is left from one call to the next', () => {
    const texts = [`a ${TOKEN}`, `${TOKEN} b`, `x${TOKEN}y${TOKEN}`, 'clean', `c ${TOKEN}`];
    expect(texts.map((text) => scrubSecrets(text, secrets))).toEqual([
      'a [redacted]',
      '[redacted] b',
      'x[redacted]y[redacted]',
      'clean',
      'c [redacted]',
    ]);
  });

  it('leave a text shorter than the shortest form alone', () => {
    expect(scrubSecrets('abc', secretsOf({ authData: { api_token: 'abcd' } }))).toBe('abc');
    expect(scrubSecrets('abcd', secretsOf({ authData: { api_token: 'abcd' } }))).toBe('[redacted]');
  });
});

describe('secretsOf within a run', () => {
  it('works the forms out once for a run, and again when the stored values change', () => {
    const authData: Record<string, string> = { api_token: TOKEN };
    const first = secretsOf({ authData });
    expect(secretsOf({ authData })).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    authData.api_token = 'another-token-value';
    const changed = secretsOf({ authData });
    expect(changed).not.toBe(first);
    expect(changed).toContain('another-token-value');
    expect(changed).not.toContain(TOKEN);
  });
});

describe('scrubError', () => {
  const secrets = secretsOf({ authData: { loudcrowd_api_key: KEY } });

  it('scrubs the message and stack of a thrown value and keeps its class', () => {
    class HaltedError extends Error {}
    const error = new HaltedError(JSON.stringify({ message: `key ${KEY}` }));
    const scrubbed = scrubError(error, secrets) as Error;
    expect(scrubbed).toBe(error);
    expect(scrubbed).toBeInstanceOf(HaltedError);
    expect(JSON.parse(scrubbed.message)).toEqual({ message: 'key [redacted]' });
    expect(scrubbed.stack).not.toContain(KEY);
  });
});

describe('scrubbingSecrets', () => {
  const bundle = () => ({ authData: { api_token: `${TOKEN}\n`, org_id: 'org-1' } }) as never;
  const zWith = (lines: unknown[]) =>
    ({
      console: {
        log: (...args: unknown[]) => lines.push(...args),
        info() {},
        warn() {},
        error() {},
      },
    }) as never;

  it('scrubs the result, the lines logged and what is thrown', async () => {
    const lines: unknown[] = [];
    const perform = scrubbingSecrets(async (z: { console: Console }) => {
      z.console.log(`saw ${TOKEN}`, { echo: TOKEN });
      return { echo: `Token ${TOKEN}` };
    });
    await expect(perform(zWith(lines), bundle())).resolves.toEqual({ echo: 'Token [redacted]' });
    expect(lines).toEqual(['saw [redacted]', { echo: '[redacted]' }]);
    const failing = scrubbingSecrets(async () => {
      throw new Error(`bad ${TOKEN}`);
    });
    await expect(failing(zWith([]), bundle())).rejects.toThrow('bad [redacted]');
  });

  it("hands core's log scrubber every form on a copy of authData, leaving the caller's as it was", async () => {
    const authData = { api_token: `${TOKEN}\n`, org_id: 'org-1' };
    const given = { authData } as { authData: Record<string, string> };
    await scrubbingSecrets(async () => [])(zWith([]), given as never);
    expect(authData).toEqual({ api_token: `${TOKEN}\n`, org_id: 'org-1' });
    expect(Object.values(given.authData)).toEqual(
      expect.arrayContaining([TOKEN, encodeURIComponent(TOKEN)]),
    );
  });
});

describe('scrubbingSecrets and z.console', () => {
  const bundle = () => ({ authData: { api_token: TOKEN } }) as never;
  const consoleInto = (lines: unknown[]) => ({
    log: (...args: unknown[]) => lines.push(...args),
    info: (...args: unknown[]) => lines.push(...args),
    warn: (...args: unknown[]) => lines.push(...args),
    error: (...args: unknown[]) => lines.push(...args),
    table: (...args: unknown[]) => lines.push('table', ...args),
  });

  it("hands the perform core's own z with a scrubbing console, and puts core's console back", async () => {
    const lines: unknown[] = [];
    const original = consoleInto(lines);
    const z = { console: original, cache: {} };
    let seen: unknown;
    await scrubbingSecrets(async (zz: { console: Console }) => {
      seen = zz;
      zz.console.log(`one ${TOKEN}`);
      zz.console.warn({ echo: TOKEN });
      zz.console.table('as it is');
      return [];
    })(z as never, bundle());
    expect(seen).toBe(z);
    expect(lines).toEqual(['one [redacted]', { echo: '[redacted]' }, 'table', 'as it is']);
    expect(z.console).toBe(original);
  });

  it("puts core's console back when the perform throws", async () => {
    const original = consoleInto([]);
    const z = { console: original };
    await expect(
      scrubbingSecrets(async () => {
        throw new Error(`bad ${TOKEN}`);
      })(z as never, bundle()),
    ).rejects.toThrow('bad [redacted]');
    expect(z.console).toBe(original);
  });

  it('scrubs through a copy of z when its console cannot be set (a getter, a frozen z)', async () => {
    const makers = [
      (lines: unknown[]) => ({
        get console() {
          return consoleInto(lines);
        },
      }),
      (lines: unknown[]) => Object.freeze({ console: consoleInto(lines) }),
    ];
    for (const make of makers) {
      const lines: unknown[] = [];
      const z = make(lines);
      let seen: unknown;
      await scrubbingSecrets(async (zz: { console: Console }) => {
        seen = zz;
        zz.console.log(`one ${TOKEN}`);
        return [];
      })(z as never, bundle());
      expect(seen).not.toBe(z);
      expect(lines).toEqual(['one [redacted]']);
    }
  });
});

describe('scrubbingSecrets at its edges', () => {
  const z = { console: { log() {}, info() {}, warn() {}, error() {} } } as never;

  it('passes a result through untouched for a connection without secrets', async () => {
    const result = { echo: 'nothing secret' };
    const bundle = { authData: { org_id: 'org-1' } } as never;
    await expect(scrubbingSecrets(async () => result)(z, bundle)).resolves.toBe(result);
  });

  it('still scrubs the result when the bundle cannot take the extra forms (frozen)', async () => {
    const bundle = Object.freeze({ authData: { api_token: TOKEN } }) as never;
    await expect(scrubbingSecrets(async () => [TOKEN])(z, bundle)).resolves.toEqual(['[redacted]']);
  });

  it('rethrows a thrown value that is not an Error as it is', async () => {
    const bundle = { authData: { api_token: TOKEN } } as never;
    await expect(
      scrubbingSecrets(async () => {
        throw 'plain';
      })(z, bundle),
    ).rejects.toBe('plain');
  });
});
