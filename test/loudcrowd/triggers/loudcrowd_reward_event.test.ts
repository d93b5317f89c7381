import { loudCrowdEventSample, loudCrowdSamplePayload } from '../../../src/loudcrowd/event';
import { Deadline } from '../../../src/shared/deadline';
import { hookBundle, LOUDCROWD_KEY, TOKEN } from '../../helpers/bundle';
import { messageOf, rejectionOf } from '../../helpers/errors';
import { runOperation } from '../../helpers/run';
import { FakeZapierRpc } from '../../helpers/zapier-rpc';
import batch from '../fixtures/reward_event_batch.json';
import withMedias from '../fixtures/reward_event_medias.json';
import withPosts from '../fixtures/reward_event_posts.json';

const PERFORM = 'triggers.loudcrowd_reward_event.operation.perform';
const THIRTY_DAYS = 30 * 24 * 60 * 60;
const URL_HINT = "Check that this Zap's URL is the API Url of LoudCrowd's Webhook integration.";

type Item = Record<string, unknown> & { id: string; medias: Record<string, unknown>[] };

let rpc: FakeZapierRpc;
beforeAll(async () => {
  rpc = await new FakeZapierRpc().start();
});
afterAll(() => rpc.stop());
beforeEach(() => rpc.reset());

/** The Zap deliveries go to, as Zapier names it in `bundle.meta.zap.id`. */
const ZAP = 'zap-orders';

/** A delivery to ZAP with the right key in X-Api-Key; a string body is sent as raw bytes. */
const deliver = async (body: unknown): Promise<Item[]> =>
  (await runOperation(
    PERFORM,
    hookBundle(body, { headers: { 'Http-X-Api-Key': LOUDCROWD_KEY }, zapId: ZAP }),
    rpc.url,
  )) as Item[];

/** The `zcache_set` calls: key, TTL and the set-if-absent flag. */
const claims = () =>
  rpc.calls
    .filter(({ method }) => method === 'zcache_set')
    .map(({ method, params }) => ({
      method,
      key: params[0],
      ttl: params[2],
      nx: params[4],
    }));

const claimOf = (lcId: string) => ({
  method: 'zcache_set',
  key: `zap:${ZAP}:loudcrowd-reward:${lcId}`,
  ttl: THIRTY_DAYS,
  nx: true,
});

