/**
 * fast-check settings for the two test tiers. `npm test` runs every property with a fixed seed and
 * enough runs to reach every generator branch, so it is repeatable; `npm run test:fuzz` (FUZZ=full)
 * runs the long version with a fresh seed, printed so a failure can be replayed with FC_SEED.
 */
export const isFullFuzz = process.env.FUZZ === 'full';

const FIXED_SEED = 20261203;

/** The seed for this run: FC_SEED when given, fixed in `npm test`, fresh (and printed) in the fuzz tier. */
export const fuzzSeed = (): number => {
  if (process.env.FC_SEED) return Number(process.env.FC_SEED);
  if (!isFullFuzz) return FIXED_SEED;
  const seed = Date.now() % 2 ** 31;
  console.log(`fuzz seed ${seed} (replay with FC_SEED=${seed} npm run test:fuzz)`);
  return seed;
};

/** `quick` runs in `npm test`, `full` in `npm run test:fuzz`. */
export const fuzzRuns = (quick: number, full: number): number => (isFullFuzz ? full : quick);
