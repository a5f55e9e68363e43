/*
 * Territory field (acteurs.territoires.TerritoireWidget): pick a suggestion with the mouse
 * or the keyboard. htmx fetches the suggestions; this script only lets one choose them.
 * Without it (or without JavaScript) the field still works: the server resolves the text.
 *
 * Keys in the input: ArrowDown / ArrowUp move through the suggestions, Enter picks the
 * highlighted one (instead of submitting the form), Escape closes the list.
 */
(function () {
  "use strict";

  if (window.territoiresCharge) return;
  window.territoiresCharge = true;

  var SELECTEUR_CHAMP = "input[data-territoire]";

  function listeDe(champ) {
    return document.getElementById(champ.getAttribute("aria-controls"));
  }

  function options(liste) {
    return liste ? Array.prototype.slice.call(liste.querySelectorAll("[role=option][data-valeur]")) : [];
  }

  function champDe(liste) {
    return document.querySelector(SELECTEUR_CHAMP + '[aria-controls="' + liste.id + '"]');
  }

  function fermer(champ) {
    var liste = listeDe(champ);
    if (liste) liste.innerHTML = "";
    champ.setAttribute("aria-expanded", "false");
    champ.removeAttribute("aria-activedescendant");
  }

  // The options are plain list items (an interactive control inside an option would be
  // announced twice): aria-selected marks the highlighted one, the stylesheet shows it.
  function surligner(champ, index) {
    var choix = options(listeDe(champ));
    if (!choix.length) return;
    index = (index + choix.length) % choix.length;
    choix.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    var actif = choix[index];
    champ.setAttribute("aria-activedescendant", actif.id);
    actif.scrollIntoView({ block: "nearest" });
  }

  function indexActif(champ) {
    var choix = options(listeDe(champ));
    for (var i = 0; i < choix.length; i++) {
      if (choix[i].getAttribute("aria-selected") === "true") return i;
    }
    return -1;
  }

  function choisir(champ, option) {
    champ.value = option.getAttribute("data-valeur");
    fermer(champ);
    champ.focus();
    champ.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // New suggestions arrived: number them for aria-activedescendant, open the list.
  document.addEventListener("htmx:afterSwap", function (event) {
    var liste = event.detail.target;
    if (!liste || !liste.classList || !liste.classList.contains("suggestions")) return;
    var champ = champDe(liste);
    if (!champ) return;
    Array.prototype.forEach.call(liste.querySelectorAll("li"), function (li, i) {
      li.id = liste.id + "-" + i;
    });
    champ.removeAttribute("aria-activedescendant");
    champ.setAttribute("aria-expanded", liste.children.length ? "true" : "false");
  });

  document.addEventListener("keydown", function (event) {
    var champ = event.target;
    if (!champ.matches || !champ.matches(SELECTEUR_CHAMP)) return;
    var choix = options(listeDe(champ));
    var actif = indexActif(champ);
    switch (event.key) {
      case "ArrowDown":
        if (!choix.length) return;
        event.preventDefault();
        surligner(champ, actif + 1);
        break;
      case "ArrowUp":
        if (!choix.length) return;
        event.preventDefault();
        surligner(champ, actif < 0 ? -1 : actif - 1);
        break;
      case "Enter":
        if (actif < 0) return; // nothing highlighted: the form submits as usual
        event.preventDefault();
        choisir(champ, choix[actif]);
        break;
      case "Escape":
        if (champ.getAttribute("aria-expanded") !== "true") return;
        event.preventDefault();
        fermer(champ);
        break;
    }
  });

  // Keep the focus in the input when a suggestion is pressed, then take it on click.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest(".suggestions [data-valeur]")) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest(".suggestions [data-valeur]");
    if (!option) return;
    var champ = champDe(option.closest(".suggestions"));
    if (champ) choisir(champ, option);
  });

  // Leaving the field closes its list.
  document.addEventListener("focusout", function (event) {
    var champ = event.target;
    if (!champ.matches || !champ.matches(SELECTEUR_CHAMP)) return;
    var liste = listeDe(champ);
    if (liste && event.relatedTarget && liste.contains(event.relatedTarget)) return;
    window.setTimeout(function () {
      if (document.activeElement !== champ) fermer(champ);
    }, 150);
  });
})();
