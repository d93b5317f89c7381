/** `npm run doctor`: see doctor.ts. Bundled by scripts/build.mjs into dist/doctor.js. */
import { runDoctor } from './doctor';

runDoctor(process.argv.slice(2), {
  cwd: process.cwd(),
  write: (text) => process.stdout.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
