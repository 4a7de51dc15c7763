// The chat page's enhancements; the page works fully without them (see web/chat/routes.py).
(function () {
  "use strict";

  // Quick exit: hide the page at once, then replace it and its history entry.
  function leave(event) {
    var link = document.querySelector("[data-llais-exit]");
    if (!link) return;
    if (event) event.preventDefault();
    var where = link.getAttribute("data-llais-exit") || "/leave";
    document.body.classList.add("llais-leaving");
    window.location.replace(where);
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-llais-exit]")) leave(event);
  });
  // Shift pressed three times leaves too (GOV.UK's exit-this-page shortcut).
  var presses = 0;
  var timer = null;
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      presses = 0;
      return;
    }
    presses += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { presses = 0; }, 5000);
    if (presses >= 3) leave(null);
  });

  // After a post: clear the field, show the new messages, and put focus where the learner
  // goes next (the first new choice after pressing one, else the message field).
  var lastKind = "text";
  document.addEventListener("htmx:configRequest", function (event) {
    var trigger = event.detail.triggeringEvent;
    var submitter = trigger && trigger.submitter;
    var typed = document.getElementById("llais-text");
    lastKind = submitter && submitter.name === "choice" && !(typed && typed.value.trim())
      ? "choice" : "text";
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "llais-messages") return;
    var field = document.getElementById("llais-text");
    if (field) field.value = "";
    var messages = document.querySelectorAll("#llais-messages .llais-message");
    if (messages.length) messages[messages.length - 1].scrollIntoView({ block: "nearest" });
    var choice = document.querySelector("#llais-controls .llais-choice");
    if (lastKind === "choice" && choice) choice.focus();
    else if (field) field.focus();
  });

  // An error page (too many messages, an ended session...) replaces the page, as without
  // JavaScript, instead of failing silently.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 400) return;
    event.detail.shouldSwap = false;
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    document.title = doc.title;
    document.documentElement.lang = doc.documentElement.lang || document.documentElement.lang;
    document.body.replaceWith(document.adoptNode(doc.body));
    document.body.classList.add("js-enabled", "govuk-frontend-supported");
    var heading = document.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });
  document.addEventListener("htmx:sendError", function () {
    var field = document.getElementById("llais-text");
    if (field) field.focus();
  });
})();
