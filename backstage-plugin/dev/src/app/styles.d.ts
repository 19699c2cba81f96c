// esbuild bundles imported stylesheets into index.css.
declare module '*.css';
