/* Starts Swagger UI on /docs (no inline script, so the page works under a strict CSP).
 *
 * The OpenAPI address comes from the data-openapi-url attribute the server
 * writes; Swagger UI never reads a spec address from the page's own URL
 * (queryConfigEnabled stays off) and never calls the online validator.
 */
(function () {
  "use strict";

  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    queryConfigEnabled: false,
    validatorUrl: null,
  });
})();
