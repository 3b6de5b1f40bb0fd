// Loads the TypeScript sources with swc (decorator metadata on, as in jest), so the benchmark
// measures the current code without a full `tsc` build. `@verity/*` resolves through tsconfig paths.
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');
const { register } = require('tsconfig-paths');

const root = path.resolve(__dirname, '../..');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;
register({ baseUrl: root, paths: require(path.join(root, 'tsconfig.json')).compilerOptions.paths });

require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    ...swcrc,
    swcrc: false,
    filename,
    sourceMaps: false,
  });
  module._compile(code, filename);
};
