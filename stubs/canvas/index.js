// JetLens reads ROOT files with jsroot but never draws with it. jsroot imports canvas lazily
// for image output only; any such call fails here with a clear message.
function unavailable() {
  throw new Error('canvas is not installed: JetLens uses jsroot for reading ROOT files only');
}
module.exports = { createCanvas: unavailable, loadImage: unavailable, Image: unavailable };
