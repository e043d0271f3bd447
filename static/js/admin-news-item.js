/*
 * The news item form in the admin: the editor's text is marked as being in
 * the language chosen for the item (the form sets it when the page is made),
 * and follows the choice when it changes, for screen readers and spelling.
 * The errors and help Django gives the hidden textarea (aria-invalid,
 * aria-describedby) are the editing area's: a screen reader there heard none.
 *
 * The publication time's date and time fields are a group named by the row's
 * label, and described by its errors and help: Django's label belongs to
 * neither field, and links neither its help nor its errors to them.
 */
(function () {
  "use strict";

  var EDITOR_ID = "id_body";
  var DESCRIBING = ["aria-invalid", "aria-describedby"];

  var PUBLICATION_TIME = "published_at";

  function groupPublicationTime() {
    var row = document.querySelector(".form-row.field-" + PUBLICATION_TIME);
    var label = row && row.querySelector(".flex-container > label:not([for])");
    var pair = row && row.querySelector("p.datetime");
    if (!label || !pair) {
      return;
    }
    label.id = "id_" + PUBLICATION_TIME + "_label";
    pair.setAttribute("role", "group");
    pair.setAttribute("aria-labelledby", label.id);
    // Django gives the error list its id, not the help.
    var help = row.querySelector(".help");
    if (help) {
      help.id = "id_" + PUBLICATION_TIME + "_helptext";
    }
    var notes = [row.querySelector(".errorlist"), help].filter(Boolean).map(function (note) {
      return note.id;
    });
    if (notes.length) {
      pair.querySelectorAll("input").forEach(function (input) {
        input.setAttribute("aria-describedby", notes.join(" "));
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    groupPublicationTime();
    var language = document.getElementById("id_language");
    var textarea = document.getElementById(EDITOR_ID);
    if (!language || !textarea || !window.ckeditorRegisterCallback) {
      return;
    }
    function setUp(editor) {
      var view = editor.editing.view;
      view.change(function (writer) {
        DESCRIBING.forEach(function (name) {
          if (textarea.hasAttribute(name)) {
            writer.setAttribute(name, textarea.getAttribute(name), view.document.getRoot());
          }
        });
      });
      language.addEventListener("change", function () {
        view.change(function (writer) {
          writer.setAttribute("lang", language.value, view.document.getRoot());
        });
      });
    }
    var editor = window.editors && window.editors[EDITOR_ID];
    if (editor) {
      setUp(editor);
    } else {
      window.ckeditorRegisterCallback(EDITOR_ID, setUp);
    }
  });
})();
