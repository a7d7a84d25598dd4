/** Client input echoed back in an error message, cut short so an error never carries a large payload. */
export function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
