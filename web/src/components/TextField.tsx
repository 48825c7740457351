// A labelled input with its hint and the server's messages for it.

interface Props {
  id: string;
  label: string;
  value: string;
  onValue: (v: string) => void;
  hint?: string;
  errors?: string[];
  type?: 'text' | 'email' | 'password' | 'number';
  autoComplete?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: string;
  max?: string;
  step?: string;
  pattern?: string;
  inputMode?: 'decimal' | 'numeric' | 'text' | 'email';
  placeholder?: string;
}

export function TextField({ id, label, value, onValue, hint, errors, type = 'text', ...rest }: Props) {
  const described = [hint ? `${id}-hint` : '', errors?.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="form-row">
      <label for={id}>{label}</label>
      <input
        id={id}
        // preact's types discriminate inputs by a literal type; any of ours takes these attributes
        type={type as 'text'}
        value={value}
        onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
        aria-describedby={described || undefined}
        aria-invalid={errors?.length ? 'true' : undefined}
        {...rest}
      />
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {!!errors?.length && (
        <p class="error" id={`${id}-error`}>
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}
