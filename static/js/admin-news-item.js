/*
 * The news item form in the admin: the editor's text is marked as being in
 * the language chosen for the item (the form sets it when the page is made),
 * and follows the choice when it changes, for screen readers and spelling.
 */
(function () {
  "use strict";

  var EDITOR_ID = "id_body";

  document.addEventListener("DOMContentLoaded", function () {
    var language = document.getElementById("id_language");
    if (!language || !window.ckeditorRegisterCallback) {
      return;
    }
    function follow(editor) {
      language.addEventListener("change", function () {
        editor.editing.view.change(function (writer) {
          writer.setAttribute("lang", language.value, editor.editing.view.document.getRoot());
        });
      });
    }
    var editor = window.editors && window.editors[EDITOR_ID];
    if (editor) {
      follow(editor);
    } else {
      window.ckeditorRegisterCallback(EDITOR_ID, follow);
    }
  });
})();
