/**
 * The API's public entry point for scripts and benches outside apps/ (the lint rules refuse
 * their imports of anything deeper): what they may build on without depending on its layout.
 */
export { buildOpenApi } from './openapi/openapi';
