// Injected by tests/test_layout.py into a copy of a page (its Content-Security-Policy removed): finds every line
// break the browser made inside a text node and reports the ones that split a word without a hyphen
// ("uppföljnin|g") and the ones that split a requirement id ("D-|10"). The result is written into the page as
// a <pre> element with the id layout-result, which `chromium --dump-dom` prints.
(function () {
  const out = { lines: 0, words: [], ids: [] };
  const letter = /[\p{L}\p{N}]/u;
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.data;
    if (!text.trim() || node.parentElement.closest("style, script")) continue;
    let lastTop = null;
    for (let i = 0; i < text.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rects = range.getClientRects();
      if (!rects.length || rects[0].width === 0) continue; // collapsed space, unused soft hyphen
      const top = rects[0].top;
      if (lastTop !== null && Math.abs(top - lastTop) > 2) {
        out.lines++;
        const before = text.slice(0, i).replace(/\s+$/, "");
        const shown = (before.slice(-20) + "|" + text.slice(i, i + 20)).replace(/\u00ad/g, "");
        // A break at a soft hyphen draws a hyphen; Chromium reports that glyph's box for the character after the
        // soft hyphen, so the measured break can fall one character late ("dokumen-t|eras" for "dokumen-|teras").
        const hyphenated = text.slice(Math.max(0, i - 2), i).includes("\u00ad");
        const prev = before.slice(-1);
        if (!hyphenated && before.length === i && letter.test(prev) && letter.test(text[i])) {
          out.words.push(shown);
        }
        if (/(^|[^\w-])[A-H]-$/.test(before.replace(/\u00ad/g, "")) && /^\d/.test(text.slice(i))) {
          out.ids.push(shown);
        }
      }
      lastTop = top;
    }
  }
  const pre = document.createElement("pre");
  pre.id = "layout-result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
