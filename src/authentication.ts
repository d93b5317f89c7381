import { CREDENTIALS_HELP, callInfluitive } from './influitive/client';
import { normalizeMember } from './influitive/member';
import { scrubSecrets, secretsOf } from './shared/secrets';
import { type Bundle, isJsonObject, type ZObject } from './shared/types';

const present = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';

/**
 * The connection test: `GET /members/me` when Influitive credentials are entered. A connection
 * with only a LoudCrowd key passes without calling Influitive; anything half-entered says exactly
 * what is missing.
 */
export const testConnection = async (z: ZObject, bundle: Bundle) => {
  const { api_token, org_id, loudcrowd_api_key } = bundle.authData;
  if (!present(api_token) && !present(org_id)) {
    if (present(loudcrowd_api_key)) return { connection: 'loudcrowd_only' };
    throw new z.errors.Error(
      `Enter an Influitive API token and organization ID, a LoudCrowd API key, or both. ${CREDENTIALS_HELP}`,
      'missing_credentials',
      400,
    );
  }
  // callInfluitive says exactly which of the token and org ID is missing before any request.
  const { data } = await callInfluitive(z, bundle, { method: 'GET', path: '/members/me' });
  const record = isJsonObject(data) && isJsonObject(data.member) ? data.member : data;
  return normalizeMember(record);
};

/** "Maya Patel (maya@…)" from the test result; never a token or key. */
export const connectionLabel = (_z: ZObject, bundle: Bundle): string => {
  const result = bundle.inputData as Record<string, unknown>;
  if (result.connection === 'loudcrowd_only') return 'LoudCrowd only';
  const name = present(result.name) ? String(result.name) : undefined;
  const email = present(result.email) ? String(result.email) : undefined;
  const label =
    name && email
      ? `${name} (${email})`
      : (name ?? email ?? `Influitive org ${bundle.authData.org_id ?? ''}`.trim());
  return scrubSecrets(label, secretsOf(bundle));
};

export default {
  type: 'custom' as const,
  fields: [
    {
      key: 'api_token',
      label: 'Influitive API Token',
      type: 'password' as const,
      required: false,
      helpText:
        "In your AdvocateHub, click your name (top right) → **Integrations** → **Influitive API**, enable it and click **Manage** to copy the token. See [Influitive's API reference](https://influitive.readme.io/reference). Leave empty if you only use LoudCrowd.",
    },
    {
      key: 'org_id',
      label: 'Influitive Organization ID (X_ORG_ID)',
      type: 'string' as const,
      required: false,
      helpText: 'Shown as **X_ORG_ID** in the same Influitive API settings, next to the token.',
    },
    {
      key: 'loudcrowd_api_key',
      label: 'LoudCrowd API Key',
      type: 'password' as const,
      required: false,
      helpText:
        "A long random secret you choose (e.g. from a password manager). Enter the same value as the **API Key** of the Webhook integration in LoudCrowd (Integrations → Outbound → Add Integration → Webhook); the LoudCrowd trigger halts every delivery that does not carry it. See [LoudCrowd's webhook guide](https://help.loudcrowd.com/).",
    },
  ],
  test: testConnection,
  connectionLabel,
};
