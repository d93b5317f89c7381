/** The doctor's findings as text: what the hub confirms, then what would hurt in production. */
import { describeListOrder } from '../../src/influitive/pending/order';
import { isFulfilledByInfluitive } from '../../src/influitive/reward-providers';
import type { Reward } from '../../src/influitive/triggers/reward';
import { MAX_DROPDOWN_PAGES } from '../../src/shared/editor';
import { idString, isJsonObject } from '../../src/shared/types';
import type { HubFailure } from './hub';
import type { PageInspection, RedemptionReading, WebhookInspection } from './inspect';

const LABEL_WIDTH = 16;

const WIDTH = 100;

/** `text` in lines of at most 100 columns, the first after `first`, the others after `rest`. */
export const wrap = (text: string, first = '', rest = ''): string => {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = `${rest}${word}`;
    } else {
      line = empty ? `${line}${word}` : `${line} ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
};

/** `label           text`, the text wrapped under itself. */
export const row = (label: string, text: string, indent = 3): string =>
  wrap(text, `${' '.repeat(indent)}${label.padEnd(LABEL_WIDTH)}`, ' '.repeat(indent + LABEL_WIDTH));

/** A warning: `!` and its text, wrapped under itself. */
export const bullet = (text: string): string => wrap(text, '   ! ', '     ');

const code = (field: string): string => `\`${field}\``;

const fields = (paths: readonly string[]): string =>
  paths.map(code).join(' or ') + (paths.length > 1 ? ' (the same value in each)' : '');

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Distinct descriptions with how many records each applies to: `a (2 of 3); b (1 of 3)`. */
const tally = (items: readonly string[]): string => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  if (items.length === 1) return items[0] ?? '';
  return [...counts].map(([text, n]) => `${text} (${n} of ${items.length})`).join('; ');
};

/** Field names over all records, grouped by how many have them: `a, b (3 of 3); c (1 of 3)`. */
const keyTally = (lists: readonly string[][], total: number): string => {
  const counts = new Map<string, number>();
  for (const list of lists) for (const key of list) counts.set(key, (counts.get(key) ?? 0) + 1);
  if (counts.size === 0) return 'none';
  const groups = new Map<number, string[]>();
  for (const [key, n] of counts) groups.set(n, [...(groups.get(n) ?? []), key]);
  return [...groups]
    .sort(([a], [b]) => b - a)
    .map(([n, keys]) => {
      const names = keys.sort().join(', ');
      return total === 1 ? names : `${names} (${n} of ${total})`;
    })
    .join('; ');
};

const describeMember = (reading: RedemptionReading, contactsKey: string | undefined): string => {
  const source = fields(reading.sources.member);
  switch (reading.member) {
    case 'side-loaded':
      return `side-loaded in ${code(contactsKey ?? 'contacts')}, referenced by ${source}`;
    case 'embedded':
      return `embedded in ${source}`;
    case 'id-only':
      return `only an id, in ${source}, with no side-loaded member to match (no email or name)`;
    default:
      return 'none found';
  }
};

const describeReward = ({ sources }: RedemptionReading): string => {
  if (sources.reward_id.length === 0 && sources.reward_name.length === 0) return 'none found';
  const id = sources.reward_id.length > 0 ? `id from ${fields(sources.reward_id)}` : 'no id';
  const name =
    sources.reward_name.length > 0 ? `name from ${fields(sources.reward_name)}` : 'no name';
  return `${id}, ${name}`;
};

const describeMetadata = ({ sources, metadataForm }: RedemptionReading): string =>
  sources.metadata.length > 0 ? `${fields(sources.metadata)}, ${metadataForm}` : 'none';

const describeStatus = ({ sources, redemption }: RedemptionReading): string =>
  sources.status.length > 0
    ? `${redemption.status} (from ${fields(sources.status)})`
    : `${redemption.status} (no status field: the app assumes pending)`;

