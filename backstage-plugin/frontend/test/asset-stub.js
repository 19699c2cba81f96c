// Images and stylesheets that Backstage's component libraries import; Jest has no loader
// for them, and the tests never look at their content.
export default 'asset-stub';
