// The barcode decoder's Web Worker: rxing compiled to WASM (app/scanner), loaded only when a
// person first scans, so the portal's first page load never pays for it.
//
// The message handler is installed before the WASM has loaded, so that no frame posted during
// start-up is lost: each waits for the module instead.
// Protocol: receive {width, height, data (RGBA), frame?} (an ImageData, or a camera frame with
// its number); reply {texts, symbologies, ms} or {error}.
// Paths relative to this script, so the decoder can be served from any folder (the benchmark
// page serves it from its own).
importScripts(new URL('scanner.js', self.location).href);
const ready = wasm_bindgen({ module_or_path: new URL('scanner_bg.wasm', self.location).href });

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const started = performance.now();
    const reply = wasm_bindgen.decode(data.width, data.height, data.data, data.frame);
    reply.ms = performance.now() - started;
    self.postMessage(reply);
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
