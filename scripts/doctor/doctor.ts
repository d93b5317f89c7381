/**
 * `npm run doctor`: checks a real hub against what the app assumes about Influitive's undocumented
 * API (field names, list order, page size, webhook wrapping), before the first Zap goes live.
 * It only reads: at most four GETs, through the app's own code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_INFLUITIVE_API_URL, influitiveBaseUrl } from '../../src/influitive/client';
import { RedemptionShapeError } from '../../src/influitive/redemption';
import { type DoctorConfig, loadConfig } from './config';
import { saveFixture } from './fixture';
import { type HubReading, type HubStep, MAX_REQUESTS, readHub } from './hub';
import {
  inspectPage,
  inspectWebhook,
  type PageInspection,
  type WebhookInspection,
} from './inspect';
import {
  bullet,
  failed,
  formatFailure,
  formatPage,
  formatProviders,
  formatRewards,
  formatWebhook,
  row,
  type WarningContext,
  warningsFor,
  wrap,
} from './report';

export const USAGE = `Usage: npm run doctor [-- options]

Checks your Influitive hub against what the app assumes, with at most 4 GET requests.
Reads INFLUITIVE_API_TOKEN and INFLUITIVE_ORG_ID from the environment or .env
(INFLUITIVE_API_URL still overrides the host).

  --webhook FILE   read a captured "Reward Redemption Requested" body instead (no request made)
  --save           write an anonymised copy of the page (or body) to doctor-output/ (git-ignored)
  --save-to FILE   the same, to FILE
  --env-file FILE  read FILE instead of ./.env
  -h, --help       show this help`;

/**
 * Where `--save` writes: a git-ignored folder, so a hub's data (anonymised or not) never lands in
 * git or in the `source.zip` Zapier receives unless someone reviews it and copies it on purpose.
 */
export const SAVE_FOLDER = 'doctor-output';
export const PAGE_FIXTURE = join(SAVE_FOLDER, 'hub_reward_redemptions.json');
export const WEBHOOK_FIXTURE = join(SAVE_FOLDER, 'hub_reward_redemption_requested.json');

/** Exit codes: everything read (warnings or not), a check failed, the doctor could not start. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface DoctorIo {
  /** Where `.env` and the default fixture path are found. */
  cwd: string;
  write: (text: string) => void;
}

interface Options {
  webhook: string | undefined;
  save: string | undefined;
  envFile: string;
}

const CREDENTIALS_WHERE =
  'In your hub, click your name (top right) → Integrations → Influitive API → Manage: the pop-up shows the API token, and the X_ORG_ID is in the same settings.';

const STEPS: { step: HubStep; title: string }[] = [
  { step: 'connection', title: '1. Connection: GET /members/me' },
  { step: 'rewards', title: '2. Rewards: GET /external/rewards' },
  {
    step: 'redemptions',
    title: '3. Pending redemptions: GET /reward_redemptions (first page only)',
  },
  {
    step: 'record',
    title: '4. One redemption by id: GET /reward_redemptions/{id}',
  },
];

