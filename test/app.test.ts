import App from '../src';
import { rewardRedemptionSchema } from '../src/influitive/redemption';
import { redemptionSample } from '../src/influitive/samples';
import { makeBundle } from './helpers/bundle';
import { handlerFor } from './helpers/run';

type Field = {
  key: string;
  label?: string;
  type?: string;
  dynamic?: string;
  search?: string;
  dict?: boolean;
  list?: boolean;
};
/** An entry of `outputFields`: a field, or a function that returns more (dynamic output fields). */
type OutputEntry = Field | ((...args: never[]) => unknown);
type Operation = {
  sample?: Record<string, unknown>;
  outputFields?: OutputEntry[];
  inputFields?: Field[];
};
type Definition = {
  key: string;
  display: { label: string; description: string; hidden?: boolean };
  operation: Operation;
};

const kinds = ['triggers', 'creates', 'searches'] as const;
const all = kinds.flatMap((kind) =>
  Object.values(App[kind] as Record<string, Definition>).map((d) => ({ kind, ...d })),
);
const visible = all.filter((d) => !d.display.hidden);
/** The static output fields of an operation; dynamic ones are tested where they are defined. */
/**
 * The fields a step outputs without asking the hub: its static fields, including those a function
 * of no arguments serves (the redemption steps share one); functions that read the hub left out.
 */
const outputFieldsOf = (d: Definition): Field[] =>
  (d.operation.outputFields ?? []).flatMap((f) =>
    typeof f !== 'function' ? [f] : f.length === 0 ? (f as () => Field[])() : [],
  );
const staticOutputFields = all.flatMap((d) =>
  outputFieldsOf(d).map((field) => ({ where: `${d.key}.${field.key}`, field })),
);

// Short words that stay lower case in a title, and abbreviations written as they are.
const SMALL = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'by',
  'for',
  'in',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
  'e.g.',
]);
const isTitleCase = (label: string): boolean =>
  label
    .replace(/[()]/g, '')
    .split(/\s+/)
    .every((word, i) => (i > 0 && SMALL.has(word)) || !/^[a-z]/.test(word));

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;
const pathValue = (node: unknown, path: string): unknown =>
  path
    .split('__')
    .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], node);
/** A sample's value for an output field key: `a__b` is nested, `items[]name` is a line item's field. */
const valueAt = (sample: Record<string, unknown>, key: string): unknown => {
  const [parent = '', child] = key.split('[]');
  if (child === undefined) return pathValue(sample, key);
  const items = pathValue(sample, parent);
  return Array.isArray(items) && items.length > 0 ? pathValue(items[0], child) : undefined;
};

