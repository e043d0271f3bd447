/*
 * Every admin page (templates/admin/base_site.html), for the keyboard and
 * screen readers.
 *
 * - A refused form: the note «Исправьте ошибки ниже» takes the focus when the
 *   page opens, followed by a link to each field in error. Django left the
 *   focus at the top of the page, or in the form's first field.
 */
"use strict";
{
  const FOCUSABLE = [
    "a[href]",
    "button:enabled",
    "input:not([type=hidden]):enabled",
    "select:enabled",
    "textarea:enabled",
    "[tabindex]:not([tabindex='-1'])",
  ].join(", ");

  // An inline's row: a table's row, or a stacked inline's box.
  const ROW = "tr.form-row[id], .inline-related[id]";

  const shown = (element) => Boolean(element) && element.getClientRects().length > 0;

  function firstFocusable(container) {
    return Array.from(container.querySelectorAll(FOCUSABLE)).find(shown);
  }

  function rowsOf(group) {
    return Array.from(group.querySelectorAll(ROW)).filter((row) => !row.matches(".empty-form"));
  }

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // A refused form.

  /** Where an error list's field takes the focus: CKEditor's and Select2's boxes stand in for their hidden fields. */
  function fieldInError(errors) {
    const field = document.getElementById(errors.id.replace(/_error$/, ""));
    if (shown(field)) {
      return field;
    }
    const describedByIt = Array.from(
      document.querySelectorAll(`[aria-describedby~="${CSS.escape(errors.id)}"]`),
    ).find(shown);
    return describedByIt || firstFocusable(errors.closest(".form-row, td") || errors.parentNode);
  }

  /** The field's name as its label says it; in an inline's row, with the inline's heading and the row's number. */
  function fieldName(errors) {
    const id = errors.id.replace(/_error$/, "");
    const field = document.getElementById(id);
    const box = errors.closest(".fieldBox, .form-row");
    const label =
      document.querySelector(`label[for="${CSS.escape(id)}"]`) ||
      document.getElementById(`${id}_label`) ||
      (box && box.querySelector("label, legend")); // a date and time's
    let name = label ? text(label) : (field && field.getAttribute("aria-label")) || "";
    name = name.replace(/:$/, "");
    const row = errors.closest(ROW);
    const group = errors.closest(".inline-group");
    if (row && group) {
      const number = rowsOf(group).indexOf(row) + 1;
      name = `${text(group.querySelector(".inline-heading"))} ${number}, ${name}`;
    }
    return name;
  }

  function summariseErrors() {
    const note = document.querySelector("#content .errornote");
    if (!note || document.body.classList.contains("login")) {
      return; // The login's fields carry its error themselves (templates/admin/login.html).
    }
    const errorLists = document.querySelectorAll("#content ul.errorlist[id$=_error]");
    if (errorLists.length) {
      const summary = document.createElement("ul");
      summary.className = "error-summary";
      for (const errors of errorLists) {
        const link = document.createElement("a");
        link.href = `#${errors.id.replace(/_error$/, "")}`;
        link.textContent = `${fieldName(errors)}: ${text(errors)}`;
        link.addEventListener("click", (event) => {
          const field = fieldInError(errors);
          if (field) {
            event.preventDefault();
            field.focus();
            field.scrollIntoView({block: "center"});
          }
        });
        summary.appendChild(document.createElement("li")).appendChild(link);
      }
      note.after(summary);
    }
    note.tabIndex = -1;
    note.focus();
  }

  // After Django's own script, which focuses an add form's first field
  // before the page has loaded.
  window.addEventListener("load", () => {
    summariseErrors();
  });
}
