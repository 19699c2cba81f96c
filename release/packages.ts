// What a release publishes, in build order. The dry run (release/dry-run.ts) and the adoption
// tier (test/adoption) read these lists; the release workflow publishes the same.

/**
 * The npm packages, by workspace folder. Each has a `build` script that fills its dist/ and
 * `prepack`/`postpack` scripts that point the packed package.json at dist/
 * (release/manifest.ts here; `backstage-cli package prepack` for Backstage packages).
 * A dependency comes before the packages that use it.
 */
export const NPM_PACKAGES: readonly string[] = [
  'packages/flagger-types',
  'packages/core',
  'packages/cli',
  'gate',
  // Built by backstage-cli (dist/, types from dist-types/), packed by its prepack:
  'backstage-plugin/common',
  'backstage-plugin/backend',
  'backstage-plugin/frontend',
];

/** Helm charts, packaged with `helm package` (pushed to an OCI registry on release). */
export const CHARTS: readonly string[] = ['charts/chatbot', 'charts/greenlight-gate'];

/** The gate's image, built with buildah from the repository root only with `--image`. */
export const GATE_IMAGE = { containerfile: 'gate/Containerfile', name: 'greenlight-gate' };
