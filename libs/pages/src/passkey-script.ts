/**
 * The pages' one script (served at /assets/passkeys.js, after @simplewebauthn/browser at
 * /assets/webauthn.js): it shows the passkey buttons where the browser supports WebAuthn and
 * runs their ceremony. A button lives inside the step's only form: it fetches options
 * (`data-passkey-options`, with the form's CSRF field), asks the authenticator, puts the
 * answer into the form's `response` field and submits the form to its own `formaction`.
 * Without JavaScript the buttons stay hidden and the forms work as before.
 */
export const PASSKEY_SCRIPT = `(function () {
  'use strict';
  var webauthn = window.SimpleWebAuthnBrowser;
  if (!webauthn || !webauthn.browserSupportsWebAuthn()) return;

  function say(form, message) {
    var alert = form.querySelector('[data-passkey-error]');
    if (!alert) return;
    alert.textContent = message;
    alert.hidden = false;
  }

  function ceremony(button) {
    var form = button.form;
    var csrf = form.querySelector('input[name="csrf"]');
    button.disabled = true;
    return fetch(button.getAttribute('data-passkey-options'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ csrf: csrf ? csrf.value : '' }),
      credentials: 'same-origin',
    })
      .then(function (answer) {
        return answer.json().then(function (body) {
          if (!answer.ok) throw new Error(body && body.message ? body.message : 'This sign-in step has expired.');
          return body;
        });
      })
      .then(function (optionsJSON) {
        return button.getAttribute('data-passkey') === 'register'
          ? webauthn.startRegistration({ optionsJSON: optionsJSON })
          : webauthn.startAuthentication({ optionsJSON: optionsJSON });
      })
      .then(function (result) {
        form.querySelector('input[name="response"]').value = JSON.stringify(result);
        form.action = button.formAction;
        form.noValidate = true;
        form.submit();
      })
      .catch(function (error) {
        button.disabled = false;
        var cancelled = error && (error.name === 'NotAllowedError' || error.name === 'AbortError');
        say(form, cancelled ? 'The passkey request was cancelled or timed out. Please try again.' : String(error.message || error));
      });
  }

  var buttons = document.querySelectorAll('button[data-passkey]');
  for (var i = 0; i < buttons.length; i++) {
    (function (button) {
      button.addEventListener('click', function (event) {
        event.preventDefault();
        ceremony(button);
      });
    })(buttons[i]);
  }
  var shown = document.querySelectorAll('[data-passkey-box]');
  for (var j = 0; j < shown.length; j++) shown[j].hidden = false;
})();
`;
