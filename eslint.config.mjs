// Type-aware linting, and the architecture's walls as build errors (see STYLE.md, DECISIONS.md):
// - only src/extension imports 'vscode', so the engine runs headless and the webview is a page;
// - only the engine (src/trainer) imports the ML stack (TensorFlow.js, transformers.js, ONNX
//   Runtime), so the extension host never loads it;
// - the host never imports the engine: it runs it as a child process, and what it needs of it
//   lives in src/core (experiment schema, model config, datasets' labels, run folders);
// - src/core and src/protocol import neither; src/core/vocabulary imports nothing at all, so
//   the protocol and the webview can use it in a browser.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeOnlyInHost = { name: 'vscode', message: "Only src/extension may import 'vscode' (see STYLE.md)." };
const mlStack = {
  group: ['@tensorflow/*', '@xenova/*', '@huggingface/*', 'onnxruntime*', 'onnxruntime-*/**'],
  message: 'Only the engine (src/trainer) may load the ML stack: the extension host, the core, the protocol and the webview never do.',
};
const engine = { regex: '(^|/)trainer(/|$)', message: 'The host runs the engine as a child process and never imports it; move what it needs into src/core.' };
const coreOutsideVocabulary = { regex: '(^|/)core/(?!vocabulary/)', message: 'The webview and the protocol may use only src/core/vocabulary (browser-safe).' };

const restrict = (options) => ({ 'no-restricted-imports': ['error', options] });
// no-restricted-imports sees static imports only; a dynamic import() or require() of the engine
// or the ML stack from the host is caught here (and by test/unit/host-import-wall.test.ts).
const noDynamicEngineImports = {
  'no-restricted-syntax': ['error',
    { selector: "ImportExpression[source.value=/(^|\\/)trainer\\/|@tensorflow|@xenova|@huggingface|onnxruntime/]", message: 'The host never loads the engine or the ML stack, not even lazily.' },
    { selector: "CallExpression[callee.name='require']", message: 'Use import: the wall between host and engine is checked on imports.' },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'media/**', 'scratch/**', '.vscode-test/**', '*.mjs', 'scripts/**', 'stubs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['src/trainer/**'], rules: restrict({ paths: [vscodeOnlyInHost] }) },
  { files: ['src/extension/**'], rules: { ...restrict({ patterns: [mlStack, engine] }), ...noDynamicEngineImports } },
  { files: ['src/core/**'], rules: restrict({ paths: [vscodeOnlyInHost], patterns: [mlStack, engine] }) },
  { files: ['src/core/vocabulary/**'], rules: restrict({ patterns: [{ regex: '^(?!\\./)', message: 'src/core/vocabulary is dependency-free and browser-safe: it imports only its own modules.' }] }) },
  { files: ['src/protocol/**', 'webview/**'], rules: restrict({ paths: [vscodeOnlyInHost], patterns: [mlStack, engine, coreOutsideVocabulary] }) },
  // The webview's build script is a plain .mjs script like this file (in no tsconfig); its
  // TypeScript is found by the project service through webview/tsconfig.json.
  { ignores: ['webview/*.mjs'] },
  // node:test's test() returns a promise that the runner itself awaits.
  { files: ['test/**'], rules: { '@typescript-eslint/no-floating-promises': 'off' } },
);