describe('loudcrowd_reward_event payloads', () => {
  test('outputs the documented payload with medias normalised, counts and idempotency keys', async () => {
    const [item, ...rest] = await deliver(withMedias);
    expect(rest).toEqual([]);
    expect(item).toEqual({
      id: 'RWD-9KX24T7B',
      lcId: 'RWD-9KX24T7B',
      email: 'amara.okafor@fernway-coffee.example',
      igUsername: 'amara.brews',
      ttUsername: 'amarabrews',
      discountCode: 'AMARA20-9KX2',
      medias: [
        {
          lcId: 'MED-51C0E7A2',
          postedAt: '2026-10-03T17:22:48.902+00:00',
          postType: 'STORY',
          platform: null,
        },
        {
          lcId: 'MED-51C0E7B9',
          postedAt: '2026-10-04T08:05:11.004+00:00',
          postType: 'STORY',
          platform: null,
        },
        {
          lcId: 'MED-51C0E8D4',
          postedAt: '2026-10-05T21:40:02.777+00:00',
          postType: 'FEED',
          platform: null,
        },
      ],
      media_count: 3,
      feed_count: 1,
      story_count: 2,
      reel_count: 0,
      idempotency_key: 'loudcrowd-reward-RWD-9KX24T7B',
      // The lcId has a hyphen, so the letters-and-digits form is a hash of it, never a lossy copy.
      idempotency_key_alphanumeric: expect.stringMatching(/^loudcrowdrewardh[0-9a-f]{32}$/),
    });
    expect(claims()).toEqual([claimOf('RWD-9KX24T7B')]);
  });

  test('reads the older version: posts as medias, lcid as lcId, platform kept', async () => {
    const [item] = await deliver(withPosts);
    expect(item?.medias).toEqual([
      {
        lcid: 'MED-77D2A04F',
        lcId: 'MED-77D2A04F',
        postedAt: '2026-09-28T12:14:09.118+00:00',
        postType: 'REEL',
        platform: 'instagram',
      },
      {
        lcid: 'MED-77D2A1E3',
        lcId: 'MED-77D2A1E3',
        postedAt: '2026-09-29T19:58:33.500+00:00',
        postType: 'FEED',
        platform: 'tik_tok',
      },
    ]);
    expect(item).toMatchObject({
      id: 'RWD-3HV81QZC',
      media_count: 2,
      feed_count: 1,
      reel_count: 1,
      story_count: 0,
    });
    // The original list stays under its own key too: nothing sent is dropped.
    expect(item?.posts).toEqual(withPosts.posts);
  });

  test('keeps unknown post types (upper-cased) and unknown fields instead of rejecting them', async () => {
    const [item] = await deliver({
      ...withMedias,
      rewardName: 'Two Stories Bonus',
      platform: 'instagram',
      medias: [
        { lcId: 'MED-1', postedAt: '2026-10-03T17:22:48.902164', postType: 'carousel', likes: 412 },
        {
          lcId: 'MED-2',
          postedAt: '2026-10-03T12:00:00-04:00',
          postType: 'story',
          platform: 'tik_tok',
        },
      ],
    });
    expect(item?.rewardName).toBe('Two Stories Bonus');
    expect(item?.platform).toBe('instagram');
    expect(item?.medias).toEqual([
      {
        lcId: 'MED-1',
        postedAt: '2026-10-03T17:22:48.902+00:00',
        postType: 'CAROUSEL',
        platform: 'instagram',
        likes: 412,
      },
      {
        lcId: 'MED-2',
        postedAt: '2026-10-03T12:00:00-04:00',
        postType: 'STORY',
        platform: 'tik_tok',
      },
    ]);
    expect(item).toMatchObject({ media_count: 2, story_count: 1, feed_count: 0, reel_count: 0 });
  });

  test('keeps a medias value it cannot read under medias_original and counts no media', async () => {
    const [item] = await deliver({ lcId: 'RWD-NOMEDIA', medias: 'STORY,STORY' });
    expect(item).toMatchObject({ medias: [], medias_original: 'STORY,STORY', media_count: 0 });
  });

  test('reads a lone media object as a list of one, and keeps unreadable media values', async () => {
    const [single] = await deliver({ lcId: 'RWD-ONE', medias: { lcid: 7, postType: 'REEL' } });
    expect(single?.medias).toEqual([
      { lcid: 7, lcId: '7', postedAt: null, postType: 'REEL', platform: null },
    ]);

    const [odd] = await deliver({
      lcId: 'RWD-ODD',
      posts: ['MED-9', { postedAt: 'last Tuesday', postType: 3, platform: false }],
    });
    expect(odd?.medias).toEqual([
      { value: 'MED-9', lcId: null, postedAt: null, postType: null, platform: null },
      {
        lcId: null,
        postedAt: null,
        postType: null,
        platform: null,
        postedAt_original: 'last Tuesday',
        postType_original: 3,
        platform_original: false,
      },
    ]);
  });

  test('outputs one item per event of an array body, each claimed for de-duplication', async () => {
    const items = await deliver(batch);
    expect(items.map((item) => [item.id, item.media_count])).toEqual([
      ['RWD-Q4M7N2P8', 1],
      ['RWD-Q4M7N9X3', 2],
    ]);
    expect(items[1]?.idempotency_key).toBe('loudcrowd-reward-RWD-Q4M7N9X3');
    expect(claims()).toEqual([claimOf('RWD-Q4M7N2P8'), claimOf('RWD-Q4M7N9X3')]);
  });

  test('outputs the valid events of an array where some have no lcId', async () => {
    const items = await deliver([{ email: 'no-id@example.com' }, batch[1], 'RWD-STRING']);
    expect(items.map((item) => item.id)).toEqual(['RWD-Q4M7N9X3']);
    expect(claims()).toEqual([claimOf('RWD-Q4M7N9X3')]);
  });
});

