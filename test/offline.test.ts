import { request } from 'node:http';
import { connect } from 'node:net';
import { startLoopbackServer } from './helpers/loopback';

/** What a request to `url` ends with: its status, or its error's message. */
const outcomeOf = (url: string): Promise<string> =>
  new Promise((resolve) => {
    const req = request(url, (res) => {
      res.resume();
      resolve(`status ${res.statusCode}`);
    });
    req.on('error', (error) => resolve(error.message));
    req.end();
  });

describe('the offline rule every test file runs under (test/setup-env.ts)', () => {
  it('refuses http, fetch and a bare socket to any host but loopback', async () => {
    await expect(outcomeOf('http://api.influitive.com/reward_redemptions')).resolves.toMatch(
      /never reach the internet: a connection to api\.influitive\.com was refused/,
    );
    await expect(fetch('https://hooks.zapier.com/')).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/never reach the internet/) },
    });
    const socket = connect(443, '93.184.215.14');
    await expect(new Promise((_, reject) => socket.on('error', reject))).rejects.toThrow(
      /never reach the internet/,
    );
  });

  it('lets a loopback server answer', async () => {
    const server = await startLoopbackServer((_req, res) => res.end('ok'));
    try {
      await expect(outcomeOf(server.url)).resolves.toBe('status 200');
      await expect((await fetch(server.url)).text()).resolves.toBe('ok');
    } finally {
      await server.close();
    }
  });
});
