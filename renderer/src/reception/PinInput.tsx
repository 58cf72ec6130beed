import { type Ref, useId } from 'react';

/** A PIN field: digits only (anything else is dropped as typed), masked, never autofilled or spell-checked. */
export function PinInput(props: {
  label: string;
  value: string;
  onChange: (pin: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
  describedBy?: string;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        ref={props.inputRef}
        className="pin"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        maxLength={8}
        value={props.value}
        aria-describedby={props.describedBy}
        // biome-ignore lint/a11y/noAutofocus: the screen exists to take this PIN
        autoFocus={props.autoFocus}
        onChange={(e) => props.onChange(e.target.value.replace(/\D/g, ''))}
      />
    </>
  );
}
