/**
 * Zapier's replay retries failed action steps, never a trigger: advice to replay a trigger run can
 * never work. These tests read every sentence a user can see, in the built app (what Zapier runs:
 * help text and every message in dist/index.js) and in the docs, for such advice.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import App from '../src';

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const markdownUnder = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? markdownUnder(`${dir}/${entry.name}`)
      : entry.name.endsWith('.md')
        ? [`${dir}/${entry.name}`]
        : [],
  );

/** A sentence that tells someone to replay a run, in a context about a trigger. */
const REPLAY_ADVICE = /\b(replay (it|this|that|them|the run|this run)|can replay)\b/i;
const ABOUT_A_TRIGGER = /trigger|could not tell|errored run|webhook|halted|delivery/i;

const replayAdviceIn = (text: string): string[] =>
  text
    .replace(/\\n/g, '\n')
    .split(/(?<=[.!?])\s+|\n\s*\n|\|/)
    .map((sentence) => sentence.replace(/\s+/g, ' ').trim())
    .filter((sentence) => REPLAY_ADVICE.test(sentence) && ABOUT_A_TRIGGER.test(sentence));

describe('no text tells anyone to replay a trigger', () => {
  it('recognises such advice and leaves advice about action steps alone', () => {
    expect(
      replayAdviceIn(
        'An errored run starting "Could not tell" is a genuine doubt: replay it a few minutes later. After a vendor timeout, replay the run instead: the order may already exist.',
      ),
    ).toEqual([
      'An errored run starting "Could not tell" is a genuine doubt: replay it a few minutes later.',
    ]);
  });

  it("the app definition's labels and help text", () => {
    expect(replayAdviceIn(JSON.stringify(App))).toEqual([]);
  });

  it('every message of the built app (dist/index.js, as Zapier runs it)', () => {
    expect(replayAdviceIn(read('dist/index.js'))).toEqual([]);
  });

  it.each(markdownUnder('docs'))('%s', (path) => {
    expect(replayAdviceIn(read(path))).toEqual([]);
  });
});
