/**
 * `npm start`: runs the whole fulfillment loop against the embedded sandbox, prints a report and
 * exits 0, or non-zero naming the failed step. `npm start -- --serve` keeps everything running for
 * curl and `zapier-platform invoke`.
 */
import { type SandboxEnvironment, startSandboxEnvironment } from './environment';
import { runFulfillmentLoop } from './loop';
import { formatReport } from './report';

const printServeInstructions = (env: SandboxEnvironment): void => {
  const hook = env.gateway.hookUrl('loudcrowd_reward_event');
  console.log(`Influitive sandbox   ${env.influitive.url}
Vendor sandbox       ${env.vendor.url}/api/v2/orders
Hook gateway         ${env.gateway.hookUrl('reward_redemption_requested')}
                     ${hook}

Send a LoudCrowd test event:
  curl -s -X POST '${hook}' -H 'X-Api-Key: ${env.authData.loudcrowd_api_key}' -H 'Content-Type: application/json' \\
    -d '{"lcId":"LC-TEST-1","email":"creator@example.com","medias":[{"lcId":"M1","postedAt":"2026-11-21T15:02:11.482913","postType":"STORY"}]}'

Put these lines in .env to point \`npx zapier-platform invoke\` at the sandbox:
  authData_api_token=${env.authData.api_token}
  authData_org_id=${env.authData.org_id}
  authData_loudcrowd_api_key=${env.authData.loudcrowd_api_key}
  INFLUITIVE_API_URL=${env.influitive.url}
then, for example:
  npx zapier-platform invoke trigger new_reward_redemption
  npx zapier-platform invoke create fulfill_reward_redemption --inputData '{"redemption_id":"48213","message":"Enjoy!"}'

Ctrl-C stops the sandbox.`);
};

const main = async (): Promise<number> => {
  const serve = process.argv.includes('--serve');
  const started = Date.now();
  const env = await startSandboxEnvironment();
  if (serve) {
    printServeInstructions(env);
    const stop = () => void env.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return -1;
  }
  try {
    const steps = await runFulfillmentLoop(env);
    console.log(formatReport(steps, Date.now() - started));
    const failed = steps.find((s) => !s.ok);
    if (failed) console.error(`\nThe loop stopped at step "${failed.step}".`);
    return failed ? 1 : 0;
  } finally {
    await env.close();
  }
};

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
