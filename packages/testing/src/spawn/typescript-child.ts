/**
 * Node options that run a TypeScript file in a child process against the workspace's sources:
 * `interlink:source` resolves `@interlink/*` to `src/`, and tsx strips the types (Node 20 cannot),
 * so no test has to build anything first. Use as `spawn(process.execPath, [...typeScriptNodeArgs, file])`
 * or `fork(file, { execArgv: typeScriptNodeArgs })`.
 */
export const typeScriptNodeArgs: readonly string[] = ['--conditions=interlink:source', '--import', 'tsx'];