describe('loudcrowd_reward_event bad input', () => {
  test.each<[string, unknown, string]>([
    [
      'a body that is not JSON',
      'lcId=RWD-1&email=a@b.example',
      'LoudCrowd sent a body that is not JSON (28 bytes); there is no event to process.',
    ],
    ['an empty body', '', 'LoudCrowd sent an empty body; there is no event to process.'],
    ['a blank body', ' \n ', 'LoudCrowd sent an empty body; there is no event to process.'],
    [
      'a number',
      '42',
      `The delivery is a number, not a LoudCrowd event (a JSON object with an lcId) or a list of them. ${URL_HINT}`,
    ],
    [
      'a JSON string',
      '"RWD-1"',
      `The delivery is a string, not a LoudCrowd event (a JSON object with an lcId) or a list of them. ${URL_HINT}`,
    ],
    [
      'null',
      'null',
      `The delivery is null, not a LoudCrowd event (a JSON object with an lcId) or a list of them. ${URL_HINT}`,
    ],
    [
      'an empty list',
      [],
      `The delivery is an empty list: it holds no LoudCrowd event. ${URL_HINT}`,
    ],
    [
      'an event whose lcId is an object',
      { lcId: { id: 'RWD-1' } },
      'the event has an lcId that is an object, not a string (its fields: lcId).',
    ],
    [
      'an event without lcId',
      { lcid: 'RWD-1', email: 'a@b.example' },
      `The delivery holds no LoudCrowd event that can be processed: the event has no lcId (its fields: lcid, email). ${URL_HINT}`,
    ],
    [
      'an event whose lcId is a number',
      { lcId: 48213 },
      'the event has an lcId that is a number, not a string (its fields: lcId).',
    ],
    [
      'an event whose lcId is empty',
      { lcId: '  ' },
      'the event has an empty lcId (its fields: lcId).',
    ],
    ['an event that is an empty object', {}, 'the event has no lcId (its fields: none).'],
    [
      'a list with no valid event',
      [{ email: 'a@b.example' }, 7, null],
      'event 1 has no lcId (its fields: email); event 2 is a number, not a JSON object; event 3 is null, not a JSON object.',
    ],
  ])('halts %s with the reason', async (_what, body, reason) => {
    const error = await rejectionOf(deliver(body));
    expect(error.name).toBe('HaltedError');
    expect(messageOf(error)).toContain(reason);
    expect(claims()).toEqual([]);
  });

  test('names at most five reasons for a large bad list', async () => {
    const error = await rejectionOf(deliver(Array.from({ length: 8 }, () => ({}))));
    expect(messageOf(error)).toContain('event 5 has no lcId (its fields: none); and 3 more.');
    expect(messageOf(error)).not.toContain('event 6');
  });
});

describe('loudcrowd_reward_event duplicates', () => {
  test('halts an lcId already delivered, after claiming it once with set-if-absent', async () => {
    await deliver(withMedias);
    const error = await rejectionOf(deliver(withMedias));
    expect(error.name).toBe('HaltedError');
    expect(messageOf(error)).toBe(
      'Repeat: LoudCrowd reward event RWD-9KX24T7B was already delivered to this Zap in the last 30 days; this repeat was stopped so no reward is sent twice.',
    );
    expect(claims()).toEqual([claimOf('RWD-9KX24T7B'), claimOf('RWD-9KX24T7B')]);
    expect([...rpc.store.keys()]).toEqual([
      `app/auth=auth-1::zap:${ZAP}:loudcrowd-reward:RWD-9KX24T7B`,
    ]);
  });

  test('drops only the already-delivered events of an array', async () => {
    await deliver(batch[0]);
    const items = await deliver(batch);
    expect(items.map((item) => item.id)).toEqual(['RWD-Q4M7N9X3']);
  });

  test('halts an array whose every event was already delivered, naming them', async () => {
    await deliver(batch);
    const error = await rejectionOf(deliver(batch));
    expect(messageOf(error)).toMatch(
      /^Repeat: All LoudCrowd reward events in this delivery \(RWD-Q4M7N2P8, RWD-Q4M7N9X3\) were already delivered to this Zap/,
    );
  });

  test('outputs an event repeated within one array once, and claims it once', async () => {
    const items = await deliver([batch[0], batch[1], { ...batch[0], email: 'resent@example.com' }]);
    expect(items.map((item) => item.id)).toEqual(['RWD-Q4M7N2P8', 'RWD-Q4M7N9X3']);
    expect(items[0]?.email).toBe('lena.hoffmann@alpenrose-skincare.example');
    expect(claims()).toEqual([claimOf('RWD-Q4M7N2P8'), claimOf('RWD-Q4M7N9X3')]);
  });

  test.each(['throttled', 'down'] as const)(
    'lets a repeat through when the cache is %s',
    async (mode) => {
      rpc.mode = mode;
      const first = await deliver(withMedias);
      const second = await deliver(withMedias);
      expect([first, second].map((items) => items.map((item) => item.id))).toEqual([
        ['RWD-9KX24T7B'],
        ['RWD-9KX24T7B'],
      ]);
      // Both deliveries asked for the claim (core retries an RPC that answers 500), none stored it.
      expect(claims().length).toBeGreaterThanOrEqual(2);
      expect(new Set(claims().map((claim) => JSON.stringify(claim)))).toEqual(
        new Set([JSON.stringify(claimOf('RWD-9KX24T7B'))]),
      );
      expect(rpc.store.size).toBe(0);
    },
  );
});

