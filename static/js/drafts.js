// Drafts of long forms (form[data-draft="<drafts URL>"]), kept on the server for their user
// (members/views_drafts.py): what is typed is saved about a second after the last keystroke,
// and an empty form opened again, in any browser, gets it back. A saved form drops its draft on
// the server (members/middleware_drafts.py). The sentences shown come from the server.
(function () {
  "use strict";

  var DELAY_MS = 1000;
  // Never kept nor restored: hidden state of the page, secrets, files, buttons.
  var SKIPPED = ["hidden", "password", "file", "submit", "button", "reset", "image"];

  function kept(element) {
    return element.name && !element.disabled && element.name !== "csrfmiddlewaretoken" &&
      SKIPPED.indexOf(element.type) === -1;
  }

  function formPath(form) {
    var path = new URL(form.action, window.location.href).pathname;
    try {
      return decodeURIComponent(path); // as Django's request.path reads it
    } catch (err) {
      return path;
    }
  }

  function csrfToken(form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // The form as it would be posted, less what is never kept.
  function fields(form) {
    var body = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element)) return;
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) body.append(element.name, element.value);
      } else if (element.tagName === "SELECT") {
        Array.prototype.forEach.call(element.options, function (option) {
          if (option.selected) body.append(element.name, option.value);
        });
      } else {
        body.append(element.name, element.value);
      }
    });
    return body;
  }

  // A list no longer offering a kept choice (a branch out of reach since) keeps its own.
  function offers(element, value) {
    if (element.tagName !== "SELECT") return true;
    return Array.prototype.some.call(element.options, function (option) {
      return option.value === value;
    });
  }

  function fill(form, data) {
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element)) return;
      var values = data[element.name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT" && element.multiple) {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else if (Object.prototype.hasOwnProperty.call(data, element.name)) {
        // Several inputs of one name take their values in order, as they were posted.
        var index = seen[element.name] || 0;
        seen[element.name] = index + 1;
        if (index >= values.length || !offers(element, values[index])) return;
        element.value = values[index];
      } else {
        return;
      }
      // A filled field folded away (the paper file's further rows) is shown.
      var folded = element.closest("details");
      if (folded && values.length && values.some(function (v) { return v !== ""; })) {
        folded.open = true;
      }
      element.dispatchEvent(new Event("input", {bubbles: true}));
      element.dispatchEvent(new Event("change", {bubbles: true}));
    });
  }

  // A form shown again after a refused POST holds what was just sent, with its errors:
  // nothing to restore over it.
  function showsErrors(form) {
    return form.querySelector("[aria-invalid=true], .form-errors, .errorlist") !== null;
  }

  function post(url, form, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": csrfToken(form), "Accept": "application/json"},
      body: body || new URLSearchParams()
    });
  }

  function message(response) {
    return response.json().then(function (json) {
      return json.message || json.error || "";
    }, function () { return ""; });
  }

  function savedLine(form) {
    var line = document.createElement("p");
    line.className = "draft-saved";
    line.setAttribute("aria-live", "polite");
    var submit = form.querySelector("[type=submit]");
    if (submit) {
      submit.insertAdjacentElement("afterend", line);
    } else {
      form.appendChild(line);
    }
    return line;
  }

  function setUp(form) {
    var url = form.getAttribute("data-draft");
    var query = "?" + new URLSearchParams({path: formPath(form)}).toString();
    var line = savedLine(form);
    var timer = null;
    var restoring = false;
    var touched = false;
    var submitting = false;

    function save() {
      timer = null;
      if (submitting) return;
      post(url + query, form, fields(form)).then(function (response) {
        return message(response).then(function (text) {
          if (!submitting) line.textContent = text;
        });
      }, function () { /* offline: the next keystroke tries again */ });
    }

    function changed(event) {
      if (restoring || submitting || !event.target || !kept(event.target)) return;
      touched = true;
      if (timer !== null) window.clearTimeout(timer);
      timer = window.setTimeout(save, DELAY_MS);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) {
      submitting = true;
      if (timer !== null) window.clearTimeout(timer);
      // A submission another script stopped leaves the form in use.
      window.setTimeout(function () { if (event.defaultPrevented) submitting = false; }, 0);
    });
    // Back to the form from the browser's history: it is being filled again.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) submitting = false;
    });

    if (showsErrors(form)) return;
    fetch(url + query, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (response.status !== 200) return null;
        return response.json();
      })
      .then(function (draft) {
        // Someone who started typing before the draft arrived keeps what they typed.
        if (!draft || !draft.data || touched) return;
        restoring = true;
        try {
          fill(form, draft.data);
        } finally {
          restoring = false;
        }
        restored(form, draft);
      })
      .catch(function () { /* no draft to offer */ });

    function restored(form, draft) {
      var box = document.createElement("div");
      box.className = "draft-restored";
      box.setAttribute("role", "status");
      var text = document.createElement("p");
      text.textContent = draft.message;
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "secondary";
      discard.textContent = draft.discard_label;
      discard.addEventListener("click", function () {
        discard.disabled = true;
        if (timer !== null) window.clearTimeout(timer);
        post(draft.discard_url, form).then(function (response) {
          if (!response.ok) {
            discard.disabled = false;
            return message(response).then(function (text) { line.textContent = text; });
          }
          // The page as the server sent it, without the draft (reset first, so a browser
          // that restores the fields of a reloaded page restores empty ones).
          form.reset();
          window.location.replace(window.location.href);
        }, function () { discard.disabled = false; });
      });
      box.appendChild(text);
      box.appendChild(discard);
      form.parentNode.insertBefore(box, form);
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
