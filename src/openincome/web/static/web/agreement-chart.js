// Draws the agreement chart (expected balance under the plan against the arrears §4 compares) from
// the JSON the account page embeds; the table beneath holds the same figures.
(function () {
  var source = document.getElementById("agreement-data");
  var canvas = document.getElementById("agreement-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.map(function (p) { return p.label || p.date; }),
      datasets: [
        { label: "Expected (£)", data: data.map(function (p) { return p.expected / 100; }),
          borderColor: "#00703c", backgroundColor: "#00703c", stepped: true },
        { label: "Arrears (£)", data: data.map(function (p) { return p.arrears / 100; }),
          borderColor: "#1d70b8", backgroundColor: "#1d70b8", stepped: true }
      ]
    },
    options: { animation: false, maintainAspectRatio: false }
  });
})();