describe('loudcrowd_reward_event with a hanging cache', () => {
  afterEach(() => {
    delete process.env.ZAPIER_CACHE_TIMEOUT_MS;
  });

  test('lets every event through once the claims give up, instead of running past 30 s', async () => {
    process.env.ZAPIER_CACHE_TIMEOUT_MS = '100';
    rpc.mode = 'hang';
    const items = await deliver(batch);
    expect(items.map((item) => item.id)).toEqual(['RWD-Q4M7N2P8', 'RWD-Q4M7N9X3']);
    expect(claims()).toEqual([claimOf('RWD-Q4M7N2P8'), claimOf('RWD-Q4M7N9X3')]);
  });

  test('is loud about a keyless delivery when the cache hangs, since it cannot tell it was already', async () => {
    process.env.ZAPIER_CACHE_TIMEOUT_MS = '100';
    rpc.mode = 'hang';
    const error = await rejectionOf(
      runOperation(PERFORM, hookBundle(withMedias, { zapId: ZAP }), rpc.url),
    );
    expect(error.name).toBe('AppError');
    expect(JSON.parse(error.message)).toMatchObject({ code: 'loudcrowd_key_missing' });
  });
});

describe('loudcrowd_reward_event halt messages never carry a key', () => {
  const WRONG_KEY = 'lc_key_0e4b7d2a9f1c6e3b8d5a2f7c4e1b9d6a';
  test.each<[string, unknown, Record<string, string>]>([
    ['a wrong key', withMedias, { 'Http-Authorization': `Bearer ${WRONG_KEY}` }],
    ['a body that is not JSON', `{"lcId": "${LOUDCROWD_KEY}"`, { 'Http-X-Api-Key': LOUDCROWD_KEY }],
    [
      'an event without lcId whose fields name the key',
      { [LOUDCROWD_KEY]: 1, [TOKEN]: 2 },
      { 'Http-X-Api-Key': LOUDCROWD_KEY },
    ],
    ['a scalar body', JSON.stringify(LOUDCROWD_KEY), { 'Http-Api-Key': LOUDCROWD_KEY }],
  ])('for %s', async (_what, body, headers) => {
    const error = await rejectionOf(runOperation(PERFORM, hookBundle(body, { headers }), rpc.url));
    expect(error.name).toBe('HaltedError');
    for (const secret of [LOUDCROWD_KEY, WRONG_KEY, TOKEN])
      expect(error.message).not.toContain(secret);
  });

  test('for a duplicate whose lcId is the key itself', async () => {
    const body = { lcId: LOUDCROWD_KEY };
    await deliver(body);
    const error = await rejectionOf(deliver(body));
    expect(messageOf(error)).toBe(
      'Repeat: LoudCrowd reward event [redacted] was already delivered to this Zap in the last 30 days; this repeat was stopped so no reward is sent twice.',
    );
  });
});

