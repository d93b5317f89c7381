import { describeBursts } from './bursts';

describeBursts('oldest_first');
