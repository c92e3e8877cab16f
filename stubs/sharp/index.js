'use strict';
// Thaw's stand-in for `sharp` (libvips image processing). @xenova/transformers imports it at load,
// through src/utils/image.js, only to read images; Thaw reads text only. The real package brings
// ~8 MB of native libvips per platform into the .vsix, and its 0.32 install downloads libvips,
// which fails offline. See README, "Packaging".
function sharp() {
  throw new Error('sharp is not part of Thaw: @xenova/transformers tried to load an image, and Thaw handles text only');
}
module.exports = sharp;
module.exports.default = sharp;
