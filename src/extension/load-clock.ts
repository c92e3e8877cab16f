/**
 * When the extension's own code began to load. Imported by extension.ts before the rest of
 * Thaw, so the activation time it reports includes loading Thaw's modules, not only activate().
 */
export const moduleLoadStarted = performance.now();
