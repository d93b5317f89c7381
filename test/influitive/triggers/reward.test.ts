import nock from 'nock';
import { API, influitiveHeaders, makeBundle } from '../../helpers/bundle';
import { runOperation } from '../../helpers/run';
import rewards from '../fixtures/external_rewards.json';

afterEach(() => nock.cleanAll());

describe('reward (dropdown source)', () => {
  it('lists the hub rewards with an id and a name, skipping records without an id', async () => {
    nock(API, { reqheaders: influitiveHeaders }).get('/external/rewards').reply(200, rewards);
    const results = await runOperation('triggers.reward.operation.perform', makeBundle());
    expect(results).toEqual([
      expect.objectContaining({ id: '731', name: 'Amazon.com Gift Card ($25)' }),
      expect.objectContaining({ id: '812', name: 'Northwind Hoodie' }),
      expect.objectContaining({
        id: '1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b',
        name: 'Coffee with the CEO',
        published: false,
      }),
    ]);
  });

  it('accepts the list wrapped in rewards', async () => {
    nock(API)
      .get('/external/rewards')
      .reply(200, { rewards: [{ uuid: 'rw-1' }] });
    await expect(runOperation('triggers.reward.operation.perform', makeBundle())).resolves.toEqual([
      { uuid: 'rw-1', id: 'rw-1', name: 'Reward rw-1' },
    ]);
  });

  it('returns nothing for an unexpected body shape', async () => {
    nock(API).get('/external/rewards').reply(200, '"unexpected"');
    await expect(runOperation('triggers.reward.operation.perform', makeBundle())).resolves.toEqual(
      [],
    );
  });
});
