/* The site's small behaviours, kept out of the pages so the Content-Security-Policy can refuse
   every inline script. Each finds its elements by id or data attribute and does nothing on a
   page without them. Translated texts come from data attributes the templates fill. */
(function () {
  "use strict";

  // The suggestion form: the contact fields hide when the citizen submits anonymously, and one
  // tap is enough: a second tap while the first is on its way does nothing.
  var form = document.getElementById("suggestion-form");
  if (form) {
    var anonymous = document.getElementById("id_is_anonymous");
    var contact = document.getElementById("contact-fields");
    if (anonymous && contact) {
      var sync = function () { contact.hidden = anonymous.checked; };
      anonymous.addEventListener("change", sync);
      sync();
    }
    form.addEventListener("submit", function () {
      var button = document.getElementById("submit-button");
      setTimeout(function () {
        button.disabled = true;
        button.textContent = button.dataset.sendingText;
      }, 0);
    });
  }

  // The receipt: copy the tracking code (and the secret of an anonymous suggestion).
  var copy = document.getElementById("copy-code");
  if (copy) {
    copy.addEventListener("click", function () {
      if (navigator.clipboard) {
        navigator.clipboard.writeText(copy.dataset.code).then(function () {
          copy.textContent = copy.dataset.copiedText;
        });
      }
    });
  }

  // The duty log: show one more "suggestion raised" block at a time.
  var addRaised = document.getElementById("add-raised");
  if (addRaised) {
    addRaised.addEventListener("click", function () {
      var hidden = document.querySelector(".raised-row[hidden]");
      if (hidden) { hidden.hidden = false; }
      if (!document.querySelector(".raised-row[hidden]")) { addRaised.hidden = true; }
    });
  }

  // The workbench: a reply template fills the text area in focus, else the first action's.
  document.querySelectorAll(".reply-template").forEach(function (button) {
    button.addEventListener("click", function () {
      var active = document.activeElement;
      var target = active && active.tagName === "TEXTAREA" ? active : document.querySelector(".col-lg-5 textarea");
      if (target) { target.value = button.dataset.text; target.focus(); }
    });
  });

  // Progress bars: the width comes from data-progress (a style attribute would be inline CSS;
  // setting it through the CSS object model is allowed).
  document.querySelectorAll("[data-progress]").forEach(function (bar) {
    bar.style.width = bar.dataset.progress + "%";
  });

  // Print buttons (the station's QR poster).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
}());
