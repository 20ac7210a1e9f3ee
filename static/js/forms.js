/* Small progressive enhancements of forms; without this script every form works as is.
   - Tag fields (data-tag-suggest="/tags/suggest/"): existing tags are offered as one types,
     in any case, through a native <datalist>; in a comma-separated field the options carry
     what comes before the last comma, so choosing one completes the last tag.
   - List filters (form.filters) apply as soon as a choice changes; "Apply" still works.
   - Escape closes the account menu (a <details>) and gives focus back to its summary.
   - A form sent back with errors puts the focus on the first field in error. */
(function () {
  "use strict";
  var count = 0;

  function suggest(input) {
    var url = input.getAttribute("data-tag-suggest");
    var list = document.createElement("datalist");
    list.id = (input.id || "tags") + "-suggestions-" + count++;
    input.after(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var last = "";

    function update() {
      var value = input.value;
      var cut = value.lastIndexOf(",");
      var before = cut < 0 ? "" : value.slice(0, cut + 1) + " ";
      var typed = value.slice(cut + 1).trim();
      if (typed.length < 2 || typed === last) return;
      last = typed;
      fetch(url + "?q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          list.replaceChildren.apply(list, data.tags.map(function (tag) {
            var option = document.createElement("option");
            option.value = before.replace(/^\s+/, "") + tag.name;
            option.label = tag.uses + (tag.uses === 1 ? " item" : " items");
            return option;
          }));
        })
        .catch(function () { /* offline: the field still takes any text */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    });
  }

  if (window.fetch) {
    document.querySelectorAll("input[data-tag-suggest]").forEach(suggest);
  }

  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.matches("select, input[type=checkbox], input[type=radio]")) {
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });

  // A click anywhere outside the open account menu closes it, as a menu does; the focus
  // stays where the click put it.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

  var invalid = document.querySelector(
    "main form [aria-invalid=true], main form .errorlist ~ :is(input, select, textarea), main form .field-error :is(input, select, textarea)"
  );
  var notice = document.querySelector("main form .notice-error[role=alert]");
  if (invalid && typeof invalid.focus === "function") invalid.focus();
  else if (notice) {
    notice.tabIndex = -1;
    notice.focus();
  }
})();
