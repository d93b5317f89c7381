import { excerpt, scrubSecrets, secretsOf } from '../../src/shared/secrets';

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
