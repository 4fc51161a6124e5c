// The phone menu: on a narrow screen the main menu and the top bar's tools fold behind a
// "Menu" button (earlyhelp.css, .has-menu-toggle). Without this script nothing folds: the
// menu stays open as it is on a wide screen.
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var menu = document.getElementById("topbar-menu");
  if (!button || !menu) {
    return;
  }
  document.documentElement.classList.add("has-menu-toggle");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  });
})();
