// One value for both engines (tfjs' BertEncoder and the ONNX graph), so that they agree.

/**
 * Masked positions get this added to their attention scores. Hugging Face adds float32's
 * minimum; any value this negative makes softmax give exactly zero, as that does.
 */
export const MASKED_SCORE = -1e9;
