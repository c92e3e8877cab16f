// The names of the engines that can compute Thaw's encoder and training steps, spelt once:
// the experiment file, the protocol, the host's setting and the trainer all read them here.

/** What computes a step or an encoder pass: ONNX Runtime, or TensorFlow.js. */
export const ENGINE_NAMES = ['onnxruntime', 'tfjs'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** How people read each engine's name (the panel's header). */
export const ENGINE_LABELS: Readonly<Record<EngineName, string>> = { onnxruntime: 'ONNX Runtime', tfjs: 'TensorFlow.js' };

/** What an experiment or --engine may ask for: an engine, or auto (ONNX Runtime where it loads). */
export const ENGINE_CHOICES = ['auto', ...ENGINE_NAMES] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];
