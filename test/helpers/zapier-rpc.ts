export { FakeZapierRpc } from '../../sandbox/zapier-rpc';
