// The dashboard's downlink timing chart: how far each downlink's measured start was from its
// scheduled start, in decade bins either side of zero (the API's downlinkStartErrors). Inline SVG
// built in the browser, text only; the page assets stay ASCII (\u escapes).

export const START_ERROR_SECTION = String.raw`<section><h2>Downlink start error</h2><svg id="txerr" viewBox="0 0 300 120" role="img" aria-label="downlink start error histogram"></svg><p class="note">Measured start minus scheduled start. On time: within one symbol of the downlink's datarate (a LoRaMac-node device needs 6 of the 8 preamble symbols).</p></section>`;

/** Defines startErrorChart(histogram) in the dashboard script's scope (it uses NS and HS from there). */
export const START_ERROR_JS = String.raw`
  function startErrorChart(h) {
    var svg = HS.$("txerr"), max = Math.max.apply(null, h.counts.concat([1])), w = 300 / h.counts.length;
    function unit(us) { var a = Math.abs(us); return (us < 0 ? "-" : "") + (a >= 1000 ? a / 1000 + "ms" : a + "\u00b5s"); }
    svg.textContent = "";
    h.counts.forEach(function (v, i) {
      var lo = i === 0 ? null : h.edgesMicros[i - 1], hi = i === h.edgesMicros.length ? null : h.edgesMicros[i];
      var label = lo === null ? "<" + unit(hi) : hi === null ? ">" + unit(lo) : lo < 0 && hi > 0 ? "\u00b1" + unit(hi) : unit(lo) + ".." + unit(hi);
      var bh = Math.round((v / max) * 90), r = document.createElementNS(NS, "rect");
      r.setAttribute("x", (i * w + 1).toFixed(1)); r.setAttribute("width", (w - 2).toFixed(1));
      r.setAttribute("y", String(96 - bh)); r.setAttribute("height", String(bh));
      r.setAttribute("fill", lo !== null && hi !== null && lo < 0 && hi > 0 ? "#3a9a4a" : "#cc7a3d");
      var t = document.createElementNS(NS, "title"); t.textContent = label + ": " + v; r.appendChild(t);
      svg.appendChild(r);
      var x = document.createElementNS(NS, "text");
      x.setAttribute("x", (i * w + w / 2).toFixed(1)); x.setAttribute("y", "108"); x.setAttribute("font-size", "6.5"); x.setAttribute("text-anchor", "middle");
      x.textContent = label; svg.appendChild(x);
      var n = document.createElementNS(NS, "text");
      n.setAttribute("x", (i * w + w / 2).toFixed(1)); n.setAttribute("y", String(94 - bh)); n.setAttribute("font-size", "8"); n.setAttribute("text-anchor", "middle");
      n.textContent = v ? String(v) : ""; svg.appendChild(n);
    });
    var e = document.createElementNS(NS, "text");
    e.setAttribute("x", "2"); e.setAttribute("y", "118"); e.setAttribute("font-size", "8"); e.textContent = "early"; svg.appendChild(e);
    var l = document.createElementNS(NS, "text");
    l.setAttribute("x", "298"); l.setAttribute("y", "118"); l.setAttribute("font-size", "8"); l.setAttribute("text-anchor", "end"); l.textContent = "late"; svg.appendChild(l);
  }
`;
