/**
 * The props of a text field that stands without a visible label: its placeholder names it, screen
 * readers are told the same name, and it edits one text of the screen's state.
 */
export function placeholderLabelled(label: string, value: string, onChange: (value: string) => void) {
  return {
    'aria-label': label,
    placeholder: label,
    value,
    onChange: (event: { target: { value: string } }) => onChange(event.target.value),
  };
}
