/**
 * A workflow draft as the YAML body of the version routes (preview, publish, what-if): the generated
 * client types their JSON form only.
 */
export const asYaml = (yaml: string) => ({
  body: yaml as never,
  bodySerializer: (body: unknown) => body as string,
  headers: { 'Content-Type': 'application/yaml' },
});
