// Transmission Central, totals page: fetch the totals section again every few seconds and swap it in.
// Served by Central itself (Content-Security-Policy script-src 'self'); the page works without it (Refresh link).
// Keyboard focus never moves: the section holds nothing focusable, and if focus is inside it anyway the swap waits.
(function () {
    "use strict";
    var region = document.getElementById("totals-live");
    var status = document.getElementById("totals-live-status");
    if (!region || !status || !window.fetch) {
        return;
    }

    var url = region.getAttribute("data-live-url");
    var seconds = parseInt(region.getAttribute("data-live-seconds"), 10) || 5;
    var busy = false;

    function fail(text) {
        status.textContent = text + " The numbers shown may be old; use Refresh.";
    }

    function refresh() {
        if (busy || document.hidden) {
            return;
        }

        busy = true;
        fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "text/html" } })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error("Live update failed: HTTP " + response.status + ".");
                }

                return response.text();
            })
            .then(function (html) {
                var template = document.createElement("template");
                template.innerHTML = html;
                if (!template.content.querySelector("[data-events]")) {
                    throw new Error("Live update failed: Central sent something other than the totals.");
                }

                status.textContent = "";
                // Never pull focus out from under the verifier: if it is inside the section, wait for the next round.
                if (region.contains(document.activeElement)) {
                    return;
                }

                region.replaceChildren(template.content);
            })
            .catch(function (error) {
                fail(error && error.message ? error.message : "Live update failed.");
            })
            .then(function () {
                busy = false;
            });
    }

    window.setInterval(refresh, seconds * 1000);
}());
