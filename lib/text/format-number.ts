/** "409.5000" → "409.5" is the calculator's job; this adds thousands separators: "1234567.5" → "1,234,567.5". Non-numbers pass through. */
export function formatNumber(value: string | number): string {
  const text = String(value);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const [int, frac] = text.split(".");
  const grouped = (int ?? "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac ? `${grouped}.${frac}` : grouped;
}
