// The repository pins Node 24 (the `node` devDependency) so npm scripts run on it even
// where the system Node is older: Greenlight's sources rely on its type stripping.
test('npm scripts run on the pinned Node 24, whatever the system Node is', () => {
  expect(process.versions.node.split('.')[0]).toBe('24');
});
