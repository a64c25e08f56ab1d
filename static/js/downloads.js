// Files that take a while to make (PDF, XLSX, Word, CSV): a link or form marked data-download
// (templates/includes/download.html) is fetched here so the page says that the file is being
// made, and for how long, instead of nothing happening until it arrives. What comes back as a
// file is saved under the server's name; anything else (a page saying a large report is being
// built in the background, a login page, an error) is shown as a normal click would show it.
// Without this script the link or form works as it always did. The sentences shown come from
// the server (data-download-busy, -seconds, -done, -failed, -open), so they are translated there.
(function () {
  "use strict";

  var TEXTS = {
    busy: "Đang tạo tệp…",
    seconds: "%(s)s giây",
    done: "Đã tải xong %(name)s.",
    failed: "Không tải được tệp; hãy thử lại.",
    open: "Mở tệp"
  };

  function text(element, key, values) {
    var sentence = element.getAttribute("data-download-" + key) || TEXTS[key];
    Object.keys(values || {}).forEach(function (name) {
      sentence = sentence.split("%(" + name + ")s").join(values[name]);
    });
    return sentence;
  }

  // The name in Content-Disposition: filename* (RFC 5987, UTF-8) first, then filename.
  function fileName(disposition, url) {
    var star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition || "");
    if (star) {
      try {
        return decodeURIComponent(star[2].trim().replace(/^"|"$/g, ""));
      } catch (err) { /* fall through to the plain name */ }
    }
    var plain = /filename\s*=\s*("((?:\\.|[^"\\])*)"|[^;]+)/i.exec(disposition || "");
    if (plain) {
      return (plain[2] !== undefined ? plain[2].replace(/\\(.)/g, "$1") : plain[1]).trim();
    }
    var path = new URL(url, window.location.href).pathname.split("/");
    return decodeURIComponent(path[path.length - 1] || path[path.length - 2] || "tep");
  }

  function isFile(response) {
    var disposition = response.headers.get("Content-Disposition") || "";
    var type = response.headers.get("Content-Type") || "";
    return response.ok && (/attachment|inline/i.test(disposition) || !/^text\/html/i.test(type));
  }

  // Saved under its name; the object URL is kept while the page lives when the file is one
  // the server meant to be viewed (inline: the papers and rosters, opened to be printed).
  function save(blob, name, keep) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    if (!keep) window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    return url;
  }

  // “Mở tệp”: the file just saved, in a new tab (a click of the user's: no pop-up blocker).
  function openLink(element, status, url) {
    if (element._downloadUrl) URL.revokeObjectURL(element._downloadUrl);
    element._downloadUrl = url;
    var open = document.createElement("a");
    open.href = url;
    open.target = "_blank";
    open.rel = "noopener";
    open.textContent = text(element, "open");
    status.appendChild(document.createTextNode(" "));
    status.appendChild(open);
  }

  // One status per link or form, right after it, announced politely: a line after a form,
  // words within the sentence or cell of a link.
  function statusFor(element) {
    var status = element._downloadStatus;
    if (!status) {
      status = document.createElement(element.tagName === "FORM" ? "p" : "span");
      status.className = "download-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      element.insertAdjacentElement("afterend", status);
      if (element.tagName !== "FORM") element.insertAdjacentText("afterend", " ");
      element._downloadStatus = status;
    }
    return status;
  }

  function setBusy(element, busy) {
    element._downloading = busy;
    if (busy) {
      element.setAttribute("aria-busy", "true");
      element.setAttribute("aria-disabled", "true");
    } else {
      element.removeAttribute("aria-busy");
      element.removeAttribute("aria-disabled");
    }
    if (element.tagName === "FORM") {
      Array.prototype.forEach.call(element.querySelectorAll("button, input[type=submit]"),
        function (button) { button.disabled = busy; });
    }
  }

  function start(element, url, init, fallback) {
    if (element._downloading) return;
    setBusy(element, true);
    var status = statusFor(element);
    var began = Date.now();
    status.textContent = text(element, "busy");
    // The seconds are for the eye: a screen reader hears “being made” once, then “done”.
    var clock = document.createElement("span");
    clock.setAttribute("aria-hidden", "true");
    status.appendChild(clock);
    var timer = window.setInterval(function () {
      var seconds = Math.floor((Date.now() - began) / 1000);
      clock.textContent = " " + text(element, "seconds", {s: seconds});
    }, 1000);
    function stop() {
      window.clearInterval(timer);
      setBusy(element, false);
    }
    init.credentials = "same-origin";
    window.fetch(url, init).then(function (response) {
      if (!isFile(response)) {
        stop();
        status.textContent = "";
        // A redirect was followed already (a background job's page): go there; else ask again
        // the ordinary way, so the user sees the page the server has for this request.
        if (response.redirected) {
          window.location.href = response.url;
        } else {
          fallback();
        }
        return null;
      }
      var disposition = response.headers.get("Content-Disposition") || "";
      var name = fileName(disposition, response.url || url);
      var inline = /^\s*inline/i.test(disposition);
      return response.blob().then(function (blob) {
        var saved = save(blob, name, inline);
        stop();
        status.textContent = text(element, "done", {name: name});
        if (inline) openLink(element, status, saved);
      });
    }).catch(function () {
      stop();
      status.textContent = text(element, "failed");
    });
  }

  function plainClick(event) {
    return event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey &&
      !event.altKey;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-download]") : null;
    if (!link || event.defaultPrevented || !plainClick(event)) return;
    event.preventDefault();
    var url = link.href;
    start(link, url, {method: "GET"}, function () { window.location.href = url; });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-download]") || event.defaultPrevented) return;
    event.preventDefault();
    if (form._downloading) return;
    var init = {method: (form.method || "get").toUpperCase()};
    var url = form.action;
    if (init.method === "POST") {
      init.body = new FormData(form);
    } else {
      var query = new URLSearchParams(new FormData(form)).toString();
      url = url.split("?")[0] + (query ? "?" + query : "");
    }
    // form.submit() skips this listener: the server's page, as without the script.
    start(form, url, init, function () { form.submit(); });
  });
}());