/** The rows every redemption report shares, page or webhook. */
const readingRows = (
  readings: readonly RedemptionReading[],
  contactsKey: string | undefined,
): string[] => {
  const all = <T>(f: (r: RedemptionReading) => T) => readings.map(f);
  const rows = [
    row('id', tally(all((r) => (r.sources.id.length > 0 ? fields(r.sources.id) : 'none found')))),
    row('member', tally(all((r) => describeMember(r, contactsKey)))),
    row('reward', tally(all(describeReward))),
    row(
      'request date',
      tally(
        all((r) =>
          r.sources.requested_at.length > 0 ? fields(r.sources.requested_at) : 'none found',
        ),
      ),
    ),
    row('Reward Metadata', tally(all(describeMetadata))),
    row(
      'metadata keys',
      keyTally(
        all((r) => Object.keys(r.redemption.metadata)),
        readings.length,
      ),
    ),
    row(
      'not read',
      `${keyTally(
        all((r) => r.unread),
        readings.length,
      )} (the Zap gets these as they are)`,
    ),
  ];
  const replaced = keyTally(
    all((r) => r.replaced),
    readings.length,
  );
  if (replaced !== 'none') {
    rows.push(row('replaced', `${replaced} (the app's output has its own field of that name)`));
  }
  rows.push(row('statuses', tally(all(describeStatus))));
  return rows;
};

const perPage = (page: PageInspection): string => {
  if (!page.listFound) {
    return `no list of redemptions in the answer (its fields: ${page.bodyFields.join(', ') || 'none'})`;
  }
  const where = page.listKey === undefined ? 'a bare list' : `in ${code(page.listKey)}`;
  const members =
    page.contactsKey === undefined
      ? ''
      : `, ${plural(page.contactsCount, 'member')} side-loaded in ${code(page.contactsKey)}`;
  const next = page.nextLink
    ? `; a next link: ${page.count} per page, and more are pending`
    : '; no next link: every pending redemption is on this page';
  return `${plural(page.count, 'redemption')} (${where})${members}${next}`;
};

export const formatPage = (page: PageInspection): string[] => {
  const rows = [row('per page', perPage(page))];
  if (page.readings.length > 0) {
    rows.push(row('list order', `${describeListOrder(page.order)} (by request date)`));
    rows.push(...readingRows(page.readings, page.contactsKey));
  }
  return rows;
};

export const formatWebhook = (webhook: WebhookInspection): string[] => {
  const { wrapping, besideWrapper } = webhook;
  const wrapped =
    wrapping.length === 0
      ? 'none: the body is the redemption'
      : `in ${code(wrapping.join('.'))}${besideWrapper.length > 0 ? `, beside ${besideWrapper.map(code).join(', ')}` : ''}`;
  return [row('wrapping', wrapped), ...readingRows([webhook.reading], undefined)];
};

const rewardList = (body: unknown): string => {
  if (Array.isArray(body)) return 'a bare list';
  const key = isJsonObject(body)
    ? Object.keys(body).find((k) => Array.isArray(body[k]))
    : undefined;
  return key === undefined ? 'no list found' : `in ${code(key)}`;
};

const hasNextLink = (body: unknown): boolean => {
  const links = isJsonObject(body) ? body.links : undefined;
  const next = isJsonObject(links) ? links.next : undefined;
  return typeof next === 'string' && next.trim() !== '';
};

export const formatRewards = (rewards: readonly Reward[], body: unknown): string => {
  const published = rewards.filter((reward) => reward.published === true).length;
  const counted = rewards.some((reward) => typeof reward.published === 'boolean')
    ? ` (${published} published)`
    : '';
  const next = hasNextLink(body)
    ? 'and a next link: the Reward dropdown pages through it with "Load more"'
    : 'no next link';
  return `${plural(rewards.length, 'reward')}${counted}, ${rewardList(body)}, ${next}`;
};

const providerOfReward = (reward: Reward): string | null =>
  typeof reward.provider === 'string' && reward.provider.trim() !== ''
    ? reward.provider.trim()
    : null;

/** Each reward's fulfillment provider, marking the ones Influitive sends itself. */
export const formatProviders = (rewards: readonly Reward[]): string =>
  rewards
    .map((reward) => {
      const provider = providerOfReward(reward);
      const whose = isFulfilledByInfluitive(provider) ? ', Influitive fulfills it' : '';
      return `${reward.name}: ${provider ?? 'none'}${whose}`;
    })
    .join('; ') || 'no rewards';

