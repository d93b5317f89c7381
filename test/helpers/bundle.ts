import type { Bundle } from 'zapier-platform-core';

export const API = 'https://api.influitive.com';
export const TOKEN = 'tok_live_5f2b8e9c1d7a4e3b9c0f6a2d8e1b7c4f';
export const ORG_ID = '3c5e7a91-2b4d-4f6a-8c1e-9d0b2a4c6e8f';
export const LOUDCROWD_KEY = 'lc_key_8d1f3a6b9c2e4d7f0a5b8c1e3d6f9a2b';

export const authData = { api_token: TOKEN, org_id: ORG_ID, loudcrowd_api_key: LOUDCROWD_KEY };

/** Headers every Influitive request must carry, for nock's `reqheaders`. */
export const influitiveHeaders = {
  authorization: `Token ${TOKEN}`,
  x_org_id: ORG_ID,
  accept: 'application/json',
};

/** A bundle as Zapier sends it, with a full `meta` (createAppTester leaves it undefined otherwise). */
export const makeBundle = (overrides: Partial<Bundle> = {}): Bundle =>
  ({
    authData,
    inputData: {},
    inputDataRaw: {},
    meta: {
      isBulkRead: false,
      isFillingDynamicDropdown: false,
      isLoadingSample: false,
      isPopulatingDedupe: false,
      isTestingAuth: false,
      limit: -1,
      page: 0,
      timezone: 'America/Toronto',
      inputFields: {},
    },
    ...overrides,
  }) as Bundle;

/** A hook delivery as Zapier hands it over: renamed headers in rawRequest, parsed body in cleanedRequest. */
export const hookBundle = (
  body: unknown,
  options: {
    headers?: Record<string, string>;
    querystring?: string;
    inputData?: Record<string, unknown>;
    authData?: Record<string, string>;
    /** The Zap the delivery is for (`bundle.meta.zap.id`), as Zapier sends it to a live Zap. */
    zapId?: string;
  } = {},
): Bundle => {
  const content = typeof body === 'string' ? body : JSON.stringify(body);
  const base = makeBundle();
  return makeBundle({
    ...(options.zapId === undefined
      ? {}
      : { meta: { ...base.meta, zap: { id: options.zapId, user: { timezone: 'UTC' } } } }),
    authData: options.authData ?? authData,
    inputData: options.inputData ?? {},
    rawRequest: {
      method: 'POST',
      querystring: options.querystring ?? '',
      headers: { 'Content-Type': 'application/json', ...options.headers },
      content,
    },
    cleanedRequest: typeof body === 'string' ? { querystring: {} } : body,
  });
};
