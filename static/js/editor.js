/* Authoring aids for the content forms: a live Markdown preview, "Insert image" buttons and
   autocomplete chips for long multiple selects. Progressive enhancement: without this script
   the page is the plain Django form, and with it the form still posts the same fields.

   Contract: attributes on an element [data-editor] that wraps the form.
     data-markdown-fields="body summary"  names of the <textarea>s that get a live preview
                                          (and an "Insert image" button, given an upload URL)
     data-preview-url="/preview/"          POST text → 200 sanitised HTML fragment, 400 message
     data-upload-url="/uploads/images/"    POST file, alt → 201 {"markdown", "url", ...},
                                          4xx {"error"}; optional. The form's own image
                                          field ([data-upload-fallback]) is then hidden.
     data-autocomplete-fields="a b"        names of the <select multiple>s to turn into chips
     data-autocomplete-url="/…/related/"   GET field=<name>&q=… → {"results": [{"id", "label"}]}
   The CSRF token comes from the form's csrfmiddlewaretoken input (the cookie is HttpOnly). */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !window.AbortController) return;

  const PREVIEW_DELAY_MS = 400;
  const SEARCH_DELAY_MS = 200;
  const SESSION_ENDED =
    "You have been signed out. Sign in again in another tab, then carry on here.";
  const ACCEPTED_IMAGES = "image/jpeg,image/png,image/gif,image/webp";
  let lastId = 0;

  function nextId(prefix) {
    lastId += 1;
    return prefix + "-" + lastId;
  }

  function namesIn(element, attribute) {
    return (element.getAttribute(attribute) || "").split(/\s+/).filter(Boolean);
  }

  function make(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (value === true) node.setAttribute(name, "");
      else if (value !== false && value != null) node.setAttribute(name, value);
    });
    if (text) node.textContent = text;
    return node;
  }

  function controlsNamed(root, names, selector) {
    const controls = Array.from(root.querySelectorAll(selector));
    return names.map((name) => controls.find((control) => control.name === name)).filter(Boolean);
  }

  function labelFor(control) {
    const label = control.id ? document.querySelector('label[for="' + control.id + '"]') : null;
    return label ? label.textContent.replace(/:\s*$/, "").trim() : control.name;
  }

  function csrfToken(root) {
    const input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* Errors meant for the author carry their message; anything else (a network failure, a
     sign-in page where JSON was expected) gets a general one. */
  function problem(message) {
    const error = new Error(message);
    error.forAuthor = true;
    return error;
  }

  function messageFor(error, what) {
    if (error && error.forAuthor) return error.message;
    return what + " is unavailable: check your connection and try again.";
  }

  /* Markdown fields: a preview pane beside (wide screens) or below the textarea. */

  function enhanceMarkdown(root, textarea, previewUrl, uploadUrl) {
    const title = labelFor(textarea);
    const toolbar = make("div", { class: "md-toolbar" });
    const status = make("p", { class: "md-status", role: "status", "aria-live": "polite" });
    const panes = make("div", { class: "md-panes" });
    const preview = make("section", { class: "md-preview", "aria-label": "Preview of " + title });
    const heading = make("p", { class: "md-preview-title", "aria-hidden": "true" }, "Preview");
    const errorLine = make("p", { class: "md-error", "aria-live": "polite", hidden: true });
    const output = make("div", { class: "md-preview-body prose" });
    preview.append(heading, errorLine, output);
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(panes, textarea);
    panes.append(textarea, preview);
    toolbar.append(status);
    textarea.classList.add("md-input");

    let timer = null;
    let controller = null;
    let shown = null;

    function showProblem(message) {
      errorLine.textContent = message;
      errorLine.hidden = !message;
    }

    async function refresh() {
      const text = textarea.value;
      if (controller) controller.abort();
      if (text === shown) return;
      if (!text.trim()) {
        shown = text;
        output.replaceChildren(make("p", { class: "md-empty" }, "Nothing to preview yet."));
        showProblem("");
        return;
      }
      const mine = (controller = new AbortController());
      const body = new FormData();
      body.append("text", text);
      preview.setAttribute("aria-busy", "true");
      try {
        const response = await fetch(previewUrl, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(root), Accept: "text/html" },
          signal: mine.signal,
        });
        if (response.redirected) throw problem(SESSION_ENDED);
        const reply = await response.text();
        if (response.status === 400) return showProblem(reply);
        if (!response.ok) return showProblem("The preview failed (error " + response.status + ").");
        shown = text;
        output.innerHTML = reply; /* sanitised on the server by nh3's allow-list */
        showProblem("");
      } catch (error) {
        if (error.name !== "AbortError") showProblem(messageFor(error, "The preview"));
      } finally {
        if (controller === mine) preview.removeAttribute("aria-busy");
      }
    }

    textarea.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, PREVIEW_DELAY_MS);
    });
    refresh();

    if (uploadUrl) addImageButton(root, textarea, title, toolbar, status, uploadUrl);
  }

  /* "Insert image": upload through the server's checks, then insert its Markdown. */

  function addImageButton(root, textarea, title, toolbar, status, uploadUrl) {
    const picker = make("input", {
      type: "file",
      accept: ACCEPTED_IMAGES,
      hidden: true,
      tabindex: "-1",
    });
    const button = make(
      "button",
      { type: "button", class: "button md-insert-image" },
      "Insert image",
    );
    button.append(make("span", { class: "visually-hidden" }, " into " + title));
    toolbar.insertBefore(button, status);
    toolbar.insertBefore(picker, status);
    let busy = false;
    let focused = false;
    textarea.addEventListener("focus", () => {
      focused = true;
    });

    function say(message, isError) {
      status.textContent = message;
      status.classList.toggle("md-status-error", Boolean(isError));
    }

    function insert(markdown) {
      /* Before the author has clicked into the text, add the image at the end. */
      const start = focused ? textarea.selectionStart : textarea.value.length;
      const end = focused ? textarea.selectionEnd : start;
      const before = textarea.value.slice(0, start);
      const after = textarea.value.slice(end);
      const lead = !before || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
      const trail =
        !after || after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
      textarea.focus();
      textarea.setRangeText(lead + markdown + trail, start, end, "end");
      if (markdown.startsWith("![](")) {
        /* No alt text yet: leave the cursor between the brackets for the author to write it. */
        const inside = start + lead.length + 2;
        textarea.setSelectionRange(inside, inside);
      }
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function upload(file) {
      const data = new FormData();
      data.append("file", file);
      const request = new XMLHttpRequest();
      request.open("POST", uploadUrl);
      request.setRequestHeader("X-CSRFToken", csrfToken(root));
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) {
          say(
            "Uploading " + file.name + "… " + Math.round((event.loaded / event.total) * 100) + "%",
          );
        }
      });
      request.addEventListener("load", () => {
        busy = false;
        button.removeAttribute("aria-busy");
        let reply = {};
        try {
          reply = JSON.parse(request.responseText);
        } catch (error) {
          reply = {};
        }
        if (request.status === 201 && reply.markdown) {
          insert(reply.markdown);
          say(
            "Image inserted. Describe it between the square brackets for people who cannot see it.",
          );
        } else if (reply.error) {
          say(reply.error, true);
        } else if (request.status < 400) {
          say(SESSION_ENDED, true); /* redirected to the sign-in page */
        } else {
          say("The upload failed (error " + request.status + ").", true);
        }
      });
      request.addEventListener("error", () => {
        busy = false;
        button.removeAttribute("aria-busy");
        say(messageFor(null, "Uploading"), true);
      });
      busy = true;
      button.setAttribute("aria-busy", "true");
      say("Uploading " + file.name + "…");
      request.send(data);
    }

    button.addEventListener("click", () => {
      if (!busy) picker.click();
    });
    picker.addEventListener("change", () => {
      const file = picker.files && picker.files[0];
      picker.value = ""; /* so that choosing the same file again uploads it again */
      if (file) upload(file);
    });
  }

  /* Multiple selects: type to search, choose into removable chips; the select stays in the
     form (hidden) and its selected options are what the form posts. */

  function enhanceSelect(select, searchUrl) {
    const title = labelFor(select);
    const listId = nextId("autocomplete-options");
    const box = make("div", { class: "ac" });
    const chips = make("ul", { class: "ac-chips", "aria-label": "Chosen: " + title });
    const input = make("input", {
      type: "text",
      id: (select.id || nextId("autocomplete")) + "-search",
      class: "ac-input",
      role: "combobox",
      autocomplete: "off",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listId,
      "aria-describedby": select.getAttribute("aria-describedby"),
      "aria-invalid": select.getAttribute("aria-invalid"),
      placeholder: "Type to search titles, or press ↓ to browse",
    });
    const list = make("ul", {
      id: listId,
      class: "ac-options",
      role: "listbox",
      "aria-label": "Matches",
      hidden: true,
    });
    const status = make("p", { class: "ac-status", role: "status", "aria-live": "polite" });
    const label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label) label.htmlFor = input.id;
    select.parentNode.insertBefore(box, select);
    box.append(chips, input, list, status);
    select.hidden = true;
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");

    let results = [];
    let active = -1;
    let timer = null;
    let controller = null;

    function renderChips() {
      chips.replaceChildren();
      Array.from(select.selectedOptions).forEach((option) => {
        const chip = make("li", { class: "ac-chip" });
        const remove = make(
          "button",
          { type: "button", class: "ac-remove", "aria-label": "Remove " + option.text },
          "×",
        );
        remove.addEventListener("click", () => unchoose(option));
        chip.append(make("span", {}, option.text), remove);
        chips.append(chip);
      });
      chips.hidden = !select.selectedOptions.length;
    }

    function close() {
      list.hidden = true;
      list.replaceChildren();
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      results = [];
      active = -1;
    }

    function highlight(index) {
      const options = Array.from(list.children);
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach((option, i) =>
        option.setAttribute("aria-selected", i === active ? "true" : "false"),
      );
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function show(items, query) {
      const chosen = new Set(Array.from(select.selectedOptions, (option) => option.value));
      close();
      results = items.filter((item) => !chosen.has(String(item.id)));
      results.forEach((item, index) => {
        const option = make(
          "li",
          {
            id: listId + "-" + index,
            class: "ac-option",
            role: "option",
            "aria-selected": "false",
          },
          item.label,
        );
        option.addEventListener("mousedown", (event) => event.preventDefault()); /* keep focus */
        option.addEventListener("click", () => choose(index));
        list.append(option);
      });
      if (!results.length) {
        status.textContent = query
          ? "No published titles match “" + query + "”."
          : "Nothing more to add.";
        return;
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent =
        results.length +
        (results.length === 1 ? " match" : " matches") +
        ": use ↑ and ↓, then Enter.";
    }

    function choose(index) {
      const item = results[index];
      if (!item) return;
      let option = Array.from(select.options).find(
        (candidate) => candidate.value === String(item.id),
      );
      if (!option) {
        option = new Option(item.label, String(item.id));
        select.add(option);
      }
      option.selected = true;
      input.value = "";
      close();
      renderChips();
      status.textContent = "Added “" + item.label + "”.";
      input.focus();
    }

    function unchoose(option) {
      option.selected = false;
      renderChips();
      status.textContent = "Removed “" + option.text + "”.";
      input.focus();
    }

    async function search() {
      const query = input.value.trim();
      if (controller) controller.abort();
      const mine = (controller = new AbortController());
      const url = new URL(searchUrl, window.location.href);
      url.searchParams.set("field", select.name);
      url.searchParams.set("q", query);
      try {
        const response = await fetch(url, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: mine.signal,
        });
        if (response.redirected) throw problem(SESSION_ENDED);
        if (!response.ok) throw problem("Search failed (error " + response.status + ").");
        const data = await response.json();
        if (input.value.trim() === query && document.activeElement === input)
          show(data.results || [], query);
      } catch (error) {
        if (error.name !== "AbortError") status.textContent = messageFor(error, "Search");
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(search, SEARCH_DELAY_MS);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) search();
        else highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!list.hidden) highlight(active - 1);
      } else if (event.key === "Enter") {
        /* Enter chooses; it never submits the whole form from here. */
        event.preventDefault();
        if (!list.hidden) choose(active >= 0 ? active : 0);
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Backspace" && !input.value && select.selectedOptions.length) {
        const chosen = select.selectedOptions;
        unchoose(chosen[chosen.length - 1]);
      }
    });
    input.addEventListener("blur", close);
    renderChips();
  }

  document.querySelectorAll("[data-editor]").forEach((root) => {
    const previewUrl = root.getAttribute("data-preview-url");
    const uploadUrl = root.getAttribute("data-upload-url");
    const searchUrl = root.getAttribute("data-autocomplete-url");
    if (previewUrl) {
      const textareas = controlsNamed(root, namesIn(root, "data-markdown-fields"), "textarea");
      textareas.forEach((textarea) => {
        enhanceMarkdown(root, textarea, previewUrl, uploadUrl);
      });
      /* The form's own image field is for browsers without this script: with "Insert image"
         buttons it is hidden, unless it is showing an error. */
      if (uploadUrl && textareas.length) {
        root.querySelectorAll("[data-upload-fallback]").forEach((fallback) => {
          if (!fallback.querySelector(".field-error")) fallback.hidden = true;
        });
      }
    }
    if (searchUrl) {
      controlsNamed(root, namesIn(root, "data-autocomplete-fields"), "select[multiple]").forEach(
        (select) => {
          enhanceSelect(select, searchUrl);
        },
      );
    }
  });
})();
