// "Copy" buttons next to read-only fields: shown only when scripting works; the field
// stays selectable by hand without it.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function say(text) {
    if (status) status.textContent = text;
  }

  function copy(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    field.focus();
    field.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(field).then(
        function () { say("Link copied."); },
        function () { field.select(); say("Select the link and copy it by hand."); }
      );
    });
  });
})();