/** A sample value is what its field's type says (null for a value the source did not give). */
const matchesType = (value: unknown, field: Field): boolean => {
  if (value === null) return true;
  if (field.dict) return typeof value === 'object' && !Array.isArray(value);
  if (field.list) return Array.isArray(value);
  switch (field.type) {
    case 'datetime':
      return typeof value === 'string' && ISO_WITH_OFFSET.test(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    default:
      return typeof value === 'string';
  }
};

describe('the app definition', () => {
  it("passes zapier-platform-schema validation, run as core's own validate command", async () => {
    const response = await handlerFor(App)({ command: 'validate' });
    expect(response.results).toEqual([]);
  });

  it('lists the triggers, actions and searches of the product', () => {
    expect(Object.keys(App.triggers).sort()).toEqual(
      expect.arrayContaining(['new_reward_redemption', 'reward', 'reward_redemption_requested']),
    );
    expect(Object.keys(App.creates).sort()).toEqual([
      'fulfill_reward_redemption',
      'refuse_reward_redemption',
    ]);
    expect(Object.keys(App.searches).sort()).toEqual(['find_member', 'find_reward_redemption']);
  });

  it.each(all.map((d) => [d.key, d] as const))('%s is registered under its own key', (key, d) => {
    expect(d.key).toBe(key);
  });

  it('writes every label in title case', () => {
    const labels = [
      ...all.map((d) => d.display.label),
      ...all.flatMap((d) =>
        [...(d.operation.inputFields ?? []), ...outputFieldsOf(d)].map((f) => f.label ?? ''),
      ),
      ...App.authentication.fields.map((f) => f.label),
    ];
    expect(labels.filter((label) => !isTitleCase(label))).toEqual([]);
  });

  it('starts trigger descriptions with "Triggers when" and action/search descriptions with a verb', () => {
    for (const d of all) {
      expect(d.display.description).toMatch(/\.$/);
      if (d.kind === 'triggers') expect(d.display.description).toMatch(/^Triggers when /);
      else expect(d.display.description).toMatch(/^(Fulfills|Refuses|Finds) /);
    }
  });

  it('labels every output field', () => {
    expect(staticOutputFields.filter(({ field }) => !field.label).map((f) => f.where)).toEqual([]);
  });

  it('gives every output field a type, except an object (dict), which no field type names', () => {
    expect(staticOutputFields.length).toBeGreaterThan(40);
    expect(
      staticOutputFields.filter(({ field }) => !field.type && !field.dict).map((f) => f.where),
    ).toEqual([]);
  });

  it('declares the type each sample value has, so the sample matches its output fields', () => {
    const scalar: Record<string, string> = {
      string: 'string',
      text: 'string',
      datetime: 'string',
      boolean: 'boolean',
      integer: 'number',
      number: 'number',
    };
    const mismatched = all.flatMap((d) => {
      const sample = (d.operation as { sample?: Record<string, unknown> }).sample ?? {};
      return outputFieldsOf(d)
        .filter((field) => !field.key.includes('[]') && !field.key.includes('__'))
        .filter((field) => sample[field.key] !== undefined && sample[field.key] !== null)
        .filter((field) =>
          field.dict
            ? typeof sample[field.key] !== 'object'
            : field.type !== undefined && scalar[field.type] !== typeof sample[field.key],
        )
        .map((field) => `${d.key}.${field.key}`);
    });
    expect(mismatched).toEqual([]);
  });

  it('keeps Zapier jargon out of every label a user reads', () => {
    const labels = [
      ...all.map((d) => d.display.label),
      ...all.flatMap((d) => [...(d.operation.inputFields ?? []), ...outputFieldsOf(d)]),
    ].map((label) => (typeof label === 'string' ? label : (label.label ?? '')));
    expect(labels.length).toBeGreaterThan(60);
    expect(
      labels.filter((label) => /\b(instant|polling|poll|perform|hook|dedupe)\b/i.test(label)),
    ).toEqual([]);
  });

  it('tells the two reward-request triggers apart by what a user must set up', () => {
    const label = (key: string) => all.find((d) => d.key === key)?.display.label;
    expect(label('reward_redemption_requested')).toBe('Reward Requested (Needs Hub Webhook)');
    expect(label('new_reward_redemption')).toBe('Reward Requested (Checks Every Few Minutes)');
    expect(label('loudcrowd_reward_event')).toBe('New LoudCrowd Reward Event');
  });

  it.each(
    all.filter((d) => d.kind === 'triggers' && !d.display.hidden).map((d) => [d.key, d] as const),
  )('%s says what it checks before firing and what a halted run means', (_key, d) => {
    const help = `${d.display.description} ${(d.display as { directions?: string }).directions ?? ''}`;
    expect(help).toMatch(/halt/i);
    expect(help).toMatch(/before the Zap runs|only redemptions|each redemption still pending/i);
  });

  it.each(visible.map((d) => [d.key, d] as const))(
    '%s has a static sample that satisfies its output fields',
    (_key, d) => {
      const { sample } = d.operation;
      expect(sample).toBeDefined();
      for (const field of outputFieldsOf(d)) {
        const value = valueAt(sample ?? {}, field.key);
        expect({ field: field.key, present: value !== undefined }).toEqual({
          field: field.key,
          present: true,
        });
        expect({ field: field.key, type: field.type, matches: matchesType(value, field) }).toEqual({
          field: field.key,
          type: field.type,
          matches: true,
        });
      }
    },
  );

  it('uses the one redemption shape for every redemption sample', () => {
    expect(rewardRedemptionSchema.safeParse(redemptionSample).success).toBe(true);
    const sampleOf = (key: string) => all.find((d) => d.key === key)?.operation.sample;
    for (const key of [
      'new_reward_redemption',
      'reward_redemption_requested',
      'find_reward_redemption',
    ]) {
      expect(sampleOf(key)).toBe(redemptionSample);
    }
  });

  it('points every dynamic dropdown at a trigger that outputs both fields', () => {
    const dynamics = all.flatMap((d) =>
      (d.operation.inputFields ?? []).flatMap((f) => (f.dynamic ? [f.dynamic] : [])),
    );
    expect(dynamics.length).toBeGreaterThan(0);
    for (const ref of dynamics) {
      const [triggerKey = '', idKey = '', labelKey = ''] = ref.split('.');
      const trigger = (App.triggers as Record<string, Definition>)[triggerKey];
      expect(trigger).toBeDefined();
      const keys = trigger ? outputFieldsOf(trigger).map((f) => f.key) : [];
      expect(keys).toEqual(expect.arrayContaining([idKey, labelKey]));
    }
  });

  it('offers the search next to the Reward Redemption dropdown, pointing at a field it outputs', () => {
    const searches = all.flatMap((d) =>
      (d.operation.inputFields ?? []).flatMap((f) => (f.search ? [[d.key, f.search]] : [])),
    );
    expect(searches).toEqual([
      ['fulfill_reward_redemption', 'find_reward_redemption.id'],
      ['refuse_reward_redemption', 'find_reward_redemption.id'],
    ]);
    for (const [, ref = ''] of searches) {
      const [searchKey = '', fieldKey = ''] = ref.split('.');
      const search = (App.searches as Record<string, Definition>)[searchKey];
      expect(search ? outputFieldsOf(search).map((f) => f.key) : []).toContain(fieldKey);
    }
  });
});

describe('the production entry point', () => {
  it('root index.js exports the app itself, not { default }', () => {
    const entry = require('../index.js') as Record<string, unknown>;
    expect(entry.default).toBeUndefined();
    expect(Object.keys(entry.triggers as object)).toEqual(Object.keys(App.triggers));
    expect(entry.version).toBe(App.version);
  });

  it("runs an operation through core's Lambda handler loaded from root index.js", async () => {
    const handler = handlerFor(require('../index.js'));
    const response = await handler({
      command: 'execute',
      method: 'authentication.test',
      bundle: makeBundle({ authData: { loudcrowd_api_key: 'lc_key_only_for_this_test' } }),
    });
    expect(response.results).toEqual({ connection: 'loudcrowd_only' });
  });
});
