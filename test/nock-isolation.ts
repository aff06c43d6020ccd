/**
 * nock isolation between test files: a jest `setupFilesAfterEnv` module.
 *
 * nock 15 intercepts through a process-wide `@mswjs/interceptors` instance. jest runs many test
 * files in one worker process, each with its own module registry, so each file's copy of nock
 * joins the interceptor the first file installed. A copy left active answers every later request
 * too (501 `ERR_NOCK_NO_MATCH` from its now empty interceptor list) and races the current file's
 * copy: tests fail at random. Restoring nock after every file removes the stale copy. Importing
 * nock here only in `afterAll` keeps files that never use nock free of interception.
 */
afterAll(async () => {
  const { default: nock } = await import('nock');
  nock.cleanAll();
  nock.restore();
});
