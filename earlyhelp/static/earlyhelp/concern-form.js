// The report form's token (its one concern) belongs to this entry of the tab's history.
// After Send, Back shows the form again and the browser puts back what was typed, but the page
// comes with a new token; the token kept with the history entry is put back too, so that a
// second Send is the same report, which the server answers "already sent" instead of sending it
// again. A report form opened anew (a new history entry) keeps its own new token.
(function () {
  "use strict";
  var form = document.getElementById("concern-form");
  var token = form && form.querySelector("input[name='form_token']");
  if (!token) {
    return;
  }
  var here = location.pathname + location.search;
  var kept = history.state && history.state.concernForm;
  if (kept && kept.page === here && kept.token) {
    token.value = kept.token;
  }
  var state = Object.assign({}, history.state, { concernForm: { page: here, token: token.value } });
  history.replaceState(state, "");
})();
