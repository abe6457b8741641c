// After the finder's form is sent, move focus to its results, so that a keyboard or screen
// reader user starts there instead of at the top of the page.
document.addEventListener("DOMContentLoaded", function () {
  var results = document.getElementById("results");
  if (results) {
    results.focus();
  }
});
