/*
 * A long list of checkboxes (integration.widgets.CheckboxFiltrables) gets a text box that
 * narrows it: typing "logement" leaves only the matching choices, accents and case aside.
 * Ticked boxes stay shown, so a choice is never hidden while selected. Without this
 * script the list is complete and usable as is. No inline script: a CSP forbids them.
 */
(function () {
  "use strict";

  // The form's media may bring this script twice: one filter per list all the same.
  if (window.filtreListeCharge) return;
  window.filtreListeCharge = true;

  function plier(texte) {
    return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function installer(fieldset, libelle, numero) {
    var elements = Array.prototype.slice.call(fieldset.querySelectorAll(".fr-fieldset__element"));
    var groupe = document.createElement("div");
    groupe.className = "fr-input-group filtre-liste";
    var id = "filtre-liste-" + numero;
    var label = document.createElement("label");
    label.className = "fr-label";
    label.htmlFor = id;
    label.textContent = "Filtrer les " + libelle;
    var aide = document.createElement("span");
    aide.className = "fr-hint-text";
    aide.textContent = "Tapez une partie du libellé ; les cases cochées restent affichées.";
    label.appendChild(aide);
    var champ = document.createElement("input");
    champ.className = "fr-input";
    champ.type = "search";
    champ.id = id;
    champ.autocomplete = "off";
    var statut = document.createElement("p");
    statut.className = "fr-hint-text fr-mt-1v";
    statut.setAttribute("role", "status");
    groupe.appendChild(label);
    groupe.appendChild(champ);
    groupe.appendChild(statut);
    fieldset.parentNode.insertBefore(groupe, fieldset);

    champ.addEventListener("input", function () {
      var cherche = plier(champ.value);
      var visibles = 0;
      elements.forEach(function (element) {
        var caseACocher = element.querySelector("input[type=checkbox]");
        var montre = !cherche || (caseACocher && caseACocher.checked) ||
          plier(element.textContent).indexOf(cherche) !== -1;
        element.hidden = !montre;
        if (montre) visibles += 1;
      });
      statut.textContent = cherche ? visibles + " sur " + elements.length + " affichés" : "";
    });
    // Enter in the filter must not submit the whole form.
    champ.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
  }

  function demarrer() {
    var vus = [];
    document.querySelectorAll("input[data-filtre-liste]").forEach(function (caseACocher) {
      var fieldset = caseACocher.closest("fieldset");
      if (!fieldset || vus.indexOf(fieldset) !== -1) return;
      vus.push(fieldset);
      installer(fieldset, caseACocher.getAttribute("data-filtre-liste"), vus.length);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", demarrer);
  } else {
    demarrer();
  }
})();
