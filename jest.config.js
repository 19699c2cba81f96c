// One Jest run for every workspace. Sources are TypeScript ESM executed by swc;
// type-checking is `npm run typecheck`.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  testPathIgnorePatterns: [
    '/node_modules/',
    '/dist/',
    '<rootDir>/test/e2e/',
    '<rootDir>/test/adoption/',
  ],
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
        module: { type: 'es6' },
      },
    ],
    // React components of the Backstage plugin's frontend (tests pick jsdom per file).
    '^.+\\.tsx$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          target: 'es2024',
          transform: { react: { runtime: 'automatic' } },
        },
        module: { type: 'es6' },
      },
    ],
  },
  // Backstage's frontend libraries import images and stylesheets from their dist folders.
  moduleNameMapper: {
    '\\.(svg|png|jpe?g|gif|css)$': '<rootDir>/backstage-plugin/frontend/test/asset-stub.js',
    '/style-inject\\.es\\.esm\\.js$':
      '<rootDir>/backstage-plugin/frontend/test/style-inject-stub.js',
  },
  // ...and default-import Babel-CJS subpaths; the resolver gives ESM importers their ESM builds.
  resolver: '<rootDir>/backstage-plugin/frontend/test/resolver.js',
  testTimeout: 20000,
  // Run in band on 2 cores, one suite's leaked timer or socket would hold the whole tier open
  // after its results are written (seen once in a clean-clone run); end the run when it is done.
  forceExit: true,
};
