// Jest resolver for the Backstage frontend tests, which run as ESM like every other test.
//
// Backstage's ESM builds default-import Material UI v4 and react-use subpaths
// (`import Card from '@material-ui/core/Card'`), whose `main` is Babel CJS with
// `exports.default`; imported from ESM, that default is the whole exports object and React
// throws "Element type is invalid". Those packages ship ESM builds too (`esm/`), so an
// `import` gets the ESM build, while a `require` (from CJS dependencies such as
// @material-table/core) keeps the CJS one: Node refuses require() of ESM in a cycle.
// (Backstage's own Jest setup compiles everything to CJS instead.)
const ESM_BUILDS = [
  [/^@material-ui\/(core|icons|lab)$/, '@material-ui/$1/esm/index.js'],
  [/^@material-ui\/(core|icons|lab)\/([^/]+)$/, '@material-ui/$1/esm/$2'],
  [/^react-use\/lib\/(.+)$/, 'react-use/esm/$1'],
];

export default function resolve(request, options) {
  if (options.conditions?.includes('import')) {
    for (const [pattern, replacement] of ESM_BUILDS) {
      if (pattern.test(request)) {
        return options.defaultResolver(request.replace(pattern, replacement), options);
      }
    }
  }
  return options.defaultResolver(request, options);
}
