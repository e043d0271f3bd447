/*
 * The portal's one script: small and progressive. Every page works without it.
 */

/* ---- Version for the visually impaired (accessibility app) ----------------
 * The panel's forms POST to the server and reload the page without this.
 * With it, the same endpoint answers JSON: the <html> attributes, the
 * buttons' states and the switch change in place, focus stays on the pressed
 * button, scrolled into view if the new sizes moved it away, and a polite
 * live region says what changed in the page's language. The panel is folded
 * (a <details>) and opens when the switch turns the version on; Escape, or
 * the button at its end, folds it again, back on its summary.
 *
 * Back and Forward may show a page from the browser's memory as it was when
 * the visitor left it, in the settings of then: if they have changed since,
 * on another page, the page loads again. Each change is noted, with its time,
 * in localStorage for that.
 */
(function () {
  "use strict";

  var CHANGED = "portal-display-changed";
  var shownSince = Date.now();

  function noteChange() {
    shownSince = Date.now();
    try {
      window.localStorage.setItem(CHANGED, String(shownSince));
    } catch (error) {
      // Storage turned off: pages shown again keep their settings until reloaded.
    }
  }

  window.addEventListener("pageshow", function (event) {
    var changed = null;
    try {
      changed = Number(window.localStorage.getItem(CHANGED));
    } catch (error) {
      return;
    }
    if (event.persisted && changed > shownSince) {
      window.location.reload();
    }
  });

  var forms = document.querySelectorAll("form[data-display-form]");
  if (!forms.length || !window.fetch || !window.FormData) {
    return;
  }
  var root = document.documentElement;
  var status = document.querySelector("[data-display-status]");
  var panel = document.querySelector("[data-display-panel]");

  if (panel) {
    var details = panel.querySelector("details");
    var fold = function () {
      details.open = false;
      details.querySelector("summary").focus();
    };
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && details.open) {
        fold();
      }
    });
    var foldButton = panel.querySelector("[data-display-fold]");
    if (foldButton) {
      foldButton.hidden = false;
      foldButton.addEventListener("click", fold);
    }
  }

  function show(state) {
    state.attribute_names.forEach(function (name) {
      root.removeAttribute(name);
    });
    Object.keys(state.attributes).forEach(function (name) {
      root.setAttribute(name, state.attributes[name]);
    });
    document.querySelectorAll("[data-display-panel] button[aria-pressed]").forEach(function (button) {
      var pressed = state.settings[button.name] === button.value;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
    document.querySelectorAll("[data-display-switch]").forEach(function (button) {
      button.value = state.switch.value;
      button.querySelector("[data-display-switch-label]").textContent = state.switch.label;
    });
    if (panel) {
      if (panel.hidden && state.settings.active) {
        panel.querySelector("details").open = true;
      }
      panel.hidden = !state.settings.active;
    }
    if (status) {
      // Emptied first, so that saying the same thing twice is announced twice.
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = state.message;
      }, 100);
    }
  }

  function submitWithoutScript(form, button) {
    noteChange();
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = button.name;
    field.value = button.value;
    form.appendChild(field);
    form.submit();
  }

  function send(form, button) {
    var data = new FormData(form);
    data.append(button.name, button.value);
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        noteChange();
        show(state);
        if (document.activeElement === button) {
          button.scrollIntoView({ block: "nearest" });
        }
      })
      .catch(function () {
        submitWithoutScript(form, button);
      });
  }

  // One change at a time: each request carries the cookie the previous one set.
  var queue = Promise.resolve();

  forms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.name) {
        return;
      }
      event.preventDefault();
      queue = queue.then(function () {
        return send(form, button);
      });
    });
  });
})();

/* ---- Wide tables in an article ---------------------------------------------
 * A table wider than the text scrolls sideways in its box (see portal.css).
 * While it does, the box takes focus, so that the keyboard can scroll it too,
 * as a region named by the table's caption, or else "Table" in the page's
 * language (the article's data-table-name), and a line above it says that it
 * scrolls (data-table-hint); the box is checked again whenever
 * it or its table changes size (a narrower window, a larger font).
 */
(function () {
  "use strict";

  var boxes = document.querySelectorAll(
    ".article__body figure.table, .article__body :not(figure.table) > table"
  );
  if (!boxes.length || !window.ResizeObserver) {
    return;
  }
  // A line above the box says so: on a phone no scrollbar shows until the
  // table is touched, and one column that fits looked like the whole table.
  function hintFor(box) {
    if (!box.tableHint) {
      box.tableHint = document.createElement("p");
      box.tableHint.className = "table-hint";
      box.tableHint.textContent = box.closest("[data-table-hint]").getAttribute("data-table-hint");
      box.parentNode.insertBefore(box.tableHint, box);
    }
    return box.tableHint;
  }

  function tableName(box) {
    var caption = box.querySelector("caption, figcaption");
    var text = caption ? caption.textContent.trim() : "";
    return text || box.closest("[data-table-name]").getAttribute("data-table-name");
  }

  var observer = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var box = entry.target.matches("figure.table > table")
        ? entry.target.parentElement
        : entry.target;
      if (box.scrollWidth > box.clientWidth) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", tableName(box));
        hintFor(box).hidden = false;
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        if (box.tableHint) {
          box.tableHint.hidden = true;
        }
      }
    });
  });
  boxes.forEach(function (box) {
    observer.observe(box);
    if (box.matches("figure.table")) {
      box.querySelectorAll(":scope > table").forEach(function (table) {
        observer.observe(table);
      });
    }
  });
})();