describe('loudcrowd_reward_event repeats, per Zap', () => {
  const deliverTo = async (
    zapId: string | undefined,
    options: { inputData?: Record<string, unknown>; token?: string } = {},
  ) =>
    (await runOperation(
      PERFORM,
      hookBundle(withMedias, {
        headers: { 'Http-X-Api-Key': LOUDCROWD_KEY },
        zapId,
        inputData: options.inputData,
      }),
      options.token ? { url: rpc.url, token: options.token } : rpc.url,
    )) as Item[];

  test('gives each Zap on one connection the event once, and halts a repeat to the same Zap', async () => {
    await expect(deliverTo('zap-orders')).resolves.toHaveLength(1);
    // A second Zap on the same connection (one that logs to a sheet) still gets it.
    await expect(deliverTo('zap-sheet')).resolves.toHaveLength(1);
    const error = await rejectionOf(deliverTo('zap-orders'));
    expect(error.name).toBe('HaltedError');
    expect(messageOf(error)).toMatch(
      /^Repeat: .* already delivered to this Zap in the last 30 days/,
    );
    expect(rpc.peek('zap:zap-orders:loudcrowd-reward:RWD-9KX24T7B', ['auth'])).toBeDefined();
  });

  test('keeps connections apart: the same event on another connection is not a repeat', async () => {
    const other = rpc.tokenFor({ userId: 'user-2', authId: 'auth-2' });
    await expect(deliverTo('zap-1')).resolves.toHaveLength(1);
    await expect(deliverTo('zap-1', { token: other })).resolves.toHaveLength(1);
    await expect(rejectionOf(deliverTo('zap-1', { token: other }))).resolves.toMatchObject({
      name: 'HaltedError',
    });
  });

  test('lets a Zap that must see every delivery turn repeat-stopping off', async () => {
    const logging = { inputData: { stop_repeats: 'false' } };
    await expect(deliverTo('zap-log', logging)).resolves.toHaveLength(1);
    await expect(deliverTo('zap-log', logging)).resolves.toHaveLength(1);
    expect(rpc.calls.filter((call) => call.method === 'zcache_set')).toHaveLength(0);
  });
});

describe('loudcrowd_reward_event with secrets stored with whitespace, in other forms', () => {
  const KEY = 'lc<key>&"/+=%2F~9d1e3b6f';
  const stored = { api_token: `\t${TOKEN}\n`, org_id: 'org-1', loudcrowd_api_key: ` ${KEY}\n` };
  const forms = [KEY, encodeURIComponent(KEY), JSON.stringify(KEY).slice(1, -1), TOKEN];
  const expectNoForm = (texts: readonly string[]) => {
    for (const text of texts) for (const form of forms) expect(text).not.toContain(form);
  };

  test('a skipped event whose fields name the key in any form is logged scrubbed', async () => {
    const skipped = Object.fromEntries(forms.map((form, index) => [form, index]));
    const logs: string[] = [];
    const bundle = hookBundle([skipped, batch[1]], {
      headers: { 'Http-X-Api-Key': KEY },
      authData: stored,
    });
    const items = (await runOperation(PERFORM, bundle, rpc.url, logs)) as Item[];
    expect(items.map((item) => item.id)).toEqual(['RWD-Q4M7N9X3']);
    const skippedLine = logs.find((line) => line.includes('Skipped LoudCrowd events'));
    expect(skippedLine).toContain('event 1 has no lcId (its fields: [redacted], [redacted]');
    expectNoForm([...logs, ...rpc.logLines]);
  });

  test('a halt quoting the key in any form is scrubbed', async () => {
    const body = Object.fromEntries(forms.map((form, index) => [form, index]));
    const logs: string[] = [];
    const error = await rejectionOf(
      runOperation(
        PERFORM,
        hookBundle(body, { headers: { 'Http-X-Api-Key': KEY }, authData: stored }),
        rpc.url,
        logs,
      ),
    );
    expect(error.name).toBe('HaltedError');
    expect(error.message).toContain('(its fields: [redacted], [redacted], [redacted], [redacted])');
    expectNoForm([error.message, ...logs, ...rpc.logLines]);
  });
});

describe('loudcrowd_reward_event lists of any length', () => {
  test('outputs and claims every event of a list of 101', async () => {
    const events = Array.from({ length: 101 }, (_, i) => ({ lcId: `RWD-${i + 1}` }));
    const items = await deliver(events);
    expect(items.map((item) => item.id)).toEqual(events.map((event) => event.lcId));
    expect(claims()).toHaveLength(101);
    expect(new Set(claims().map((claim) => claim.key))).toEqual(
      new Set(events.map((event) => claimOf(event.lcId).key)),
    );
  });

  test('outputs every event of a list of 5,000 (no count cap below what Zapier accepts)', async () => {
    const events = Array.from({ length: 5_000 }, (_, i) => ({ lcId: `RWD-${i + 1}` }));
    const items = (await runOperation(
      PERFORM,
      hookBundle(events, {
        headers: { 'Http-X-Api-Key': LOUDCROWD_KEY },
        zapId: ZAP,
        inputData: { stop_repeats: 'false' },
      }),
      rpc.url,
    )) as Item[];
    expect(items).toHaveLength(5_000);
    expect(items.at(-1)?.id).toBe('RWD-5000');
    expect(claims()).toEqual([]);
  });
});

