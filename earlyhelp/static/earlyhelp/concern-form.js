// The report form (concerns/report.html): its token, immediate danger and the children's rows.
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

// Immediate danger: the stylesheet alone brings the numbers up as large buttons when the box is
// ticked (and without this script they are always named). Here the box is brought to the top of
// the screen and a screen reader is told the numbers at once (an assertive live region); the
// focus stays on the box, so that ticking it never moves the reporter elsewhere.
(function () {
  "use strict";
  var box = document.getElementById("id_immediate_danger");
  var panel = document.getElementById("danger-box");
  var announce = document.getElementById("danger-announce");
  if (!box || !panel || !announce) {
    return;
  }
  box.addEventListener("change", function () {
    if (!box.checked) {
      announce.textContent = "";
      return;
    }
    var numbers = Array.prototype.map.call(
      panel.querySelectorAll(".danger-box__call a[href^='tel:']"),
      function (link) { return link.textContent.trim(); }
    );
    announce.textContent = announce.getAttribute("data-call") + " " + numbers.join(", ");
    panel.scrollIntoView({ block: "start" });
  });
})();

// The children's rows: picking a child fills in their class (each child option carries it as
// data-group), picking a class narrows the list to its children, and the next row starts in the
// class of the row before, so that a second child of the same class is one pick away.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-child-row]"));
  function parts(row) {
    return {
      group: row.querySelector("select[name$='-group']"),
      child: row.querySelector("select[name$='-child']")
    };
  }
  function narrow(row) {
    var p = parts(row);
    if (!p.group || !p.child) {
      return;
    }
    Array.prototype.forEach.call(p.child.options, function (option) {
      var other = p.group.value && option.value && option.getAttribute("data-group") !== p.group.value;
      option.hidden = Boolean(other) && !option.selected;
      option.disabled = Boolean(other) && !option.selected;
    });
  }
  function carry(index) {
    var here = parts(rows[index]);
    var next = rows[index + 1] && parts(rows[index + 1]);
    // A class the reporter chose in the next row themselves is theirs; a carried one follows.
    if (!next || !next.group || !here.group || next.child.value) {
      return;
    }
    if (next.group.value && !next.group.hasAttribute("data-carried")) {
      return;
    }
    next.group.value = here.group.value;
    next.group.setAttribute("data-carried", "");
    narrow(rows[index + 1]);
    carry(index + 1);
  }
  rows.forEach(function (row, index) {
    var p = parts(row);
    if (!p.group || !p.child) {
      return;
    }
    narrow(row);
    p.child.addEventListener("change", function () {
      var chosen = p.child.options[p.child.selectedIndex];
      var group = chosen && chosen.getAttribute("data-group");
      if (group) {
        p.group.value = group;
        narrow(row);
      }
      carry(index);
    });
    p.group.addEventListener("change", function () {
      p.group.removeAttribute("data-carried");
      narrow(row);
      carry(index);
    });
  });
})();
