// The case page's review form: the override fields are enabled only when "Override" is chosen.
// Progressive enhancement: without JavaScript every field is usable and the server validates.
"use strict";

(function () {
  const form = document.querySelector(".review-form");
  if (!form) {
    return;
  }
  const fields = form.querySelector("[data-override-fields]");
  const radios = form.querySelectorAll("[data-review-decision]");

  function update() {
    const chosen = form.querySelector("[data-review-decision]:checked");
    const overriding = chosen !== null && chosen.value === "overridden";
    // A disabled fieldset keeps what was typed; it is simply not sent when accepting.
    fields.disabled = !overriding;
  }

  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
