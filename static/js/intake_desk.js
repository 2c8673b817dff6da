// The front desk: copy a patient's link, print a slip, confirm handing the device over.
"use strict";
(function () {
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var input = document.getElementById(button.dataset.copyTarget);
    var status = document.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      function done(message) { if (status) status.textContent = message; }
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(
          function () { done("Link copied. Paste it into a text message or e-mail to the patient."); },
          function () { done("Could not copy automatically: the link is selected, press Ctrl+C."); }
        );
      } else {
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
        done(copied ? "Link copied. Paste it into a text message or e-mail to the patient."
                    : "Could not copy automatically: the link is selected, press Ctrl+C.");
      }
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
})();