export interface WarningContext {
  readings: readonly RedemptionReading[];
  page?: PageInspection;
  rewards?: { rewards: readonly Reward[]; body: unknown };
}

const ids = (readings: readonly RedemptionReading[], max = 5): string => {
  const list = readings.map((r) => r.redemption.id);
  return list.length > max ? `${list.slice(0, max).join(', ')}, …` : list.join(', ');
};

/** `1 of 3 redemptions is`, `2 of 3 redemptions are`: the subject and verb of a warning. */
const ofTotal = (some: readonly unknown[], all: readonly unknown[], verbs: [string, string]) =>
  `${some.length} of ${plural(all.length, 'redemption')} ${some.length === 1 ? verbs[0] : verbs[1]}`;

/** What would hurt once a Zap is live, each with what to do about it. */
export const warningsFor = ({ readings, page, rewards }: WarningContext): string[] => {
  const warnings: string[] = [];
  if (page && !page.listFound) {
    warnings.push(
      `The answer to GET /reward_redemptions holds no list of redemptions the app recognises (fields: ${page.bodyFields.join(', ') || 'none'}), so both triggers would see nothing. Save it with --save and share it with the app's maintainers.`,
    );
  }
  if (page && page.unreadable.length > 0) {
    warnings.push(
      `${plural(page.unreadable.length, 'record')} on the page cannot be read as a redemption and would be skipped: ${page.unreadable[0]}`,
    );
  }
  const withoutMetadata = readings.filter((r) => Object.keys(r.redemption.metadata).length === 0);
  if (readings.length > 0 && withoutMetadata.length === readings.length) {
    warnings.push(
      `No Reward Metadata on ${readings.length === 1 ? 'this redemption' : `any of the ${readings.length} redemptions`}. Ask support@influitive.com to enable Reward Metadata for your hub, then give each reward its vendor product ID, amount and currency, so the vendor step maps metadata__… fields instead of a hard-coded reward per Zap.`,
    );
  } else if (withoutMetadata.length > 0) {
    const rewardsWithout = [
      ...new Set(withoutMetadata.map((r) => r.redemption.reward.name ?? r.redemption.reward_id)),
    ];
    warnings.push(
      `${ofTotal(withoutMetadata, readings, ['carries', 'carry'])} no Reward Metadata (${rewardsWithout.join('; ')}): give ${rewardsWithout.length === 1 ? 'this reward its' : 'these rewards their'} metadata in the hub, or Zaps get empty metadata__… fields for ${rewardsWithout.length === 1 ? 'it' : 'them'}.`,
    );
  }
  if (page?.nextLink) {
    const order =
      page.order === 'oldest_first'
        ? ' The list is oldest first, so the newest redemptions are on the last page, the one the app reaches last.'
        : '';
    warnings.push(
      `A backlog: more redemptions are pending than one page holds (${page.count} on this page, and a next link). Every poll, and every check of a webhook against the API, then costs more than one request against Influitive's firewall limit of 200 requests per IP in 5 minutes.${order} Fulfill or refuse the old ones in the hub before the first Zap goes live.`,
    );
  }
  const untrusted = readings.filter((r) => r.untrustedBy !== undefined);
  if (untrusted.length > 0) {
    const field = untrusted[0]?.untrustedBy ?? 'member.trusted';
    warnings.push(
      `${ofTotal(untrusted, readings, ['is by an untrusted advocate', 'are by untrusted advocates'])} (${ids(untrusted)}). Influitive never auto-fulfills these, so each one reaches the Zap: decide before going live whether it may order a reward for them unreviewed (a Filter on ${field.replace('.', '__')} can hold them back).`,
    );
  }
  const noEmail = readings.filter((r) => r.redemption.member.email === null);
  if (noEmail.length > 0) {
    warnings.push(
      `${ofTotal(noEmail, readings, ['has', 'have'])} no member email (${ids(noEmail)}), so a vendor step that sends the reward by email has no address to use.`,
    );
  }
  const undated = readings.filter((r) => r.redemption.requested_at === null);
  if (undated.length > 0) {
    warnings.push(
      `${ofTotal(undated, readings, ['has', 'have'])} no request date the app can read (${ids(undated)}): the list order cannot be told from them and the polling trigger cannot put them newest first.`,
    );
  }
  if (rewards) {
    if (hasNextLink(rewards.body)) {
      warnings.push(
        `GET /external/rewards has a next page: the Reward dropdowns reach the rest with "Load more", up to ${MAX_DROPDOWN_PAGES} pages; past that, type a reward's ID.`,
      );
    }
    const influitives = rewards.rewards.filter((r) => isFulfilledByInfluitive(providerOfReward(r)));
    if (influitives.length > 0) {
      const named = influitives.map((r) => `${r.name} (${providerOfReward(r)})`).join(', ');
      warnings.push(
        `Influitive fulfills ${named} itself, once a redemption is approved. The redemption triggers leave ${influitives.length === 1 ? 'it' : 'them'} out (the webhook trigger halts ${influitives.length === 1 ? 'it' : 'them'}, naming the reward) unless a Zap turns on "Include Rewards Influitive Fulfills Itself": a Zap that orders ${influitives.length === 1 ? 'it' : 'them'} from a vendor would pay twice.`,
      );
    }
    const known = new Set(
      rewards.rewards.flatMap((r) => [r.id, idString(r.uuid)].filter(Boolean) as string[]),
    );
    const missing = [
      ...new Set(
        readings
          .map((r) => r.redemption.reward_id)
          .filter((id): id is string => id !== null && !known.has(id)),
      ),
    ];
    if (missing.length > 0) {
      warnings.push(
        `Reward ${missing.join(', ')} on the pending page ${missing.length === 1 ? 'is' : 'are'} not in GET /external/rewards, so the Reward filter cannot offer ${missing.length === 1 ? 'it' : 'them'}.`,
      );
    }
  }
  return warnings;
};

