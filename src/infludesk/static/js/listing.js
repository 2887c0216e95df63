/* The list pattern's only script: drop empty filter fields from HTMX requests so the pushed
   URL stays short (?platform=tiktok, not ?q=&platform=tiktok&tier=...). Without JavaScript the
   form still works as a plain GET. */
document.addEventListener("htmx:configRequest", function (event) {
  var form = event.detail.elt.closest ? event.detail.elt.closest("#list-filters") : null;
  if (!form) { return; }
  var params = event.detail.parameters;
  Object.keys(params).forEach(function (name) {
    if (params[name] === "") { delete params[name]; }
  });
});
