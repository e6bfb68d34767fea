/*
 * The console's one script, served as a static asset and loaded with `defer`. It only enhances: every
 * page and form works without it. Plain browser JavaScript, no dependencies, no build step.
 */
(function () {
  'use strict';
  var all = function (selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); };
  var live = document.getElementById('live');
  function announce(text) {
    if (!live) return;
    live.textContent = '';
    setTimeout(function () { live.textContent = text; }, 30);
  }

  // Tabs (seed: the profile editor is a tabbed form). Without JS the panels stand one under another.
  all('[data-tabs]').forEach(function (root) {
    var panels = all('[data-tab-panel]', root);
    if (panels.length < 2) return;
    var list = document.createElement('div');
    list.className = 'tablist';
    list.setAttribute('role', 'tablist');
    list.setAttribute('aria-label', root.getAttribute('data-tabs-label') || 'Sections');
    var tabs = panels.map(function (panel) {
      var title = panel.querySelector('.panel-title');
      var tab = document.createElement('button');
      tab.type = 'button';
      tab.id = panel.id + '-tab';
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-controls', panel.id);
      tab.setAttribute('data-testid', 'tab-' + panel.id);
      tab.textContent = title ? title.textContent : panel.id;
      if (panel.querySelector('[aria-invalid="true"]')) {
        var dot = document.createElement('span');
        dot.className = 'dot';
        dot.setAttribute('aria-label', '(has errors)');
        tab.appendChild(dot);
      }
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', tab.id);
      list.appendChild(tab);
      return tab;
    });
    root.insertBefore(list, root.firstChild);
    root.classList.add('tabs-on');
    var forms = all('form', root).filter(function (form) { return !form.closest('[data-tab-panel]'); });

    function select(index, focus, remember) {
      tabs.forEach(function (tab, i) {
        var on = i === index;
        tab.setAttribute('aria-selected', on ? 'true' : 'false');
        tab.tabIndex = on ? 0 : -1;
        panels[i].hidden = !on;
      });
      // A form that wraps several panels (with its Save button) shows only while one of its panels does.
      forms.forEach(function (form) { form.hidden = !form.contains(panels[index]); });
      if (focus) tabs[index].focus();
      if (remember && history.replaceState) history.replaceState(null, '', '#' + panels[index].id);
    }
    function panelIndexOf(element) {
      var panel = element && element.closest('[data-tab-panel]');
      return panel ? panels.indexOf(panel) : -1;
    }

    list.addEventListener('click', function (event) {
      var tab = event.target.closest('[role="tab"]');
      if (tab) select(tabs.indexOf(tab), false, true);
    });
    list.addEventListener('keydown', function (event) {
      var current = tabs.indexOf(document.activeElement);
      if (current < 0) return;
      var next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      select((next + tabs.length) % tabs.length, true, true);
    });
    // The browser cannot point at an invalid field in a hidden panel: show its panel first.
    root.addEventListener('invalid', function (event) {
      var index = panelIndexOf(event.target);
      if (index >= 0 && panels[index].hidden) select(index, false, false);
    }, true);
    // Links to a field (the error summary) or a panel (#api-tokens) open its tab.
    document.addEventListener('click', function (event) {
      var link = event.target.closest('a[href^="#"]');
      if (!link || link.getAttribute('href').length < 2) return;
      var target = document.getElementById(link.getAttribute('href').slice(1));
      var index = panels.indexOf(target) >= 0 ? panels.indexOf(target) : panelIndexOf(target);
      if (index < 0) return;
      select(index, false, false);
      if (target !== panels[index]) { event.preventDefault(); target.focus(); }
    });

    function hashIndex() {
      var target = location.hash.length > 1 ? document.getElementById(location.hash.slice(1)) : null;
      if (!target) return -1;
      return panels.indexOf(target) >= 0 ? panels.indexOf(target) : panelIndexOf(target);
    }
    window.addEventListener('hashchange', function () {
      var index = hashIndex();
      if (index >= 0) select(index, false, false);
    });

    // First the tab with a refused field, else the one the address names (#api-tokens), else the first.
    var initial = panelIndexOf(root.querySelector('[aria-invalid="true"]'));
    if (initial < 0) initial = hashIndex();
    select(initial < 0 ? 0 : initial, false, false);
  });

  // A refused form: bring its error summary into view and focus, so it is read out first.
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();

  // Live character counts on fields with a maxlength (the limits come from the server's constants).
  all('[data-count]').forEach(function (field) {
    var max = Number(field.getAttribute('maxlength'));
    if (!max) return;
    var counter = document.createElement('span');
    counter.className = 'count';
    counter.id = field.id + '-count';
    field.insertAdjacentElement('afterend', counter);
    field.setAttribute('aria-describedby', ((field.getAttribute('aria-describedby') || '') + ' ' + counter.id).trim());
    function update() {
      var length = field.value.length;
      counter.textContent = length + ' / ' + max;
      counter.classList.toggle('near', length >= max * 0.9 && length < max);
      counter.classList.toggle('full', length >= max);
    }
    field.addEventListener('input', update);
    update();
  });

  // Profile name: is it free? Asked as the user types, debounced; the server checks again on save.
  all('[data-name-check]').forEach(function (field) {
    var status = document.getElementById(field.getAttribute('data-status'));
    var original = field.getAttribute('data-original') || '';
    var timer = 0;
    var pending = null;
    function show(kind, text) {
      if (!status) return;
      status.className = 'hint status' + (kind ? ' ' + kind : '');
      status.textContent = text;
    }
    field.addEventListener('input', function () {
      clearTimeout(timer);
      if (pending) pending.abort();
      field.setCustomValidity('');
      var name = field.value;
      if (name === '' || name === original) { show('', ''); return; }
      show('', 'Checking…');
      timer = setTimeout(function () {
        pending = new AbortController();
        fetch(field.getAttribute('data-name-check') + '?name=' + encodeURIComponent(name), {
          headers: { accept: 'application/json' },
          credentials: 'same-origin',
          signal: pending.signal
        }).then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        }).then(function (answer) {
          if (field.value !== name) return;
          if (answer.available) {
            show('ok', '✓ “' + name + '” is available');
            field.removeAttribute('aria-invalid');
          } else {
            var reason = answer.reason || 'is not available';
            show('taken', 'Name ' + reason);
            field.setAttribute('aria-invalid', 'true');
            field.setCustomValidity('Name ' + reason);
          }
        }).catch(function (error) {
          if (error && error.name === 'AbortError') return;
          show('', '');
        });
      }, 300);
    });
  });

  // Allowed countries: a search box over the list, a preset, Clear and a live count. Ticking a country
  // chooses "Only the countries ticked below".
  all('[data-country-picker]').forEach(function (picker) {
    var fieldset = picker.closest('fieldset');
    var tools = picker.querySelector('[data-country-tools]');
    var filter = picker.querySelector('[data-country-filter]');
    var count = picker.querySelector('[data-country-count]');
    var items = all('li[data-country]', picker);
    var boxes = all('input[type="checkbox"]', picker);
    var listMode = fieldset && fieldset.querySelector('input[name="allowedCountriesMode"][value="list"]');
    if (tools) tools.hidden = false;
    var tickedList = picker.querySelector('[data-country-ticked]');
    function update() {
      var ticked = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.id.replace('country-', ''); });
      if (count) count.textContent = ticked.length + ' ticked';
      if (tickedList) tickedList.textContent = ticked.length ? 'Ticked: ' + ticked.join(', ') : 'None ticked.';
    }
    function chooseList() { if (listMode && !listMode.disabled) listMode.checked = true; update(); }
    filter.addEventListener('input', function () {
      var query = filter.value.trim().toLowerCase();
      items.forEach(function (item) { item.hidden = query !== '' && item.getAttribute('data-country').indexOf(query) < 0; });
    });
    // Enter in the search box filters; it must not submit the profile form.
    filter.addEventListener('keydown', function (event) { if (event.key === 'Enter') event.preventDefault(); });
    boxes.forEach(function (box) { box.addEventListener('change', chooseList); });
    all('[data-country-preset]', picker).forEach(function (button) {
      button.addEventListener('click', function () {
        var codes = button.getAttribute('data-country-preset').split(',');
        boxes.forEach(function (box) { box.checked = codes.indexOf(box.id.replace('country-', '')) >= 0; });
        chooseList();
        announce(codes.length + ' countries ticked');
      });
    });
    all('[data-country-clear]', picker).forEach(function (button) {
      button.addEventListener('click', function () {
        boxes.forEach(function (box) { box.checked = false; });
        chooseList();
        announce('No country ticked');
      });
    });
    update();
  });

  // Copy to clipboard. The buttons are hidden in the HTML, since they need this script.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.className = 'visually-hidden';
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand('copy');
      area.remove();
      if (ok) resolve(); else reject(new Error('copy refused'));
    });
  }
  all('[data-copy]').forEach(function (button) {
    button.hidden = false;
    var label = button.querySelector('.copy-text');
    button.addEventListener('click', function () {
      copyText(button.getAttribute('data-copy')).then(function () {
        if (label) label.textContent = 'Copied';
        announce('Copied to the clipboard');
        setTimeout(function () { if (label) label.textContent = 'Copy'; }, 2000);
      }, function () {
        announce('Could not copy: select the text and copy it yourself');
      });
    });
  });

  // Confirm before deleting. Without JS the Delete button leads to a confirmation page (a GET form);
  // with JS a dialog asks, and the deletion is POSTed to that page's address.
  var dialog = document.getElementById('confirm-dialog');
  function confirmThen(message, label, proceed) {
    if (!dialog || typeof dialog.showModal !== 'function') {
      if (window.confirm(message)) proceed();
      return;
    }
    dialog.querySelector('[data-confirm-message]').textContent = message;
    dialog.querySelector('[data-confirm-ok]').textContent = label;
    dialog.returnValue = '';
    dialog.onclose = function () { if (dialog.returnValue === 'confirm') proceed(); };
    dialog.showModal();
  }
  if (dialog) {
    all('button[value]', dialog).forEach(function (button) {
      button.addEventListener('click', function () { dialog.close(button.value); });
    });
  }
  all('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      confirmThen(form.getAttribute('data-confirm'), form.getAttribute('data-confirm-label') || 'Delete', function () {
        var post = document.createElement('form');
        post.method = 'post';
        post.action = form.action;
        post.hidden = true;
        document.body.appendChild(post);
        post.submit();
      });
    });
  });
})();
