import { type InputHTMLAttributes, type ReactNode, type Ref, useId } from 'react';

/**
 * A labelled input with its hint and its error (the API's own message) tied to it by
 * aria-describedby, so a screen reader reads them with the field.
 */
export function Field({
  label,
  hint,
  error,
  children,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'children'> & {
  label: string;
  hint?: ReactNode;
  error?: string;
  ref?: Ref<HTMLInputElement>;
  children?: (props: { id: string; describedBy?: string; invalid: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const checkbox = input.type === 'checkbox';
  return (
    <div className={`field${checkbox ? ' field-checkbox' : ''}${error ? ' field-invalid' : ''}`}>
      {checkbox ? null : <label htmlFor={id}>{label}</label>}
      {children ? (
        children({ id, describedBy, invalid: !!error })
      ) : (
        <input id={id} aria-describedby={describedBy} aria-invalid={error ? true : undefined} {...input} />
      )}
      {checkbox ? <label htmlFor={id}>{label}</label> : null}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p className="alert alert-error" role="alert">
      {message}
    </p>
  );
}
