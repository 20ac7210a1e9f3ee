/* Accessible names the admin's own widgets leave out, given from what the page already
   says: select2's search boxes and comboboxes take their field's label, a tabular inline's
   inputs their column's heading, split date/time inputs "date" and "time". Runs again
   whenever the widgets redraw (select2 rebuilds its markup, inlines add rows). */
(function () {
  "use strict";

  function labelOf(element) {
    var row = element.closest(".form-row, .fieldBox, td, .form-multiline > div");
    var label = row && row.querySelector("label");
    return label ? label.textContent.replace(/[:*]\s*$/, "").trim() : "";
  }

  function name(element, text) {
    if (text && !element.getAttribute("aria-label") && !element.getAttribute("aria-labelledby")) {
      element.setAttribute("aria-label", text);
    }
  }

  function columnHeading(cell) {
    var table = cell.closest("table");
    var index = Array.prototype.indexOf.call(cell.parentNode.children, cell);
    var head = table && table.querySelectorAll("thead th")[index];
    return head ? head.textContent.trim() : "";
  }

  function fix(root) {
    root.querySelectorAll(".select2-search__field").forEach(function (input) {
      name(input, "Search " + (labelOf(input) || "choices").toLowerCase());
    });
    /* select2 names its box by the current choice alone (nothing when empty): the
       field's label, then the choice. */
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      if (box.getAttribute("data-kb-named")) return;
      var cell = box.closest("td");
      var row = box.closest(".form-row, .fieldBox, td");
      var label = row && row.querySelector("label");
      if (!label && cell) {
        /* A tabular inline's cell: its column's heading, said once, hidden. */
        label = document.createElement("span");
        label.className = "visually-hidden";
        label.textContent = columnHeading(cell);
        cell.prepend(label);
      }
      if (!label) return;
      if (!label.id) label.id = "kb-label-" + Math.random().toString(36).slice(2);
      var current = box.getAttribute("aria-labelledby");
      box.setAttribute("aria-labelledby", label.id + (current ? " " + current : ""));
      box.setAttribute("data-kb-named", "1");
    });
    root.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(function (text) {
      var cell = text.closest("td");
      name(text, labelOf(text) || (cell ? columnHeading(cell) : ""));
    });
    root.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
      list.setAttribute("role", "presentation");
    });
    root.querySelectorAll(".inline-group .tabular td").forEach(function (cell) {
      var heading = columnHeading(cell);
      cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (input) {
        if (!(input.labels && input.labels.length)) name(input, heading);
      });
    });
    /* A change list's editable columns: the column's heading and the row's item. */
    root.querySelectorAll("#result_list tbody td").forEach(function (cell) {
      var heading = columnHeading(cell);
      var item = cell.parentNode.querySelector("th, td.field-__str__");
      var which = item ? item.textContent.trim() : "";
      cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (input) {
        if (input.type === "checkbox" && input.classList.contains("action-select")) return;
        if (!(input.labels && input.labels.length)) name(input, (heading + " of " + which).trim());
      });
    });
    root.querySelectorAll(".datetime input.vDateField").forEach(function (input) {
      name(input, (labelOf(input) + " date").trim());
    });
    root.querySelectorAll(".datetime input.vTimeField").forEach(function (input) {
      name(input, (labelOf(input) + " time").trim());
    });
    root.querySelectorAll("span.help-tooltip[aria-label]").forEach(function (span) {
      span.setAttribute("role", "img");
    });
    root.querySelectorAll("th.original:empty").forEach(function (th) {
      th.innerHTML = '<span class="visually-hidden">Saved row</span>';
    });
  }

  function start() {
    fix(document);
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        fix(document);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
