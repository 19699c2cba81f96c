// The adoption tier (test/adoption/README.md): `npm run test:adoption` — the published
// artifacts as their users get them, from the release dry run. Kept out of `npm test`, which
// stays Node-only and needs no build; `.ci/run` runs it after the other tiers.
/** @type {import('jest').Config} */
export default {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/adoption'],
  testMatch: ['<rootDir>/test/adoption/**/*.test.ts'],
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
  testTimeout: 300_000,
  slowTestThreshold: 300,
  verbose: true,
};
