import type { LimitsSettings } from '../../src/limits/fair-use-limiter';

/** Every fair-use limit off: a test turns on the ones it is about. */
export const LIMITS_OFF: LimitsSettings = {
  fast: null,
  thinking: null,
  contemplating: null,
  shopping: null,
  burst: null,
  userDaily: null,
  globalDaily: null,
  exemptUsers: [],
};
