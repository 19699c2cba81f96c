// @backstage/ui injects its CSS at import time with `@layer` rules that jsdom cannot parse
// (it logs an error per stylesheet); the tests never look at styles.
export default function styleInject() {}
