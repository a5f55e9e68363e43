/*
 * A form's error summary ([data-resume-erreurs]): the focus goes to it when the page
 * opens, so a screen reader reads it first and the keyboard starts there; a link of it
 * takes the focus to its field's first control (a fieldset is no control). Without this
 * script the summary is still at the top and its links still lead to the fields.
 * No inline script: a CSP forbids them.
 */
(function () {
  "use strict";

  function controle(cible) {
    if (cible.matches("input, select, textarea, button")) return cible;
    return cible.querySelector("input:not([type=hidden]), select, textarea");
  }

  function demarrer() {
    var resume = document.querySelector("[data-resume-erreurs]");
    if (!resume) return;
    if (document.activeElement !== resume) resume.focus();
    resume.addEventListener("click", function (event) {
      var lien = event.target.closest && event.target.closest("a[href^='#']");
      if (!lien) return;
      var cible = document.getElementById(decodeURIComponent(lien.hash.slice(1)));
      var champ = cible && controle(cible);
      if (!champ) return;
      event.preventDefault();
      cible.scrollIntoView({ block: "center" });
      champ.focus({ preventScroll: true });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", demarrer);
  } else {
    demarrer();
  }
})();