describe('loudcrowd_reward_event when the run runs out of time to claim', () => {
  afterEach(() => jest.restoreAllMocks());

  test('stops claiming after the round that used the time, and lets the rest through', async () => {
    // The run's deadline is spent once the first round of 25 claims has been asked for.
    jest.spyOn(Deadline.prototype, 'spent').mockReturnValueOnce(false).mockReturnValue(true);
    const events = Array.from({ length: 30 }, (_, i) => ({ lcId: `RWD-T${i + 1}` }));
    const logs: string[] = [];
    const items = (await runOperation(
      PERFORM,
      hookBundle(events, { headers: { 'Http-X-Api-Key': LOUDCROWD_KEY }, zapId: ZAP }),
      rpc.url,
      logs,
    )) as Item[];
    expect(items.map((item) => item.id)).toEqual(events.map((event) => event.lcId));
    expect(new Set(claims().map((claim) => claim.key))).toEqual(
      new Set(events.slice(0, 25).map((event) => claimOf(event.lcId).key)),
    );
    expect(logs.join('\n')).toContain(
      'Claimed 25 of 30 LoudCrowd events before the time ran out; the other 5 pass unchecked for repeats.',
    );
  });
});

describe('loudcrowd_reward_event in the Zap editor', () => {
  const LIST = 'triggers.loudcrowd_reward_event.operation.performList';

  test('lists the documented payload as its sample, shaped as a live delivery is', async () => {
    const listed = (await runOperation(LIST, hookBundle(undefined), rpc.url)) as Item[];
    expect(listed).toEqual([loudCrowdEventSample]);
    const [live] = await deliver(loudCrowdSamplePayload);
    expect(Object.keys(live ?? {}).sort()).toEqual(Object.keys(listed[0] ?? {}).sort());
    expect(rpc.calls.filter(({ method }) => method === 'zcache_set')).toHaveLength(1);
  });

  test("claims nothing while the editor loads samples, so LoudCrowd's Test button works twice", async () => {
    const editorTest = () => {
      const bundle = hookBundle(withMedias, {
        headers: { 'Http-Authorization': `Token ${LOUDCROWD_KEY}` },
        zapId: ZAP,
      });
      return runOperation(
        PERFORM,
        { ...bundle, meta: { ...bundle.meta, isLoadingSample: true } } as typeof bundle,
        rpc.url,
      ) as Promise<Item[]>;
    };
    const first = await editorTest();
    const second = await editorTest();
    expect([first, second].map((items) => items.map((item) => item.id))).toEqual([
      ['RWD-9KX24T7B'],
      ['RWD-9KX24T7B'],
    ]);
    expect(claims()).toEqual([]);
    // The live Zap's first delivery of that event still runs.
    await expect(deliver(withMedias)).resolves.toHaveLength(1);
    expect(claims()).toEqual([claimOf('RWD-9KX24T7B')]);
  });
});

describe('loudcrowd_reward_event on two Zaps when Zapier names no Zap', () => {
  test('runs the first delivery to each Zap, claiming nothing it could not tell apart', async () => {
    const toZapWithoutId = () =>
      runOperation(
        PERFORM,
        hookBundle(withMedias, { headers: { 'Http-X-Api-Key': LOUDCROWD_KEY } }),
        rpc.url,
      ) as Promise<Item[]>;
    const orders = await toZapWithoutId();
    const sheet = await toZapWithoutId();
    expect([orders, sheet].map((items) => items.map((item) => item.id))).toEqual([
      ['RWD-9KX24T7B'],
      ['RWD-9KX24T7B'],
    ]);
    expect(claims()).toEqual([]);
  });
});

describe('loudcrowd_reward_event with the key in the body', () => {
  test.each(['apiKey', 'api_key'])(
    'accepts the key from the %s body field and outputs the field with the key scrubbed',
    async (field) => {
      const items = (await runOperation(
        PERFORM,
        hookBundle({ ...withMedias, [field]: LOUDCROWD_KEY }, { zapId: ZAP }),
        rpc.url,
      )) as Item[];
      expect(items.map((item) => item.id)).toEqual(['RWD-9KX24T7B']);
      expect(items[0]?.[field]).toBe('[redacted]');
      expect(JSON.stringify(items)).not.toContain(LOUDCROWD_KEY);
    },
  );
});
