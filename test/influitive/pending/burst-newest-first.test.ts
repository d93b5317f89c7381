import { describeBursts } from './bursts';

describeBursts('newest_first');
