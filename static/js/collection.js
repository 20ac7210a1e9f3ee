/* The item rows of a collection's form: "Move up" and "Move down" buttons that move a row
   and rewrite every row's position number. Progressive enhancement: without this script
   the position numbers are typed by hand and the server orders by them. */
(function () {
  "use strict";

  const root = document.querySelector("[data-collection-items]");
  if (!root) return;
  const formset = root.querySelector(".formset");
  if (!formset) return;

  function rows() {
    return Array.from(formset.querySelectorAll(".formset-row"));
  }

  function renumber() {
    let number = 1;
    rows().forEach((row) => {
      const address = row.querySelector("input[name$='-address']");
      const position = row.querySelector("input[name$='-position']");
      const removed = row.querySelector("input[name$='-DELETE']");
      if (!position) return;
      const filled = address && address.value.trim() !== "";
      if (filled && !(removed && removed.checked)) {
        position.value = String(number);
        number += 1;
      }
    });
  }

  function button(label, title, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "button";
    element.textContent = label;
    element.setAttribute("aria-label", title);
    element.addEventListener("click", onClick);
    return element;
  }

  function announce(row) {
    const focusable = row.querySelector("input[name$='-address']");
    if (focusable) focusable.focus();
  }

  rows().forEach((row) => {
    const holder = document.createElement("div");
    holder.className = "move-buttons";
    holder.append(
      button("↑", "Move this item up", () => {
        const previous = row.previousElementSibling;
        if (previous && previous.classList.contains("formset-row")) {
          previous.before(row);
          renumber();
          announce(row);
        }
      }),
      button("↓", "Move this item down", () => {
        const next = row.nextElementSibling;
        if (next && next.classList.contains("formset-row")) {
          next.after(row);
          renumber();
          announce(row);
        }
      }),
    );
    row.append(holder);
  });
})();
