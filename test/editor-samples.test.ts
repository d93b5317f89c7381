import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeEditorSamples } from '../scripts/editor-samples';
import editorSamples from '../src/editor-samples.json';
import app from '../src/index';

describe('the editor samples (src/editor-samples.json)', () => {
  it('are what the normalisers make of the documented payloads today (else run `npm run samples`)', () => {
    // toStrictEqual: a field the normaliser adds, drops or sets to undefined shows as a difference.
    expect(JSON.parse(JSON.stringify(computeEditorSamples()))).toStrictEqual(editorSamples);
  });

  it('are written as `npm run samples` writes them, so regenerating leaves the file alone', () => {
    const file = readFileSync(join(__dirname, '..', 'src', 'editor-samples.json'), 'utf8');
    expect(file).toBe(`${JSON.stringify(computeEditorSamples(), null, 2)}\n`);
  });

  it('are the samples the triggers and the search hand to the editor', () => {
    const sampleOf = (kind: 'triggers' | 'searches', key: string) =>
      (app[kind] as unknown as Record<string, { operation: { sample?: unknown } }>)[key]?.operation
        .sample;
    expect(sampleOf('triggers', 'loudcrowd_reward_event')).toBe(
      editorSamples.loudcrowd_reward_event,
    );
    expect(sampleOf('triggers', 'overdue_reward_redemption')).toBe(
      editorSamples.overdue_reward_redemption,
    );
    expect(sampleOf('triggers', 'pending_rewards_summary')).toBe(
      editorSamples.pending_rewards_summary,
    );
    for (const key of ['reward_redemption_requested', 'new_reward_redemption']) {
      expect(sampleOf('triggers', key)).toBe(editorSamples.redemption);
    }
    expect(sampleOf('searches', 'find_reward_redemption')).toBe(editorSamples.redemption);
  });
});
