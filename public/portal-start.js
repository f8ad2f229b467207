// Starts the whole portal's bundle. app::public (the first bundle) adds app.js (wasm-bindgen's
// no-modules glue, which declares `wasm_bindgen` as a global binding that only scripts can
// reach) and then this script; initialising the module runs the portal's `main`, which mounts it.
wasm_bindgen({ module_or_path: '/app_bg.wasm' }).catch((error) => {
  console.error('The portal could not start:', error);
  dispatchEvent(new CustomEvent('mdis-portal-failed'));
});
