// Starts Swagger UI on the docs page (kept out of the page so that no inline script
// is needed: the Content-Security-Policy forbids them).
window.addEventListener("load", function () {
  var container = document.getElementById("swagger-ui-container");
  window.ui = SwaggerUIBundle({ url: container.dataset.specUrl, dom_id: "#swagger-ui-container" });
});
