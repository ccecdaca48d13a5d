// The public status page's live updates: the server pushes each new document over SSE
// (/status/{slug}/events) with its pre-rendered, escaped HTML, which replaces the page's main part.
// Without EventSource, or when the server refuses another reader, the page reloads itself now and then.
(function () {
  "use strict";
  var main = document.getElementById("status");
  if (!main) return;
  var url = main.getAttribute("data-events");
  var fallback = function () {
    window.setTimeout(function () {
      window.location.reload();
    }, 60000);
  };
  if (!url || typeof window.EventSource !== "function") return fallback();
  var source = new window.EventSource(url);
  source.addEventListener("update", function (e) {
    try {
      var message = JSON.parse(e.data);
      if (typeof message.html !== "string" || !message.document) return;
      main.innerHTML = message.html;
      document.title = message.document.title + ": " + message.document.healthLabel;
    } catch (err) {
      // A frame that is not ours: keep what is shown.
    }
  });
  source.addEventListener("gone", function () {
    source.close();
    window.location.reload();
  });
  source.addEventListener("error", function () {
    // CLOSED: the server refused the stream (too many readers); EventSource will not retry.
    if (source.readyState === 2) fallback();
  });
})();
