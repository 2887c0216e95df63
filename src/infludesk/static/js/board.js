// Kanban drag and drop: dropping a deal card on a stage column posts the move with htmx and
// swaps in the board the server returns (with the pipeline's reason when it refuses).
// Keyboard users use the "Move to" form on each card, which posts to the same endpoint.
(function () {
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".deal[draggable=true]");
    if (!card) return;
    event.dataTransfer.setData("text/plain", card.dataset.deal);
    event.dataTransfer.effectAllowed = "move";
  });
  document.addEventListener("dragover", function (event) {
    if (event.target.closest && event.target.closest("#board .column")) event.preventDefault();
  });
  document.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest("#board .column");
    if (!column) return;
    event.preventDefault();
    var deal = event.dataTransfer.getData("text/plain");
    var board = document.getElementById("board");
    if (!deal || !board || !window.htmx) return;
    window.htmx.ajax("POST", board.dataset.moveUrl, {
      target: "#board-wrap",
      swap: "outerHTML",
      values: { deal: deal, stage: column.dataset.stage, csrfmiddlewaretoken: csrf() },
    });
  });
})();
