// AyaQC pages: keyboard shortcuts on the item page. Everything also works without this file.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('answer');
    if (!form) return;
    var good = document.getElementById('verdict-good');
    var bad = document.getElementById('verdict-bad');
    var type = document.getElementById('error-type');
    function syncType() { type.disabled = !bad.checked; if (!bad.checked) type.value = ''; }
    good.addEventListener('change', syncType);
    bad.addEventListener('change', syncType);
    syncType();
    document.addEventListener('keydown', function (e) {
      if (e.ctrlKey || e.altKey || e.metaKey) return;
      var target = e.target.tagName;
      if (target === 'TEXTAREA' || (target === 'INPUT' && e.target.type === 'text')) return; // typing a post-edit
      var k = e.key.toLowerCase();
      if (k === 'g') { good.checked = true; syncType(); e.preventDefault(); form.requestSubmit(); }
      else if (k === 'b') { bad.checked = true; syncType(); type.focus(); e.preventDefault(); }
      else if (k >= '1' && k <= '9' && bad.checked) {
        var option = type.options[parseInt(k, 10)];
        if (option) { type.value = option.value; e.preventDefault(); }
      }
      else if (k === 'enter' && (good.checked || bad.checked)) { e.preventDefault(); form.requestSubmit(); }
    });
  });
})();
