// Builds the webviews' front ends into media/, their only resource root: one bundled script per
// page (toolkit, uPlot and the protocol validators inside; no remote resources): the training
// panel's media/panel.js and the comparison's media/compare.js, and uPlot's stylesheet.
// Type checking is separate (`tsc -p webview`): esbuild only strips types.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const media = join(root, 'media');

// Zod's `z` and `z.core` namespaces re-export its ~50 translated error-message locales, which no bundler can
// drop (the namespace keeps them alive): about 300 kB of the panel's script. The panel never reads
// `z.locales`, and English, the default, is imported by Zod's schemas directly, so they are stubbed out.
const withoutZodLocales = {
  name: 'without-zod-locales',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core|mini)[\\/][\w-]+\.js$/.test(args.importer) ? { path: 'zod-locales', namespace: 'stub' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

try {
  await mkdir(media, { recursive: true });
  const pages = [
    { entry: 'webview/src/main.ts', out: 'panel.js' },
    { entry: 'webview/src/compare/main.ts', out: 'compare.js' },
  ];
  await Promise.all(
    pages.map((page) =>
      build({
        entryPoints: [join(root, page.entry)],
        outfile: join(media, page.out),
        bundle: true,
        format: 'iife',
        target: 'es2022',
        minify: true,
        sourcemap: false,
        logLevel: 'warning',
        plugins: [withoutZodLocales],
      }),
    ),
  );
  await copyFile(join(root, 'node_modules/uplot/dist/uPlot.min.css'), join(media, 'uplot.css'));
} catch (error) {
  // esbuild has already printed its diagnostics; anything else (a missing file) is printed here.
  if (!(error instanceof Error && 'errors' in error)) console.error(error);
  process.exitCode = 1;
}