const parseOptions = (argv: string[], cwd: string): Options | 'help' => {
  const { values } = parseArgs({
    args: argv,
    options: {
      webhook: { type: 'string' },
      save: { type: 'boolean' },
      'save-to': { type: 'string' },
      'env-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const inCwd = (path: string) => (isAbsolute(path) ? path : join(cwd, path));
  const webhook = values.webhook === undefined ? undefined : inCwd(values.webhook);
  const defaultFixture = webhook === undefined ? PAGE_FIXTURE : WEBHOOK_FIXTURE;
  const saveTo = values['save-to'] ?? (values.save ? defaultFixture : undefined);
  return {
    webhook,
    save: saveTo === undefined ? undefined : inCwd(saveTo),
    envFile: inCwd(values['env-file'] ?? '.env'),
  };
};

const warningLines = (context: WarningContext): string[] => {
  const warnings = warningsFor(context);
  if (warnings.length === 0) return ['', 'No warnings: this data matches what the app assumes.'];
  return ['', 'Warnings', ...warnings.map(bullet)];
};

const savedLines = (path: string, cwd: string, what: string): string[] => [
  '',
  `Saved ${what}, anonymised, to ${relative(cwd, path) || path}`,
  'Names, emails, addresses, phone numbers, free text and links are replaced by stable fakes; the',
  'API token and org ID appear nowhere. The folder is git-ignored, so nothing ships by accident;',
  'review the file before copying it into test/influitive/fixtures/ for a test.',
];

/** The API checks: header, the three steps, warnings, and the fixture when asked. */
const checkHub = async (options: Options, config: DoctorConfig, io: DoctorIo) => {
  const { token, orgId } = config;
  if (token === undefined || orgId === undefined) {
    const missing = [!token && 'INFLUITIVE_API_TOKEN', !orgId && 'INFLUITIVE_ORG_ID']
      .filter(Boolean)
      .join(' and ');
    io.write(
      `Set ${missing} in the environment or in ${relative(io.cwd, options.envFile) || '.env'}.\n${CREDENTIALS_WHERE}\n`,
    );
    return EXIT.usage;
  }
  let base: URL;
  try {
    base = influitiveBaseUrl();
  } catch (error) {
    io.write(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const lines = [
    `Influitive doctor: does this hub match what the app assumes? (GET only, at most ${MAX_REQUESTS} requests)`,
    row(
      'host',
      `${base.origin}${base.pathname.replace(/\/$/, '')}${process.env.INFLUITIVE_API_URL?.trim() ? ' (INFLUITIVE_API_URL)' : ''}`,
    ),
    row('org ID', `${orgId.value} (${orgId.from})`),
    row('API token', `set (${token.from})`),
  ];
  io.write(`${lines.join('\n')}\n`);

  const reading = await readHub({ token: token.value, orgId: orgId.value });
  const page = reading.page === undefined ? undefined : inspectPage(reading.page);
  const out: string[] = [];
  for (const { step, title } of STEPS) {
    out.push('', title, ...stepLines(step, reading, page));
  }
  if (page) out.push(...warningLines({ readings: page.readings, page, rewards: reading.rewards }));
  const calls = reading.requests.map(
    (r) => `${r.method} ${r.path.split('?')[0]} ${r.status ?? 'no answer'}`,
  );
  out.push(
    '',
    wrap(
      `${reading.requests.length} ${reading.requests.length === 1 ? 'request' : 'requests'}${calls.length > 0 ? ` (${calls.join(', ')})` : ''}; nothing in the hub was changed.`,
    ),
  );
  if (options.save !== undefined) {
    if (reading.page === undefined) {
      out.push('', 'Nothing saved: the page of redemptions was not read.');
    } else {
      saveFixture(options.save, reading.page, {
        token: token.value,
        orgId: orgId.value,
        apiOrigin: base.origin,
      });
      out.push(...savedLines(options.save, io.cwd, 'this page'));
    }
  }
  io.write(`${out.join('\n')}\n`);
  return reading.failure ? EXIT.failed : EXIT.ok;
};

const stepLines = (
  step: HubStep,
  reading: HubReading,
  page: PageInspection | undefined,
): string[] => {
  if (reading.failure?.step === step) return formatFailure(reading.failure);
  if (step === 'connection' && reading.me) {
    const { member, label } = reading.me;
    const who = [member.name, member.email && `<${member.email}>`].filter(Boolean).join(' ');
    return [
      row(
        'ok',
        `connected as ${who || 'a member with no name or email'}${member.id ? `, member ${member.id}` : ''}`,
      ),
      row('Zapier label', label),
    ];
  }
  if (step === 'rewards' && reading.rewards) {
    return [
      row('ok', formatRewards(reading.rewards.rewards, reading.rewards.body)),
      row('providers', formatProviders(reading.rewards.rewards)),
    ];
  }
  if (step === 'redemptions' && page) return formatPage(page);
  if (step === 'record' && reading.record) {
    const { id, status, answers } = reading.record;
    return answers
      ? [
          row('ok', `answered ${status} with redemption ${id} itself`),
          row(
            'set',
            'turn on "Influitive Answers Single Redemptions" in each Reward Requested (Needs Hub Webhook) Zap: each webhook is then confirmed with this one request',
          ),
        ]
      : [
          row(
            'no',
            `answered ${status}${status < 300 ? ' without the redemption' : ''} for pending redemption ${id}: leave "Influitive Answers Single Redemptions" off; webhooks are confirmed from the pending list`,
          ),
        ];
  }
  if (step === 'record' && reading.page !== undefined) {
    return ['   not run (no pending redemption to ask for)'];
  }
  return ['   not run (an earlier step failed)'];
};

/** The API's origin for rewriting links in a fixture; Influitive's own when the override is bad. */
const apiOrigin = (): string => {
  try {
    return influitiveBaseUrl().origin;
  } catch {
    return DEFAULT_INFLUITIVE_API_URL;
  }
};

const readBody = (path: string): { body: unknown } | { error: string } => {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  try {
    return { body: JSON.parse(text) };
  } catch (error) {
    return {
      error: `The file is not JSON (${(error as Error).message}). Save the webhook's raw body, exactly as Influitive sent it.`,
    };
  }
};

const HALT = 'The instant trigger would halt this delivery';

/** `--webhook FILE`: the body through the instant trigger's unwrap and normaliser, offline. */
const checkWebhook = (path: string, options: Options, config: DoctorConfig, io: DoctorIo) => {
  if (!existsSync(path)) {
    io.write(`No such file: ${path}\n`);
    return EXIT.usage;
  }
  const out = [
    'Influitive doctor: a captured "Reward Redemption Requested" body, through the instant',
    "trigger's own unwrap and normaliser (no request made)",
    row('file', relative(io.cwd, path) || path),
    '',
    'Webhook delivery',
  ];
  const read = readBody(path);
  let webhook: WebhookInspection | undefined;
  if ('error' in read) {
    out.push(...failed(HALT, read.error));
  } else {
    try {
      webhook = inspectWebhook(read.body);
    } catch (error) {
      if (!(error instanceof RedemptionShapeError)) throw error;
      out.push(...failed(HALT, error.message));
    }
  }
  if (webhook) {
    out.push(...formatWebhook(webhook), ...warningLines({ readings: [webhook.reading] }));
  }
  if (options.save !== undefined) {
    if ('body' in read) {
      saveFixture(options.save, read.body, {
        token: config.token?.value ?? '',
        orgId: config.orgId?.value ?? '',
        apiOrigin: apiOrigin(),
      });
      out.push(...savedLines(options.save, io.cwd, 'this body'));
    } else {
      out.push('', 'Nothing saved: the file is not JSON.');
    }
  }
  io.write(`${out.join('\n')}\n`);
  return webhook ? EXIT.ok : EXIT.failed;
};

/** Runs the doctor with command-line arguments; resolves to the exit code. */
export const runDoctor = async (argv: string[], io: DoctorIo): Promise<number> => {
  let options: Options | 'help';
  try {
    options = parseOptions(argv, io.cwd);
  } catch (error) {
    io.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (options === 'help') {
    io.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const config = loadConfig(process.env, options.envFile);
  if (options.webhook !== undefined) return checkWebhook(options.webhook, options, config, io);
  return checkHub(options, config, io);
};
