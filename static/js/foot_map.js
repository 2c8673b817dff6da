// The interactive foot map (templates/components/foot_map.html): the drawing's regions become
// the checkboxes. Without this script the plain checkboxes below the drawing still work.
"use strict";
(function () {
  function enhance(map) {
    var boxes = {};
    map.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
      boxes[box.value] = box;
    });
    var summary = map.querySelector("[data-foot-map-summary]");

    function labelOf(box) {
      return box.labels && box.labels[0] ? box.labels[0].textContent.trim() : box.value;
    }

    function refresh() {
      map.querySelectorAll(".foot-map__region").forEach(function (shape) {
        var box = boxes[shape.dataset.region];
        if (!box) return;
        shape.classList.toggle("is-marked", box.checked);
        if (shape.getAttribute("role") === "checkbox") {
          shape.setAttribute("aria-checked", box.checked ? "true" : "false");
        }
      });
      var marked = Object.keys(boxes)
        .filter(function (code) { return boxes[code].checked; })
        .map(function (code) { return labelOf(boxes[code]); });
      summary.textContent = marked.length ? "Marked: " + marked.join(", ") + "." : "Nothing marked yet.";
    }

    function toggle(code) {
      var box = boxes[code];
      if (!box) return;
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }

    // Each region is one keyboard stop, on the drawing where it first appears (the toes show
    // in both views; the copy is for the pointer only).
    map.querySelectorAll("[data-foot-map-drawing]").forEach(function (drawing) {
      var seen = {};
      drawing.querySelectorAll("svg").forEach(function (svg) {
        svg.removeAttribute("aria-hidden");
        svg.setAttribute("role", "group");
        svg.setAttribute("aria-label", svg.querySelector("text").textContent + ", " +
          svg.querySelectorAll("text")[1].textContent);
      });
      drawing.querySelectorAll(".foot-map__region").forEach(function (shape) {
        var code = shape.dataset.region;
        if (!seen[code]) {
          seen[code] = true;
          shape.setAttribute("role", "checkbox");
          shape.setAttribute("tabindex", "0");
          shape.setAttribute("aria-label", shape.dataset.label);
        } else {
          shape.setAttribute("aria-hidden", "true");
        }
        shape.addEventListener("click", function () { toggle(code); });
        shape.addEventListener("keydown", function (event) {
          if (event.key === " " || event.key === "Enter") {
            event.preventDefault();
            toggle(code);
          }
        });
      });
    });

    // "I'm not sure where" and marked places exclude each other (the server refuses both).
    Object.keys(boxes).forEach(function (code) {
      boxes[code].addEventListener("change", function () {
        if (boxes[code].checked) {
          Object.keys(boxes).forEach(function (other) {
            if (other !== code && (code === "not_sure" || other === "not_sure")) boxes[other].checked = false;
          });
        }
        refresh();
      });
    });

    // Show the foot the patient chose on the same page. Both feet: both drawings; the regions
    // are one set for both feet, so the right drawing is a pointer-only mirror and the keyboard
    // and screen readers meet each region once, on the left drawing.
    var form = map.closest("form");
    var sideName = map.dataset.sideField;
    function showSide() {
      var chosen = form && form.querySelector('input[name="' + sideName + '"]:checked');
      var side = chosen ? chosen.value : "left";
      map.querySelectorAll("[data-foot-map-drawing]").forEach(function (drawing) {
        var foot = drawing.dataset.footMapDrawing;
        var mirror = side === "both" && foot === "right";
        drawing.hidden = !(side === "both" || foot === (side === "right" ? "right" : "left"));
        drawing.querySelectorAll("svg").forEach(function (svg) {
          if (mirror) svg.setAttribute("aria-hidden", "true"); else svg.removeAttribute("aria-hidden");
        });
        drawing.querySelectorAll('[role="checkbox"]').forEach(function (shape) {
          shape.setAttribute("tabindex", mirror ? "-1" : "0");
        });
      });
    }
    if (form) {
      form.querySelectorAll('input[name="' + sideName + '"]').forEach(function (radio) {
        radio.addEventListener("change", showSide);
      });
      showSide();
    }

    map.querySelector("[data-foot-map-nojs-hint]").hidden = true;
    map.querySelector("[data-foot-map-js-hint]").hidden = false;
    summary.hidden = false;
    map.classList.add("is-enhanced");
    refresh();
  }

  document.querySelectorAll("[data-foot-map]").forEach(enhance);
})();
