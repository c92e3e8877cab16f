// The sentences encoder parity tests embed: a question, a short phrase, words the vocabulary
// lacks (subword and [UNK] paths), a single character, and a long sentence (padding in a batch).

export const PARITY_SENTENCES: readonly string[] = [
  'What is the capital city of France?',
  'Not bad at all.',
  'Completely unknown words: zyxt quorble!',
  'A',
  'Why does bread rise in a warm kitchen, and why does the soup go cold so fast when the window is open?',
];
