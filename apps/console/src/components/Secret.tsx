import { useState } from 'react';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <span className="copy">
      <button type="button" className="btn btn-small" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="copy-status">
        {copied === 'yes' ? 'Copied' : copied === 'no' ? 'Copy failed: select the text and copy it' : ''}
      </span>
    </span>
  );
}

/** A secret in the one answer that holds it: the server keeps only its hash. */
export function SecretReveal({ label, secret, onDone }: { label: string; secret: string; onDone?: () => void }) {
  return (
    <section className="secret" aria-label={label}>
      <p className="alert alert-warning">
        <strong>Copy this {label.toLowerCase()} now.</strong> It is shown only this once: the server keeps only a hash
        of it. If you lose it, rotate it.
      </p>
      <div className="secret-value">
        <code data-testid="secret-value">{secret}</code>
        <CopyButton text={secret} label={`Copy ${label.toLowerCase()}`} />
      </div>
      {onDone && (
        <button type="button" className="btn" onClick={onDone}>
          I have stored it
        </button>
      )}
    </section>
  );
}
