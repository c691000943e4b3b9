/* Starts the YASGUI query editor on /sparql (no inline script, so the page works under a strict CSP).
 *
 * The endpoint and the example query come from the JSON block
 * <script type="application/json" id="sparql-editor-config"> the server
 * writes; it is parsed as data, never run.
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("sparql-editor-config").textContent);
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: config.endpoint }] },
    persistenceId: null,
  });
  yasgui.getTab().setQuery(config.example);
  window.skgSparqlEditor = yasgui;
})();
