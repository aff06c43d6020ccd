/**
 * The kit's bounds on retrying (the issue asks for backoff "within bounds"; these are the
 * bounds). Generous enough for any sane policy, tight enough to catch a hot loop or a connector
 * that would sleep an hour inside a sync job.
 */
export const BACKOFF_BOUNDS = Object.freeze({
  /** Attempts of one call, the first included. */
  maxAttempts: 10,
  /** One backoff sleep. */
  maxSleepMs: 60_000,
  /** All backoff sleeps of one call together. */
  maxTotalSleepMs: 120_000,
});
