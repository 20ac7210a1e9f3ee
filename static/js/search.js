/* Search-as-you-type for the header box. Progressive enhancement: without this script the
   box is a plain GET form to the results page. Suggestions come from /search/suggest/,
   whose titles are HTML-escaped on the server apart from <mark> highlights. */
(function () {
  "use strict";
  var input = document.getElementById("header-q");
  var list = document.getElementById("header-suggestions");
  if (!input || !list || !window.fetch) return;
  var form = input.form;
  var url = input.getAttribute("data-suggest-url");
  var timer = null;
  var controller = null;
  var active = -1;

  function options() {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  }

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var items = options();
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    items[active].scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  /* An option is not a link (no interactive element inside another): a click or Enter
     goes to its data-href. */
  function option(id, html, href, kind) {
    var li = document.createElement("li");
    li.id = id;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.className = "suggestion suggestion-" + kind;
    li.setAttribute("data-href", href);
    li.innerHTML = html; /* escaped server-side, <mark> only */
    return li;
  }

  list.addEventListener("mousedown", function (event) {
    event.preventDefault(); /* keep focus in the box until we navigate */
  });
  list.addEventListener("click", function (event) {
    var chosen = event.target.closest("[role=option]");
    if (chosen) window.location.href = chosen.getAttribute("data-href");
  });

  function render(data) {
    list.innerHTML = "";
    var n = 0;
    data.completions.forEach(function (word) {
      var words = input.value.replace(/\S+$/, "") + word;
      var href = form.action + "?q=" + encodeURIComponent(words);
      var text = document.createElement("span");
      text.textContent = words;
      list.appendChild(option("suggestion-" + n++, "Search for <strong>" + text.innerHTML + "</strong>", href, "query"));
    });
    data.results.forEach(function (result) {
      var label = result.title + (result.subtitle ? ' <span class="suggestion-meta"></span>' : "");
      var li = option("suggestion-" + n++, label, result.url, result.type);
      var meta = li.querySelector(".suggestion-meta");
      if (meta) meta.textContent = result.subtitle;
      list.appendChild(li);
    });
    if (!n) return close();
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  function fetchSuggestions() {
    var text = input.value;
    if (text.trim().length < 2) return close();
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(text), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && input.value === text) render(data); })
      .catch(function () { /* aborted or offline: the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    /* Only close: a search box would also clear what was typed (a second Escape does). */
    else if (event.key === "Escape") { event.preventDefault(); close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = options()[active].getAttribute("data-href");
    }
  });
  /* Focus leaving the box (Tab, a click elsewhere) closes the suggestions. */
  input.addEventListener("blur", close);
})();

/* Filters and facets: a "Filter" disclosure on phones, always open beside the results on
   wide screens (CSS does it with ::details-content; this covers browsers without it). */
(function () {
  "use strict";
  var wide = window.matchMedia ? window.matchMedia("(min-width: 56rem)") : null;
  if (!wide) return;
  function sync() {
    if (!wide.matches) return;
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  }
  sync();
  if (wide.addEventListener) wide.addEventListener("change", sync);
})();

/* The header's sections scroll sideways when they do not all fit (phones, and desktops
   with many sections): bring the one you are in into view, clear of the fade. */
(function () {
  "use strict";
  var nav = document.querySelector(".main-nav");
  var current = nav && nav.querySelector("[aria-current=page]");
  if (!current) return;
  var fade = 40; /* the fade's 2.5rem, at the default font size */
  var past = current.getBoundingClientRect().right - (nav.getBoundingClientRect().right - fade);
  if (past > 0) nav.scrollLeft += past;
})();
