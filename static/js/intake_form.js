// The patient's form: follow-up questions appear only when they apply. Without this script
// every question shows, with a hint saying when to answer it (the server ignores the rest).
"use strict";
(function () {
  var form = document.querySelector("[data-patient-form]");
  if (!form) return;
  var followUps = form.querySelectorAll("[data-show-if]");
  if (!followUps.length) return;

  function applies(element) {
    var gate = element.dataset.showIf;
    var wanted = element.dataset.showIfValues.split(" ");
    var inputs = form.querySelectorAll('input[name="' + gate + '"]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked && (wanted.indexOf("any") !== -1 || wanted.indexOf(inputs[i].value) !== -1)) {
        return true;
      }
    }
    return false;
  }

  function update() {
    followUps.forEach(function (element) {
      var shown = applies(element);
      element.classList.toggle("is-shown", shown);
      element.hidden = !shown;
    });
  }

  // The hints are for browsers without JavaScript; the stylesheet hides them under .js, this
  // also hides them from assistive technology.
  followUps.forEach(function (element) {
    element.querySelectorAll("[data-conditional-hint]").forEach(function (hint) { hint.hidden = true; });
  });
  form.addEventListener("change", update);
  update();
})();
