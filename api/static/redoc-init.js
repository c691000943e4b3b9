/* Starts ReDoc on /redoc (no inline script, so the page works under a strict CSP).
 *
 * The OpenAPI address comes from the data-openapi-url attribute the server
 * writes. ReDoc's search runs in a Web Worker made from a blob: URL
 * (CSP worker-src 'self' blob:).
 */
(function () {
  "use strict";

  const root = document.getElementById("redoc");
  Redoc.init(root.dataset.openapiUrl, { expandResponses: "200" }, root);
})();
