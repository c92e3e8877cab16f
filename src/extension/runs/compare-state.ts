// The comparison's state as its webview keeps it (vscode.setState), read back after a reload.
// A module of its own: the serializer is registered at activation, without the panel's code.

/** What the webview keeps with vscode.setState: the host reads `runFolders` back after a reload. */
export function runFoldersOf(state: unknown): string[] {
  if (typeof state !== 'object' || state === null) return [];
  const folders = (state as { runFolders?: unknown }).runFolders;
  return Array.isArray(folders) ? folders.filter((folder): folder is string => typeof folder === 'string') : [];
}
