import type { LoopStep } from './loop';

const WIDTH = 100;

const wrap = (text: string, width: number): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return line ? [...lines, line] : lines;
};

/** The loop's report: one PASS/FAIL line per step with its detail, and a closing count. */
export const formatReport = (steps: readonly LoopStep[], totalMs: number): string => {
  const rows = steps.flatMap((s) => [
    `${s.ok ? 'PASS' : 'FAIL'}  ${s.step}  (${s.ms} ms)`,
    ...wrap(s.detail, WIDTH - 6).map((line) => `      ${line}`),
  ]);
  const passed = steps.filter((s) => s.ok).length;
  const failed = steps.length - passed;
  return [
    "Reward fulfillment loop, against the local sandbox (built app, through zapier-platform-core's Lambda handler)",
    '-'.repeat(WIDTH),
    ...rows,
    '-'.repeat(WIDTH),
    `${passed} passed, ${failed} failed in ${totalMs} ms`,
  ].join('\n');
};
