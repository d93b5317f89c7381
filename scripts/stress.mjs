// `npm run test:stress [-- N]`: runs `npm test` N times (default 10) in a row while another full
// copy of the suite runs beside it without a pause, so the machine is loaded the way a busy CI
// runner or a shared laptop is. A test that depends on the machine's speed shows up here as a red
// run. Prints N/N green (and the background copy's tally) and exits non-zero on any red run.
//
// The background copy runs in a temporary copy of the working tree (tracked and untracked files,
// node_modules linked), because the suite writes dist/, build/ and coverage/ in its own folder.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 10);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(
    `usage: npm run test:stress -- <runs, a whole number ≥ 1> (got ${process.argv[2]})`,
  );
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'test-stress-'));
const copy = join(work, 'beside');
const logs = join(work, 'logs');
mkdirSync(logs);

/** The working tree as git sees it (tracked plus untracked, ignored files left out). */
const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
  cwd: ROOT,
  encoding: 'utf8',
});
if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
for (const file of listed.stdout.split('\0').filter(Boolean)) {
  mkdirSync(dirname(join(copy, file)), { recursive: true });
  cpSync(join(ROOT, file), join(copy, file), { errorOnExist: false });
}
symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const seconds = (since) => ((performance.now() - since) / 1000).toFixed(0);

/**
 * Starts a command in its own process group, its output to a log file; `done` resolves with the
 * exit code.
 */
const start = (args, cwd, logFile) => {
  const chunks = [];
  const child = spawn(npm, args, { cwd, env: process.env, detached: true });
  child.stdout.on('data', (chunk) => chunks.push(chunk));
  child.stderr.on('data', (chunk) => chunks.push(chunk));
  const done = new Promise((resolve) => {
    child.on('close', (code) => {
      writeFileSync(logFile, Buffer.concat(chunks));
      resolve(code ?? 1);
    });
  });
  return { child, done };
};

// The copy beside: the whole suite (jest, as `npm test` runs it, without coverage), again and again.
const background = { current: undefined, stopped: false, runs: 0, green: 0 };
const besideLoop = (async () => {
  while (!background.stopped) {
    const beside = start(
      ['exec', '--', 'jest', '--coverage=false'],
      copy,
      join(logs, `beside-${background.runs + 1}.log`),
    );
    background.current = beside.child;
    const code = await beside.done;
    if (background.stopped) break;
    background.runs += 1;
    if (code === 0) background.green += 1;
  }
})();

let green = 0;
const red = [];
for (let i = 1; i <= runs; i += 1) {
  const started = performance.now();
  const logFile = join(logs, `run-${i}.log`);
  const code = await start(['test'], ROOT, logFile).done;
  if (code === 0) green += 1;
  else red.push(logFile);
  console.log(
    `run ${i}/${runs}: ${code === 0 ? 'green' : `RED (${logFile})`} in ${seconds(started)} s`,
  );
}

background.stopped = true;
// Ends the copy beside (its whole process group: npm, jest and jest's workers).
const cutShort = background.current?.exitCode === null;
if (cutShort) {
  try {
    process.kill(-background.current.pid, 'SIGTERM');
  } catch {
    // It ended on its own in the meantime.
  }
}
await besideLoop;

console.log(
  `\nstress: ${green}/${runs} green with another copy of the suite running beside it ` +
    `(beside: ${background.green}/${background.runs} finished runs green` +
    `${cutShort ? ', and one run cut short when the last run ended' : ''}).`,
);
if (red.length > 0) {
  console.log(`Logs of the red runs (kept): ${red.join(', ')}`);
  process.exitCode = 1;
} else {
  rmSync(work, { recursive: true, force: true });
}
