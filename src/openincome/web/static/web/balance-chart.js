// Draws the balance chart from the JSON the page embeds; the table beneath holds the same figures.
(function () {
  var data = JSON.parse(document.getElementById("balance-data").textContent);
  var canvas = document.getElementById("balance-chart");
  if (!canvas || typeof Chart === "undefined") { return; }
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.map(function (p) { return p.label || p.date; }),
      datasets: [{ label: "Balance (£)", data: data.map(function (p) { return p.balance / 100; }),
                   borderColor: "#1d70b8", backgroundColor: "#1d70b8", stepped: true }]
    },
    options: { animation: false, maintainAspectRatio: false,
               plugins: { legend: { display: false } } }
  });
})();