/** What a failure means here and what to do, by the z.errors type the app raised. */
const FAILURE_HINTS: { when: (f: HubFailure) => boolean; title: string; hint: string }[] = [
  {
    when: (f) => f.type === 'ExpiredAuthError',
    title: 'Influitive rejected the credentials (401)',
    hint: 'Influitive answers 401 to a wrong API token and to a wrong org ID alike: check INFLUITIVE_API_TOKEN and INFLUITIVE_ORG_ID (X_ORG_ID) against Integrations → Influitive API → Manage in the hub.',
  },
  {
    when: (f) => f.type === 'ThrottledError',
    title: "Influitive's firewall blocked the request",
    hint: 'The firewall (AWS WAF) allows 200 requests per IP address in any 5 minutes and blocks some clients outright. Wait a few minutes and run the doctor again; if it keeps happening from this machine, try another network or ask support@influitive.com.',
  },
  {
    when: (f) => f.code === 'influitive_not_json' || f.code === 'influitive_empty_body',
    title: 'Influitive did not answer with JSON',
    hint: 'An HTML page instead of JSON is usually a firewall, proxy or maintenance page, or INFLUITIVE_API_URL pointing at the hub instead of the API (leave it unset for https://api.influitive.com).',
  },
  {
    when: (f) => f.code === 'influitive_unreachable' || f.code === 'influitive_timeout',
    title: 'Influitive could not be reached',
    hint: 'Check the network and INFLUITIVE_API_URL (unset means https://api.influitive.com).',
  },
];

/** `FAILED  title`, then each paragraph wrapped and indented under it. */
export const failed = (title: string, ...paragraphs: string[]): string[] => [
  `   FAILED  ${title}`,
  ...paragraphs.map((text) => wrap(text.replace(/\s+/g, ' '), '     ', '     ')),
];

export const formatFailure = (failure: HubFailure): string[] => {
  const match = FAILURE_HINTS.find((h) => h.when(failure));
  const title = match?.title ?? `The request failed (${failure.code ?? failure.type})`;
  return failed(title, failure.message, ...(match ? [match.hint] : []));
};
