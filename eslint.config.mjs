// Type-aware linting, and the one architectural rule: only src/extension may import 'vscode',
// so the engine runs headless (CLI, tests, a remote host) and the webview stays a plain page.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: "Only src/extension may import 'vscode' (see STYLE.md)." }],
  }],
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'media/**', 'scratch/**', '.vscode-test/**', '*.mjs', 'scripts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['src/trainer/**', 'src/protocol/**', 'webview/**'], rules: noVscode },
  // The webview's build script is a plain .mjs script like this file (in no tsconfig); its
  // TypeScript is found by the project service through webview/tsconfig.json.
  { ignores: ['webview/*.mjs'] },
  // node:test's test() returns a promise that the runner itself awaits.
  { files: ['test/**'], rules: { '@typescript-eslint/no-floating-promises': 'off' } },
);
