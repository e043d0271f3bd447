/*
 * The news item form in the admin: the editor's text is marked as being in
 * the language chosen for the item (the form sets it when the page is made),
 * and follows the choice when it changes, for screen readers and spelling.
 * The errors and help Django gives the hidden textarea (aria-invalid,
 * aria-describedby) are the editing area's: a screen reader there heard none.
 * (The publication time's date and time: js/admin-keyboard.js, as every form's.)
 */
(function () {
  "use strict";

  var EDITOR_ID = "id_body";
  var DESCRIBING = ["aria-invalid", "aria-describedby"];

  document.addEventListener("DOMContentLoaded", function () {
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
