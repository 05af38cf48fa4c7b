// Pulse console: the upload's bytes and the import's progress, live,
// placeholders inserted into an invitation by a click, and the invitation's
// emails previewed as they are typed. The pages work
// without this script (the upload form posts to S3, which sends the
// browser back, and refuses a file over the size limit itself; the import
// page has a refresh button; placeholders can be typed).
(function () {
  "use strict";
  var form = document.querySelector("form[data-xhr-fields]");
  if (form && window.XMLHttpRequest && window.FormData) {
    var input = form.querySelector("input[type=file]");
    var live = document.getElementById("upload-live");
    var status = document.getElementById("upload-status");
    // a file over the limit is refused before a byte is sent
    var tooLarge = function () {
      var max = Number(form.getAttribute("data-max-bytes"));
      var file = input.files[0];
      if (!file || !max || file.size <= max) {
        input.removeAttribute("aria-invalid");
        return false;
      }
      live.hidden = false;
      status.textContent = form.getAttribute("data-too-large");
      input.setAttribute("aria-invalid", "true");
      return true;
    };
    input.addEventListener("change", function () {
      if (!tooLarge()) status.textContent = "";
    });
    form.addEventListener("submit", function (event) {
      if (!input.files.length) return; // the browser says the file is missing
      event.preventDefault();
      if (tooLarge()) return;
      var fields = JSON.parse(form.getAttribute("data-xhr-fields"));
      var data = new FormData();
      Object.keys(fields).forEach(function (name) { data.append(name, fields[name]); });
      data.append("file", input.files[0]); // S3 reads the file last
      var bar = document.getElementById("upload-progress");
      var button = form.querySelector("button[type=submit]");
      live.hidden = false;
      status.textContent = "";
      button.disabled = true;
      var failed = function () {
        status.textContent = form.getAttribute("data-failed");
        button.disabled = false;
      };
      var xhr = new XMLHttpRequest();
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        bar.max = e.total;
        bar.value = e.loaded;
        bar.textContent = Math.floor((100 * e.loaded) / e.total) + " %";
      });
      xhr.addEventListener("load", function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          window.location.assign(form.getAttribute("data-next"));
        } else {
          failed();
        }
      });
      xhr.addEventListener("error", failed);
      xhr.open("POST", form.action);
      xhr.send(data);
    });
  }
  var region = document.querySelector("[data-poll]");
  if (region && window.fetch) {
    var poll = function () {
      if (region.querySelector("[data-final]")) return;
      fetch(region.getAttribute("data-poll"), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          // replaced only when it changed, so a screen reader hears news only
          if (html !== region.getAttribute("data-last")) {
            region.setAttribute("data-last", html);
            region.innerHTML = html;
          }
          setTimeout(poll, 1500);
        })
        .catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 1500);
  }
  var compose = document.querySelector("form[data-compose]");
  if (compose) {
    var target = compose.querySelector("textarea");
    compose.addEventListener("focusin", function (e) {
      if (e.target.matches("textarea, input[type=text]")) target = e.target;
    });
    Array.prototype.forEach.call(compose.querySelectorAll("code[data-insert]"), function (code) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "placeholder";
      button.textContent = code.textContent;
      button.addEventListener("click", function () {
        if (!target) return;
        var text = code.getAttribute("data-insert");
        var at = target.selectionStart || target.value.length;
        var end = target.selectionEnd || at;
        target.value = target.value.slice(0, at) + text + target.value.slice(end);
        target.focus();
        target.setSelectionRange(at + text.length, at + text.length);
        target.dispatchEvent(new Event("input", { bubbles: true }));
      });
      code.replaceWith(button);
    });
    // the emails follow the text as it is typed: the draft is previewed
    // again a moment after the last key (the form's Check button does the
    // same without this script)
    var live = document.getElementById("live-preview");
    var liveUrl = compose.getAttribute("data-live");
    if (live && liveUrl && window.fetch && window.URLSearchParams) {
      var timer = null;
      var latest = 0;
      var refresh = function () {
        var asked = ++latest;
        fetch(liveUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(new FormData(compose)).toString()
        })
          .then(function (r) { return r.status === 200 ? r.text() : null; })
          .then(function (html) {
            // an older answer arriving late never replaces a newer one
            if (html !== null && asked === latest) live.innerHTML = html;
          })
          .catch(function () {});
      };
      compose.addEventListener("input", function (e) {
        if (!e.target.matches("textarea, input[type=text], select")) return;
        clearTimeout(timer);
        timer = setTimeout(refresh, 700);
      });
    }
  }
})();
