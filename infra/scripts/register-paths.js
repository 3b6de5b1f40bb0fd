// Lets compiled code under dist/ resolve the `@verity/*` imports from tsconfig.json's paths.
const path = require('node:path');
const { register } = require('tsconfig-paths');
const { compilerOptions } = require('../../tsconfig.json');

register({ baseUrl: path.resolve(__dirname, '../../dist'), paths: compilerOptions.paths });
