// The catalog's "export to CSV" loads csv-stringify 5's Node build, which needs Node's
// `stream` and `Buffer` as soon as it loads (Backstage's webpack config polyfills them;
// esbuild does not). The dev app leaves that one button out.
export default function stringifySync() {
  throw new Error('CSV export is not available in the Greenlight dev app');
}
