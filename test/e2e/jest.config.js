// The end-to-end tier (test/e2e/README.md): `npm run test:e2e` runs test/e2e/setup, then
// this, with timeouts sized for Flagger's 10 s analysis interval.
/** @type {import('jest').Config} */
export default {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
        module: { type: 'es6' },
      },
    ],
  },
  // Each test file starts its own control plane; two at once fit 2 cores (Flagger waits
  // on its 10 s interval, not on the CPU).
  maxWorkers: 2,
  // test.concurrent scenarios (shared.test.ts), each with its own control plane.
  maxConcurrency: 4,
  testTimeout: 600_000,
  slowTestThreshold: 600,
  verbose: true,
};
